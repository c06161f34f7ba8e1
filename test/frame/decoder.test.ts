import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CloseCode,
  encodeFrame,
  FrameDecoder,
  frameHeaderLength,
  Opcode,
  ProtocolError,
  writeFrameHeader,
} from '../../src/frame/index.js';
import { chunkingArbitrary, chunkRanges, splitIntoChunks } from './support/chunking.js';
import type { Chunking } from './support/chunking.js';
import { FrameCollector } from './support/frame-collector.js';
import type { CollectedFrame } from './support/frame-collector.js';
import { pseudoRandomBytes } from './support/prng.js';
import { minimalLengthForm, simpleFrame, wireFrame, wireHeader } from './support/wire.js';
import type { LengthForm, WireFrameSpec } from './support/wire.js';

const KNOWN_OPCODES = [0x0, 0x1, 0x2, 0x8, 0x9, 0xa];
const RESERVED_OPCODES = [0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf];

/** 0 to 70,000 bytes, with the length-form boundaries (125/126, 65535/65536) weighted in. */
const payloadLengthArbitrary = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 140 }) },
  { weight: 3, arbitrary: fc.constantFrom(125, 126, 65535, 65536).chain((edge) => fc.integer({ min: edge - 2, max: edge + 2 })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 70_000 }) },
);

const maskKeyArbitrary = fc.uint8Array({ minLength: 4, maxLength: 4 });
const rsvArbitrary = fc.integer({ min: 0, max: 7 }).map((bits) => bits << 4);

interface FrameCase {
  fin: boolean;
  rsv: number;
  opcode: number;
  payload: Buffer;
}

/** A frame the decoder must accept when all RSV bits are allowed and masking matches. */
const validFrameArbitrary: fc.Arbitrary<FrameCase> = fc
  .record({
    fin: fc.boolean(),
    rsv: rsvArbitrary,
    opcode: fc.constantFrom(...KNOWN_OPCODES),
    length: payloadLengthArbitrary,
    seed: fc.integer(),
  })
  .map(({ fin, rsv, opcode, length, seed }) => {
    const control = opcode >= 0x8;
    return {
      fin: control ? true : fin,
      rsv,
      opcode,
      payload: pseudoRandomBytes(control ? length % 126 : length, seed),
    };
  });

/** vitest's deep equality walks large buffers byte by byte as objects; compare payloads with Buffer.equals. */
function expectFrames(actual: CollectedFrame[], expected: CollectedFrame[]): void {
  const describeFrames = (frames: CollectedFrame[]) =>
    frames.map(({ payload, ...fields }) => ({ ...fields, payloadBytes: payload.length }));
  expect(describeFrames(actual)).toEqual(describeFrames(expected));
  for (let i = 0; i < expected.length; i++) {
    expect(Buffer.from(actual[i]!.payload).equals(expected[i]!.payload), `payload of frame ${i}`).toBe(true);
  }
}

function collected(frame: FrameCase): CollectedFrame {
  return { fin: frame.fin, rsv: frame.rsv, opcode: frame.opcode, payloadLength: frame.payload.length, payload: frame.payload };
}

/** The key a masked frame written by gdws carries, read from where RFC 6455 puts it. */
function keyOf(encoded: Buffer, payloadLength: number): Uint8Array {
  const keyAt = frameHeaderLength(payloadLength, false);
  return encoded.subarray(keyAt, keyAt + 4);
}

function encodeWithGdws(frame: FrameCase, masked: boolean, useHeaderWriter: boolean): Buffer {
  const length = frame.payload.length;
  if (!useHeaderWriter) return encodeFrame(frame.opcode, frame.payload, { fin: frame.fin, rsv: frame.rsv, masked });
  const out = Buffer.alloc(3 + frameHeaderLength(length, masked) + length);
  const headerStart = 3; // not at 0, to check the offset is honoured
  const payloadStart = writeFrameHeader(out, headerStart, frame.fin, frame.rsv, frame.opcode, length, masked);
  expect(payloadStart).toBe(headerStart + frameHeaderLength(length, masked));
  const key = out.subarray(payloadStart - 4, payloadStart);
  for (let i = 0; i < length; i++) out[payloadStart + i] = masked ? frame.payload[i]! ^ key[i & 3]! : frame.payload[i]!;
  return out.subarray(headerStart);
}

