// Untrusted bytes: random, mutated and truncated encodings must give a value or a
// VariantDecodeError (never another error, never a hang), and counts that the bytes
// cannot back are refused before anything is allocated for them.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GodotError } from '../../src/godot-error.js';
import { bytesToVar, MAX_RECURSION_DEPTH, VariantDecodeError, varToBytes } from '../../src/variant/index.js';
import type { BytesToVarOptions, GodotGeneration } from '../../src/variant/index.js';
import { GODOT3_SAMPLE_VALUES } from './godot3-sample-values.js';
import { GODOT4_SAMPLE_VALUES } from './godot4-sample-values.js';
import { variantArbitrary } from './support/arbitraries.js';

const GENERATIONS = [3, 4] as GodotGeneration[];

/** Decodes, accepting a value or the documented error; anything else fails the test. */
function decodeOrRefuse(bytes: Uint8Array, options: BytesToVarOptions): 'value' | 'error' {
  try {
    bytesToVar(bytes, options);
    return 'value';
  } catch (error) {
    expect(error).toBeInstanceOf(VariantDecodeError);
    expect((error as VariantDecodeError).code).not.toBe(GodotError.ERR_BUG);
    return 'error';
  }
}

function u32s(...words: number[]): Uint8Array {
  const out = Buffer.alloc(words.length * 4);
  words.forEach((word, i) => out.writeUInt32LE(word >>> 0, i * 4));
  return out;
}

const INTERESTING_WORDS = [0, 1, 3, 4, 0x7f, 0xff, 0x10000, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0xfffffffe];

describe.each(GENERATIONS)('Godot %i decoding of hostile bytes', (godot) => {
  it('random bytes give a value or a VariantDecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (bytes, allowObjects) => {
        decodeOrRefuse(bytes, { godot, allowObjects });
      }),
      { numRuns: 2000 },
    );
  });

  it('a valid type header followed by random words gives a value or a VariantDecodeError', () => {
    const word = fc.oneof(fc.constantFrom(...INTERESTING_WORDS), fc.integer({ min: 0, max: 0xffffffff }));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.constantFrom(0, 0x10000, 0x20000, 0x30000, 0xf0000), fc.array(word, { maxLength: 12 }), (type, flags, words) => {
        decodeOrRefuse(u32s(type | flags, ...words), { godot, allowObjects: true });
      }),
      { numRuns: 3000 },
    );
  });

  it('valid encodings with bytes or words overwritten give a value or a VariantDecodeError', () => {
    const mutation = fc.record({ at: fc.nat(), byte: fc.nat(255), word: fc.constantFrom(...INTERESTING_WORDS), asWord: fc.boolean() });
    fc.assert(
      fc.property(variantArbitrary({ generation: godot, objects: true }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (value, mutations) => {
        const bytes = Buffer.from(varToBytes(value, { godot, fullObjects: true }));
        for (const { at, byte, word, asWord } of mutations) {
          if (asWord && bytes.length >= 4) bytes.writeUInt32LE(word >>> 0, (at % (bytes.length >> 2)) * 4);
          else bytes[at % bytes.length] = byte;
        }
        decodeOrRefuse(bytes, { godot, allowObjects: true });
      }),
      { numRuns: 1500 },
    );
  });

  it('every truncation of every sample encoding gives a value or a VariantDecodeError', () => {
    const samples = Object.values(godot === 3 ? GODOT3_SAMPLE_VALUES : GODOT4_SAMPLE_VALUES);
    for (const { value } of samples) {
      const bytes = varToBytes(value, { godot });
      for (let length = 0; length < bytes.length; length++) decodeOrRefuse(bytes.subarray(0, length), { godot });
    }
  });

  it('every truncation of arbitrary encodings gives a value or a VariantDecodeError', () => {
    fc.assert(
      fc.property(variantArbitrary({ generation: godot }), (value) => {
        const bytes = varToBytes(value, { godot });
        for (let length = 0; length < bytes.length; length++) decodeOrRefuse(bytes.subarray(0, length), { godot });
      }),
      { numRuns: 60 },
    );
  });
});

