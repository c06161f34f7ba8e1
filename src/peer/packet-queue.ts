/**
 * Received messages waiting for `getPacket`, in arrival order. A head index
 * instead of `shift()` keeps dequeuing O(1); the arrays are compacted once the
 * consumed part dominates.
 */
export class PacketQueue {
  private data: Buffer[] = [];
  private text: boolean[] = [];
  private head = 0;
  private bytes = 0;

  get count(): number {
    return this.data.length - this.head;
  }

  get byteLength(): number {
    return this.bytes;
  }

  push(data: Buffer, isText: boolean): void {
    this.data.push(data);
    this.text.push(isText);
    this.bytes += data.length;
  }

  /** Whether the next packet `shift` would return arrived as text. */
  peekIsText(): boolean {
    return this.text[this.head]!;
  }

  shift(): Buffer {
    const index = this.head;
    const data = this.data[index]!;
    this.data[index] = EMPTY;
    this.bytes -= data.length;
    this.head = index + 1;
    if (this.head === this.data.length) {
      this.data = [];
      this.text = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.data.length) {
      this.data = this.data.slice(this.head);
      this.text = this.text.slice(this.head);
      this.head = 0;
    }
    return data;
  }

  clear(): void {
    this.data = [];
    this.text = [];
    this.head = 0;
    this.bytes = 0;
  }
}

const EMPTY = Buffer.alloc(0);
