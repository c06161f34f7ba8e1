import { describe, expect, it } from 'vitest';
import { FrameDecoder, MessageAssembler, Opcode } from '../../src/frame/index.js';

describe('frame layer smoke', () => {
  it('decodes the masked "Hello" example of RFC 6455 section 5.7', () => {
    const messages: Array<[number, string]> = [];
    const assembler = new MessageAssembler(
      { onMessage: (opcode, data) => messages.push([opcode, data.toString()]), onControl: () => {} },
      { maxMessageSize: 1024 },
    );
    new FrameDecoder(assembler, { expectMasked: true }).push(
      Buffer.from([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]),
    );
    expect(messages).toEqual([[Opcode.TEXT, 'Hello']]);
  });
});
