import { Opcode } from '../driver/frame-builder.js';
import { CloseCode, expectFailure, text } from './case.js';
import type { ConformanceCase } from './case.js';

/** Section 4: frames with reserved opcodes (3-7 non-control, 11-15 control) fail the connection with 1002. */

const GREETING = 'Hello, world!';
const RESERVED_PAYLOAD = 'reserved opcode payload';

function reservedOpcodeCases(group: number, opcodes: number[], kind: string): ConformanceCase[] {
  const [alone, aloneWithPayload, ...afterText] = opcodes as [number, number, ...number[]];
  return [
    {
      id: `4.${group}.1`,
      title: `frame with reserved ${kind} opcode ${alone}`,
      async run(peer) {
        await peer.sendFrame({ opcode: alone });
        await expectFailure(peer, [CloseCode.PROTOCOL_ERROR]);
      },
    },
    {
      id: `4.${group}.2`,
      title: `frame with reserved ${kind} opcode ${aloneWithPayload} and a payload`,
      async run(peer) {
        await peer.sendFrame({ opcode: aloneWithPayload, payload: RESERVED_PAYLOAD });
        await expectFailure(peer, [CloseCode.PROTOCOL_ERROR]);
      },
    },
    ...afterText.map((opcode, index): ConformanceCase => ({
      id: `4.${group}.${index + 3}`,
      title: `text, then reserved ${kind} opcode ${opcode}${index > 0 ? ' with a payload' : ''}, then ping: text echoed, then failed`,
      async run(peer) {
        await peer.sendFrames([
          { opcode: Opcode.TEXT, payload: GREETING },
          { opcode, payload: index > 0 ? RESERVED_PAYLOAD : '' },
          { opcode: Opcode.PING },
        ]);
        await expectFailure(peer, [CloseCode.PROTOCOL_ERROR], [text(GREETING)]);
      },
    })),
  ];
}

export const reservedOpcodesSection: ConformanceCase[] = [
  ...reservedOpcodeCases(1, [3, 4, 5, 6, 7], 'non-control'),
  ...reservedOpcodeCases(2, [11, 12, 13, 14, 15], 'control'),
];
