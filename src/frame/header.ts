import { writeMaskKey } from './mask-key.js';

/** 2 bytes, 8 bytes of extended length, 4 bytes of masking key. */
export const MAX_FRAME_HEADER_LENGTH = 14;
/** RFC 6455 section 5.5. */
export const MAX_CONTROL_PAYLOAD = 125;

export function frameHeaderLength(payloadLength: number, masked: boolean): number {
  const lengthBytes = payloadLength < 126 ? 2 : payloadLength < 65536 ? 4 : 10;
  return masked ? lengthBytes + 4 : lengthBytes;
}

export interface FrameHeaderFields {
  fin: boolean;
  /** RSV bits in their header position (0x40, 0x20, 0x10). */
  rsv: number;
  opcode: number;
  payloadLength: number;
}

/**
 * Writes a frame header at `offset` and returns the offset just after it.
 * With `masked`, a fresh random masking key is written last and can be read
 * back at `returned - 4`. Lengths take the minimal form RFC 6455 requires.
 */
export function writeFrameHeader(
  target: Uint8Array,
  offset: number,
  fin: boolean,
  rsv: number,
  opcode: number,
  payloadLength: number,
  masked: boolean,
): number {
  target[offset] = (fin ? 0x80 : 0) | rsv | opcode;
  const maskBit = masked ? 0x80 : 0;
  let next: number;
  if (payloadLength < 126) {
    target[offset + 1] = maskBit | payloadLength;
    next = offset + 2;
  } else if (payloadLength < 65536) {
    target[offset + 1] = maskBit | 126;
    target[offset + 2] = payloadLength >>> 8;
    target[offset + 3] = payloadLength & 0xff;
    next = offset + 4;
  } else {
    target[offset + 1] = maskBit | 127;
    const high = Math.floor(payloadLength / 0x100000000);
    const low = payloadLength >>> 0;
    target[offset + 2] = high >>> 24;
    target[offset + 3] = (high >>> 16) & 0xff;
    target[offset + 4] = (high >>> 8) & 0xff;
    target[offset + 5] = high & 0xff;
    target[offset + 6] = low >>> 24;
    target[offset + 7] = (low >>> 16) & 0xff;
    target[offset + 8] = (low >>> 8) & 0xff;
    target[offset + 9] = low & 0xff;
    next = offset + 10;
  }
  if (!masked) return next;
  writeMaskKey(target, next);
  return next + 4;
}
