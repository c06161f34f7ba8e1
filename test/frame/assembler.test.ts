import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CloseCode, FRAME_COST_BYTES, FrameDecoder, MessageAssembler, Opcode, Rsv } from '../../src/frame/index.js';
import { chunkingArbitrary, splitIntoChunks } from './support/chunking.js';
import { retainedGrowth } from './support/heap.js';
import { MessageCollector, receive } from './support/message-collector.js';
import type { ReceivedEvent } from './support/message-collector.js';
import { pseudoRandomBytes, seededRandom } from './support/prng.js';
import { simpleFrame, wireHeader } from './support/wire.js';

const { TEXT, BINARY, CONTINUATION, CLOSE, PING, PONG } = Opcode;
const masked = { masked: true } as const;
const unfinished = { masked: true, fin: false } as const;

function summary(events: ReceivedEvent[]): Array<[string, number, string]> {
  return events.map((event) =>
    event.kind === 'message'
      ? ['message', event.opcode, event.data.toString('latin1')]
      : ['control', event.opcode, event.payload.toString('latin1')],
  );
}

describe('MessageAssembler fragments', () => {
  it('delivers control frames that arrive between the fragments of a message, in stream order', () => {
    const { events, error } = receive([
      Buffer.concat([
        simpleFrame(TEXT, 'Hel', unfinished),
        simpleFrame(PING, 'p1', masked),
        simpleFrame(CONTINUATION, 'l', unfinished),
        simpleFrame(PONG, '', masked),
        simpleFrame(CLOSE, Buffer.from([0x03, 0xe8]), masked),
        simpleFrame(CONTINUATION, 'o', masked),
        simpleFrame(BINARY, 'next', masked),
      ]),
    ]);
    expect(error).toBeNull();
    expect(summary(events)).toEqual([
      ['control', PING, 'p1'],
      ['control', PONG, ''],
      ['control', CLOSE, '\x03\xe8'],
      ['message', TEXT, 'Hello'],
      ['message', BINARY, 'next'],
    ]);
  });

  it('handles zero-length fragments and zero-length messages', () => {
    const { events, error } = receive([
      Buffer.concat([
        simpleFrame(TEXT, '', unfinished),
        simpleFrame(CONTINUATION, '', unfinished),
        simpleFrame(CONTINUATION, 'abc', unfinished),
        simpleFrame(CONTINUATION, '', masked),
        simpleFrame(BINARY, '', unfinished),
        simpleFrame(CONTINUATION, '', masked),
        simpleFrame(TEXT, '', masked),
        simpleFrame(PING, '', masked),
      ]),
    ]);
    expect(error).toBeNull();
    expect(summary(events)).toEqual([
      ['message', TEXT, 'abc'],
      ['message', BINARY, ''],
      ['message', TEXT, ''],
      ['control', PING, ''],
    ]);
  });

  it('accepts a UTF-8 sequence split across fragments, and any bytes in a binary message', () => {
    const euro = Buffer.from('€');
    const { events, error } = receive([
      Buffer.concat([
        simpleFrame(TEXT, euro.subarray(0, 1), unfinished),
        simpleFrame(CONTINUATION, euro.subarray(1, 2), unfinished),
        simpleFrame(CONTINUATION, euro.subarray(2), masked),
        simpleFrame(BINARY, Uint8Array.of(0xff, 0xc0), masked),
      ]),
    ]);
    expect(error).toBeNull();
    expect(events).toHaveLength(2);
    expect(events[0]!.kind === 'message' && events[0]!.data.toString()).toBe('€');
  });

  it('reports whether a fragmented message is under way', () => {
    const assembler = new MessageAssembler(new MessageCollector(), { maxMessageSize: 100 });
    const decoder = new FrameDecoder(assembler, { expectMasked: true });
    expect(assembler.inMessage).toBe(false);
    decoder.push(simpleFrame(BINARY, 'a', unfinished));
    expect(assembler.inMessage).toBe(true);
    decoder.push(simpleFrame(PING, '', masked));
    expect(assembler.inMessage).toBe(true);
    decoder.push(simpleFrame(CONTINUATION, 'b', masked));
    expect(assembler.inMessage).toBe(false);
  });
});

