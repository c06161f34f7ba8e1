import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageBuffer } from '../../src/frame/index.js';
import { pseudoRandomBytes } from './support/prng.js';

describe('MessageBuffer with pieces larger than a slab', () => {
  it('keeps every byte of a piece over 16 KiB that is a small share of a much larger buffer', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40_000 }), { minLength: 2, maxLength: 8 }), fc.integer(), (sizes, seed) => {
        // Each piece is a view into a buffer over four times its size, as a large read chunk would be.
        const pieces = sizes.map((size, i) => pseudoRandomBytes(size * 5, seed + i).subarray(size, size * 2));
        const buffer = new MessageBuffer();
        for (const piece of pieces) buffer.append(piece);
        expect(buffer.take().equals(Buffer.concat(pieces))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
