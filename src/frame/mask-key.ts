import { randomFillSync } from 'node:crypto';

/**
 * Masking keys must be unpredictable (RFC 6455 section 10.3). One
 * `randomFillSync` call per key would dominate small-frame encoding, so keys
 * are drawn from a pool refilled 1024 keys at a time.
 */
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolOffset = POOL_SIZE;

/** Writes a fresh 4-byte masking key at `offset` in `target`. */
export function writeMaskKey(target: Uint8Array, offset: number): void {
  if (poolOffset === POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  target[offset] = pool[poolOffset]!;
  target[offset + 1] = pool[poolOffset + 1]!;
  target[offset + 2] = pool[poolOffset + 2]!;
  target[offset + 3] = pool[poolOffset + 3]!;
  poolOffset += 4;
}