describe('MessageAssembler zero copy', () => {
  it.each([
    ['binary', BINARY, pseudoRandomBytes(3000, 3)],
    ['text', TEXT, Buffer.from('zero copy, keine Kopie, 複製なし '.repeat(50))],
  ])('delivers a %s message that arrived whole in one chunk as a view of that chunk', (_name, opcode, payload) => {
    const before = simpleFrame(PING, 'x', masked);
    const chunk = Buffer.concat([before, simpleFrame(opcode, payload, masked)]);
    const { events, error } = receive([chunk]);
    expect(error).toBeNull();
    const message = events[1]!;
    if (message.kind !== 'message') throw new Error('expected a message');
    expect(message.data.equals(payload)).toBe(true);
    expect(message.data.buffer).toBe(chunk.buffer);
    expect(message.data.byteOffset).toBe(chunk.byteOffset + before.length + 4 + 4);
  });

  it('delivers a message split across chunks intact', () => {
    const payload = pseudoRandomBytes(20_000, 20);
    const stream = simpleFrame(BINARY, payload, masked);
    const { events } = receive(splitIntoChunks(stream, { kind: 'random', seed: 7, maxSize: 3000 }));
    expect(events).toHaveLength(1);
    expect(events[0]!.kind === 'message' && events[0]!.data.equals(payload)).toBe(true);
  });
});

describe('MessageAssembler at scale', () => {
  it('reassembles a 4 MiB text message sent as 65,537 fragments', () => {
    const size = 4 * 1024 * 1024;
    const unit = Buffer.from('Grüße, мир, 世界, 🎮 ');
    const text = Buffer.alloc(size, 0x61);
    for (let at = 0; at + unit.length <= size; at += unit.length) unit.copy(text, at);

    // 65,536 distinct cut points give 65,537 non-empty fragments, cutting through UTF-8 sequences.
    const random = seededRandom(65537);
    const cuts = new Set<number>();
    while (cuts.size < 65536) cuts.add(1 + Math.floor(random() * (size - 1)));
    const points = [0, ...[...cuts].sort((a, b) => a - b), size];
    const frames: Buffer[] = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const last = i + 2 === points.length;
      const key = Uint8Array.of(i & 0xff, (i >> 8) & 0xff, 0x5a, 0xa5);
      frames.push(
        simpleFrame(i === 0 ? TEXT : CONTINUATION, text.subarray(points[i], points[i + 1]), { masked: true, fin: last, maskKey: key }),
      );
    }
    expect(frames).toHaveLength(65537);
    const stream = Buffer.concat(frames);

    // Each frame counts FRAME_COST_BYTES against the limit: 16 MiB, as the Autobahn echo server uses, holds them.
    const { events, error } = receive(splitIntoChunks(stream, { kind: 'random', seed: 1, maxSize: 65536 }), {
      maxMessageSize: 4 * size,
    });
    expect(error).toBeNull();
    expect(events).toHaveLength(1);
    const message = events[0]!;
    expect(message.kind === 'message' && message.opcode).toBe(TEXT);
    expect(message.kind === 'message' && message.data.equals(text)).toBe(true);
  });

  it('keeps memory flat through 1,000,000 empty continuation fragments (a limit that allows their frame cost)', () => {
    const emptyContinuations = Buffer.concat(
      Array.from({ length: 1000 }, (_, i) => simpleFrame(CONTINUATION, '', { masked: true, fin: false, maskKey: Uint8Array.of(i, 1, 2, 3) })),
    );
    const collector = new MessageCollector();
    const assembler = new MessageAssembler(collector, { maxMessageSize: 1_000_002 * FRAME_COST_BYTES });
    const decoder = new FrameDecoder(assembler, { expectMasked: true });
    decoder.push(simpleFrame(BINARY, 'ab', unfinished));
    decoder.push(emptyContinuations); // first use, so lazily created state is in place before measuring

    // The same chunk again and again: the test itself allocates nothing per fragment.
    const growth = retainedGrowth(() => {
      for (let round = 1; round < 1000; round++) decoder.push(emptyContinuations);
    });
    decoder.push(simpleFrame(CONTINUATION, 'cd', masked));

    expect(summary(collector.events)).toEqual([['message', BINARY, 'abcd']]);
    // One retained object per fragment would be tens of megabytes; a flat buffer is kilobytes.
    expect(growth.heap).toBeLessThan(2 * 1024 * 1024);
    expect(growth.arrayBuffers).toBeLessThan(1024 * 1024);
  });
});

