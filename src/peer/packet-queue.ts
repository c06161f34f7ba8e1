/**
 * Received messages waiting for `getPacket`, in arrival order. A head index
 * instead of `shift()` keeps dequeuing O(1); the arrays are compacted once the
 * consumed part dominates. They exist only while packets wait: an idle
 * connection's queue holds no arrays.
 */
export class PacketQueue {
  private data: Buffer[] | null = null;
  private text: boolean[] | null = null;
  private head = 0;
  private bytes = 0;

  get count(): number {
    return this.data === null ? 0 : this.data.length - this.head;
  }

  get byteLength(): number {
    return this.bytes;
  }

  push(data: Buffer, isText: boolean): void {
    if (this.data === null) {
      this.data = [data];
      this.text = [isText];
    } else {
      this.data.push(data);
      this.text!.push(isText);
    }
    this.bytes += data.length;
  }

  /** Whether the next packet `shift` would return arrived as text. */
  peekIsText(): boolean {
    return this.text![this.head]!;
  }

  shift(): Buffer {
    const queued = this.data!;
    const index = this.head;
    const data = queued[index]!;
    this.bytes -= data.length;
    this.head = index + 1;
    if (this.head === queued.length) {
      this.clear();
    } else {
      queued[index] = EMPTY;
      if (this.head >= 1024 && this.head * 2 >= queued.length) {
        this.data = queued.slice(this.head);
        this.text = this.text!.slice(this.head);
        this.head = 0;
      }
    }
    return data;
  }

  clear(): void {
    this.data = null;
    this.text = null;
    this.head = 0;
    this.bytes = 0;
  }
}

const EMPTY = Buffer.alloc(0);
