import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageBuffer } from '../../src/frame/index.js';
import { pseudoRandomBytes } from './support/prng.js';

const READ = 64 * 1024;

/**
 * Appends every piece, then flips every byte of every source chunk before
 * take(): a piece kept as a view comes out flipped, a copied piece does not.
 * Returns which pieces were kept as views, after checking the rest are intact.
 */
function appendAndFindViews(pieces: Buffer[]): boolean[] {
  // Copies in buffers of their own: Buffer.from would take them from the shared pool that small chunks may live in too.
  const originals = pieces.map((piece) => Buffer.from(new Uint8Array(piece).buffer));
  const buffer = new MessageBuffer();
  for (const piece of pieces) buffer.append(piece);
  const chunks = new Set(pieces.map((piece) => piece.buffer));
  for (const chunk of chunks) {
    const bytes = new Uint8Array(chunk);
    for (let i = 0; i < bytes.length; i++) bytes[i] = ~bytes[i]! & 0xff;
  }
  const message = buffer.take();
  const views: boolean[] = [];
  let offset = 0;
  for (const original of originals) {
    const out = message.subarray(offset, offset + original.length);
    offset += original.length;
    const flipped = Buffer.from(new Uint8Array(original).map((byte) => ~byte & 0xff).buffer);
    const isView = out.equals(flipped) && !out.equals(original);
    expect(isView || out.equals(original)).toBe(true);
    views.push(isView);
  }
  expect(offset).toBe(message.length);
  return views;
}

/** Bytes of distinct chunks pinned by the pieces kept as views, and the bytes those views cover. */
function pinning(pieces: Buffer[], views: boolean[]): { pinned: number; viewed: number } {
  const chunks = new Set<ArrayBufferLike>();
  let viewed = 0;
  pieces.forEach((piece, i) => {
    if (!views[i]) return;
    chunks.add(piece.buffer);
    viewed += piece.length;
  });
  return { pinned: [...chunks].reduce((sum, chunk) => sum + chunk.byteLength, 0), viewed };
}

describe('MessageBuffer views and the chunks they pin', () => {
  it('keeps 1 KiB fragments that share 64 KiB socket reads as views, with no copy before the final one', () => {
    const pieces: Buffer[] = [];
    for (let read = 0; read < 8; read++) {
      const chunk = pseudoRandomBytes(READ, read);
      // Fragment headers between the payloads, as on the wire.
      for (let offset = 6; offset + 1024 <= READ; offset += 1030) pieces.push(chunk.subarray(offset, offset + 1024));
    }
    const views = appendAndFindViews(pieces);
    // The first piece is always a view (a one-piece message is handed on as it is); every 1 KiB piece after it shares a read already pinned or is within the allowance.
    expect(views.every(Boolean)).toBe(true);
  });

  it('copies pieces that would each pin a 64 KiB read of their own for a few hundred bytes', () => {
    // A hostile peer: one 600-byte fragment per socket read, the rest of each read filled with pings.
    const pieces = Array.from({ length: 200 }, (_, i) => pseudoRandomBytes(READ, i).subarray(1000, 1600));
    const views = appendAndFindViews(pieces);
    const { pinned, viewed } = pinning(pieces, views);
    expect(pinned).toBeLessThanOrEqual(viewed * 4 + READ);
    expect(views.filter(Boolean).length).toBeLessThanOrEqual(2);
  });

  it('never pins more than 4 times the bytes viewed plus one read, for any layout of pieces in chunks', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            chunkSize: fc.integer({ min: 1, max: 3 * READ }),
            pieceSizes: fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 6 }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        fc.integer(),
        (reads, seed) => {
          const pieces: Buffer[] = [];
          reads.forEach(({ chunkSize, pieceSizes }, r) => {
            const chunk = pseudoRandomBytes(chunkSize, seed + r);
            let offset = 0;
            for (const size of pieceSizes) {
              const length = Math.min(size, chunkSize - offset);
              if (length <= 0) break;
              pieces.push(chunk.subarray(offset, offset + length));
              offset += length;
            }
          });
          const views = appendAndFindViews(pieces);
          const { pinned, viewed } = pinning(pieces, views);
          // The first piece is always kept (a message that turns out to be that one piece is handed on as it is), whatever it pins.
          expect(pinned).toBeLessThanOrEqual(Math.max(pieces[0]!.buffer.byteLength, viewed * 4 + READ));
        },
      ),
      { numRuns: 300 },
    );
  });
});
