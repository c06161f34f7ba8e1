import { createHash, randomBytes } from 'node:crypto';

/** RFC 6455 section 1.3: the GUID both sides append to the key before hashing. */
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * Canonical base64 of exactly 16 bytes: 21 free characters, a last character
 * whose low 4 bits are zero (only 2 data bits remain), then "==".
 */
const SIXTEEN_BYTE_BASE64 = /^[A-Za-z0-9+/]{21}[AQgw]==$/;

/** A fresh Sec-WebSocket-Key: base64 of 16 random bytes, new for every attempt. */
export function generateKey(): string {
  return randomBytes(16).toString('base64');
}

export function isValidKey(key: unknown): key is string {
  return typeof key === 'string' && SIXTEEN_BYTE_BASE64.test(key);
}

/** The Sec-WebSocket-Accept value that proves a server read this key. */
export function computeAccept(key: string): string {
  return createHash('sha1').update(key + WEBSOCKET_GUID, 'latin1').digest('base64');
}
