// Round trips over arbitrary canonical values of every type: decode(encode(v)) deep-equals
// v, and encoding what was decoded gives the very same bytes again.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToVar, decodeVariant, varToBytes } from '../../src/variant/index.js';
import type { GodotGeneration } from '../../src/variant/index.js';
import { variantArbitrary } from './support/arbitraries.js';

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe.each([3, 4] as GodotGeneration[])('Godot %i', (godot) => {
  it('decode(encode(v)) deep-equals v, and re-encoding gives the same bytes', () => {
    fc.assert(
      fc.property(variantArbitrary({ generation: godot }), (value) => {
        const bytes = varToBytes(value, { godot });
        expect(bytes.length % 4).toBe(0);
        const decoded = decodeVariant(bytes, { godot });
        expect(decoded.length).toBe(bytes.length);
        expect(decoded.value).toStrictEqual(value);
        expect(same(varToBytes(decoded.value, { godot }), bytes)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('with objects: full objects go out with fullObjects and come back with allowObjects', () => {
    fc.assert(
      fc.property(variantArbitrary({ generation: godot, objects: true }), (value) => {
        const bytes = varToBytes(value, { godot, fullObjects: true });
        const decoded = bytesToVar(bytes, { godot, allowObjects: true });
        expect(decoded).toStrictEqual(value);
        expect(same(varToBytes(decoded, { godot, fullObjects: true }), bytes)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('a value followed by other bytes decodes the same and reports its own length', () => {
    fc.assert(
      fc.property(variantArbitrary({ generation: godot }), fc.uint8Array({ maxLength: 12 }), (value, trailer) => {
        const bytes = varToBytes(value, { godot });
        const decoded = decodeVariant(Buffer.concat([bytes, trailer]), { godot });
        expect(decoded.length).toBe(bytes.length);
        expect(decoded.value).toStrictEqual(value);
      }),
      { numRuns: 200 },
    );
  });
});
