import { Fifo } from './fifo.js';

/**
 * Items handed on in arrival order although some of them take an async
 * trip (through zlib): while one is away, later items wait behind it, and
 * pass on in order once it is back. With nothing away, an item that needs
 * no trip passes straight through. Subclasses say which items travel and
 * what passing on means; the lane keeps the order, the waiting bytes (for a
 * backlog signal), the `whenIdle` callbacks and the stop.
 *
 * Items are byte arrays with a number tag (subclass flags), so waiting
 * costs no object per item.
 */
export abstract class OrderedLane<T extends Uint8Array> {
  private readonly waiting = new Fifo<T>();
  private waitingBytesTotal = 0;
  /** The item on its trip, null while none is. */
  private travelling: T | null = null;
  private travellingTag = 0;
  private idleCallbacks: Array<() => void> | null = null;
  private stopped = false;

  /** Whether `item` takes the async trip. */
  protected abstract travels(item: T, tag: number): boolean;
  /** Starts the trip; the subclass calls `arrived()` once it is over (unless the lane stopped meanwhile). */
  protected abstract startTrip(item: T, tag: number): void;
  /** Hands on an item that took no trip. */
  protected abstract passOn(item: T, tag: number): void;
  /** Called after waiting items were handed on (the backlog went down). */
  protected drained(): void {}
  /** Called by `dispose` for each item not handed on, the travelling one first. */
  protected dropped(_item: T, _tag: number): void {}

  /** An item is on its trip (later ones wait behind it). */
  get busy(): boolean {
    return this.travelling !== null;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Items waiting behind the travelling one. */
  protected get waitingCount(): number {
    return this.waiting.count;
  }

  protected get waitingBytes(): number {
    return this.waitingBytesTotal;
  }

  /** The travelling item and its tag (valid while `busy`). */
  protected get current(): T {
    return this.travelling!;
  }

  protected get currentTag(): number {
    return this.travellingTag;
  }

  /** Takes an item: passes it on, starts its trip, or queues it behind the travelling one. Ignored once stopped. */
  protected enqueue(item: T, tag: number): void {
    if (this.stopped) return;
    if (this.travelling !== null) {
      this.waiting.push(item, tag);
      this.waitingBytesTotal += item.length;
    } else {
      this.take(item, tag);
    }
  }

  /** The travelling item's trip is over (the subclass has handed on its result): the waiting ones go on. */
  protected arrived(): void {
    this.travelling = null;
    const waiting = this.waiting;
    while (this.travelling === null && !this.stopped && waiting.count > 0) {
      const tag = waiting.peekTag();
      const item = waiting.shift();
      this.waitingBytesTotal -= item.length;
      this.take(item, tag);
    }
    if (this.stopped) return;
    this.drained();
    if (this.travelling === null && this.idleCallbacks !== null) {
      const callbacks = this.idleCallbacks;
      this.idleCallbacks = null;
      for (const callback of callbacks) callback();
    }
  }

  /** Runs `callback` once every item taken so far has been handed on (at once if none is pending). */
  whenIdle(callback: () => void): void {
    if (this.travelling === null) callback();
    else (this.idleCallbacks ??= []).push(callback);
  }

  /** Drops whatever is pending; nothing is handed on afterwards and `whenIdle` callbacks never run. */
  dispose(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.travelling !== null) this.dropped(this.travelling, this.travellingTag);
    this.travelling = null;
    this.waiting.forEach((item, tag) => this.dropped(item, tag));
    this.waiting.clear();
    this.waitingBytesTotal = 0;
    this.idleCallbacks = null;
  }

  private take(item: T, tag: number): void {
    if (this.travels(item, tag)) {
      this.travelling = item;
      this.travellingTag = tag;
      this.startTrip(item, tag);
    } else {
      this.passOn(item, tag);
    }
  }
}
