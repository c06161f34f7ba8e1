import {
  applyMask,
  encodeFrame,
  frameHeaderLength,
  maskInto,
  FrameDecoder,
  MessageAssembler,
  MessageBuffer,
  Opcode,
  Utf8Validator,
  writeFrameHeader,
} from '../../src/frame/index.js';
import type { Comparison } from './timing.js';
import { maskedFrameStream, mixedScriptText, randomBytes, slices, slicesOfReads } from './workloads.js';
import { wsBufferUtil, WsReceiver, WsSender, wsValidation } from './ws-internals.js';

const FRAME_COUNT = 1_000_000;
const LARGE = 64 * 1024 * 1024;
/** ws's default maxPayload; gdws gets the same limit. */
const MAX_MESSAGE = 100 * 1024 * 1024;

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`benchmark produced a wrong result: ${what}`);
}

/** Decoding unmasks in place, so each run gets a fresh copy of the wire bytes (copied outside the timing). */
function decodeComparison(name: string, opcode: number, payload: Buffer): Comparison {
  const wire = maskedFrameStream(FRAME_COUNT, opcode, payload);
  const gdwsInput = Buffer.allocUnsafe(wire.length);
  const wsInput = Buffer.allocUnsafe(wire.length);
  return {
    name,
    unit: 'ops/s',
    gdws: {
      prepare: () => wire.copy(gdwsInput),
      run: () => {
        let messages = 0;
        const assembler = new MessageAssembler(
          { onMessage: () => messages++, onControl: () => {} },
          { maxMessageSize: MAX_MESSAGE },
        );
        new FrameDecoder(assembler, { expectMasked: true }).push(gdwsInput);
        check(messages === FRAME_COUNT, `gdws decoded ${messages} messages`);
        return messages;
      },
    },
    ws: {
      prepare: () => wire.copy(wsInput),
      run: () => {
        let messages = 0;
        const receiver = new WsReceiver({ isServer: true, maxPayload: MAX_MESSAGE });
        receiver.on('message', () => messages++);
        receiver.on('error', (error) => {
          throw error;
        });
        receiver.write(wsInput);
        check(messages === FRAME_COUNT, `ws decoded ${messages} messages`);
        return messages;
      },
    },
  };
}

function wsFrameOptions(mask: boolean) {
  return { fin: true, opcode: Opcode.BINARY, mask, readOnly: true, rsv1: false };
}

function encodeComparison(masked: boolean): Comparison {
  const payload = Buffer.from('sixteen bytes!!!');
  const gdwsOptions = { masked };
  const wsOptions = wsFrameOptions(masked);
  return {
    name: `encode 1M 16-byte frames, ${masked ? 'masked (client)' : 'unmasked (server)'}: encodeFrame`,
    unit: 'ops/s',
    gdws: {
      run: () => {
        let bytes = 0;
        for (let i = 0; i < FRAME_COUNT; i++) bytes += encodeFrame(Opcode.BINARY, payload, gdwsOptions).length;
        check(bytes === FRAME_COUNT * (masked ? 22 : 18), 'gdws frame lengths');
        return FRAME_COUNT;
      },
    },
    ws: {
      run: () => {
        let bytes = 0;
        for (let i = 0; i < FRAME_COUNT; i++) {
          for (const part of WsSender.frame(payload, wsOptions)) bytes += part.length;
        }
        check(bytes === FRAME_COUNT * (masked ? 22 : 18), 'ws frame lengths');
        return FRAME_COUNT;
      },
    },
  };
}

/** The batching path a peer takes for small frames: header and payload written straight into one outbound buffer. */
function encodeIntoBatchComparison(masked: boolean): Comparison {
  const payload = Buffer.from('sixteen bytes!!!');
  const batch = Buffer.allocUnsafe(64 * 1024);
  const wsOptions = wsFrameOptions(masked);
  return {
    name: `encode 1M 16-byte frames, ${masked ? 'masked' : 'unmasked'}: writeFrameHeader into a batch buffer`,
    unit: 'ops/s',
    gdws: {
      run: () => {
        let offset = 0;
        let written = 0;
        for (let i = 0; i < FRAME_COUNT; i++) {
          if (offset + 32 > batch.length) {
            written += offset;
            offset = 0;
          }
          const start = writeFrameHeader(batch, offset, true, 0, Opcode.BINARY, 16, masked);
          if (masked) maskInto(payload, batch, start, batch, start - 4);
          else batch.set(payload, start);
          offset = start + 16;
        }
        check(written + offset === FRAME_COUNT * (masked ? 22 : 18), 'gdws batch length');
        return FRAME_COUNT;
      },
    },
    ws: encodeComparison(masked).ws,
  };
}

const MASK_KEY = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);

/**
 * What ws's Sender.frame does for a server: a fresh buffer for the header
 * only, the payload passed along untouched to be written after it.
 */
function encodeHeaderOnlyComparison(): Comparison {
  const payload = Buffer.from('sixteen bytes!!!');
  return {
    name: 'encode 1M 16-byte frames, unmasked: header-only buffer + payload, like ws',
    unit: 'ops/s',
    gdws: {
      run: () => {
        let bytes = 0;
        for (let i = 0; i < FRAME_COUNT; i++) {
          const header = Buffer.allocUnsafe(frameHeaderLength(payload.length, false));
          writeFrameHeader(header, 0, true, 0, Opcode.BINARY, payload.length, false);
          for (const part of [header, payload]) bytes += part.length;
        }
        check(bytes === FRAME_COUNT * 18, 'gdws frame lengths');
        return FRAME_COUNT;
      },
    },
    ws: encodeComparison(false).ws,
  };
}

