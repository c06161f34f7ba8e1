/**
 * The last `capacity` bytes of a stream, kept in a ring so that remembering
 * a message costs at most `capacity` bytes of copying whatever its size. It
 * is what an LZ77 window holds, so a zlib stream freed while idle can be
 * recreated with it as a preset dictionary and carry on where it left off.
 */
export class SlidingWindow {
  private readonly capacity: number;
  private ring: Buffer | null = null;
  private end = 0;
  private filled = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get length(): number {
    return this.filled;
  }

  append(data: Uint8Array): void {
    const length = data.length;
    if (length === 0) return;
    const capacity = this.capacity;
    const ring = (this.ring ??= Buffer.allocUnsafe(capacity));
    if (length >= capacity) {
      ring.set(data.subarray(length - capacity));
      this.end = 0;
      this.filled = capacity;
      return;
    }
    const first = Math.min(length, capacity - this.end);
    ring.set(data.subarray(0, first), this.end);
    if (first < length) ring.set(data.subarray(first), 0);
    this.end = (this.end + length) % capacity;
    this.filled = Math.min(capacity, this.filled + length);
  }

  /** The remembered bytes, oldest first, in a new buffer; null when there are none. */
  snapshot(): Buffer | null {
    const ring = this.ring;
    if (ring === null || this.filled === 0) return null;
    const start = (this.end - this.filled + this.capacity) % this.capacity;
    const out = Buffer.allocUnsafe(this.filled);
    if (start + this.filled <= this.capacity) {
      ring.copy(out, 0, start, start + this.filled);
    } else {
      const head = this.capacity - start;
      ring.copy(out, 0, start, this.capacity);
      ring.copy(out, head, 0, this.filled - head);
    }
    return out;
  }

  /** Forgets everything and frees the ring. */
  clear(): void {
    this.ring = null;
    this.end = 0;
    this.filled = 0;
  }
}
