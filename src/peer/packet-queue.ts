import { Fifo } from './fifo.js';

const TEXT = 1;

/**
 * Received messages waiting for `getPacket`, in arrival order, with their
 * text flags and byte total. A Fifo: an idle queue holds no arrays.
 */
export class PacketQueue extends Fifo<Buffer> {
  private bytes = 0;

  get byteLength(): number {
    return this.bytes;
  }

  /** `isText` as a boolean, or as the tag Fifo stores (1 for text). */
  override push(data: Buffer, isText: boolean | number = false): void {
    super.push(data, isText ? TEXT : 0);
    this.bytes += data.length;
  }

  /** Whether the next packet `shift` would return arrived as text. */
  peekIsText(): boolean {
    return this.peekTag() === TEXT;
  }

  override shift(): Buffer {
    const data = super.shift();
    this.bytes -= data.length;
    return data;
  }

  override clear(): void {
    super.clear();
    this.bytes = 0;
  }
}
