/**
 * Memory for frames too large for the encode slab that are built in memory
 * of their own: a client's masked frames (the payload is masked as it is
 * copied). A fresh Buffer per large message costs more than the masking:
 * the allocator hands out new pages (page faults) and the garbage collector
 * frees them in bulk, so a 1 MiB copy into fresh memory ran at 1.7 GB/s
 * where the same copy into reused memory ran at 12 (bench/frame.bench.ts's
 * masking cells). A buffer comes back once the kernel has its frame, so it
 * is never written to while a write may still read it.
 *
 * The pool is bounded (POOL_LIMIT_BYTES, POOL_LIMIT_BUFFERS) and empties
 * itself after a quiet spell, so a burst of large messages does not pin
 * memory for good.
 */
export const POOL_LIMIT_BYTES = 8 * 1024 * 1024;
export const POOL_LIMIT_BUFFERS = 16;
/** A pooled buffer serves frames down to this share of its size, so a small frame does not hold a large buffer. */
const SMALLEST_SHARE = 2;
/** Pooled memory nobody took for this long is dropped. */
export const POOL_IDLE_MS = 5_000;
/** Sizes are rounded up to this, so messages of nearly the same size share buffers. */
const SIZE_STEP = 4096;

export class FrameBufferPool {
  private readonly spare: ArrayBuffer[] = [];
  private spareBytes = 0;
  private takenSinceCheck = false;
  private idleCheck: NodeJS.Timeout | null = null;

  /** `length` bytes of memory nobody else uses; hand the Buffer back with `giveBack` once written. */
  take(length: number): Buffer {
    this.takenSinceCheck = true;
    const spare = this.spare;
    for (let i = spare.length - 1; i >= 0; i--) {
      const memory = spare[i]!;
      if (memory.byteLength >= length && memory.byteLength <= length * SMALLEST_SHARE) {
        spare[i] = spare[spare.length - 1]!;
        spare.pop();
        this.spareBytes -= memory.byteLength;
        return Buffer.from(memory, 0, length);
      }
    }
    const size = Math.ceil(length / SIZE_STEP) * SIZE_STEP;
    return Buffer.from(Buffer.allocUnsafeSlow(size).buffer, 0, length);
  }

  /** Returns memory from `take` whose write has finished (or failed); kept if the pool has room. */
  giveBack(buffer: Buffer): void {
    const memory = buffer.buffer as ArrayBuffer;
    if (this.spare.length >= POOL_LIMIT_BUFFERS || this.spareBytes + memory.byteLength > POOL_LIMIT_BYTES) return;
    this.spare.push(memory);
    this.spareBytes += memory.byteLength;
    this.idleCheck ??= setTimeout(() => this.dropIfIdle(), POOL_IDLE_MS).unref();
  }

  /** Bytes held for reuse (for tests and memory figures). */
  get heldBytes(): number {
    return this.spareBytes;
  }

  private dropIfIdle(): void {
    this.idleCheck = null;
    if (this.takenSinceCheck) {
      this.takenSinceCheck = false;
      if (this.spare.length > 0) this.idleCheck = setTimeout(() => this.dropIfIdle(), POOL_IDLE_MS).unref();
      return;
    }
    this.spare.length = 0;
    this.spareBytes = 0;
  }
}
