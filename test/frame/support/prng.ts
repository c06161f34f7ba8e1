/** A small seeded generator (mulberry32), so large payloads cost one fast-check integer instead of one value per byte. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pseudoRandomBytes(length: number, seed: number): Buffer {
  const random = seededRandom(seed);
  const bytes = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) bytes[i] = (random() * 256) | 0;
  return bytes;
}
