import { describe, expect, it } from 'vitest';
import { Rsv } from '../../src/frame/index.js';
import { OutboundBuffer } from '../../src/peer/index.js';
import { EARLY_FLUSH_FRAMES, FLUSH_AT_BYTES } from '../../src/peer/outbound-buffer.js';
import { FakeTransport } from './support/fake-transport.js';
import { describeDifference, Op, patterned, sameBytes } from './support/wire.js';

function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(sameBytes(actual, expected), describeDifference(actual, expected)).toBe(true);
}

function buffer(masked = false) {
  const transport = new FakeTransport();
  return { transport, out: new OutboundBuffer(transport, masked) };
}

describe('OutboundBuffer', () => {
  describe('batching', () => {
    it('asks for one flush and hands many frames over in one batch', () => {
      const { transport, out } = buffer();
      for (let i = 0; i < 500; i++) out.addFrame(true, 0, Op.BINARY, Buffer.from(`message ${i}`), true);
      out.addFrame(true, 0, Op.PING, Buffer.from('p'), false);
      expect(transport.flushRequests).toBe(1);
      expect(transport.batches).toHaveLength(0);
      out.flush();
      expect(transport.batches).toHaveLength(1);
      // Small frames are packed together, not one buffer per frame.
      expect(transport.batches[0]!.chunks.length).toBeLessThan(10);
      const frames = transport.frames();
      expect(frames).toHaveLength(501);
      expect(frames.slice(0, 500).map((f) => f.payload.toString())).toEqual(Array.from({ length: 500 }, (_, i) => `message ${i}`));
      expect(frames[500]).toMatchObject({ opcode: Op.PING, fin: true });
      expect(out.isEmpty).toBe(true);
    });

    it('hands frames over every EARLY_FLUSH_FRAMES frames when the transport asks for early flushes, in order', () => {
      const { transport, out } = buffer(true);
      transport.early = true;
      for (let i = 0; i < 2 * EARLY_FLUSH_FRAMES + 2; i++) out.addFrame(true, 0, Op.BINARY, Buffer.from(`message ${i}`), true);
      expect(transport.batches).toHaveLength(2);
      expect(out.queuedMessages).toBe(2 * EARLY_FLUSH_FRAMES + 2);
      out.flush();
      expect(transport.batches).toHaveLength(3);
      expect(transport.frames().map((f) => f.payload.toString())).toEqual(Array.from({ length: 2 * EARLY_FLUSH_FRAMES + 2 }, (_, i) => `message ${i}`));
      // After an early flush the next frame asks for a flush again, so the rest is never stranded.
      expect(transport.flushRequests).toBe(3);
      transport.completeWrites();
      expect(out.queuedMessages).toBe(0);
    });

    it('hands a batch over at once when it reaches FLUSH_AT_BYTES of payload, whatever the transport says', () => {
      const { transport, out } = buffer();
      const piece = Buffer.alloc(FLUSH_AT_BYTES / 4, 7);
      for (let i = 0; i < 3; i++) out.addFrame(true, 0, Op.BINARY, piece, true);
      expect(transport.batches).toHaveLength(0);
      out.addFrame(true, 0, Op.BINARY, piece, true);
      expect(transport.batches).toHaveLength(1);
      expect(transport.frames()).toHaveLength(4);
      // One large message leaves alone, the moment it is added.
      out.addFrame(true, 0, Op.BINARY, Buffer.alloc(FLUSH_AT_BYTES), true);
      expect(transport.batches).toHaveLength(2);
      expect(out.isEmpty).toBe(true);
    });

    it('asks for a flush again once the previous batch is handed over, and not for an empty flush', () => {
      const { transport, out } = buffer();
      out.flush();
      expect(transport.batches).toHaveLength(0);
      out.addFrame(true, 0, Op.TEXT, Buffer.from('a'), true);
      out.flush();
      out.addFrame(true, 0, Op.TEXT, Buffer.from('b'), true);
      expect(transport.flushRequests).toBe(2);
      out.flush();
      expect(transport.batches).toHaveLength(2);
      expect(transport.frames().map((f) => f.payload.toString())).toEqual(['a', 'b']);
    });

    it('writes fin, rsv and opcode as given, with every length form', () => {
      const { transport, out } = buffer();
      const sizes = [0, 125, 126, 65535, 65536, 100_000];
      out.addFrame(false, 0, Op.TEXT, Buffer.from('part'), false);
      out.addFrame(true, Rsv.RSV1, Op.CONTINUATION, Buffer.from('end'), true);
      for (const size of sizes) out.addFrame(true, 0, Op.BINARY, patterned(size, size), true);
      out.flush();
      const frames = transport.frames();
      expect(frames[0]).toMatchObject({ fin: false, rsv: 0, opcode: Op.TEXT });
      expect(frames[1]).toMatchObject({ fin: true, rsv: 4, opcode: Op.CONTINUATION });
      frames.slice(2).forEach((f, i) => expectBytes(f.payload, patterned(sizes[i]!, sizes[i]!)));
    });

    it('keeps frames of two connections that share the encoding slab apart', () => {
      const a = buffer();
      const b = buffer(true);
      for (let i = 0; i < 300; i++) {
        a.out.addFrame(true, 0, Op.TEXT, Buffer.from(`a${i}`), true);
        b.out.addFrame(true, 0, Op.TEXT, Buffer.from(`b${i}`), true);
      }
      a.out.flush();
      b.out.flush();
      expect(a.transport.frames().map((f) => f.payload.toString())).toEqual(Array.from({ length: 300 }, (_, i) => `a${i}`));
      expect(b.transport.frames().map((f) => f.payload.toString())).toEqual(Array.from({ length: 300 }, (_, i) => `b${i}`));
    });

    it('never overwrites bytes already handed over while their write is pending', () => {
      const { transport, out } = buffer(true);
      // Enough traffic to wrap the shared slab several times.
      for (let round = 0; round < 40; round++) {
        for (let i = 0; i < 20; i++) out.addFrame(true, 0, Op.BINARY, patterned(1000 + i, round), true);
        out.flush();
      }
      for (const batch of transport.batches) expectBytes(Buffer.concat(batch.chunks), batch.snapshot);
      expect(transport.frames()).toHaveLength(800);
    });

    it('reuses the memory of a large masked frame only once its write is done, even across a discard', () => {
      const { transport, out } = buffer(true);
      const large = (seed: number): Buffer => patterned(100_000, seed);
      out.addFrame(true, 0, Op.BINARY, large(1), true);
      out.flush();
      const [first] = transport.batches[0]!.chunks.filter((chunk) => chunk.length > 50_000);
      // Still being written: the next large frame gets other memory, and the first one's bytes stay as handed over.
      out.addFrame(true, 0, Op.BINARY, large(2), true);
      out.flush();
      const [second] = transport.batches[1]!.chunks.filter((chunk) => chunk.length > 50_000);
      expect(second!.buffer).not.toBe(first!.buffer);
      expectBytes(Buffer.concat(transport.batches[0]!.chunks), transport.batches[0]!.snapshot);
      out.discard();
      transport.completeWrites();
      // Both writes are over (the discard changes nothing about that): their memory serves the next frames.
      out.addFrame(true, 0, Op.BINARY, large(3), true);
      out.flush();
      const [third] = transport.batches[2]!.chunks.filter((chunk) => chunk.length > 50_000);
      expect([first!.buffer, second!.buffer]).toContain(third!.buffer);
      const frames = transport.frames();
      expectBytes(frames[0]!.payload, large(1));
      expectBytes(frames[1]!.payload, large(2));
      expectBytes(frames[2]!.payload, large(3));
    });
  });

  describe('accounting', () => {
    it('counts payload bytes (not headers) and messages until the written callback', () => {
      const { transport, out } = buffer(true);
      expect(out.bufferedAmount).toBe(0);
      out.addFrame(true, 0, Op.BINARY, Buffer.alloc(300), true);
      out.addFrame(true, 0, Op.TEXT, Buffer.from('hello'), true);
      out.addFrame(true, 0, Op.PING, Buffer.from('ping'), false);
      expect(out.bufferedAmount).toBe(309);
      expect(out.queuedMessages).toBe(2);
      out.flush();
      expect(out.bufferedAmount).toBe(309);
      expect(out.queuedMessages).toBe(2);
      out.addFrame(true, 0, Op.BINARY, Buffer.alloc(50), true);
      expect(out.bufferedAmount).toBe(359);
      expect(out.queuedMessages).toBe(3);
      transport.completeWrites();
      expect(out.bufferedAmount).toBe(50);
      expect(out.queuedMessages).toBe(1);
      out.flush();
      transport.completeWrites();
      expect(out.bufferedAmount).toBe(0);
      expect(out.queuedMessages).toBe(0);
    });

    it('forgets everything not yet written on discard', () => {
      const { transport, out } = buffer();
      out.addFrame(true, 0, Op.BINARY, Buffer.alloc(10), true);
      out.flush();
      out.addFrame(true, 0, Op.BINARY, Buffer.alloc(20), true);
      out.discard();
      expect(out.bufferedAmount).toBe(0);
      expect(out.queuedMessages).toBe(0);
      expect(out.isEmpty).toBe(true);
      out.flush();
      expect(transport.batches).toHaveLength(1);
    });
  });

  describe('payload handling', () => {
    it('sends a large unmasked payload as a view of the caller\'s buffer, without a copy', () => {
      const { transport, out } = buffer();
      const payload = patterned(200_000);
      out.addFrame(true, 0, Op.BINARY, payload, true);
      out.flush();
      const chunks = transport.batches[0]!.chunks;
      const view = chunks.find((chunk) => chunk.length === payload.length);
      expect(view).toBeDefined();
      expect(view!.buffer).toBe(payload.buffer);
      expect(view!.byteOffset).toBe(payload.byteOffset);
      expectBytes(transport.frames()[0]!.payload, payload);
    });

    it('takes a plain Uint8Array (not a Buffer) as a view too', () => {
      const { transport, out } = buffer();
      const backing = new Uint8Array(100_000 + 16);
      backing.set(patterned(100_000), 16);
      const payload = backing.subarray(16);
      out.addFrame(true, 0, Op.BINARY, payload, true);
      out.flush();
      const view = transport.batches[0]!.chunks.find((chunk) => chunk.length === payload.length);
      expect(view!.buffer).toBe(backing.buffer);
      expect(view!.byteOffset).toBe(16);
      expectBytes(transport.frames()[0]!.payload, patterned(100_000));
    });

    it('copies small payloads, so the caller may reuse its buffer at once', () => {
      const { transport, out } = buffer();
      const payload = Buffer.from('original');
      out.addFrame(true, 0, Op.BINARY, payload, true);
      payload.write('changed!');
      out.flush();
      expect(transport.frames()[0]!.payload.toString()).toBe('original');
    });

    for (const size of [1, 125, 5000, 16 * 1024, 20_000, 1 << 20]) {
      it(`masks a copy and never modifies the caller's buffer (${size} bytes)`, () => {
        const { transport, out } = buffer(true);
        const payload = patterned(size, 7);
        const before = Buffer.from(payload);
        out.addFrame(true, 0, Op.BINARY, payload, true);
        out.flush();
        expectBytes(payload, before);
        const [sent] = transport.frames();
        expect(sent!.masked).toBe(true);
        expectBytes(sent!.payload, before);
        // The bytes on the wire are masked, not the plain payload (a key of 0 is possible but 4 zero bytes in a row are unlikely).
        for (const chunk of transport.batches[0]!.chunks) expect(chunk.buffer === payload.buffer && chunk.byteOffset === payload.byteOffset).toBe(false);
      });
    }
  });
});
