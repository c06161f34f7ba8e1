import { CloseCode, isValidWireCloseCode } from './close-code.js';
import { ProtocolError } from './protocol-error.js';
import { isValidUtf8 } from './utf8.js';

/** RFC 6455 section 5.5: control payloads are at most 125 bytes, 2 of them the code. */
export const MAX_CLOSE_REASON_BYTES = 123;

export interface ClosePayload {
  /** 1005 (NO_STATUS) when the frame carried no code. */
  code: number;
  reason: string;
}

const EMPTY = Buffer.alloc(0);

/**
 * Builds a close frame payload. Throws a RangeError (a caller mistake, never
 * a malformed frame) for a code that may not be sent or a reason over 123
 * UTF-8 bytes. Code 1005 means "no code" and gives an empty payload.
 */
export function encodeClosePayload(code: number, reason = ''): Buffer {
  if (code === CloseCode.NO_STATUS) {
    if (reason.length > 0) throw new RangeError('A close reason needs a status code; 1005 means no code');
    return EMPTY;
  }
  if (!isValidWireCloseCode(code)) {
    throw new RangeError(
      `Close code ${code} may not be sent: use 1000-1003, 1007-1014 or 3000-4999`,
    );
  }
  const reasonLength = Buffer.byteLength(reason, 'utf8');
  if (reasonLength > MAX_CLOSE_REASON_BYTES) {
    throw new RangeError(
      `Close reason is ${reasonLength} bytes of UTF-8; the limit is ${MAX_CLOSE_REASON_BYTES}`,
    );
  }
  const payload = Buffer.allocUnsafe(2 + reasonLength);
  payload.writeUInt16BE(code, 0);
  if (reasonLength > 0) payload.write(reason, 2, 'utf8');
  return payload;
}

/** Reads a received close payload; a malformed one is the peer's protocol error. */
export function decodeClosePayload(payload: Uint8Array): ClosePayload {
  if (payload.length === 0) return { code: CloseCode.NO_STATUS, reason: '' };
  if (payload.length === 1) {
    throw new ProtocolError(CloseCode.PROTOCOL_ERROR, 'Close frame with a 1-byte payload');
  }
  const code = (payload[0]! << 8) | payload[1]!;
  if (!isValidWireCloseCode(code)) {
    throw new ProtocolError(CloseCode.PROTOCOL_ERROR, `Close frame with invalid code ${code}`);
  }
  const reasonBytes = payload.subarray(2);
  if (!isValidUtf8(reasonBytes)) {
    throw new ProtocolError(CloseCode.INVALID_PAYLOAD, 'Close reason is not valid UTF-8');
  }
  return { code, reason: Buffer.from(reasonBytes.buffer, reasonBytes.byteOffset, reasonBytes.length).toString('utf8') };
}
