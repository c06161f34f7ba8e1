import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageBuffer } from '../../src/frame/index.js';
import { retainedGrowth } from './support/heap.js';
import { pseudoRandomBytes } from './support/prng.js';

describe('MessageBuffer', () => {
  it('returns a single piece as that same buffer (no copy)', () => {
    const piece = Buffer.from('only piece');
    const buffer = new MessageBuffer();
    buffer.append(piece);
    expect(buffer.take()).toBe(piece);
  });

  it('returns an empty buffer when nothing, or only empty pieces, were appended', () => {
    const buffer = new MessageBuffer();
    expect(buffer.take().length).toBe(0);
    buffer.append(Buffer.alloc(0));
    expect(buffer.byteLength).toBe(0);
    expect(buffer.take().length).toBe(0);
  });

  it('concatenates any mix of piece sizes in order, tracks byteLength, and is empty after take()', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(4095, 4096, 16384, 16385)), {
          maxLength: 40,
        }),
        fc.integer(),
        (sizes, seed) => {
          const buffer = new MessageBuffer();
          const pieces = sizes.map((size, i) => pseudoRandomBytes(size, seed + i));
          let total = 0;
          for (const piece of pieces) {
            buffer.append(piece);
            total += piece.length;
            expect(buffer.byteLength).toBe(total);
          }
          expect(buffer.take().equals(Buffer.concat(pieces))).toBe(true);
          expect(buffer.byteLength).toBe(0);
          expect(buffer.take().length).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not let a later message change an earlier one', () => {
    const buffer = new MessageBuffer();
    buffer.append(Buffer.from('first '));
    buffer.append(Buffer.from('message'));
    const first = buffer.take();
    buffer.append(Buffer.from('second '));
    buffer.append(Buffer.from('message!'));
    const second = buffer.take();
    expect(first.toString()).toBe('first message');
    expect(second.toString()).toBe('second message!');
  });

  it('keeps memory flat through 1,000,000 empty pieces', () => {
    const buffer = new MessageBuffer();
    const empty = Buffer.alloc(0);
    buffer.append(Buffer.from('x'));
    const growth = retainedGrowth(() => {
      for (let i = 0; i < 1_000_000; i++) buffer.append(empty);
    });
    expect(buffer.byteLength).toBe(1);
    expect(growth.heap).toBeLessThan(1024 * 1024);
    expect(buffer.take().toString()).toBe('x');
  });

  it('holds 1,000,000 one-byte pieces in about 1 MB, not one object per piece', () => {
    const buffer = new MessageBuffer();
    const piece = Buffer.from([0x2a]);
    const growth = retainedGrowth(() => {
      for (let i = 0; i < 1_000_000; i++) buffer.append(piece);
    });
    // A retained reference per piece alone would be 8 MB of heap.
    expect(growth.heap).toBeLessThan(2 * 1024 * 1024);
    expect(growth.arrayBuffers).toBeLessThan(4 * 1024 * 1024);
    const message = buffer.take();
    expect(message.length).toBe(1_000_000);
    expect(message.every((byte) => byte === 0x2a)).toBe(true);
  });
});
