/**
 * A first-in first-out queue of items, each with an optional number tag (a
 * packet's text flag, a sender's id, a few bits of state), so a queue of
 * small records needs no object per item. A head index instead of `shift()`
 * keeps dequeuing O(1); the one compaction rule: once the consumed part is
 * at least 1024 items and half the array, it is cut off. While empty the
 * queue holds no arrays, so an idle owner costs nothing beyond this object.
 */
export class Fifo<T> {
  private items: T[] | null = null;
  private tags: number[] | null = null;
  private head = 0;

  get count(): number {
    return this.items === null ? 0 : this.items.length - this.head;
  }

  push(item: T, tag = 0): void {
    if (this.items === null) {
      this.items = [item];
      this.tags = [tag];
    } else {
      this.items.push(item);
      this.tags!.push(tag);
    }
  }

  /** The next item; only valid when `count > 0`. */
  peek(): T {
    return this.items![this.head]!;
  }

  /** The next item's tag; only valid when `count > 0`. */
  peekTag(): number {
    return this.tags![this.head]!;
  }

  /** Removes and returns the next item; only valid when `count > 0`. */
  shift(): T {
    const items = this.items!;
    const index = this.head;
    const item = items[index]!;
    this.head = index + 1;
    if (this.head === items.length) {
      this.items = null;
      this.tags = null;
      this.head = 0;
    } else {
      // Let the consumed item be collected before compaction.
      items[index] = undefined as T;
      if (this.head >= 1024 && this.head * 2 >= items.length) {
        this.items = items.slice(this.head);
        this.tags = this.tags!.slice(this.head);
        this.head = 0;
      }
    }
    return item;
  }

  /** Calls `visit` on every item still queued, oldest first (without removing them). */
  forEach(visit: (item: T, tag: number) => void): void {
    const items = this.items;
    if (items === null) return;
    const tags = this.tags!;
    for (let i = this.head; i < items.length; i++) visit(items[i]!, tags[i]!);
  }

  clear(): void {
    this.items = null;
    this.tags = null;
    this.head = 0;
  }
}