describe('MessageAssembler protocol errors', () => {
  it('rejects a continuation frame with no message started with 1002', () => {
    const { error, events } = receive([Buffer.concat([simpleFrame(TEXT, 'done', masked), simpleFrame(CONTINUATION, 'more', masked)])]);
    expect(error?.closeCode).toBe(CloseCode.PROTOCOL_ERROR);
    expect(summary(events)).toEqual([['message', TEXT, 'done']]);
  });

  it.each([
    ['text', TEXT],
    ['binary', BINARY],
  ])('rejects a new %s frame inside a fragmented message with 1002', (_name, opcode) => {
    const { error, events } = receive([Buffer.concat([simpleFrame(TEXT, 'part', unfinished), simpleFrame(opcode, 'new', masked)])]);
    expect(error?.closeCode).toBe(CloseCode.PROTOCOL_ERROR);
    expect(events).toEqual([]);
  });

  it('rejects RSV1 when no compression was negotiated, even if the decoder lets the bit through, with 1002', () => {
    const { error } = receive([simpleFrame(TEXT, 'x', { masked: true, rsv: Rsv.RSV1 })], { allowedRsv: Rsv.RSV1 });
    expect(error?.closeCode).toBe(CloseCode.PROTOCOL_ERROR);
  });

  it('with compression, flags RSV1 messages as compressed and leaves their bytes unchecked', () => {
    const { error, events } = receive([simpleFrame(TEXT, Uint8Array.of(0xff, 0x00), { masked: true, rsv: Rsv.RSV1 })], {
      allowedRsv: Rsv.RSV1,
      compression: true,
    });
    expect(error).toBeNull();
    expect(events).toEqual([{ kind: 'message', opcode: TEXT, data: Buffer.from([0xff, 0x00]), compressed: true }]);
  });

  it('rejects RSV1 on a continuation frame with 1002', () => {
    const { error } = receive(
      [Buffer.concat([simpleFrame(TEXT, 'a', { masked: true, fin: false, rsv: Rsv.RSV1 }), simpleFrame(CONTINUATION, 'b', { masked: true, rsv: Rsv.RSV1 })])],
      { allowedRsv: Rsv.RSV1, compression: true },
    );
    expect(error?.closeCode).toBe(CloseCode.PROTOCOL_ERROR);
  });

  it('rejects an RSV bit on a control frame with 1002', () => {
    const { error } = receive([simpleFrame(PING, 'x', { masked: true, rsv: Rsv.RSV1 })], { allowedRsv: Rsv.RSV1, compression: true });
    expect(error?.closeCode).toBe(CloseCode.PROTOCOL_ERROR);
  });
});

