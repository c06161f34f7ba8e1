import { describe, expect, it } from 'vitest';
import {
  encodeFrame,
  frameHeaderLength,
  MAX_CONTROL_PAYLOAD,
  MAX_FRAME_HEADER_LENGTH,
  Opcode,
  writeFrameHeader,
  writeMaskKey,
} from '../../src/frame/index.js';

describe('frame header lengths', () => {
  it.each([
    [0, 2],
    [125, 2],
    [126, 4],
    [65535, 4],
    [65536, 10],
    [2 ** 32, 10],
    [Number.MAX_SAFE_INTEGER, 10],
  ])('a %i-byte payload takes a %i-byte unmasked header, 4 more masked', (payloadLength, length) => {
    expect(frameHeaderLength(payloadLength, false)).toBe(length);
    expect(frameHeaderLength(payloadLength, true)).toBe(length + 4);
  });

  it('never exceeds MAX_FRAME_HEADER_LENGTH; control payloads top out at 125', () => {
    expect(frameHeaderLength(Number.MAX_SAFE_INTEGER, true)).toBe(MAX_FRAME_HEADER_LENGTH);
    expect(MAX_CONTROL_PAYLOAD).toBe(125);
  });

  it('writes lengths above 2^32 in the 64-bit form', () => {
    const out = Buffer.alloc(10);
    writeFrameHeader(out, 0, true, 0, Opcode.BINARY, 2 ** 40 + 5, false);
    expect([...out]).toEqual([0x82, 127, 0, 0, 1, 0, 0, 0, 0, 5]);
    writeFrameHeader(out, 0, false, 0x40, Opcode.TEXT, Number.MAX_SAFE_INTEGER, false);
    expect([...out]).toEqual([0x41, 127, 0x00, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  });
});

describe('encodeFrame', () => {
  it('leaves the caller payload untouched when masking', () => {
    const payload = Buffer.from('do not modify me');
    const frame = encodeFrame(Opcode.TEXT, payload, { masked: true });
    expect(payload.toString()).toBe('do not modify me');
    expect(frame.length).toBe(2 + 4 + payload.length);
    expect(frame[1]).toBe(0x80 | payload.length);
  });

  it('encodes an empty masked frame as a header with a key and nothing else', () => {
    const frame = encodeFrame(Opcode.PING, new Uint8Array(0), { masked: true });
    expect(frame.length).toBe(6);
    expect([frame[0], frame[1]]).toEqual([0x89, 0x80]);
  });
});

describe('writeMaskKey', () => {
  it('writes exactly four bytes at the offset', () => {
    const out = Buffer.alloc(10, 0xaa);
    writeMaskKey(out, 3);
    expect([...out.subarray(0, 3), ...out.subarray(7)]).toEqual([0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa]);
  });

  it('gives fresh keys, also across refills of its pool', () => {
    const keys = new Set<string>();
    const out = Buffer.alloc(4);
    for (let i = 0; i < 5000; i++) {
      writeMaskKey(out, 0);
      keys.add(out.toString('hex'));
    }
    // 5000 draws from 2^32 values: a repeat is possible but rare; a stuck pool repeats at once.
    expect(keys.size).toBeGreaterThan(4990);
  });
});