function maskInPlaceComparison(name: string, chunkSize: number): Comparison {
  const data = randomBytes(LARGE);
  const chunks = slices(data, chunkSize);
  const passes = 4;
  return {
    name,
    unit: 'GB/s',
    gdws: {
      run: () => {
        for (let pass = 0; pass < passes; pass++) for (const chunk of chunks) applyMask(chunk, MASK_KEY);
        return passes * LARGE;
      },
    },
    ws: {
      run: () => {
        for (let pass = 0; pass < passes; pass++) for (const chunk of chunks) wsBufferUtil.unmask(chunk, MASK_KEY);
        return passes * LARGE;
      },
    },
  };
}

/** A sender's masking: the payload stays as it is, the masked bytes go to the frame. */
function maskCopyComparison(): Comparison {
  const source = randomBytes(LARGE);
  const target = Buffer.allocUnsafe(LARGE + 14);
  const passes = 4;
  return {
    name: 'mask 64 MiB into a frame: maskInto vs ws mask (bufferutil)',
    unit: 'GB/s',
    gdws: {
      run: () => {
        for (let pass = 0; pass < passes; pass++) maskInto(source, target, 14, MASK_KEY);
        return passes * LARGE;
      },
    },
    ws: {
      run: () => {
        for (let pass = 0; pass < passes; pass++) wsBufferUtil.mask(source, MASK_KEY, target, 14, LARGE);
        return passes * LARGE;
      },
    },
  };
}

function utf8WholeComparison(text: Buffer): Comparison {
  const validator = new Utf8Validator();
  const passes = 4;
  return {
    name: 'validate 64 MiB mixed-script UTF-8, whole: Utf8Validator vs isValidUTF8',
    unit: 'GB/s',
    gdws: {
      run: () => {
        for (let pass = 0; pass < passes; pass++) check(validator.push(text) && validator.finish(), 'gdws rejected valid text');
        return passes * text.length;
      },
    },
    ws: {
      run: () => {
        for (let pass = 0; pass < passes; pass++) check(wsValidation.isValidUTF8(text), 'ws rejected valid text');
        return passes * text.length;
      },
    },
  };
}

/**
 * ws validates a fragmented text message only once it is whole: it
 * concatenates the fragments, then checks the result. That concatenation is
 * part of its cost of validating, so it is timed.
 */
function wsConcatThenValidate(fragments: Buffer[], total: number) {
  return {
    run: () => {
      check(wsValidation.isValidUTF8(wsBufferUtil.concat(fragments, total)), 'ws rejected valid text');
      return total;
    },
  };
}

function utf8FragmentsComparison(text: Buffer): Comparison {
  const fragments = slices(text, 1024);
  const validator = new Utf8Validator();
  return {
    name: 'validate 64 MiB UTF-8 in 1 KiB fragments: incremental vs concat + isValidUTF8',
    unit: 'GB/s',
    gdws: {
      run: () => {
        let valid = true;
        for (const fragment of fragments) valid &&= validator.push(fragment);
        check(valid && validator.finish(), 'gdws rejected valid text');
        return text.length;
      },
    },
    ws: wsConcatThenValidate(fragments, text.length),
  };
}

/** Both sides end with the message as one buffer, as a receiver must deliver it. */
function utf8FragmentsReassembledComparison(text: Buffer): Comparison {
  const fragments = slicesOfReads(text, 1024, 64 * 1024);
  const validator = new Utf8Validator();
  return {
    name: 'validate + reassemble 64 MiB UTF-8 from 1 KiB fragments in 64 KiB socket reads',
    unit: 'GB/s',
    gdws: {
      run: () => {
        const message = new MessageBuffer();
        let valid = true;
        for (const fragment of fragments) {
          valid &&= validator.push(fragment);
          message.append(fragment);
        }
        check(valid && validator.finish() && message.take().length === text.length, 'gdws reassembly');
        return text.length;
      },
    },
    ws: wsConcatThenValidate(fragments, text.length),
  };
}

/** Built one at a time, so the large buffers of earlier comparisons can be collected. */
export const comparisons: Array<() => Comparison> = [
  () => decodeComparison('decode 1M masked 16-byte binary frames (server)', Opcode.BINARY, Buffer.from('sixteen bytes!!!')),
  () => decodeComparison('decode 1M masked 16-byte text frames (server)', Opcode.TEXT, Buffer.from('ping 🎮 pong!!')),
  () => encodeComparison(true),
  () => encodeComparison(false),
  () => encodeIntoBatchComparison(true),
  () => encodeIntoBatchComparison(false),
  encodeHeaderOnlyComparison,
  () => maskInPlaceComparison('unmask 64 MiB in place: applyMask vs ws unmask (bufferutil)', LARGE),
  () => maskInPlaceComparison('unmask 64 MiB as 64 KiB socket-sized chunks, in place', 64 * 1024),
  maskCopyComparison,
  () => utf8WholeComparison(mixedScriptText(LARGE)),
  () => utf8FragmentsComparison(mixedScriptText(LARGE)),
  () => utf8FragmentsReassembledComparison(mixedScriptText(LARGE)),
];
