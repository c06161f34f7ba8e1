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
 * everything is concatenated once at the end.
 */
export class MessageBuffer {
  private parts: Buffer[] = [];
  private slab: Buffer | null = null;
  private slabUsed = 0;
  private total = 0;

  get byteLength(): number {
    return this.total;
  }

  append(piece: Buffer): void {
    const length = piece.length;
    if (length === 0) return;
    this.total += length;
    if (this.parts.length === 0 && this.slab === null) {
      this.parts.push(piece);
      return;
    }
    if (length >= SMALL_PIECE && length * MIN_SHARE_OF_CHUNK >= piece.buffer.byteLength) {
      this.flushSlab();
      this.parts.push(piece);
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
    this.flushSlab();
    const parts = this.parts;
    const total = this.total;
    this.parts = [];
    this.total = 0;
    if (parts.length === 0) return EMPTY;
    if (parts.length === 1) return parts[0]!;
    return Buffer.concat(parts, total);
  }

  private flushSlab(): void {
    const slab = this.slab;
    if (slab === null) return;
    if (this.slabUsed > 0) this.parts.push(slab.subarray(0, this.slabUsed));
    this.slab = null;
    this.slabUsed = 0;
  }
}
