const EMPTY = Buffer.alloc(0);
/** Pieces smaller than this are copied together rather than kept as views. */
const SMALL_PIECE = 512;
/**
 * A view keeps its whole underlying chunk alive. Keep one only when the piece
 * is at least this share of that chunk, so a peer cannot make us hold 64 KiB
 * reads for a few hundred bytes each (memory stays within 4x of the message).
 */
const MIN_SHARE_OF_CHUNK = 4;
const SLAB_SIZE = 16384;

/**
 * Collects the pieces of one message. A message that arrives as one piece is
 * returned as that same view (no copy). Small pieces are packed into slabs, so
 * memory follows the message's bytes, not its fragment count (a flood of tiny
 * fragments costs no per-fragment object); large pieces are kept as views and
 * everything is concatenated once at the end. When the message's size is
 * known in advance (`expect`), pieces are instead copied once into a buffer
 * of exactly that size.
 */
export class MessageBuffer {
  private parts: Buffer[] = [];
  private slab: Buffer | null = null;
  private slabUsed = 0;
  private total = 0;
  private expected = 0;
  /** The exact-size buffer, once `expect` announced a size and enough of it has arrived. */
  private whole: Buffer | null = null;

  get byteLength(): number {
    return this.total;
  }

  /**
   * Announces that the message will be exactly `total` bytes (an unfragmented
   * message whose frame header is known), before its first piece. A message
   * that then arrives in several pieces is copied straight into one buffer of
   * that size: no slab, no concatenation. That buffer is only allocated once
   * half the message is here, so a peer cannot make us reserve much more than
   * it has sent.
   */
  expect(total: number): void {
    this.expected = total;
  }

  append(piece: Buffer): void {
    const length = piece.length;
    if (length === 0) return;
    const whole = this.whole;
    if (whole !== null) {
      if (this.total + length <= whole.length) {
        piece.copy(whole, this.total);
        this.total += length;
        return;
      }
      // More than announced: back to collecting pieces.
      this.parts.push(whole.subarray(0, this.total));
      this.whole = null;
      this.expected = 0;
    }
    this.total += length;
    if (this.parts.length === 0 && this.slab === null) {
      this.parts.push(piece);
      return;
    }
    if (this.expected > 0 && this.total * 2 >= this.expected && this.total <= this.expected) {
      this.gatherInto(Buffer.allocUnsafe(this.expected), piece);
      return;
    }
    if (length >= SMALL_PIECE && length * MIN_SHARE_OF_CHUNK >= piece.buffer.byteLength) {
      this.flushSlab();
      this.parts.push(piece);
      return;
    }
    if (length > SLAB_SIZE) {
      // Too big for a slab, too small a share of its chunk to keep as a view: a copy of its own.
      this.flushSlab();
      this.parts.push(Buffer.from(piece));
      return;
    }
    let slab = this.slab;
    if (slab === null || slab.length - this.slabUsed < length) {
      this.flushSlab();
      slab = this.slab = Buffer.allocUnsafe(SLAB_SIZE);
    }
    piece.copy(slab, this.slabUsed);
    this.slabUsed += length;
  }

  /** The whole message; the buffer is empty again afterwards. */
  take(): Buffer {
    const whole = this.whole;
    if (whole !== null) {
      const total = this.total;
      this.whole = null;
      this.total = 0;
      this.expected = 0;
      return total === whole.length ? whole : whole.subarray(0, total);
    }
    this.flushSlab();
    const parts = this.parts;
    const total = this.total;
    this.parts = [];
    this.total = 0;
    this.expected = 0;
    if (parts.length === 0) return EMPTY;
    if (parts.length === 1) return parts[0]!;
    return Buffer.concat(parts, total);
  }

  /** Switches to the exact-size buffer: what was collected so far, then `piece`. */
  private gatherInto(whole: Buffer, piece: Buffer): void {
    this.flushSlab();
    let offset = 0;
    for (const part of this.parts) {
      part.copy(whole, offset);
      offset += part.length;
    }
    piece.copy(whole, offset);
    this.parts = [];
    this.whole = whole;
  }

  private flushSlab(): void {
    const slab = this.slab;
    if (slab === null) return;
    if (this.slabUsed > 0) this.parts.push(slab.subarray(0, this.slabUsed));
    this.slab = null;
    this.slabUsed = 0;
  }
}
