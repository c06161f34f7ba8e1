/** Copies up to this size share one allocation per pushed chunk; larger ones get their own. */
const SHARED_COPY_MAX = 16 * 1024;
/** Allocations up to this size come from Node's Buffer pool (half its 8 KiB, as Node's own rule). */
const POOLED_MAX = 4 * 1024;
/** The most one shared allocation holds. */
const SHARED_MEMORY_MAX = 64 * 1024;

/**
 * Where a decoder whose input memory may be reused (a socket read into one
 * buffer) copies payloads to, for the chunks that lie in such memory. The
 * small ones from one pushed chunk share one allocation sized by that chunk,
 * as Node's own Buffer per read would have held them: a message kept by the
 * application pins at most its neighbours from the same read, and a chunk of
 * many small messages costs one allocation, not one each.
 */
export class InputCopies {
  /**
   * Whether the chunk being pushed lies in reused memory, so its payloads
   * must be copied; a chunk in memory of its own may be kept as views.
   */
  active = true;
  private memory: Buffer | null = null;
  private used = 0;
  private chunkLength = 0;

  /** A chunk of `length` bytes is about to be pushed: copies of its payloads (when `reused`) go in fresh memory. */
  startChunk(length: number, reused = true): void {
    this.active = reused;
    this.chunkLength = length;
    this.memory = null;
  }

  /** `size` bytes that nothing else uses. */
  allocate(size: number): Buffer {
    if (size > SHARED_COPY_MAX) return Buffer.allocUnsafe(size);
    let memory = this.memory;
    if (memory === null || memory.length - this.used < size) {
      const length = Math.max(size, Math.min(this.chunkLength, SHARED_MEMORY_MAX));
      // Small ones from Node's pool, as any small Buffer: cheaper than memory of their own.
      memory = this.memory = length <= POOLED_MAX ? Buffer.allocUnsafe(length) : Buffer.allocUnsafeSlow(length);
      this.used = 0;
    }
    const start = this.used;
    this.used = start + size;
    return Buffer.from(memory.buffer, memory.byteOffset + start, size);
  }

  /** A copy of `bytes`. */
  copy(bytes: Uint8Array): Buffer {
    const copy = this.allocate(bytes.length);
    copy.set(bytes);
    return copy;
  }
}
