import { randomBytes } from 'node:crypto';

/**
 * The tests' own frame writer and reader, independent of src/frame, so that
 * what gdws puts on the wire is judged by code it does not share.
 */
export const Op = {
  CONTINUATION: 0x0,
  TEXT: 0x1,
  BINARY: 0x2,
  CLOSE: 0x8,
  PING: 0x9,
  PONG: 0xa,
} as const;

export interface FrameOptions {
  fin?: boolean;
  rsv?: number;
  masked?: boolean;
  maskKey?: Uint8Array;
}

export function headerBytes(opcode: number, length: number, options: FrameOptions = {}): Buffer {
  const masked = options.masked === true;
  const extended = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const header = Buffer.alloc(2 + extended + (masked ? 4 : 0));
  header[0] = (options.fin === false ? 0 : 0x80) | ((options.rsv ?? 0) << 4) | opcode;
  const maskBit = masked ? 0x80 : 0;
  if (extended === 0) {
    header[1] = maskBit | length;
  } else if (extended === 2) {
    header[1] = maskBit | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (masked) header.set(options.maskKey ?? randomBytes(4), 2 + extended);
  return header;
}

/** One whole frame; the payload is copied (and masked when asked), never modified. */
export function frame(opcode: number, payload: Uint8Array | string = Buffer.alloc(0), options: FrameOptions = {}): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
  const header = headerBytes(opcode, body.length, options);
  if (options.masked === true) {
    const key = header.subarray(header.length - 4);
    for (let i = 0; i < body.length; i++) body[i]! ^= key[i & 3]!;
  }
  return Buffer.concat([header, body]);
}

export function clientFrame(opcode: number, payload: Uint8Array | string = Buffer.alloc(0), options: FrameOptions = {}): Buffer {
  return frame(opcode, payload, { ...options, masked: true });
}

export function closeBody(code: number, reason = ''): Buffer {
  const body = Buffer.alloc(2 + Buffer.byteLength(reason));
  body.writeUInt16BE(code, 0);
  body.write(reason, 2, 'utf8');
  return body;
}

export interface WireFrame {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  /** Unmasked. */
  payload: Buffer;
}

/** Reads frames from a byte stream in any chunking. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): WireFrame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: WireFrame[] = [];
    for (;;) {
      const parsed = parseFrame(this.pending);
      if (parsed === null) break;
      frames.push(parsed.frame);
      this.pending = this.pending.subarray(parsed.length);
    }
    return frames;
  }

  get leftover(): number {
    return this.pending.length;
  }
}

function parseFrame(bytes: Buffer): { frame: WireFrame; length: number } | null {
  if (bytes.length < 2) return null;
  const first = bytes[0]!;
  const second = bytes[1]!;
  const masked = (second & 0x80) !== 0;
  let length = second & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (bytes.length < 4) return null;
    length = bytes.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (bytes.length < 10) return null;
    length = Number(bytes.readBigUInt64BE(2));
    offset = 10;
  }
  const keyOffset = offset;
  if (masked) offset += 4;
  if (bytes.length < offset + length) return null;
  const payload = Buffer.from(bytes.subarray(offset, offset + length));
  if (masked) {
    for (let i = 0; i < payload.length; i++) payload[i]! ^= bytes[keyOffset + (i & 3)]!;
  }
  return {
    frame: { fin: (first & 0x80) !== 0, rsv: (first >> 4) & 7, opcode: first & 0x0f, masked, payload },
    length: offset + length,
  };
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
