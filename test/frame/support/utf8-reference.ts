import fc from 'fast-check';

/** The judge for UTF-8 validity: the WHATWG decoder in fatal mode. */
export function referenceIsValid(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Whether `bytes` can still be continued into valid UTF-8: a streaming decoder has not thrown on them. */
function isValidPrefix(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Index of the first byte that makes the bytes so far impossible to complete
 * into valid UTF-8 (the WHATWG streaming decoder throws as soon as it sees
 * it), or null when every prefix is still completable. Validity of prefixes is
 * monotone (a longer prefix of an invalid one is invalid), so binary search
 * finds the longest valid prefix; the byte right after it is the culprit.
 */
export function firstInvalidByte(bytes: Uint8Array): number | null {
  if (isValidPrefix(bytes)) return null;
  let longestValid = 0; // the empty prefix is always valid
  let shortestInvalid = bytes.length;
  while (shortestInvalid - longestValid > 1) {
    const middle = (longestValid + shortestInvalid) >>> 1;
    if (isValidPrefix(bytes.subarray(0, middle))) longestValid = middle;
    else shortestInvalid = middle;
  }
  return longestValid;
}

/**
 * UTF-8's bit layout applied to any number and any sequence length, so it can
 * also produce what UTF-8 forbids: surrogates, values above U+10FFFF,
 * overlong forms, 5- and 6-byte sequences.
 */
export function encodeLoosely(value: number, length: number): number[] {
  if (length === 1) return [value & 0x7f];
  const bytes: number[] = [];
  let rest = value;
  for (let i = 1; i < length; i++) {
    bytes.unshift(0x80 | (rest & 0x3f));
    rest = Math.floor(rest / 64);
  }
  const leadMarker = (0xff << (8 - length)) & 0xff;
  bytes.unshift(leadMarker | (rest & (0xff >> (length + 1))));
  return bytes;
}

function naturalLength(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

const boundaryCodePoints = [
  0x0, 0x7f, 0x80, 0x7ff, 0x800, 0xfff, 0x1000, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x3ffff, 0x40000, 0xfffff,
  0x100000, 0x10ffff,
];

const validCodePoint = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 0x7f }) },
  { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0x7ff }) },
  { weight: 2, arbitrary: fc.integer({ min: 0x800, max: 0xffff }).filter((cp) => cp < 0xd800 || cp > 0xdfff) },
  { weight: 2, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }) },
  { weight: 2, arbitrary: fc.constantFrom(...boundaryCodePoints) },
);

const validSequence = validCodePoint.map((cp) => encodeLoosely(cp, naturalLength(cp)));

const invalidSequence = fc.oneof(
  // Overlong: a value written with more bytes than it needs.
  fc.integer({ min: 0, max: 0x7f }).map((cp) => encodeLoosely(cp, 2)),
  fc.integer({ min: 0, max: 0x7ff }).map((cp) => encodeLoosely(cp, 3)),
  fc.integer({ min: 0, max: 0xffff }).map((cp) => encodeLoosely(cp, 4)),
  // Surrogates.
  fc.integer({ min: 0xd800, max: 0xdfff }).map((cp) => encodeLoosely(cp, 3)),
  fc.constantFrom(0xd800, 0xdbff, 0xdc00, 0xdfff).map((cp) => encodeLoosely(cp, 3)),
  // Above U+10FFFF, in the 4-byte form and the old 5- and 6-byte forms.
  fc.integer({ min: 0x110000, max: 0x1fffff }).map((cp) => encodeLoosely(cp, 4)),
  fc.constantFrom(0x110000, 0x13ffff, 0x140000).map((cp) => encodeLoosely(cp, 4)),
  fc.integer({ min: 0, max: 0x3ffffff }).map((cp) => encodeLoosely(cp, 5)),
  fc.integer({ min: 0, max: 0x7fffffff }).map((cp) => encodeLoosely(cp, 6)),
  // A valid multi-byte sequence cut short, then whatever follows.
  fc
    .integer({ min: 0x80, max: 0x10ffff })
    .filter((cp) => cp < 0xd800 || cp > 0xdfff)
    .chain((cp) => {
      const bytes = encodeLoosely(cp, naturalLength(cp));
      return fc.integer({ min: 1, max: bytes.length - 1 }).map((keep) => bytes.slice(0, keep));
    }),
  // Stray continuation bytes and bytes that never appear in UTF-8.
  fc.integer({ min: 0x80, max: 0xbf }).map((byte) => [byte]),
  fc.constantFrom(0xc0, 0xc1, 0xf5, 0xf8, 0xfc, 0xfe, 0xff).map((byte) => [byte]),
  fc.integer({ min: 0, max: 255 }).map((byte) => [byte]),
);

type Corruption = { at: number; kind: 'replace' | 'insert'; byte: number } | { at: number; kind: 'delete' };

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), kind: fc.constantFrom<'replace' | 'insert'>('replace', 'insert'), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), kind: fc.constant<'delete'>('delete') }),
);

function corrupt(bytes: number[], corruptions: Corruption[]): number[] {
  const out = bytes.slice();
  for (const change of corruptions) {
    const at = Math.min(Math.floor(change.at * (out.length + 1)), out.length);
    if (change.kind === 'insert') out.splice(at, 0, change.byte);
    else if (at < out.length) {
      if (change.kind === 'delete') out.splice(at, 1);
      else out[at] = change.byte;
    }
  }
  return out;
}

/**
 * Byte strings near valid UTF-8: mostly well-formed sequences, with invalid
 * ones mixed in now and then and a few random edits (replace, insert, delete
 * a byte), so they fail in every interesting place, or not at all.
 */
export const nearlyUtf8Arbitrary: fc.Arbitrary<Uint8Array> = fc
  .record({
    sequences: fc.array(
      fc.oneof({ weight: 12, arbitrary: validSequence }, { weight: 1, arbitrary: invalidSequence }),
      { maxLength: 60 },
    ),
    corruptions: fc.oneof(
      { weight: 3, arbitrary: fc.constant<Corruption[]>([]) },
      { weight: 2, arbitrary: fc.array(corruption, { minLength: 1, maxLength: 3 }) },
    ),
  })
  .map(({ sequences, corruptions }) => Uint8Array.from(corrupt(sequences.flat(), corruptions)));

/** Cut points anywhere, repeats allowed, so empty pieces are pushed too. */
export const splitPointsArbitrary = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 });

export function splitAt(bytes: Uint8Array, fractions: number[]): Uint8Array[] {
  const points = fractions.map((fraction) => Math.floor(fraction * (bytes.length + 1))).map((at) => Math.min(at, bytes.length));
  points.sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const end of [...points, bytes.length]) {
    pieces.push(bytes.subarray(start, end));
    start = end;
  }
  return pieces;
}
