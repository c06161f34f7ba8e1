/**
 * Packets waiting for `getPacket`, each with the id of the peer that sent it.
 * A head index keeps dequeuing O(1); the arrays are compacted once the
 * consumed part dominates.
 */
export class IncomingPackets {
  private data: Buffer[] = [];
  private sources: number[] = [];
  private head = 0;

  get count(): number {
    return this.data.length - this.head;
  }

  push(source: number, data: Buffer): void {
    this.data.push(data);
    this.sources.push(source);
  }

  /** Source of the next packet; only valid when `count > 0`. */
  peekSource(): number {
    return this.sources[this.head]!;
  }

  shift(): Buffer {
    const index = this.head;
    const data = this.data[index]!;
    this.data[index] = EMPTY;
    this.head = index + 1;
    if (this.head === this.data.length) {
      this.clear();
    } else if (this.head >= 1024 && this.head * 2 >= this.data.length) {
      this.data = this.data.slice(this.head);
      this.sources = this.sources.slice(this.head);
      this.head = 0;
    }
    return data;
  }

  clear(): void {
    this.data = [];
    this.sources = [];
    this.head = 0;
  }
}

const EMPTY = Buffer.alloc(0);