describe('counts the bytes cannot back are refused before allocating', () => {
  const cases: [string, GodotGeneration, Uint8Array][] = [
    ['Array of 2^31-1 elements (bit 31 is masked off)', 4, u32s(28, 0xffffffff, 0, 0, 0)],
    ['Array of 2^31-1 elements, Godot 3', 3, u32s(19, 0x7fffffff, 0, 0, 0)],
    ['Dictionary of 2^31-1 entries', 4, u32s(27, 0x7fffffff, 0, 0, 0)],
    ['PackedByteArray of 2^31 bytes (negative as int32)', 4, u32s(29, 0x80000000, 0, 0, 0)],
    ['PackedByteArray of 2^31-1 bytes', 4, u32s(29, 0x7fffffff, 0, 0, 0)],
    ['PackedInt32Array of 2^31-1', 4, u32s(30, 0x7fffffff, 0, 0, 0)],
    ['PackedInt64Array of 2^28', 4, u32s(31, 0x10000000, 0, 0, 0)],
    ['PackedFloat64Array of 2^31-1', 4, u32s(33, 0x7fffffff, 0, 0, 0)],
    ['PackedStringArray of 2^31-1', 4, u32s(34, 0x7fffffff, 0, 0, 0)],
    ['PackedVector3Array of 2^30 doubles', 4, u32s(36 | 0x10000, 0x40000000, 0, 0, 0)],
    ['PackedColorArray of 2^31-1', 3, u32s(26, 0x7fffffff, 0, 0, 0)],
    ['NodePath of 2^31-1 names and 2^32-1 subnames', 4, u32s(22, 0xffffffff, 0xffffffff, 2)],
    ['String of 2^31-1 bytes', 4, u32s(4, 0x7fffffff, 0, 0, 0)],
    ['full object with 2^31-1 properties', 4, u32s(24, 1, 0x41, 0x7fffffff, 0)],
    ['typed Array with a type id past VARIANT_MAX', 4, u32s(28 | 0x10000, 39, 0, 0, 0)],
  ];

  it.each(cases)('%s: a 20-byte packet is a VariantDecodeError', (_, godot, bytes) => {
    const started = performance.now();
    const heapBefore = process.memoryUsage().arrayBuffers;
    expect(() => bytesToVar(bytes, { godot, allowObjects: true })).toThrow(VariantDecodeError);
    expect(performance.now() - started).toBeLessThan(200); // generous for a loaded machine; 2^31 of anything would take seconds
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(1 << 20);
  });
});

describe('nesting depth', () => {
  /** `levels` nested one-element Arrays around an empty one: the innermost sits at depth `levels`. */
  const nested = (levels: number) => u32s(...Array.from({ length: levels }, () => [28, 1]).flat(), 28, 0);

  it(`accepts values at depth ${MAX_RECURSION_DEPTH} and refuses deeper ones with ERR_OUT_OF_MEMORY, as Godot`, () => {
    expect(() => bytesToVar(nested(MAX_RECURSION_DEPTH))).not.toThrow();
    let error: unknown;
    try {
      bytesToVar(nested(MAX_RECURSION_DEPTH + 1));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(VariantDecodeError);
    expect((error as VariantDecodeError).code).toBe(GodotError.ERR_OUT_OF_MEMORY);
  });

  it('refuses half a million nested Array headers quickly', () => {
    const bytes = Buffer.alloc(4_000_000);
    for (let at = 0; at < bytes.length; at += 8) {
      bytes.writeUInt32LE(28, at);
      bytes.writeUInt32LE(1, at + 4);
    }
    expect(() => bytesToVar(bytes)).toThrow(/MAX_RECURSION_DEPTH/);
  });
});

describe('Godot refusals', () => {
  it('a full object without allowObjects is ERR_UNAUTHORIZED; an object id is always allowed', () => {
    const full = u32s(24, 4, 0x65646f4e, 0);
    expect(() => bytesToVar(full)).toThrow(expect.objectContaining({ code: GodotError.ERR_UNAUTHORIZED }));
    expect(() => bytesToVar(u32s(24 | 0x10000, 5, 0))).not.toThrow();
  });

  it('invalid UTF-8 in a String is ERR_INVALID_DATA; a String past the end is ERR_FILE_EOF', () => {
    expect(() => bytesToVar(u32s(4, 1, 0xff))).toThrow(expect.objectContaining({ code: GodotError.ERR_INVALID_DATA }));
    expect(() => bytesToVar(u32s(4, 9, 0))).toThrow(expect.objectContaining({ code: GodotError.ERR_FILE_EOF }));
  });

  it('the obsolete NodePath string format and unknown type ids are ERR_INVALID_DATA', () => {
    expect(() => bytesToVar(u32s(22, 1, 0x61))).toThrow(expect.objectContaining({ code: GodotError.ERR_INVALID_DATA }));
    expect(() => bytesToVar(u32s(39))).toThrow(/type id 39 is not a Godot 4 type/);
    expect(() => bytesToVar(u32s(27), { godot: 3 })).toThrow(/type id 27 is not a Godot 3 type/);
  });

  it('input that is not bytes is a VariantDecodeError too', () => {
    expect(() => bytesToVar('abc' as unknown as Uint8Array)).toThrow(VariantDecodeError);
  });
});
