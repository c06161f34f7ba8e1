import fc from 'fast-check';
import { seededRandom } from './prng.js';

/**
 * How a byte stream is cut into the chunks handed to a decoder. The cut
 * points are chosen without knowing the stream's length, then scaled to it.
 */
export type Chunking =
  | { kind: 'whole' }
  | { kind: 'fixed'; size: number }
  | { kind: 'cuts'; fractions: number[] }
  | { kind: 'random'; seed: number; maxSize: number };

export const chunkingArbitrary: fc.Arbitrary<Chunking> = fc.oneof(
  fc.constant<Chunking>({ kind: 'whole' }),
  fc.constant<Chunking>({ kind: 'fixed', size: 1 }),
  fc.integer({ min: 1, max: 100_000 }).map((size): Chunking => ({ kind: 'fixed', size })),
  fc
    .array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 })
    .map((fractions): Chunking => ({ kind: 'cuts', fractions })),
  fc
    .record({ seed: fc.integer(), maxSize: fc.integer({ min: 1, max: 20_000 }) })
    .map(({ seed, maxSize }): Chunking => ({ kind: 'random', seed, maxSize })),
);

/** [start, end) ranges that cover 0..length in order; every range is non-empty. */
export function chunkRanges(length: number, chunking: Chunking): Array<[number, number]> {
  if (chunking.kind === 'fixed') {
    // Already in order: no set and no sort for the tens of thousands of 1-byte chunks of a large stream.
    const ranges: Array<[number, number]> = [];
    for (let at = 0; at < length; at += chunking.size) ranges.push([at, Math.min(at + chunking.size, length)]);
    return ranges;
  }
  const cuts = new Set<number>();
  switch (chunking.kind) {
    case 'whole':
      break;
    case 'cuts':
      for (const fraction of chunking.fractions) cuts.add(Math.floor(fraction * length));
      break;
    case 'random': {
      const random = seededRandom(chunking.seed);
      for (let at = 0; at < length; ) {
        at += 1 + Math.floor(random() * chunking.maxSize);
        cuts.add(at);
      }
      break;
    }
  }
  const points = [...cuts].filter((at) => at > 0 && at < length).sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (const end of [...points, length]) {
    if (end > start) ranges.push([start, end]);
    start = end;
  }
  return ranges;
}

/** The chunks as views of `stream`, so in-place unmasking by a decoder is visible in `stream`. */
export function splitIntoChunks(stream: Buffer, chunking: Chunking): Buffer[] {
  return chunkRanges(stream.length, chunking).map(([start, end]) => stream.subarray(start, end));
}
