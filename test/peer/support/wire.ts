import { buildFrame, closePayload } from '../../conformance/driver/frame-builder.js';

/**
 * The tests' own frame writer and reader, independent of src/frame, so that
 * what gdws puts on the wire is judged by code it does not share: the
 * conformance driver's, in the shorter calls these tests use.
 */
export { Opcode as Op } from '../../conformance/driver/frame-builder.js';

export interface FrameOptions {
  fin?: boolean;
  rsv?: number;
  masked?: boolean;
  /** With `masked`: the key to use instead of a random one. */
  maskKey?: Uint8Array;
}

/** One whole frame, unmasked unless asked; the payload is never modified. */
export function frame(opcode: number, payload: Uint8Array | string = Buffer.alloc(0), options: FrameOptions = {}): Buffer {
  const mask = options.masked === true ? (options.maskKey ?? true) : false;
  return buildFrame({ opcode, payload, fin: options.fin ?? true, rsv: options.rsv ?? 0, mask }, false);
}

export function clientFrame(opcode: number, payload: Uint8Array | string = Buffer.alloc(0), options: FrameOptions = {}): Buffer {
  return frame(opcode, payload, { ...options, masked: true });
}

export function closeBody(code: number, reason = ''): Buffer {
  return closePayload(code, reason);
}

/** Code and reason of a close frame's payload; code 1005 for an empty payload. */
export function readClose(payload: Buffer): { code: number; reason: string } {
  if (payload.length < 2) return { code: 1005, reason: '' };
  return { code: payload.readUInt16BE(0), reason: payload.subarray(2).toString('utf8') };
}

/** Bytes 0, 1, 2, ... wrapping at 251 (a prime, so no power-of-two chunking lines up with it). */
export function patterned(length: number, seed = 0): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) bytes[i] = (i + seed) % 251;
  return bytes;
}

/** A valid UTF-8 string of exactly `byteLength` bytes, mixing 1-, 2- and 3-byte characters. */
export function utf8Text(byteLength: number): string {
  const pieces: string[] = [];
  let left = byteLength;
  let i = 0;
  while (left > 0) {
    if (left >= 3 && i % 3 === 2) {
      pieces.push('€');
      left -= 3;
    } else if (left >= 2 && i % 3 === 1) {
      pieces.push('é');
      left -= 2;
    } else {
      pieces.push(String.fromCharCode(97 + (i % 26)));
      left -= 1;
    }
    i++;
  }
  return pieces.join('');
}

/** Byte equality that stays fast for megabytes (deep equality walks buffers element by element). */
export function sameBytes(actual: Uint8Array, expected: Uint8Array): boolean {
  return Buffer.from(actual.buffer, actual.byteOffset, actual.length).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.length));
}

/** Where two byte strings first differ, for failure messages. */
export function describeDifference(actual: Uint8Array, expected: Uint8Array): string {
  if (actual.length !== expected.length) return `length ${actual.length}, expected ${expected.length}`;
  for (let i = 0; i < actual.length; i++) if (actual[i] !== expected[i]) return `byte ${i} is ${actual[i]}, expected ${expected[i]}`;
  return 'identical';
}