describe('MessageAssembler size limit', () => {
  const header = (opcode: number, length: number, fin = true) =>
    wireHeader({
      firstByte: (fin ? 0x80 : 0) | opcode,
      masked: true,
      maskKey: Uint8Array.of(1, 2, 3, 4),
      payload: new Uint8Array(length),
      lengthForm: length < 126 ? 7 : length < 65536 ? 16 : 64,
    });

  it('rejects a frame over the limit with 1009 from its header alone', () => {
    const { error, events } = receive([header(BINARY, 1001)], { maxMessageSize: 1000 });
    expect(error?.closeCode).toBe(CloseCode.MESSAGE_TOO_BIG);
    expect(events).toEqual([]);
  });

  it('rejects a 1 TiB frame with 1009 from its 64-bit header alone', () => {
    const huge = Buffer.from([0x82, 0xff, 0, 0, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4]);
    expect(receive([huge], { maxMessageSize: 1 << 20 }).error?.closeCode).toBe(CloseCode.MESSAGE_TOO_BIG);
  });

  it('rejects a fragmented message once a header takes it over the limit, before that payload arrives', () => {
    const { error, failedChunk } = receive(
      [simpleFrame(TEXT, 'a'.repeat(600), unfinished), simpleFrame(PING, 'x', masked), header(CONTINUATION, 401)],
      { maxMessageSize: 1000 },
    );
    expect(error?.closeCode).toBe(CloseCode.MESSAGE_TOO_BIG);
    expect(failedChunk).toBe(2);
  });

  it('accepts a message of exactly the limit less the cost of its extra frames, and does not count control frames', () => {
    const twoFrames = (second: number) =>
      receive(
        [
          Buffer.concat([
            simpleFrame(BINARY, Buffer.alloc(600), unfinished),
            simpleFrame(PING, Buffer.alloc(125), masked),
            simpleFrame(CONTINUATION, Buffer.alloc(second), masked),
          ]),
        ],
        { maxMessageSize: 1000 },
      );
    const fits = twoFrames(400 - FRAME_COST_BYTES);
    expect(fits.error).toBeNull();
    expect(fits.events.map((event) => event.kind)).toEqual(['control', 'message']);
    expect(twoFrames(401 - FRAME_COST_BYTES).error?.closeCode).toBe(CloseCode.MESSAGE_TOO_BIG);
  });

  it('an unfragmented message of exactly the limit pays no frame cost', () => {
    expect(receive([simpleFrame(BINARY, Buffer.alloc(1000), masked)], { maxMessageSize: 1000 }).error).toBeNull();
  });

  it('at the default limit (65,535) a message in 1-byte fragments is refused at frame 1,010, in empty ones at frame 1,025', () => {
    const refusedAt = (payload: Buffer) => {
      const collector = new MessageCollector();
      const decoder = new FrameDecoder(new MessageAssembler(collector, { maxMessageSize: 65535 }), { expectMasked: true });
      const fragment = simpleFrame(CONTINUATION, payload, unfinished);
      decoder.push(simpleFrame(BINARY, payload, unfinished));
      for (let frames = 2; frames <= 100_000; frames++) {
        try {
          decoder.push(fragment);
        } catch (error) {
          expect((error as { closeCode: number }).closeCode).toBe(CloseCode.MESSAGE_TOO_BIG);
          return frames;
        }
      }
      return Infinity;
    };
    expect(refusedAt(Buffer.from('x'))).toBe(1010);
    expect(refusedAt(Buffer.alloc(0))).toBe(1025);
  });

  it('a message of any payloads fits exactly when its payload plus the cost of frames after the first is within the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(300), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 5000 }), (sizes, limit) => {
        const frames = sizes.map((size, i) => simpleFrame(i === 0 ? BINARY : CONTINUATION, Buffer.alloc(size, 7), { masked: true, fin: i === sizes.length - 1 }));
        const { error } = receive([Buffer.concat(frames)], { maxMessageSize: limit });
        // Oracle: the running cost of each prefix, checked as each header arrives.
        let cost = 0;
        let refused = false;
        for (let i = 0; i < sizes.length && !refused; i++) {
          cost += sizes[i]! + (i === 0 ? 0 : FRAME_COST_BYTES);
          refused = cost > limit;
        }
        expect(error === null ? 'accepted' : error.closeCode).toBe(refused ? CloseCode.MESSAGE_TOO_BIG : 'accepted');
      }),
      { numRuns: 300 },
    );
  });

  it('counts each message separately', () => {
    const { error, events } = receive([Buffer.concat([simpleFrame(BINARY, Buffer.alloc(800), masked), simpleFrame(BINARY, Buffer.alloc(800), masked)])], {
      maxMessageSize: 1000,
    });
    expect(error).toBeNull();
    expect(events).toHaveLength(2);
  });
});

