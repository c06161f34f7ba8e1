import type { InputCopies } from './input-copies.js';
import { maskInto } from './mask.js';

const EMPTY = Buffer.alloc(0);
/** Pieces smaller than this are copied together rather than kept as views. */
const SMALL_PIECE = 512;
/**
 * A view keeps its whole underlying chunk alive. Views are kept only while
 * the chunks they pin, counted once each, stay within this many times the
 * bytes viewed (plus PIN_ALLOWANCE), so a peer cannot make us hold 64 KiB
 * reads for a few hundred bytes each; many fragments sharing one socket read
 * pin it once and need no copy.
 */
const MIN_SHARE_OF_CHUNK = 4;
/** One socket read: what the first views of a message may pin before the share rule applies. */
const PIN_ALLOWANCE = 64 * 1024;
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
  /**
   * Where pieces are copied while `copies.active`: their memory is reused
   * once the call that passed them returns (a socket read into one reused
   * buffer), so no view of it may be kept or handed on. Null keeps views.
   */
  private readonly copies: InputCopies | null;
  private parts: Buffer[] = [];
  private slab: Buffer | null = null;
  private slabUsed = 0;
  private total = 0;
  private expected = 0;
  /** The exact-size buffer, once `expect` announced a size and enough of it has arrived. */
  private whole: Buffer | null = null;
  /** The chunk the last view lies in, the bytes of all chunks pinned by views, and the bytes those views cover. */
  private lastPinned: ArrayBufferLike | null = null;
  private pinnedBytes = 0;
  private viewedBytes = 0;

  constructor(copies: InputCopies | null = null) {
    this.copies = copies;
  }

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
      if (!this.copying) {
        // Not counted as pinning until a second piece comes (see mayView).
        this.parts.push(piece);
        return;
      }
      if (!this.goesWhole(this.total)) {
        this.parts.push(this.copies!.copy(piece));
        return;
      }
    }
    if (this.goesWhole(this.total)) {
      this.gatherPartsInto(this.allocate(this.expected)).set(piece, this.total - length);
      return;
    }
    if (!this.copying && length >= SMALL_PIECE && this.mayView(piece)) {
      this.flushSlab();
      this.keepView(piece);
      return;
    }
    if (length > SLAB_SIZE) {
      // Too big for a slab, too small a share of its chunk to keep as a view: a copy of its own.
      this.flushSlab();
      this.parts.push(this.copying ? this.copies!.copy(piece) : Buffer.from(piece));
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
    const total = this.total;
    this.total = 0;
    this.expected = 0;
    if (this.lastPinned !== null) {
      this.lastPinned = null;
      this.pinnedBytes = 0;
      this.viewedBytes = 0;
    }
    if (whole !== null) {
      this.whole = null;
      return total === whole.length ? whole : whole.subarray(0, total);
    }
    this.flushSlab();
    const parts = this.parts;
    this.parts = [];
    if (parts.length === 0) return EMPTY;
    if (parts.length === 1) return parts[0]!;
    return Buffer.concat(parts, total);
  }

  /** Whether a message announced by `expect` moves to its exact-size buffer once `end` bytes have arrived (half of it, and no more than all). */
  private goesWhole(end: number): boolean {
    const expected = this.expected;
    return expected > 0 && end * 2 >= expected && end <= expected;
  }

  private mayView(piece: Buffer): boolean {
    // The first piece (parts[0]) was kept without counting what it pins: most messages are that one piece.
    if (this.lastPinned === null) this.countPinned(this.parts[0]!);
    const pinned = piece.buffer === this.lastPinned ? this.pinnedBytes : this.pinnedBytes + piece.buffer.byteLength;
    return pinned <= (this.viewedBytes + piece.length) * MIN_SHARE_OF_CHUNK + PIN_ALLOWANCE;
  }

  private keepView(piece: Buffer): void {
    this.countPinned(piece);
    this.parts.push(piece);
  }

  private countPinned(piece: Buffer): void {
    const chunk = piece.buffer;
    if (chunk !== this.lastPinned) {
      this.lastPinned = chunk;
      this.pinnedBytes += chunk.byteLength;
    }
    this.viewedBytes += piece.length;
  }

  /**
   * Like append, for a piece still masked: when the message goes into its
   * exact-size buffer (see `expect`; a message arriving in several pieces),
   * unmasks the piece straight into it and returns the unmasked bytes there;
   * otherwise returns null and takes nothing.
   */
  appendMasked(piece: Buffer, key: Buffer, phase: number): Buffer | null {
    const length = piece.length;
    const offset = this.total;
    const end = offset + length;
    let whole = this.whole;
    if (whole === null) {
      // A message that is this one piece is better unmasked in place and handed on as a view (no copy at all), unless it must be copied anyway.
      if (!this.goesWhole(end) || (!this.copying && offset === 0 && end === this.expected)) return null;
      whole = this.gatherPartsInto(this.allocate(this.expected));
    } else if (end > whole.length) {
      return null;
    }
    maskInto(piece, whole, offset, key, 0, phase);
    this.total = end;
    return whole.subarray(offset, end);
  }

  /** Whether the piece being appended must be copied (it lies in reused memory). */
  private get copying(): boolean {
    return this.copies !== null && this.copies.active;
  }

  private allocate(size: number): Buffer {
    return this.copying ? this.copies!.allocate(size) : Buffer.allocUnsafe(size);
  }

  /** Switches to the exact-size buffer `whole`, holding what was collected so far; returns it. */
  private gatherPartsInto(whole: Buffer): Buffer {
    this.flushSlab();
    let offset = 0;
    for (const part of this.parts) {
      whole.set(part, offset);
      offset += part.length;
    }
    this.parts = [];
    this.whole = whole;
    return whole;
  }

  private flushSlab(): void {
    const slab = this.slab;
    if (slab === null) return;
    if (this.slabUsed > 0) this.parts.push(slab.subarray(0, this.slabUsed));
    this.slab = null;
    this.slabUsed = 0;
  }
}
