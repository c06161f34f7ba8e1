import { describe, expect, it } from 'vitest';
import { CloseCode, isControlOpcode, isKnownOpcode, Opcode, ProtocolError } from '../../src/frame/index.js';

describe('opcodes', () => {
  it('knows exactly the six opcodes of RFC 6455', () => {
    const known = Array.from({ length: 16 }, (_, opcode) => opcode).filter(isKnownOpcode);
    expect(known).toEqual([0x0, 0x1, 0x2, 0x8, 0x9, 0xa]);
    expect(Object.values(Opcode).sort((a, b) => a - b)).toEqual(known);
  });

  it('treats 0x8-0xF as control opcodes', () => {
    const control = Array.from({ length: 16 }, (_, opcode) => opcode).filter(isControlOpcode);
    expect(control).toEqual([0x8, 0x9, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf]);
  });
});

describe('ProtocolError', () => {
  it('carries the close code the connection must end with', () => {
    const error = new ProtocolError(CloseCode.MESSAGE_TOO_BIG, 'too big');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ProtocolError');
    expect(error.closeCode).toBe(1009);
    expect(error.message).toBe('too big');
  });
});
