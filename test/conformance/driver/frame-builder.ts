import { randomBytes } from 'node:crypto';

/**
 * Crafts WebSocket frames byte by byte, including frames a conformant encoder
 * would refuse to produce (reserved bits and opcodes, oversized or fragmented
 * control frames, non-minimal length encodings), because the suite's job is to
 * show how the implementation under test reacts to exactly those.
 */

export const Opcode = {
  CONTINUATION: 0x0,
  TEXT: 0x1,
  BINARY: 0x2,
  CLOSE: 0x8,
  PING: 0x9,
  PONG: 0xa,
} as const;

/** How the 7-bit length field and its extensions are written. */
export type LengthEncoding = 'minimal' | '16-bit' | '64-bit';

export interface FrameSpec {
  /** Any 4-bit value, reserved ones included. */
  opcode: number;
  payload?: Uint8Array | string;
  /** Defaults to true. */
  fin?: boolean;
  /**
   * The three reserved bits as one number, numbered like the Autobahn testsuite
   * numbers them: 4 = RSV1, 2 = RSV2, 1 = RSV3.
   */
  rsv?: number;
  /**
   * true: mask with a random key; a 4-byte key: mask with that key; false: send unmasked.
   * When omitted the connection's role decides (clients mask, servers do not).
   */
  mask?: boolean | Uint8Array;
  lengthEncoding?: LengthEncoding;
}

export function toBytes(payload: Uint8Array | string | undefined): Buffer {
  if (payload === undefined) return Buffer.alloc(0);
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
}

/** XORs `data` with the 4-byte key in place, starting at key position 0. */
export function applyMask(data: Buffer, key: Uint8Array): void {
  const length = data.length;
  const wordCount = length >>> 2;
  if (wordCount > 0) {
    // Word-at-a-time keeps masking a 16 MiB payload in the driver cheap enough to leave timing to the implementation.
    const keyWord = Buffer.from(key).readUInt32LE(0);
    for (let word = 0, offset = 0; word < wordCount; word++, offset += 4) {
      data.writeUInt32LE((data.readUInt32LE(offset) ^ keyWord) >>> 0, offset);
    }
  }
  for (let index = wordCount << 2; index < length; index++) {
    data[index] = data[index]! ^ key[index & 3]!;
  }
}

function lengthFieldSize(length: number, encoding: LengthEncoding): number {
  const chosen = encoding === 'minimal' ? (length < 126 ? 'inline' : length <= 0xffff ? '16-bit' : '64-bit') : encoding;
  if (chosen === '16-bit' && length > 0xffff) {
    throw new RangeError(`a ${length}-byte payload cannot be described by a 16-bit length`);
  }
  return chosen === 'inline' ? 0 : chosen === '16-bit' ? 2 : 8;
}

/** Encodes one frame; `maskByDefault` is what `spec.mask` means when omitted. */
export function buildFrame(spec: FrameSpec, maskByDefault: boolean): Buffer {
  const payload = toBytes(spec.payload);
  const fin = spec.fin ?? true;
  const rsv = spec.rsv ?? 0;
  const maskChoice = spec.mask ?? maskByDefault;
  const maskKey = maskChoice === false ? null : maskChoice === true ? randomBytes(4) : maskChoice;
  const extendedLength = lengthFieldSize(payload.length, spec.lengthEncoding ?? 'minimal');

  const header = Buffer.alloc(2 + extendedLength + (maskKey ? 4 : 0));
  header[0] = (fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (spec.opcode & 0xf);
  const maskBit = maskKey ? 0x80 : 0;
  if (extendedLength === 0) {
    header[1] = maskBit | payload.length;
  } else if (extendedLength === 2) {
    header[1] = maskBit | 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }

  let body = payload;
  if (maskKey) {
    header.set(maskKey.subarray(0, 4), 2 + extendedLength);
    body = Buffer.from(payload);
    applyMask(body, maskKey);
  }
  return Buffer.concat([header, body]);
}

/** A close frame payload: 2-byte code then the reason bytes (which may deliberately be invalid UTF-8). */
export function closePayload(code: number, reason: Uint8Array | string = ''): Buffer {
  const reasonBytes = toBytes(reason);
  const payload = Buffer.alloc(2 + reasonBytes.length);
  payload.writeUInt16BE(code, 0);
  payload.set(reasonBytes, 2);
  return payload;
}