describe('MessageAssembler UTF-8', () => {
  it('fails with 1007 in the first fragment that holds an invalid byte, before later fragments arrive', () => {
    const { error, failedChunk, events } = receive([
      simpleFrame(TEXT, 'fine ', unfinished),
      simpleFrame(CONTINUATION, Buffer.from([0x61, 0xc0, 0xaf]), unfinished),
      simpleFrame(CONTINUATION, 'never needed', masked),
    ]);
    expect(error?.closeCode).toBe(CloseCode.INVALID_PAYLOAD);
    expect(failedChunk).toBe(1);
    expect(events).toEqual([]);
  });

  it('fails with 1007 inside a partially arrived frame, as soon as the bad byte arrives', () => {
    const payload = Buffer.concat([Buffer.from('x'.repeat(10)), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('y'.repeat(200))]);
    const frame = simpleFrame(TEXT, payload, masked);
    const headerLength = 2 + 2 + 4;
    const { error, failedChunk } = receive([frame.subarray(0, headerLength + 5), frame.subarray(headerLength + 5, headerLength + 12), frame.subarray(headerLength + 12)]);
    expect(error?.closeCode).toBe(CloseCode.INVALID_PAYLOAD);
    expect(failedChunk).toBe(1);
  });

  it('fails with 1007 for a text message ending inside a UTF-8 sequence, whole or fragmented', () => {
    const cut = Buffer.from('price: €').subarray(0, -1);
    expect(receive([simpleFrame(TEXT, cut, masked)]).error?.closeCode).toBe(CloseCode.INVALID_PAYLOAD);
    const fragmented = receive([simpleFrame(TEXT, 'price: ', unfinished), simpleFrame(CONTINUATION, cut.subarray(7), masked)]);
    expect(fragmented.error?.closeCode).toBe(CloseCode.INVALID_PAYLOAD);
    expect(fragmented.failedChunk).toBe(1);
  });

  it('validates each text message on its own', () => {
    const { error, events } = receive([
      Buffer.concat([simpleFrame(TEXT, 'one', masked), simpleFrame(BINARY, Uint8Array.of(0xe2), masked), simpleFrame(TEXT, 'two', masked)]),
    ]);
    expect(error).toBeNull();
    expect(events).toHaveLength(3);
  });
});

describe('MessageAssembler on any stream', () => {
  const controlArbitrary = fc.record({
    kind: fc.constant('control' as const),
    opcode: fc.constantFrom(PING, PONG, CLOSE),
    payload: fc.uint8Array({ maxLength: 125 }).map((bytes) => Buffer.from(bytes)),
  });
  const cutsArbitrary = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 });
  const messageArbitrary = fc.oneof(
    fc.record({
      kind: fc.constant('message' as const),
      opcode: fc.constant(TEXT),
      payload: fc.string({ unit: 'grapheme', maxLength: 300 }).map((text) => Buffer.from(text)),
      cuts: cutsArbitrary,
    }),
    fc.record({
      kind: fc.constant('message' as const),
      opcode: fc.constant(BINARY),
      payload: fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes)),
      cuts: cutsArbitrary,
    }),
  );

  it('delivers every message whole and every control frame in stream order, whatever the fragmentation and chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(messageArbitrary, fc.array(controlArbitrary, { maxLength: 3 })), { minLength: 1, maxLength: 6 }),
        chunkingArbitrary,
        (messages, chunking) => {
          const frames: Buffer[] = [];
          const expected: Array<[string, number, string]> = [];
          for (const [message, controls] of messages) {
            // Fragment boundaries anywhere, even inside a UTF-8 sequence; controls go between fragments.
            const points = [...new Set(message.cuts.map((cut) => Math.floor(cut * message.payload.length)))].sort((a, b) => a - b);
            const bounds = [0, ...points.filter((point) => point > 0), message.payload.length];
            if (bounds.length === 2 && bounds[0] === bounds[1]) bounds.pop();
            const fragments: Buffer[] = [];
            for (let i = 0; i + 1 < bounds.length; i++) fragments.push(message.payload.subarray(bounds[i], bounds[i + 1]));
            if (fragments.length === 0) fragments.push(Buffer.alloc(0));
            fragments.forEach((fragment, index) => {
              const last = index === fragments.length - 1;
              frames.push(simpleFrame(index === 0 ? message.opcode : CONTINUATION, fragment, { masked: true, fin: last }));
              const between = last ? [] : controls.splice(0, 1);
              for (const control of between) {
                frames.push(simpleFrame(control.opcode, control.payload, masked));
                expected.push(['control', control.opcode, control.payload.toString('latin1')]);
              }
            });
            expected.push(['message', message.opcode, message.payload.toString('latin1')]);
            for (const control of controls) {
              frames.push(simpleFrame(control.opcode, control.payload, masked));
              expected.push(['control', control.opcode, control.payload.toString('latin1')]);
            }
          }
          const { events, error } = receive(splitIntoChunks(Buffer.concat(frames), chunking));
          expect(error).toBeNull();
          expect(summary(events)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
