import { setImmediate as nextTurn } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutboundBuffer } from '../../src/peer/index.js';
import { arenaForFanOut, MAX_ARENA_BYTES, MIN_ARENA_BYTES, PreparedArena } from '../../src/peer/prepared-arena.js';
import { PreparedMessages } from '../../src/peer/prepared-messages.js';
import { FakeTransport } from './support/fake-transport.js';
import { Op } from './support/wire.js';

function receiver() {
  const transport = new FakeTransport();
  return { transport, out: new OutboundBuffer(transport, false) };
}

describe('PreparedArena', () => {
  it('hands out regions back to back in one memory within a turn', () => {
    const arena = new PreparedArena();
    const first = arena.allocate(100);
    const second = arena.allocate(200);
    expect(second.buffer).toBe(first.buffer);
    expect(second.byteOffset).toBe(first.byteOffset + 100);
    expect(first.buffer.byteLength).toBeGreaterThanOrEqual(MIN_ARENA_BYTES);
  });

  it('never hands out the same bytes twice, in one turn or across turns', async () => {
    const arena = new PreparedArena();
    const regions: Buffer[] = [];
    for (let turn = 0; turn < 3; turn++) {
      for (let i = 0; i < 50; i++) {
        const region = arena.allocate(1000 + i * 37);
        region.fill(regions.length & 0xff);
        regions.push(region);
      }
      await nextTurn();
    }
    regions.forEach((region, index) => expect(region.every((byte) => byte === (index & 0xff))).toBe(true));
  });

  it('gives a message larger than any arena exactly its own memory', () => {
    const arena = new PreparedArena();
    const large = arena.allocate(MAX_ARENA_BYTES + 10);
    expect(large.length).toBe(MAX_ARENA_BYTES + 10);
    expect(large.buffer.byteLength).toBe(MAX_ARENA_BYTES + 10);
  });

  it('lets go of its memory when the turn ends, and sizes the next turn from this one', async () => {
    const arena = new PreparedArena();
    for (let i = 0; i < 40; i++) arena.allocate(1024);
    const lastOfTurn = arena.allocate(10);
    await nextTurn();
    const firstOfNext = arena.allocate(10);
    expect(firstOfNext.buffer).not.toBe(lastOfTurn.buffer);
    expect(firstOfNext.buffer.byteLength).toBeGreaterThanOrEqual(40 * 1024);
    // A quiet turn (10 bytes) sizes the next one back down.
    await nextTurn();
    await nextTurn();
    expect(arena.allocate(10).buffer.byteLength).toBe(MIN_ARENA_BYTES);
  });

  it('shares arenas only for messages most members receive', () => {
    const arena = new PreparedArena();
    expect(arenaForFanOut(arena, 999, 1000)).toBe(arena);
    expect(arenaForFanOut(arena, 500, 1000)).toBe(arena);
    expect(arenaForFanOut(arena, 499, 1000)).toBeNull();
    expect(arenaForFanOut(arena, 1, 1)).toBeNull();
  });
});

describe('prepared messages from an arena in an outbound buffer', () => {
  it('joins a burst of publishes into one chunk per receiver, with every frame intact and in order', () => {
    const arena = new PreparedArena();
    const receivers = [receiver(), receiver()];
    for (let i = 0; i < 32; i++) {
      const prepared = PreparedMessages.of(Buffer.from(`publish ${i}`), true, arena);
      for (const { out } of receivers) out.addEncoded(prepared.wire, prepared.payloadBytes, prepared.messageCount);
    }
    for (const { transport, out } of receivers) {
      out.flush();
      expect(transport.batches).toHaveLength(1);
      expect(transport.batches[0]!.chunks).toHaveLength(1);
      expect(transport.frames().map((frame) => frame.payload.toString())).toEqual(Array.from({ length: 32 }, (_, i) => `publish ${i}`));
      expect(transport.frames().every((frame) => frame.opcode === Op.TEXT)).toBe(true);
    }
  });

  it('keeps order when a receiver\'s own frames come between publishes (the joined region is split, never reordered)', () => {
    const arena = new PreparedArena();
    const { transport, out } = receiver();
    const publish = (text: string): void => {
      const prepared = PreparedMessages.of(Buffer.from(text), false, arena);
      out.addEncoded(prepared.wire, prepared.payloadBytes, prepared.messageCount);
    };
    publish('a');
    publish('b');
    out.addFrame(true, 0, Op.BINARY, Buffer.from('own'), true);
    publish('c');
    out.flush();
    expect(transport.frames().map((frame) => frame.payload.toString())).toEqual(['a', 'b', 'own', 'c']);
    expect(out.queuedMessages).toBe(4);
    transport.completeWrites();
    expect(out.queuedMessages).toBe(0);
  });

  it('delivers any interleaving of publishes, skipped receivers and own sends intact (property)', () => {
    const step = fc.record({ kind: fc.constantFrom('publish', 'own', 'skip'), size: fc.integer({ min: 0, max: 3000 }) });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const arena = new PreparedArena();
        const { transport, out } = receiver();
        const expected: number[] = [];
        steps.forEach(({ kind, size }, index) => {
          const payload = Buffer.alloc(size, index & 0xff);
          if (kind === 'own') {
            out.addFrame(true, 0, Op.BINARY, payload, true);
            expected.push(index);
            return;
          }
          // A publish this receiver is excluded from still takes its place in the arena.
          const prepared = PreparedMessages.of(payload, false, arena);
          if (kind === 'skip') return;
          out.addEncoded(prepared.wire, prepared.payloadBytes, prepared.messageCount);
          expected.push(index);
        });
        out.flush();
        const frames = transport.frames();
        expect(frames.map((frame) => frame.payload.length)).toEqual(expected.map((index) => steps[index]!.size));
        frames.forEach((frame, at) => expect(frame.payload.every((byte) => byte === (expected[at]! & 0xff))).toBe(true));
      }),
      { numRuns: 200 },
    );
  });
});
