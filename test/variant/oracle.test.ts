// varToBytes against an independent encoder (support/oracle.ts) over arbitrary values
// of the types both know, and bytesToVar as its inverse on the oracle's bytes.

import fc from 'fast-check';
import { expect, it } from 'vitest';
import { bytesToVar, PackedStringArray, varToBytes, Vector2, Vector3 } from '../../src/variant/index.js';
import { oracleEncode } from './support/oracle.js';
import type { OracleValue } from './support/oracle.js';
import { stringArbitrary } from './support/arbitraries.js';

const number = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double(), fc.float());

const oracleValue: fc.Arbitrary<OracleValue> = fc.letrec<{ value: OracleValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    number,
    fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n),
    stringArbitrary,
    fc.tuple(fc.float(), fc.float()).map(([x, y]) => new Vector2(x, y)),
    fc.tuple(fc.float(), fc.float(), fc.float()).map(([x, y, z]) => new Vector3(x, y, z)),
    fc.uint8Array({ maxLength: 9 }),
    fc.int32Array({ maxLength: 5 }),
    fc.float32Array({ maxLength: 5 }),
    fc.array(stringArbitrary, { maxLength: 4 }).map((values) => new PackedStringArray(values)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(fc.oneof(stringArbitrary, fc.integer()), tie('value')), { maxLength: 4 }).map((entries) => new Map(entries)),
  ),
})).value;

it('varToBytes writes what the independent encoder writes', () => {
  fc.assert(
    fc.property(oracleValue, (value) => {
      expect(Buffer.from(varToBytes(value)).toString('hex')).toBe(oracleEncode(value).toString('hex'));
    }),
    { numRuns: 500 },
  );
});

it('bytesToVar reads the independent encoder\'s bytes back to a value that re-encodes identically', () => {
  fc.assert(
    fc.property(oracleValue, (value) => {
      const bytes = oracleEncode(value);
      expect(Buffer.from(varToBytes(bytesToVar(bytes))).equals(bytes)).toBe(true);
    }),
    { numRuns: 500 },
  );
});
