import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CloseCode, maskInto, MessageBuffer, Opcode } from '../../src/frame/index.js';
import { UNMASK_INTO_SINK_MIN } from '../../src/frame/decoder.js';
import { chunkingArbitrary, splitIntoChunks } from './support/chunking.js';
import { receive } from './support/message-collector.js';
import { pseudoRandomBytes } from './support/prng.js';
import { simpleFrame } from './support/wire.js';

function referenceMask(source: Uint8Array, key: Uint8Array, phase: number): Buffer {
  return Buffer.from(source.map((byte, i) => byte ^ key[(phase + i) & 3]!));
}

describe('maskInto with a phase', () => {
  it('equals a byte-by-byte XOR for any length, phase, key position and target offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 3 }),
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer(),
        (length, phase, keyBytes, keyOffset, targetOffset, seed) => {
          const source = pseudoRandomBytes(length, seed);
          const before = Buffer.from(source);
          const target = Buffer.alloc(targetOffset + length + 3, 0xee);
          maskInto(source, target, targetOffset, keyBytes, keyOffset, phase);
          const key = keyBytes.subarray(keyOffset, keyOffset + 4);
          expect(target.subarray(targetOffset, targetOffset + length).equals(referenceMask(source, key, phase))).toBe(true);
          // Nothing around the target range, and not the source, is touched.
          expect(target.subarray(0, targetOffset).every((byte) => byte === 0xee)).toBe(true);
          expect(target.subarray(targetOffset + length).every((byte) => byte === 0xee)).toBe(true);
          expect(source.equals(before)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('MessageBuffer.appendMasked', () => {
  const key = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);

  it('declines a piece that is the whole announced message (it stays a view, unmasked in place)', () => {
    const buffer = new MessageBuffer();
    buffer.expect(4096);
    expect(buffer.appendMasked(Buffer.alloc(4096), key, 0)).toBeNull();
    expect(buffer.byteLength).toBe(0);
  });

  it('declines when no size was announced, and when the pieces run past it', () => {
    const unannounced = new MessageBuffer();
    expect(unannounced.appendMasked(Buffer.alloc(2048), key, 0)).toBeNull();
    const announced = new MessageBuffer();
    announced.expect(4096);
    expect(announced.appendMasked(Buffer.alloc(3000), key, 0)).not.toBeNull();
    expect(announced.appendMasked(Buffer.alloc(2000), key, 0)).toBeNull();
    expect(announced.byteLength).toBe(3000);
  });

  it('rebuilds a message from masked and unmasked pieces in any split, unmasking with the running phase', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 70_000 }),
        fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.integer(),
        (size, cuts, offerMasked, seed) => {
          const message = pseudoRandomBytes(size, seed);
          const masked = referenceMask(message, key, 0);
          const buffer = new MessageBuffer();
          buffer.expect(size);
          let offset = 0;
          let piece = 0;
          while (offset < size) {
            const end = Math.min(size, offset + cuts[piece % cuts.length]!);
            const maskedPiece = Buffer.from(masked.subarray(offset, end));
            const unmasked = offerMasked[piece % offerMasked.length] ? buffer.appendMasked(maskedPiece, key, offset & 3) : null;
            if (unmasked === null) {
              buffer.append(referenceMask(maskedPiece, key, offset & 3));
            } else {
              expect(unmasked.equals(message.subarray(offset, end))).toBe(true);
            }
            offset = end;
            piece++;
          }
          expect(buffer.take().equals(message)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('decoder and assembler unmasking large pieces straight into the message', () => {
  it('delivers masked binary and text messages of every size intact, in any chunking', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(Opcode.BINARY, Opcode.TEXT),
        fc.integer({ min: 0, max: 6 * UNMASK_INTO_SINK_MIN * 4 }),
        chunkingArbitrary,
        fc.integer(),
        (opcode, size, chunking, seed) => {
          const payload = opcode === Opcode.TEXT ? Buffer.from('ünïcødé 🎮 '.repeat(size >> 4)) : pseudoRandomBytes(size, seed);
          const stream = Buffer.concat([simpleFrame(opcode, payload, { masked: true }), simpleFrame(Opcode.PING, 'after', { masked: true })]);
          const { events, error } = receive(splitIntoChunks(stream, chunking));
          expect(error).toBeNull();
          expect(events).toHaveLength(2);
          const message = events[0]!;
          expect(message.kind === 'message' && message.opcode === opcode && message.data.equals(payload)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('fails a large text message with 1007 at the chunk holding the first invalid byte, not later', () => {
    const text = Buffer.from('a'.repeat(40_000));
    text[25_000] = 0xff;
    const stream = simpleFrame(Opcode.TEXT, text, { masked: true });
    const chunks = splitIntoChunks(stream, { kind: 'fixed', size: 8192 });
    const { error, failedChunk } = receive(chunks);
    expect(error?.closeCode).toBe(CloseCode.INVALID_PAYLOAD);
    // Payload byte 25,000 sits at stream offset 25,000 + 8 (4 header bytes with the 16-bit length, then 4 key bytes).
    expect(failedChunk).toBe(Math.floor((25_000 + 8) / 8192));
  });
});
