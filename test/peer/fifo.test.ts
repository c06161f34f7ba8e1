import { describe, expect, it } from 'vitest';
import { Fifo } from '../../src/peer/fifo.js';

describe('Fifo', () => {
  it('keeps items and tags in order across compaction, and holds nothing once empty', () => {
    const fifo = new Fifo<number>();
    let pushed = 0;
    let shifted = 0;
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 1500; i++, pushed++) fifo.push(pushed, pushed % 7);
      for (let i = 0; i < 1400; i++, shifted++) {
        expect(fifo.peekTag()).toBe(shifted % 7);
        expect(fifo.shift()).toBe(shifted);
      }
    }
    const rest: number[] = [];
    fifo.forEach((item) => rest.push(item));
    expect(rest).toEqual(Array.from({ length: pushed - shifted }, (_, i) => shifted + i));
    while (fifo.count > 0) fifo.shift();
    expect((fifo as unknown as { items: unknown }).items).toBeNull();
  });
});
