import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidUtf8, Utf8Validator } from '../../src/frame/index.js';
import {
  encodeLoosely,
  firstInvalidByte,
  nearlyUtf8Arbitrary,
  referenceIsValid,
  splitAt,
  splitPointsArbitrary,
} from './support/utf8-reference.js';

/** Pushes pieces until one fails; returns the failing piece's index, or -1 and what finish() said. */
function validateInPieces(pieces: Uint8Array[]): { failedPiece: number; finished: boolean | null } {
  const validator = new Utf8Validator();
  for (let i = 0; i < pieces.length; i++) {
    if (!validator.push(pieces[i]!)) return { failedPiece: i, finished: null };
  }
  return { failedPiece: -1, finished: validator.finish() };
}

/** Index of the piece that holds byte `index` of the whole (pieces may be empty). */
function pieceHolding(pieces: Uint8Array[], index: number): number {
  let start = 0;
  for (let i = 0; i < pieces.length; i++) {
    const end = start + pieces[i]!.length;
    if (index < end) return i;
    start = end;
  }
  throw new RangeError('index past the end');
}

/** What the validator got wrong on `pieces` of `bytes`, judged by TextDecoder; null when it agrees. */
interface Verdict {
  valid: boolean;
  culprit: number | null;
}

function verdictOf(bytes: Uint8Array): Verdict {
  return { valid: referenceIsValid(bytes), culprit: firstInvalidByte(bytes) };
}

function disagreement(bytes: Uint8Array, pieces: Uint8Array[], verdict = verdictOf(bytes)): string | null {
  const { valid, culprit } = verdict;
  const { failedPiece, finished } = validateInPieces(pieces);
  if (culprit === null) {
    // Nothing invalid was seen; only an unfinished sequence at the end can still make it invalid.
    if (failedPiece !== -1) return `failed in piece ${failedPiece} though no byte is invalid`;
    if (finished !== valid) return `finish() said ${finished}, TextDecoder says ${valid}`;
    return null;
  }
  if (valid) return 'TextDecoder accepts the whole but not a prefix';
  const expected = pieceHolding(pieces, culprit);
  return failedPiece === expected ? null : `failed in piece ${failedPiece}, byte ${culprit} is in piece ${expected}`;
}

function expectAgreement(bytes: Uint8Array, pieces: Uint8Array[]): void {
  expect(disagreement(bytes, pieces), Buffer.from(bytes).toString('hex')).toBeNull();
}

describe('the reference itself', () => {
  it('finds the first invalid byte where UTF-8 says it is', () => {
    expect(firstInvalidByte(Buffer.from('abc'))).toBeNull();
    expect(firstInvalidByte(Uint8Array.of(0x61, 0xe2, 0x82))).toBeNull(); // unfinished, not invalid
    expect(firstInvalidByte(Uint8Array.of(0x61, 0xe0, 0x80, 0x80))).toBe(2); // E0 must be followed by A0..BF
    expect(firstInvalidByte(Uint8Array.of(0x61, 0xed, 0xa0, 0x80))).toBe(2); // surrogate
    expect(firstInvalidByte(Uint8Array.of(0xf4, 0x90, 0x80, 0x80))).toBe(1); // above U+10FFFF
    expect(firstInvalidByte(Uint8Array.of(0x61, 0x62, 0xc0))).toBe(2); // C0 never appears
    expect(firstInvalidByte(Uint8Array.of(0xe2, 0x82, 0x41))).toBe(2); // sequence interrupted
  });

  it('writes UTF-8 bit patterns for any value and length', () => {
    expect(encodeLoosely(0x20ac, 3)).toEqual([0xe2, 0x82, 0xac]);
    expect(encodeLoosely(0x2f, 2)).toEqual([0xc0, 0xaf]);
    expect(encodeLoosely(0xd800, 3)).toEqual([0xed, 0xa0, 0x80]);
    expect(encodeLoosely(0x110000, 4)).toEqual([0xf4, 0x90, 0x80, 0x80]);
    expect(encodeLoosely(0x10ffff, 4)).toEqual([0xf4, 0x8f, 0xbf, 0xbf]);
  });
});

