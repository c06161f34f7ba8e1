/**
 * Buffers for frames too large for the shared slab that must be copied
 * anyway (a client's masked messages), reused once the kernel has taken
 * them. A fresh buffer per large message costs a page fault on every page
 * at first touch, which is more than masking it. Sizes are rounded up to
 * powers of two; the pool keeps at most POOL_BUDGET bytes, and a buffer
 * comes back only from a write's completion, when nothing refers to it.
 */
const SMALLEST_CLASS = 15; // 32 KiB
const LARGEST_CLASS = 22; // 4 MiB; larger frames are allocated each time
const POOL_BUDGET = 16 * 1024 * 1024;

const free: Buffer[][] = Array.from({ length: LARGEST_CLASS + 1 }, () => []);
let pooledBytes = 0;

function sizeClass(length: number): number {
  return Math.max(SMALLEST_CLASS, 32 - Math.clz32(length - 1));
}

/** A buffer of at least `length` bytes, whose contents are undefined. */
export function acquireLargeBuffer(length: number): Buffer {
  const classIndex = sizeClass(length);
  if (classIndex > LARGEST_CLASS) return Buffer.allocUnsafeSlow(length);
  const buffer = free[classIndex]!.pop();
  if (buffer === undefined) return Buffer.allocUnsafeSlow(1 << classIndex);
  pooledBytes -= buffer.length;
  return buffer;
}

/** Gives back a buffer from `acquireLargeBuffer` that no write refers to any more. */
export function releaseLargeBuffer(buffer: Buffer): void {
  const length = buffer.length;
  const classIndex = sizeClass(length);
  if (classIndex > LARGEST_CLASS || 1 << classIndex !== length || pooledBytes + length > POOL_BUDGET) return;
  free[classIndex]!.push(buffer);
  pooledBytes += length;
}
