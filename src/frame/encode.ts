import { frameHeaderLength, writeFrameHeader } from './header.js';
import { applyMask } from './mask.js';

export interface EncodeFrameOptions {
  fin?: boolean;
  rsv?: number;
  /** Clients mask every frame (RFC 6455 section 5.3); servers never do. */
  masked?: boolean;
}

/**
 * One frame as one buffer: header, then the payload (copied, and masked with
 * a fresh key when `masked`). The caller's payload is never modified.
 */
export function encodeFrame(opcode: number, payload: Uint8Array, options: EncodeFrameOptions = {}): Buffer {
  const masked = options.masked === true;
  const length = payload.length;
  const frame = Buffer.allocUnsafe(frameHeaderLength(length, masked) + length);
  const start = writeFrameHeader(frame, 0, options.fin !== false, options.rsv ?? 0, opcode, length, masked);
  frame.set(payload, start);
  if (masked && length > 0) applyMask(frame.subarray(start), frame.subarray(start - 4, start));
  return frame;
}
