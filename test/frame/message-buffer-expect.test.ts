import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageBuffer } from '../../src/frame/index.js';
import { chunkingArbitrary, splitIntoChunks } from './support/chunking.js';
import { pseudoRandomBytes } from './support/prng.js';

describe('MessageBuffer with an announced size (expect)', () => {
  it('returns the message intact for any chunking, and a one-piece message as that same view', () => {
    fc.assert(
      // Mostly small messages: a 200 KB message cut into 1-byte pieces costs seconds, and a few such runs say as much as many.
      fc.property(fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 20_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 20_001, max: 200_000 }) }), chunkingArbitrary, fc.integer(), (size, chunking, seed) => {
        const message = pseudoRandomBytes(size, seed);
        const pieces = splitIntoChunks(message, chunking);
        const buffer = new MessageBuffer();
        buffer.expect(size);
        for (const piece of pieces) buffer.append(piece);
        expect(buffer.byteLength).toBe(size);
        const taken = buffer.take();
        expect(taken.equals(message)).toBe(true);
        if (pieces.length === 1) expect(taken).toBe(pieces[0]);
        expect(buffer.byteLength).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('does not reuse the exact-size buffer for the next message', () => {
    const buffer = new MessageBuffer();
    buffer.expect(8);
    buffer.append(Buffer.from('abcd'));
    buffer.append(Buffer.from('efgh'));
    const first = buffer.take();
    buffer.expect(8);
    buffer.append(Buffer.from('ABCD'));
    buffer.append(Buffer.from('EFGH'));
    const second = buffer.take();
    expect(first.toString()).toBe('abcdefgh');
    expect(second.toString()).toBe('ABCDEFGH');
  });

  it('keeps every byte when more or fewer bytes arrive than were announced', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50_000 }), fc.integer({ min: 1, max: 50_000 }), fc.integer({ min: 1, max: 9_000 }), fc.integer(), (announced, size, pieceSize, seed) => {
        const message = pseudoRandomBytes(size, seed);
        const buffer = new MessageBuffer();
        buffer.expect(announced);
        for (const piece of splitIntoChunks(message, { kind: 'fixed', size: pieceSize })) buffer.append(piece);
        expect(buffer.take().equals(message)).toBe(true);
        // The announcement applied to that message only.
        buffer.append(Buffer.from('x'));
        buffer.append(Buffer.from('yz'));
        expect(buffer.take().toString()).toBe('xyz');
      }),
      { numRuns: 300 },
    );
  });
});
