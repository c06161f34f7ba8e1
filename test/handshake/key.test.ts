import { describe, expect, it } from 'vitest';
import { computeAccept, generateKey, isValidKey } from '../../src/handshake/index.js';
import { RFC_ACCEPT, RFC_KEY } from './fixtures.js';

describe('Sec-WebSocket-Key and Sec-WebSocket-Accept', () => {
  it('gives the accept value printed in RFC 6455 section 1.3 for its sample key', () => {
    expect(computeAccept(RFC_KEY)).toBe(RFC_ACCEPT);
  });

  it('generates base64 of 16 bytes, fresh each time', () => {
    const keys = new Set<string>();
    for (let attempt = 0; attempt < 100; attempt++) {
      const key = generateKey();
      expect(Buffer.from(key, 'base64')).toHaveLength(16);
      expect(isValidKey(key)).toBe(true);
      keys.add(key);
    }
    expect(keys.size).toBe(100);
  });

  it('accepts only canonical base64 of exactly 16 bytes', () => {
    expect(isValidKey(RFC_KEY)).toBe(true);
    expect(isValidKey(Buffer.alloc(16, 0xff).toString('base64'))).toBe(true);
    expect(isValidKey(Buffer.alloc(15).toString('base64'))).toBe(false);
    expect(isValidKey(Buffer.alloc(17).toString('base64'))).toBe(false);
    expect(isValidKey('dGhlIHNhbXBsZSBub25jZR==')).toBe(false); // stray bits in the last character
    expect(isValidKey('dGhlIHNhbXBsZSBub25jZQ')).toBe(false);
    expect(isValidKey('dGhlIHNhbXBsZSBub25j*Q==')).toBe(false);
    expect(isValidKey(` ${RFC_KEY}`)).toBe(false);
    expect(isValidKey('')).toBe(false);
    expect(isValidKey(undefined)).toBe(false);
  });
});
