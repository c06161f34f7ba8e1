import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CloseCode,
  decodeClosePayload,
  encodeClosePayload,
  isValidWireCloseCode,
  MAX_CLOSE_REASON_BYTES,
  Opcode,
  ProtocolError,
} from '../../src/frame/index.js';
import { receive } from './support/message-collector.js';
import { simpleFrame } from './support/wire.js';

const INVALID_CODES = [0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535];
const VALID_CODES = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999];

function closePayload(code: number, reason: Uint8Array = new Uint8Array(0)): Buffer {
  return Buffer.concat([Buffer.from([code >> 8, code & 0xff]), reason]);
}

function decodeError(payload: Uint8Array): ProtocolError {
  try {
    decodeClosePayload(payload);
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error('expected a ProtocolError');
}

describe('isValidWireCloseCode', () => {
  it('accepts exactly 1000-1003, 1007-1014 and 3000-4999 among 0..65535', () => {
    for (let code = 0; code <= 65535; code++) {
      const expected = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
      if (isValidWireCloseCode(code) !== expected) expect.fail(`code ${code}`);
    }
  });

  it('rejects non-integers', () => {
    expect(isValidWireCloseCode(1000.5)).toBe(false);
    expect(isValidWireCloseCode(Number.NaN)).toBe(false);
  });
});

describe('decodeClosePayload', () => {
  it('reads an empty payload as "no status" (1005)', () => {
    expect(decodeClosePayload(new Uint8Array(0))).toEqual({ code: CloseCode.NO_STATUS, reason: '' });
  });

  it('rejects a 1-byte payload with 1002', () => {
    expect(decodeError(Uint8Array.of(0x03)).closeCode).toBe(CloseCode.PROTOCOL_ERROR);
  });

  it.each(INVALID_CODES)('rejects code %i with 1002', (code) => {
    expect(decodeError(closePayload(code)).closeCode).toBe(CloseCode.PROTOCOL_ERROR);
  });

  it.each(VALID_CODES)('accepts code %i', (code) => {
    expect(decodeClosePayload(closePayload(code, Buffer.from('bye')))).toEqual({ code, reason: 'bye' });
  });

  it('rejects a reason that is not valid UTF-8 with 1007', () => {
    for (const reason of [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x61, 0xe2, 0x82]]) {
      expect(decodeError(closePayload(1000, Uint8Array.from(reason))).closeCode).toBe(CloseCode.INVALID_PAYLOAD);
    }
  });

  it('reads a multi-byte reason', () => {
    expect(decodeClosePayload(closePayload(4000, Buffer.from('Spiel vorbei — 再见 👋')))).toEqual({
      code: 4000,
      reason: 'Spiel vorbei — 再见 👋',
    });
  });
});

describe('encodeClosePayload', () => {
  it('writes the code big-endian followed by the reason', () => {
    expect([...encodeClosePayload(1000, 'ok')]).toEqual([0x03, 0xe8, 0x6f, 0x6b]);
    expect([...encodeClosePayload(4999)]).toEqual([0x13, 0x87]);
  });

  it('writes nothing for 1005 ("no status") and refuses a reason with it', () => {
    expect(encodeClosePayload(CloseCode.NO_STATUS).length).toBe(0);
    expect(() => encodeClosePayload(CloseCode.NO_STATUS, 'why')).toThrow(RangeError);
  });

  it.each([0, 999, 1004, 1006, 1015, 1016, 2999, 5000, 1000.5, Number.NaN, -1000])('refuses code %s with a RangeError', (code) => {
    expect(() => encodeClosePayload(code, 'x')).toThrow(RangeError);
  });

  it('accepts a 123-byte reason and refuses a 124-byte one, counting UTF-8 bytes', () => {
    expect(encodeClosePayload(1000, 'a'.repeat(MAX_CLOSE_REASON_BYTES)).length).toBe(125);
    expect(() => encodeClosePayload(1000, 'a'.repeat(124))).toThrow(RangeError);
    expect(encodeClosePayload(1000, '€'.repeat(41)).length).toBe(125); // 41 x 3 bytes = 123
    expect(() => encodeClosePayload(1000, '€'.repeat(41) + 'a')).toThrow(RangeError);
    expect(() => encodeClosePayload(1000, '👋'.repeat(31))).toThrow(RangeError); // 124 bytes in 62 UTF-16 units
  });

  it('round-trips with decodeClosePayload for every valid code and reason up to 123 bytes', () => {
    const codeArbitrary = fc.oneof(
      fc.integer({ min: 1000, max: 1003 }),
      fc.integer({ min: 1007, max: 1014 }),
      fc.integer({ min: 3000, max: 4999 }),
    );
    fc.assert(
      fc.property(codeArbitrary, fc.string({ unit: 'grapheme', maxLength: 40 }), (code, text) => {
        const reason = Buffer.from(text).length <= MAX_CLOSE_REASON_BYTES ? text : '';
        const payload = encodeClosePayload(code, reason);
        expect(payload.length).toBeLessThanOrEqual(125);
        expect(decodeClosePayload(payload)).toEqual({ code, reason });
      }),
    );
  });
});

describe('close frames through the decoder', () => {
  it('delivers the payload of a close frame for decodeClosePayload to judge', () => {
    const { events, error } = receive([simpleFrame(Opcode.CLOSE, closePayload(1001, Buffer.from('away')), { masked: true })]);
    expect(error).toBeNull();
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event.kind === 'control' && decodeClosePayload(event.payload)).toEqual({ code: 1001, reason: 'away' });
  });

  it('a close frame with a 1-byte payload is a 1002 once decoded', () => {
    const { events } = receive([simpleFrame(Opcode.CLOSE, Uint8Array.of(0x03), { masked: true })]);
    const event = events[0]!;
    expect(event.kind).toBe('control');
    expect(decodeError(event.kind === 'control' ? event.payload : new Uint8Array(0)).closeCode).toBe(CloseCode.PROTOCOL_ERROR);
  });
});
