import { describe, expect, it } from 'vitest';
import { PacketQueue } from '../../src/peer/packet-queue.js';

describe('PacketQueue', () => {
  it('returns packets in arrival order with their text flag, counting packets and bytes', () => {
    const queue = new PacketQueue();
    expect(queue.count).toBe(0);
    expect(queue.byteLength).toBe(0);
    queue.push(Buffer.from('one'), true);
    queue.push(Buffer.alloc(10), false);
    queue.push(Buffer.alloc(0), true);
    expect(queue.count).toBe(3);
    expect(queue.byteLength).toBe(13);
    expect(queue.peekIsText()).toBe(true);
    expect(queue.shift().toString()).toBe('one');
    expect(queue.peekIsText()).toBe(false);
    expect(queue.shift()).toHaveLength(10);
    expect(queue.byteLength).toBe(0);
    expect(queue.peekIsText()).toBe(true);
    expect(queue.shift()).toHaveLength(0);
    expect(queue.count).toBe(0);
  });

  it('keeps order across compaction with many packets pushed and shifted in turns', () => {
    const queue = new PacketQueue();
    let pushed = 0;
    let shifted = 0;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 700; i++) {
        queue.push(Buffer.from(String(pushed)), pushed % 3 === 0);
        pushed++;
      }
      const take = round % 2 === 0 ? 500 : 900;
      for (let i = 0; i < take && queue.count > 0; i++) {
        expect(queue.peekIsText()).toBe(shifted % 3 === 0);
        expect(queue.shift().toString()).toBe(String(shifted));
        shifted++;
      }
      expect(queue.count).toBe(pushed - shifted);
    }
    while (queue.count > 0) {
      expect(queue.shift().toString()).toBe(String(shifted));
      shifted++;
    }
    expect(shifted).toBe(pushed);
    expect(queue.byteLength).toBe(0);
  });

  it('empties on clear', () => {
    const queue = new PacketQueue();
    for (let i = 0; i < 5000; i++) queue.push(Buffer.alloc(3), false);
    for (let i = 0; i < 2000; i++) queue.shift();
    queue.clear();
    expect(queue.count).toBe(0);
    expect(queue.byteLength).toBe(0);
    queue.push(Buffer.from('after'), true);
    expect(queue.shift().toString()).toBe('after');
  });
});