function decodeAll(stream: Buffer, chunking: Chunking, expectMasked: boolean, allowedRsv: number) {
  const collector = new FrameCollector();
  const decoder = new FrameDecoder(collector, { expectMasked, allowedRsv });
  let error: unknown = null;
  let failedAt = -1;
  for (const [start, end] of chunkRanges(stream.length, chunking)) {
    const chunk = stream.subarray(start, end);
    collector.currentChunk = chunk;
    try {
      decoder.push(chunk);
    } catch (caught) {
      error = caught;
      failedAt = start;
      break;
    }
  }
  return { collector, decoder, error, failedAt };
}

describe('FrameDecoder round trip', () => {
  it('decodes what writeFrameHeader/encodeFrame wrote, minimal headers, any chunking', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(validFrameArbitrary, fc.boolean()), { minLength: 1, maxLength: 4 }),
        chunkingArbitrary,
        (masked, frames, chunking) => {
          const encoded = frames.map(([frame, useHeaderWriter]) => {
            const bytes = encodeWithGdws(frame, masked, useHeaderWriter);
            // Byte-exact against the test's own writer in the minimal form, with the key gdws chose.
            const length = frame.payload.length;
            const reference = wireFrame({
              firstByte: (frame.fin ? 0x80 : 0) | frame.rsv | frame.opcode,
              masked,
              maskKey: masked ? keyOf(bytes, length) : new Uint8Array(4),
              payload: frame.payload,
              lengthForm: minimalLengthForm(length),
            });
            expect(bytes.equals(reference)).toBe(true);
            return bytes;
          });
          const { collector, error } = decodeAll(Buffer.concat(encoded), chunking, masked, 0x70);
          expect(error).toBeNull();
          expect(collector.inFrame).toBe(false);
          expectFrames(collector.frames, frames.map(([frame]) => collected(frame)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accepts non-minimal 16- and 64-bit length forms on data frames', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom(0x0, 0x1, 0x2),
        payloadLengthArbitrary,
        fc.integer(),
        fc.constantFrom<LengthForm>(16, 64),
        chunkingArbitrary,
        (masked, opcode, rawLength, seed, form, chunking) => {
          const length = form === 16 ? rawLength % 65536 : rawLength;
          const payload = pseudoRandomBytes(length, seed);
          const stream = wireFrame({ firstByte: 0x80 | opcode, masked, maskKey: Uint8Array.of(1, 2, 3, 4), payload, lengthForm: form });
          const { collector, error } = decodeAll(stream, chunking, masked, 0);
          expect(error).toBeNull();
          expectFrames(collector.frames, [{ fin: true, rsv: 0, opcode, payloadLength: length, payload }]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** Where the allowance stops does not depend on payload size: small frames make many stops cheap to check. */
const smallFrameArbitrary = validFrameArbitrary.map((frame) => ({ ...frame, payload: frame.payload.subarray(0, 300) }));

describe('FrameDecoder frame allowance', () => {
  it('stops before the header after the allowance and, fed the rest later, decodes exactly the same frames', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(smallFrameArbitrary, { minLength: 1, maxLength: 8 }),
        chunkingArbitrary,
        fc.integer({ min: 1, max: 4 }),
        (masked, frames, chunking, allowance) => {
          const stream = Buffer.concat(frames.map((frame) => encodeWithGdws(frame, masked, true)));
          const collector = new FrameCollector();
          const decoder = new FrameDecoder(collector, { expectMasked: masked, allowedRsv: 0x70 });
          let pending: Buffer[] = [];
          let stops = 0;
          for (const [start, end] of chunkRanges(stream.length, chunking)) {
            pending.push(stream.subarray(start, end));
            // What a connection does: refill the allowance each turn, push what is held, keep what is not taken.
            while (pending.length > 0) {
              decoder.frameAllowance = allowance;
              const startedBefore = collector.frames.length + (collector.inFrame ? 1 : 0);
              const chunk = pending[0]!;
              collector.currentChunk = chunk;
              const used = decoder.push(chunk);
              const started = collector.frames.length + (collector.inFrame ? 1 : 0) - startedBefore;
              expect(started).toBeLessThanOrEqual(allowance);
              if (used === chunk.length) pending.shift();
              else {
                stops++;
                expect(started).toBe(allowance);
                pending[0] = chunk.subarray(used);
              }
            }
          }
          expect(collector.inFrame).toBe(false);
          expectFrames(collector.frames, frames.map((frame) => collected(frame)));
          if (frames.length > allowance && chunking.kind === 'whole') expect(stops).toBeGreaterThan(0);
        },
      ),
      { numRuns: 100 },
    );
  });
});

/**
 * The rules of RFC 6455 section 5.2/5.5 for one header, stated independently
 * of the decoder. A control frame's length always fits the 7-bit form, and the
 * minimal form is mandatory, so a control frame using an extended form is
 * rejected like one over 125 bytes.
 */
function violatesHeaderRules(spec: WireFrameSpec, expectMasked: boolean, allowedRsv: number): boolean {
  const fin = (spec.firstByte & 0x80) !== 0;
  const rsv = spec.firstByte & 0x70;
  const opcode = spec.firstByte & 0x0f;
  if ((rsv & ~allowedRsv) !== 0) return true;
  if (RESERVED_OPCODES.includes(opcode)) return true;
  if (opcode >= 0x8 && (!fin || spec.lengthForm !== 7 || spec.payload.length > 125)) return true;
  if (spec.masked !== expectMasked) return true;
  return spec.topBitSet === true;
}

describe('FrameDecoder on any header', () => {
  /** Any first byte, though half the time one a decoder may accept, so both outcomes are common. */
  const firstByteArbitrary = fc.oneof(
    fc.integer({ min: 0, max: 255 }),
    fc.record({ fin: fc.boolean(), opcode: fc.constantFrom(...KNOWN_OPCODES) }).map(({ fin, opcode }) => (fin ? 0x80 : 0) | opcode),
  );
  const subjectArbitrary = fc.record({
    firstByte: firstByteArbitrary,
    flipMask: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    rsv: rsvArbitrary,
    maskKey: maskKeyArbitrary,
    length: payloadLengthArbitrary,
    seed: fc.integer(),
    form: fc.constantFrom<'minimal' | LengthForm>('minimal', 'minimal', 7, 16, 64),
    topBitSet: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  });

  it('returns every acceptable frame intact and rejects every other one with 1002 from its header alone', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(
        fc.boolean(),
        rsvArbitrary,
        fc.array(validFrameArbitrary, { maxLength: 2 }),
        subjectArbitrary,
        validFrameArbitrary,
        chunkingArbitrary,
        (expectMasked, allowedRsv, before, draft, after, chunking) => {
          const minimal = minimalLengthForm(draft.length);
          const lengthForm = draft.form === 'minimal' || draft.form < minimal ? minimal : draft.form;
          const subject: WireFrameSpec = {
            firstByte: draft.firstByte | draft.rsv,
            masked: expectMasked !== draft.flipMask,
            maskKey: draft.maskKey,
            payload: pseudoRandomBytes(draft.length, draft.seed),
            lengthForm,
            topBitSet: lengthForm === 64 && draft.topBitSet,
          };
          const allowed = (frame: FrameCase): FrameCase => ({ ...frame, rsv: frame.rsv & allowedRsv });
          const toSpec = (frame: FrameCase): WireFrameSpec => ({
            firstByte: (frame.fin ? 0x80 : 0) | frame.rsv | frame.opcode,
            masked: expectMasked,
            maskKey: Uint8Array.of(9, 8, 7, 6),
            payload: frame.payload,
            lengthForm: minimalLengthForm(frame.payload.length),
          });
          const leading = before.map(allowed);
          const trailing = allowed(after);
          const leadingBytes = Buffer.concat(leading.map((frame) => wireFrame(toSpec(frame))));
          const subjectHeaderEnd = leadingBytes.length + wireHeader(subject).length;
          const stream = Buffer.concat([leadingBytes, wireFrame(subject), wireFrame(toSpec(trailing))]);

          const { collector, decoder, error, failedAt } = decodeAll(stream, chunking, expectMasked, allowedRsv);
          if (violatesHeaderRules(subject, expectMasked, allowedRsv)) {
            rejected++;
            expect(error).toBeInstanceOf(ProtocolError);
            expect((error as ProtocolError).closeCode).toBe(CloseCode.PROTOCOL_ERROR);
            // Decided from the header: the push that failed began before any of the subject's payload.
            expect(failedAt).toBeLessThan(subjectHeaderEnd);
            expect(collector.inFrame).toBe(false);
            expectFrames(collector.frames, leading.map(collected));
            expect(decoder.stopped).toBe(true);
          } else {
            accepted++;
            expect(error).toBeNull();
            const first = subject.firstByte;
            expectFrames(collector.frames, [
              ...leading.map(collected),
              {
                fin: (first & 0x80) !== 0,
                rsv: first & 0x70,
                opcode: first & 0x0f,
                payloadLength: subject.payload.length,
                payload: Buffer.from(subject.payload),
              },
              collected(trailing),
            ]);
          }
        },
      ),
      { numRuns: 400 },
    );
    // Both outcomes must actually have been exercised (each is well over a quarter of the cases).
    expect(accepted).toBeGreaterThan(20);
    expect(rejected).toBeGreaterThan(20);
  });
});

function decodeOne(bytes: Buffer, expectMasked: boolean, allowedRsv = 0) {
  return decodeAll(bytes, { kind: 'whole' }, expectMasked, allowedRsv);
}

function expectProtocolError(error: unknown, closeCode: number): void {
  expect(error).toBeInstanceOf(ProtocolError);
  expect((error as ProtocolError).closeCode).toBe(closeCode);
}

describe('FrameDecoder protocol errors', () => {
  it.each(RESERVED_OPCODES)('rejects reserved opcode %i with 1002', (opcode) => {
    const { error, collector } = decodeOne(simpleFrame(opcode, 'x', { masked: true }), true, 0x70);
    expectProtocolError(error, CloseCode.PROTOCOL_ERROR);
    expectFrames(collector.frames, []);
  });

  it.each([0x40, 0x20, 0x10, 0x70])('rejects RSV bits %i without a negotiated extension with 1002', (rsv) => {
    const { error } = decodeOne(simpleFrame(Opcode.BINARY, 'x', { rsv, masked: true }), true, 0);
    expectProtocolError(error, CloseCode.PROTOCOL_ERROR);
  });

  it('accepts the RSV bits an extension negotiated and still rejects the others', () => {
    const accepted = decodeOne(simpleFrame(Opcode.BINARY, 'x', { rsv: 0x40, masked: true }), true, 0x40);
    expect(accepted.error).toBeNull();
    expect(accepted.collector.frames[0]!.rsv).toBe(0x40);
    const rejected = decodeOne(simpleFrame(Opcode.BINARY, 'x', { rsv: 0x20, masked: true }), true, 0x40);
    expectProtocolError(rejected.error, CloseCode.PROTOCOL_ERROR);
  });

  it.each([Opcode.CLOSE, Opcode.PING, Opcode.PONG])('rejects control opcode %s with a 126-byte payload with 1002', (opcode) => {
    const { error } = decodeOne(simpleFrame(opcode, Buffer.alloc(126), { masked: true }), true);
    expectProtocolError(error, CloseCode.PROTOCOL_ERROR);
  });

  it.each([Opcode.CLOSE, Opcode.PING, Opcode.PONG])('accepts control opcode %s with exactly 125 bytes', (opcode) => {
    const { error, collector } = decodeOne(simpleFrame(opcode, Buffer.alloc(125, 1), { masked: true }), true);
    expect(error).toBeNull();
    expect(collector.frames[0]!.payload).toEqual(Buffer.alloc(125, 1));
  });

  it.each([Opcode.CLOSE, Opcode.PING, Opcode.PONG])('rejects control opcode %s with FIN clear with 1002', (opcode) => {
    const { error } = decodeOne(simpleFrame(opcode, 'x', { fin: false, masked: true }), true);
    expectProtocolError(error, CloseCode.PROTOCOL_ERROR);
  });

  it('rejects an unmasked frame on the server side with 1002', () => {
    const { error } = decodeOne(simpleFrame(Opcode.TEXT, 'hi', { masked: false }), true);
    expectProtocolError(error, CloseCode.PROTOCOL_ERROR);
  });

  it('rejects a masked frame on the client side with 1002', () => {
    const { error } = decodeOne(simpleFrame(Opcode.TEXT, 'hi', { masked: true }), false);
    expectProtocolError(error, CloseCode.PROTOCOL_ERROR);
  });

  it('rejects a 64-bit length with the top bit set with 1002, given only the header', () => {
    const header = wireHeader({
      firstByte: 0x82,
      masked: true,
      maskKey: Uint8Array.of(1, 2, 3, 4),
      payload: new Uint8Array(5),
      lengthForm: 64,
      topBitSet: true,
    });
    expect(header[2]).toBe(0x80);
    const { error, collector } = decodeOne(header, true);
    expectProtocolError(error, CloseCode.PROTOCOL_ERROR);
    expect(collector.inFrame).toBe(false);
  });

  it('rejects a 64-bit length at or above 2^53 with 1009, given only the header', () => {
    // 0x0020_0000_0000_0000 = 2^53: representable, top bit clear, but no JavaScript number counts that far exactly.
    const header = Buffer.from([0x82, 0xff, 0x00, 0x20, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]);
    const { error } = decodeOne(header, true);
    expectProtocolError(error, CloseCode.MESSAGE_TOO_BIG);
  });

  it('reads the largest 64-bit length below 2^53 exactly', () => {
    const header = Buffer.from([0x82, 0xff, 0x00, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]);
    const lengths: number[] = [];
    const decoder = new FrameDecoder(
      { onFrameStart: (_fin, _rsv, _opcode, length) => lengths.push(length), onFrameData: () => {}, onFrameEnd: () => {} },
      { expectMasked: true },
    );
    decoder.push(header);
    expect(lengths).toEqual([Number.MAX_SAFE_INTEGER]);
  });

  it('is stopped after an error and ignores later bytes', () => {
    const collector = new FrameCollector();
    const decoder = new FrameDecoder(collector, { expectMasked: true });
    expect(() => decoder.push(simpleFrame(0x3, 'x', { masked: true }))).toThrow(ProtocolError);
    expect(decoder.stopped).toBe(true);
    decoder.push(simpleFrame(Opcode.TEXT, 'later', { masked: true }));
    expectFrames(collector.frames, []);
  });

  it('stops mid-chunk when the sink calls stop(), e.g. after a close frame', () => {
    const starts: number[] = [];
    let decoder: FrameDecoder | null = null;
    decoder = new FrameDecoder(
      {
        onFrameStart: (_fin, _rsv, opcode) => starts.push(opcode),
        onFrameData: () => {},
        onFrameEnd: () => {
          if (starts.at(-1) === Opcode.CLOSE) decoder!.stop();
        },
      },
      { expectMasked: true },
    );
    decoder.push(
      Buffer.concat([
        simpleFrame(Opcode.CLOSE, Buffer.from([0x03, 0xe8]), { masked: true }),
        simpleFrame(Opcode.TEXT, 'after close', { masked: true }),
        simpleFrame(Opcode.CLOSE, '', { masked: true }),
      ]),
    );
    expect(starts).toEqual([Opcode.CLOSE]);
    expect(decoder.stopped).toBe(true);
  });
});

describe('RFC 6455 section 5.7 examples', () => {
  const hello = Buffer.from('Hello');
  const frameOf = (first: number, payload: Buffer): CollectedFrame => ({
    fin: (first & 0x80) !== 0,
    rsv: 0,
    opcode: first & 0x0f,
    payloadLength: payload.length,
    payload,
  });

  it('a single-frame unmasked text message', () => {
    const bytes = Buffer.from([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]);
    expect(encodeFrame(Opcode.TEXT, hello)).toEqual(bytes);
    expect(decodeOne(bytes, false).collector.frames).toEqual([frameOf(0x81, hello)]);
  });

  it('a single-frame masked text message', () => {
    const bytes = Buffer.from([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);
    expect(decodeOne(bytes, true).collector.frames).toEqual([frameOf(0x81, hello)]);
  });

  it('a fragmented unmasked text message', () => {
    const first = Buffer.from([0x01, 0x03, 0x48, 0x65, 0x6c]);
    const second = Buffer.from([0x80, 0x02, 0x6c, 0x6f]);
    expect(encodeFrame(Opcode.TEXT, Buffer.from('Hel'), { fin: false })).toEqual(first);
    expect(encodeFrame(Opcode.CONTINUATION, Buffer.from('lo'))).toEqual(second);
    expect(decodeOne(Buffer.concat([first, second]), false).collector.frames).toEqual([
      frameOf(0x01, Buffer.from('Hel')),
      frameOf(0x80, Buffer.from('lo')),
    ]);
  });

  it('an unmasked ping and a masked pong, each with body "Hello"', () => {
    const ping = Buffer.from([0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]);
    expect(encodeFrame(Opcode.PING, hello)).toEqual(ping);
    expect(decodeOne(ping, false).collector.frames).toEqual([frameOf(0x89, hello)]);
    const pong = Buffer.from([0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);
    expect(decodeOne(pong, true).collector.frames).toEqual([frameOf(0x8a, hello)]);
  });

  it('a 256-byte binary message in a single unmasked frame', () => {
    const payload = pseudoRandomBytes(256, 256);
    const header = Buffer.from([0x82, 0x7e, 0x01, 0x00]);
    const out = Buffer.alloc(4);
    expect(writeFrameHeader(out, 0, true, 0, Opcode.BINARY, 256, false)).toBe(4);
    expect(out).toEqual(header);
    const { collector } = decodeAll(Buffer.concat([header, payload]), { kind: 'fixed', size: 3 }, false, 0);
    expectFrames(collector.frames, [frameOf(0x82, payload)]);
  });

  it('a 64 KiB binary message in a single unmasked frame', () => {
    const payload = pseudoRandomBytes(65536, 65536);
    const header = Buffer.from([0x82, 0x7f, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00]);
    const out = Buffer.alloc(10);
    expect(writeFrameHeader(out, 0, true, 0, Opcode.BINARY, 65536, false)).toBe(10);
    expect(out).toEqual(header);
    const { collector } = decodeAll(Buffer.concat([header, payload]), { kind: 'fixed', size: 1000 }, false, 0);
    expectFrames(collector.frames, [frameOf(0x82, payload)]);
  });
});

describe('FrameDecoder zero copy', () => {
  it('hands a payload that arrived whole to the sink as one view of the pushed chunk', () => {
    const stream = simpleFrame(Opcode.BINARY, pseudoRandomBytes(5000, 5), { masked: true });
    const pieces: Buffer[] = [];
    const decoder = new FrameDecoder(
      { onFrameStart: () => {}, onFrameData: (piece) => pieces.push(piece), onFrameEnd: () => {} },
      { expectMasked: true },
    );
    decoder.push(stream);
    expect(pieces).toHaveLength(1);
    expect(pieces[0]!.buffer).toBe(stream.buffer);
    expect(pieces[0]!.byteOffset).toBe(stream.byteOffset + 8);
    expect(pieces[0]!.equals(pseudoRandomBytes(5000, 5))).toBe(true);
  });

  it('splits a stream into views of each chunk when chunked', () => {
    const stream = Buffer.concat([
      simpleFrame(Opcode.BINARY, pseudoRandomBytes(300, 1), { masked: true }),
      simpleFrame(Opcode.TEXT, 'tail', { masked: true }),
    ]);
    const chunks = splitIntoChunks(stream, { kind: 'fixed', size: 7 });
    const collector = new FrameCollector();
    const decoder = new FrameDecoder(collector, { expectMasked: true });
    for (const chunk of chunks) {
      collector.currentChunk = chunk;
      decoder.push(chunk);
    }
    expect(collector.frames.map((frame) => frame.payload)).toEqual([pseudoRandomBytes(300, 1), Buffer.from('tail')]);
  });
});