describe('Utf8Validator and isValidUtf8 against TextDecoder (fatal)', () => {
  it('agree on whole byte strings', () => {
    fc.assert(
      fc.property(nearlyUtf8Arbitrary, (bytes) => {
        const valid = referenceIsValid(bytes);
        expect(isValidUtf8(bytes)).toBe(valid);
        const validator = new Utf8Validator();
        const pushed = validator.push(bytes);
        expect(pushed).toBe(firstInvalidByte(bytes) === null);
        if (pushed) expect(validator.finish()).toBe(valid);
      }),
      { numRuns: 3000 },
    );
  });

  it('agree when split at any points, failing in the piece that holds the first invalid byte', () => {
    fc.assert(
      fc.property(nearlyUtf8Arbitrary, splitPointsArbitrary, (bytes, fractions) => {
        expectAgreement(bytes, splitAt(bytes, fractions));
      }),
      { numRuns: 3000 },
    );
  });

  it('agree when fed one byte at a time', () => {
    fc.assert(
      fc.property(nearlyUtf8Arbitrary, (bytes) => {
        const pieces = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
        expectAgreement(bytes, pieces);
      }),
      { numRuns: 1000 },
    );
  });

  it('agree on every string of up to 4 bytes drawn from the bytes where UTF-8 rules change, whole and byte by byte', () => {
    const interesting = [
      0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff,
    ];
    let checked = 0;
    const failures: string[] = [];
    const bytes = new Uint8Array(4);
    // Plain comparisons, and the verdict of a prefix handed down (a string is
    // invalid where its prefix already was): TextDecoder's throws and expect()
    // cost microseconds each, and there are 110,000 strings.
    const check = (length: number, prefixCulprit: number | null): number | null => {
      const whole = bytes.slice(0, length);
      const culprit = prefixCulprit ?? firstInvalidByte(whole);
      const verdict = { valid: culprit === null && referenceIsValid(whole), culprit };
      const problem =
        (isValidUtf8(whole) !== verdict.valid ? 'isValidUtf8 disagrees' : null) ??
        disagreement(whole, [whole], verdict) ??
        disagreement(whole, Array.from(whole, (_, i) => whole.subarray(i, i + 1)), verdict);
      if (problem !== null && failures.length < 10) failures.push(`${Buffer.from(whole).toString('hex')}: ${problem}`);
      checked++;
      return culprit;
    };
    const fill = (position: number, prefixCulprit: number | null): void => {
      const culprit = check(position, prefixCulprit);
      if (position === 4) return;
      for (const byte of interesting) {
        bytes[position] = byte;
        fill(position + 1, culprit);
      }
    };
    fill(0, null);
    expect(failures).toEqual([]);
    const n = interesting.length;
    expect(checked).toBe(1 + n + n ** 2 + n ** 3 + n ** 4);
  });

  it('agree on long mixed-script text cut anywhere', () => {
    const text = Buffer.from('Grüße, мир, 世界, 🎮🕹️, عالم, '.repeat(200));
    fc.assert(
      fc.property(splitPointsArbitrary, (fractions) => {
        expectAgreement(text, splitAt(text, fractions));
      }),
      { numRuns: 300 },
    );
  });
});

describe('Utf8Validator', () => {
  it('fails fast in the piece that breaks the text, before the end arrives', () => {
    const validator = new Utf8Validator();
    expect(validator.push(Buffer.from('héllo '))).toBe(true);
    expect(validator.push(Uint8Array.of(0xe2, 0x82))).toBe(true);
    expect(validator.push(Uint8Array.of(0x41))).toBe(false); // the sequence E2 82 needed one more continuation byte
  });

  it('rejects overlong forms, surrogates and code points above U+10FFFF, even split across pieces', () => {
    const cases = [
      [0xc0, 0x80],
      [0xc1, 0xbf],
      [0xe0, 0x9f, 0xbf],
      [0xf0, 0x8f, 0xbf, 0xbf],
      [0xed, 0xa0, 0x80],
      [0xed, 0xbf, 0xbf],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf5, 0x80, 0x80, 0x80],
      [0xf8, 0x88, 0x80, 0x80, 0x80],
    ];
    for (const sequence of cases) {
      const bytes = Uint8Array.from([0x61, ...sequence, 0x62]);
      expect(isValidUtf8(bytes)).toBe(false);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const validator = new Utf8Validator();
        const ok = validator.push(bytes.subarray(0, cut)) && validator.push(bytes.subarray(cut)) && validator.finish();
        expect(ok).toBe(false);
      }
    }
  });

  it('reports a sequence left unfinished at the end only in finish()', () => {
    const validator = new Utf8Validator();
    expect(validator.push(Uint8Array.of(0x61, 0xf0, 0x9f, 0x8e))).toBe(true);
    expect(validator.finish()).toBe(false);
  });

  it('starts over after finish() and after reset()', () => {
    const validator = new Utf8Validator();
    validator.push(Uint8Array.of(0xe2));
    expect(validator.finish()).toBe(false);
    expect(validator.push(Buffer.from('ok'))).toBe(true);
    expect(validator.finish()).toBe(true);
    validator.push(Uint8Array.of(0xe2, 0x82));
    validator.reset();
    expect(validator.push(Uint8Array.of(0x41))).toBe(true);
    expect(validator.finish()).toBe(true);
  });

  it('is reusable after a failure', () => {
    const validator = new Utf8Validator();
    expect(validator.push(Uint8Array.of(0xff))).toBe(false);
    expect(validator.push(Buffer.from('fine'))).toBe(true);
    expect(validator.finish()).toBe(true);
  });

  it('accepts empty pieces and an empty message', () => {
    const validator = new Utf8Validator();
    expect(validator.push(new Uint8Array(0))).toBe(true);
    expect(validator.finish()).toBe(true);
    expect(isValidUtf8(new Uint8Array(0))).toBe(true);
  });
});
