import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlidingWindow } from '../../src/peer/sliding-window.js';

describe('SlidingWindow', () => {
  it('is empty until something is appended', () => {
    expect(new SlidingWindow(8).snapshot()).toBeNull();
  });

  it('keeps the last bytes of everything appended, oldest first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 20 }), (capacity, pieces) => {
        const window = new SlidingWindow(capacity);
        for (const piece of pieces) window.append(piece);
        const all = Buffer.concat(pieces);
        const expected = all.subarray(Math.max(0, all.length - capacity));
        expect(window.length).toBe(expected.length);
        expect(window.snapshot() ?? Buffer.alloc(0)).toEqual(Buffer.from(expected));
      }),
    );
  });

  it('copies, so later changes to appended buffers do not reach it, and forgets on clear', () => {
    const window = new SlidingWindow(4);
    const data = Buffer.from('abcdef');
    window.append(data);
    data.fill(0);
    expect(window.snapshot()?.toString()).toBe('cdef');
    window.clear();
    expect(window.snapshot()).toBeNull();
  });
});
