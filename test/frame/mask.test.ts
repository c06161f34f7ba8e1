import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMask, maskInto, simdReadRegion } from '../../src/frame/index.js';
import { applyMaskInJavaScript } from '../../src/frame/mask.js';
import { READ_REGION_SIZE, simdAvailable, SIMD_BLOCK } from '../../src/frame/mask-simd.js';
import { pseudoRandomBytes } from './support/prng.js';

/** RFC 6455 section 5.3, one byte at a time: byte i of the masked stream is XORed with key[i mod 4]. */
function maskByteByByte(data: Uint8Array, key: Uint8Array, phase: number): Buffer {
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ key[(phase + i) % 4]!;
  return out;
}

/** Lengths around the word loop's threshold and unrolling, the SIMD threshold and block size, plus large ones. */
const lengthArbitrary = fc.oneof(
  fc.integer({ min: 0, max: 80 }),
  fc.integer({ min: 0, max: 1100 }),
  fc.integer({ min: 0, max: 40_000 }),
  fc.constantFrom(31, 32, 33, 35, 36, 63, 64, 65, 1023, 1024, 1025, 1087, 4096, 16383, 16384, 16385, 16447, 65537),
);

describe('applyMask', () => {
  // applyMaskInJavaScript is applyMask's path for short data and for engines without wasm SIMD.
  for (const [name, mask] of [['applyMask', applyMask], ['its JavaScript path', applyMaskInJavaScript]] as const) {
    it(`${name} equals the byte-by-byte definition for any data, key, phase and byte offset, touching nothing else`, () => {
      fc.assert(
        fc.property(
          lengthArbitrary,
          fc.integer(),
          fc.uint8Array({ minLength: 4, maxLength: 4 }),
          fc.nat(1_000_000),
          fc.integer({ min: 0, max: 7 }),
          fc.integer({ min: 0, max: 7 }),
          (length, seed, key, phase, byteOffset, slack) => {
            const backing = pseudoRandomBytes(byteOffset + length + slack, seed);
            const original = Buffer.from(backing);
            const data = backing.subarray(byteOffset, byteOffset + length);
            const expected = maskByteByByte(data, key, phase);
            mask(data, key, phase);
            expect(Buffer.from(data).equals(expected)).toBe(true);
            expect(backing.subarray(0, byteOffset).equals(original.subarray(0, byteOffset))).toBe(true);
            expect(backing.subarray(byteOffset + length).equals(original.subarray(byteOffset + length))).toBe(true);
          },
        ),
        { numRuns: 1500 },
      );
    });
  }

  it('works on a plain Uint8Array at an odd offset of its ArrayBuffer', () => {
    const buffer = new ArrayBuffer(200);
    const data = new Uint8Array(buffer, 3, 150);
    data.fill(0x5a);
    const key = Uint8Array.of(1, 2, 3, 4);
    const expected = maskByteByByte(data, key, 2);
    applyMask(data, key, 2);
    expect(Buffer.from(data).equals(expected)).toBe(true);
  });

  it('unmasks in pieces, carrying the phase, exactly as it unmasks whole', () => {
    fc.assert(
      fc.property(
        lengthArbitrary,
        fc.integer(),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 10 }),
        fc.integer({ min: 0, max: 7 }),
        (length, seed, key, fractions, byteOffset) => {
          const whole = pseudoRandomBytes(length, seed);
          const backing = Buffer.alloc(byteOffset + length);
          whole.copy(backing, byteOffset);
          const pieces = backing.subarray(byteOffset);
          applyMask(whole, key, 0);
          const cuts = fractions.map((fraction) => Math.floor(fraction * length)).sort((a, b) => a - b);
          let start = 0;
          for (const end of [...cuts, length]) {
            // The phase is the number of bytes of the masked stream before this piece.
            applyMask(pieces.subarray(start, end), key, start);
            start = end;
          }
          expect(pieces.equals(whole)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('runs the hand-assembled WebAssembly SIMD module on this engine, so the tests above cover it', () => {
    expect(simdAvailable).toBe(true);
    expect(SIMD_BLOCK % 64).toBe(0);
  });

  it('is its own inverse', () => {
    const data = pseudoRandomBytes(1000, 42);
    const copy = Buffer.from(data);
    const key = Uint8Array.of(0xde, 0xad, 0xbe, 0xef);
    applyMask(data, key, 1);
    expect(data.equals(copy)).toBe(false);
    applyMask(data, key, 1);
    expect(data.equals(copy)).toBe(true);
  });
});

describe('maskInto', () => {
  it('writes the masked source at any target offset, key at any offset, touching nothing else', () => {
    fc.assert(
      fc.property(
        lengthArbitrary,
        fc.integer(),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 7 }),
        (length, seed, key, targetOffset, keyOffset, sourceOffset) => {
          const source = pseudoRandomBytes(sourceOffset + length, seed).subarray(sourceOffset);
          const sourceBefore = Buffer.from(source);
          const keyHolder = pseudoRandomBytes(keyOffset + 8, seed + 1);
          keyHolder.set(key, keyOffset);
          const target = pseudoRandomBytes(targetOffset + length + 5, seed + 2);
          const targetBefore = Buffer.from(target);
          maskInto(source, target, targetOffset, keyHolder, keyOffset);
          expect(target.subarray(targetOffset, targetOffset + length).equals(maskByteByByte(source, key, 0))).toBe(true);
          expect(target.subarray(0, targetOffset).equals(targetBefore.subarray(0, targetOffset))).toBe(true);
          expect(target.subarray(targetOffset + length).equals(targetBefore.subarray(targetOffset + length))).toBe(true);
          expect(Buffer.from(source).equals(sourceBefore)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('masks in place when source and target are the same bytes', () => {
    for (const length of [7, 100, 5000]) {
      const data = pseudoRandomBytes(length, length);
      const key = Uint8Array.of(9, 8, 7, 6);
      const expected = maskByteByByte(data, key, 0);
      maskInto(data, data, 0, key);
      expect(data.equals(expected)).toBe(true);
    }
  });
});

describe('masking data that lies in the SIMD read region (wasm memory)', () => {
  const region = simdReadRegion();

  it.runIf(simdAvailable)('unmasks in place without touching the bytes around it, and into another buffer, for any offset, length and phase (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), lengthArbitrary, fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 3 }), fc.integer(), (offset, rawLength, key, phase, seed) => {
        const length = Math.min(rawLength, READ_REGION_SIZE - offset - 64);
        const before = pseudoRandomBytes(offset + length + 64, seed);
        region!.set(before);
        const data = region!.subarray(offset, offset + length);
        const expected = maskByteByByte(before.subarray(offset, offset + length), key, phase);
        const target = Buffer.alloc(length + 5, 0xee);
        maskInto(data, target, 5, key, 0, phase);
        expect(target.subarray(5).equals(expected)).toBe(true);
        expect(region!.subarray(0, offset).equals(before.subarray(0, offset))).toBe(true);
        expect(region!.subarray(offset + length, offset + length + 64).equals(before.subarray(offset + length))).toBe(true);
        // In place: applyMask on bytes in the region (what the decoder does with pieces it keeps no copy of).
        region!.set(before);
        applyMask(region!.subarray(offset, offset + length), key, phase);
        expect(region!.subarray(offset, offset + length).equals(expected)).toBe(true);
        expect(region!.subarray(offset + length, offset + length + 64).equals(before.subarray(offset + length))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('is a Buffer of READ_REGION_SIZE bytes where SIMD runs, and null elsewhere', () => {
    if (!simdAvailable) expect(region).toBeNull();
    else expect(region!.length).toBe(READ_REGION_SIZE);
  });
});
