import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, InputCopies, MessageAssembler, MessageBuffer, Opcode } from '../../src/frame/index.js';
import { chunkingArbitrary, splitIntoChunks } from './support/chunking.js';
import { MessageCollector } from './support/message-collector.js';
import { pseudoRandomBytes } from './support/prng.js';
import { simpleFrame } from './support/wire.js';

/**
 * With `copiesInput`, every chunk is pushed from one reused buffer that is
 * scribbled over after each push (as a socket reading into one buffer does):
 * messages must come out exactly as sent, so nothing kept a view of it.
 */
function receiveThroughOneBuffer(chunks: Buffer[], expectMasked: boolean): MessageCollector {
  const collector = new MessageCollector();
  const copies = new InputCopies();
  const assembler = new MessageAssembler(collector, { maxMessageSize: 64 << 20, copiesInput: copies });
  const decoder = new FrameDecoder(assembler, { expectMasked });
  const reused = Buffer.allocUnsafe(chunks.reduce((longest, chunk) => Math.max(longest, chunk.length), 1));
  for (const chunk of chunks) {
    chunk.copy(reused);
    copies.startChunk(chunk.length);
    decoder.push(reused.subarray(0, chunk.length));
    reused.fill(0xa5);
  }
  return collector;
}

describe('decoding with copiesInput (input in reused memory)', () => {
  it('delivers every message and control payload intact for any sizes, fragmentation and chunking (property)', () => {
    const message = fc.record({
      size: fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 20_000 }), fc.constantFrom(1023, 1024, 1025, 65535, 65536)),
      fragments: fc.integer({ min: 1, max: 4 }),
      text: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 5 }), chunkingArbitrary, fc.boolean(), fc.integer(), (messages, chunking, masked, seed) => {
        const frames: Buffer[] = [];
        const payloads = messages.map((spec, index) => {
          // Text frames carry ASCII so that any cut is valid UTF-8.
          const payload = spec.text ? Buffer.from(pseudoRandomBytes(spec.size, seed + index).map((byte) => 0x20 + (byte % 90))) : pseudoRandomBytes(spec.size, seed + index);
          const cuts = Math.min(spec.fragments, Math.max(1, spec.size));
          for (let f = 0; f < cuts; f++) {
            const piece = payload.subarray(Math.floor((f * spec.size) / cuts), Math.floor(((f + 1) * spec.size) / cuts));
            const opcode = f > 0 ? Opcode.CONTINUATION : spec.text ? Opcode.TEXT : Opcode.BINARY;
            frames.push(simpleFrame(opcode, piece, { fin: f === cuts - 1, masked }));
            if (f === 0) frames.push(simpleFrame(Opcode.PING, `ping ${index}`, { masked }));
          }
          return payload;
        });
        const collector = receiveThroughOneBuffer(splitIntoChunks(Buffer.concat(frames), chunking), masked);
        const received = collector.events.filter((event) => event.kind === 'message');
        const pings = collector.events.filter((event) => event.kind === 'control');
        expect(received).toHaveLength(payloads.length);
        received.forEach((event, index) => expect(Buffer.compare(event.data, payloads[index]!), `message ${index}`).toBe(0));
        expect(pings.map((event) => event.payload.toString())).toEqual(payloads.map((_, index) => `ping ${index}`));
      }),
      { numRuns: 150 },
    );
  });

  it('InputCopies: small copies of one chunk share an allocation, a new chunk gets fresh memory, large copies their own', () => {
    const copies = new InputCopies();
    copies.startChunk(1000);
    const first = copies.copy(Buffer.from('first'));
    const second = copies.copy(Buffer.from('second'));
    expect(second.buffer).toBe(first.buffer);
    expect(second.byteOffset).toBe(first.byteOffset + 5);
    copies.startChunk(1000);
    const third = copies.copy(Buffer.from('third'));
    // Fresh memory: past the whole first allocation (sized by its chunk), wherever it comes from.
    expect(third.buffer !== first.buffer || third.byteOffset >= first.byteOffset + 1000).toBe(true);
    const large = copies.allocate(100_000);
    expect(large.length).toBe(100_000);
    expect(large.buffer).not.toBe(third.buffer);
    expect([first, second, third].map(String)).toEqual(['first', 'second', 'third']);
  });

  it('MessageBuffer copies even a message that arrives as one piece', () => {
    const piece = Buffer.from('only piece');
    const buffer = new MessageBuffer(new InputCopies());
    buffer.expect(piece.length);
    buffer.append(piece);
    const taken = buffer.take();
    piece.fill(0);
    expect(taken.toString()).toBe('only piece');
  });
});
