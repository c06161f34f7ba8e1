import { applyMask } from './frame-builder.js';

/** One frame exactly as the implementation under test put it on the wire (payload already unmasked). */
export interface WireFrame {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Buffer;
  /** Length field used fewer bytes than it could have: RFC 6455 5.2 requires the minimal encoding. */
  nonMinimalLength: boolean;
  /** A 64-bit length whose most significant bit was set, which RFC 6455 5.2 forbids. */
  lengthTopBitSet: boolean;
}

/** Holds received chunks without concatenating them until a whole frame part is needed. */
class ByteQueue {
  private chunks: Buffer[] = [];
  private headOffset = 0;
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  peekByte(index: number): number {
    let remaining = index + this.headOffset;
    for (const chunk of this.chunks) {
      if (remaining < chunk.length) return chunk[remaining]!;
      remaining -= chunk.length;
    }
    throw new RangeError('peek past the end of the queue');
  }

  take(count: number): Buffer {
    if (count > this.length) throw new RangeError('take past the end of the queue');
    const parts: Buffer[] = [];
    let needed = count;
    while (needed > 0) {
      const head = this.chunks[0]!;
      const available = head.length - this.headOffset;
      const used = Math.min(available, needed);
      parts.push(head.subarray(this.headOffset, this.headOffset + used));
      needed -= used;
      if (used === available) {
        this.chunks.shift();
        this.headOffset = 0;
      } else {
        this.headOffset += used;
      }
    }
    this.length -= count;
    return parts.length === 1 ? Buffer.from(parts[0]!) : Buffer.concat(parts, count);
  }
}

/** Incrementally splits the implementation's byte stream into frames. */
export class FrameParser {
  private readonly queue = new ByteQueue();

  /** Feeds received bytes and returns every frame they complete. */
  push(chunk: Buffer): WireFrame[] {
    this.queue.push(chunk);
    const frames: WireFrame[] = [];
    for (;;) {
      const frame = this.tryTakeFrame();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  /** Bytes received that do not (yet) form a whole frame. */
  get pendingByteCount(): number {
    return this.queue.length;
  }

  private tryTakeFrame(): WireFrame | null {
    const queue = this.queue;
    if (queue.length < 2) return null;
    const first = queue.peekByte(0);
    const second = queue.peekByte(1);
    const masked = (second & 0x80) !== 0;
    const shortLength = second & 0x7f;
    const extendedSize = shortLength === 126 ? 2 : shortLength === 127 ? 8 : 0;
    const headerSize = 2 + extendedSize + (masked ? 4 : 0);
    if (queue.length < headerSize) return null;

    let payloadLength = shortLength;
    let nonMinimalLength = false;
    let lengthTopBitSet = false;
    if (extendedSize === 2) {
      payloadLength = (queue.peekByte(2) << 8) | queue.peekByte(3);
      nonMinimalLength = payloadLength < 126;
    } else if (extendedSize === 8) {
      let length = 0n;
      for (let index = 0; index < 8; index++) length = (length << 8n) | BigInt(queue.peekByte(2 + index));
      lengthTopBitSet = length >> 63n === 1n;
      nonMinimalLength = length <= 0xffffn;
      if (length > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new Error(`the implementation announced an impossible ${length}-byte frame`);
      }
      payloadLength = Number(length);
    }
    if (queue.length < headerSize + payloadLength) return null;

    const header = queue.take(headerSize);
    const payload = queue.take(payloadLength);
    if (masked) applyMask(payload, header.subarray(headerSize - 4, headerSize));
    return {
      fin: (first & 0x80) !== 0,
      rsv: (first >> 4) & 0x7,
      opcode: first & 0x0f,
      masked,
      payload,
      nonMinimalLength,
      lengthTopBitSet,
    };
  }
}
