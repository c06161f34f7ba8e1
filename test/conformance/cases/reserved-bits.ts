import { closePayload, Opcode } from '../driver/frame-builder.js';
import type { FrameSpec } from '../driver/frame-builder.js';
import type { RawPeer } from '../driver/raw-peer.js';
import { CloseCode, expectFailure, text } from './case.js';
import type { ConformanceCase } from './case.js';

/**
 * Section 3: no extension is negotiated, so any frame with a reserved bit set
 * fails the connection with 1002, and nothing after it (not even a ping) is answered.
 * `rsv` numbers the bits like the testsuite: 4 = RSV1, 2 = RSV2, 1 = RSV3.
 */

const GREETING = 'Hello, world!';

/** Valid text, the same text with reserved bits, then a ping that must stay unanswered. */
function textThenReservedThenPing(rsv: number): FrameSpec[] {
  return [
    { opcode: Opcode.TEXT, payload: GREETING },
    { opcode: Opcode.TEXT, payload: GREETING, rsv },
    { opcode: Opcode.PING },
  ];
}

async function sendOneByOne(peer: RawPeer, frames: FrameSpec[]): Promise<void> {
  for (const frame of frames) await peer.sendFrame(frame);
}

export const reservedBitsSection: ConformanceCase[] = [
  {
    id: '3.1',
    title: 'text message with RSV = 1',
    async run(peer) {
      await peer.sendFrame({ opcode: Opcode.TEXT, payload: GREETING, rsv: 1 });
      await expectFailure(peer, [CloseCode.PROTOCOL_ERROR]);
    },
  },
  {
    id: '3.2',
    title: 'text, then text with RSV = 2, then ping: first echoed, then failed, no pong',
    async run(peer) {
      await peer.sendFrames(textThenReservedThenPing(2));
      await expectFailure(peer, [CloseCode.PROTOCOL_ERROR], [text(GREETING)]);
    },
  },
  {
    id: '3.3',
    title: 'as 3.2 with RSV = 3, each frame written separately',
    async run(peer) {
      await sendOneByOne(peer, textThenReservedThenPing(3));
      await expectFailure(peer, [CloseCode.PROTOCOL_ERROR], [text(GREETING)]);
    },
  },
  {
    id: '3.4',
    title: 'as 3.2 with RSV = 4, sent byte by byte',
    async run(peer) {
      await peer.sendFrames(textThenReservedThenPing(4), { chopSize: 1 });
      await expectFailure(peer, [CloseCode.PROTOCOL_ERROR], [text(GREETING)]);
    },
  },
  {
    id: '3.5',
    title: 'binary message with RSV = 5',
    async run(peer) {
      await peer.sendFrame({ opcode: Opcode.BINARY, payload: Buffer.from([0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff]), rsv: 5 });
      await expectFailure(peer, [CloseCode.PROTOCOL_ERROR]);
    },
  },
  {
    id: '3.6',
    title: 'ping with RSV = 6 is not answered',
    async run(peer) {
      await peer.sendFrame({ opcode: Opcode.PING, payload: GREETING, rsv: 6 });
      await expectFailure(peer, [CloseCode.PROTOCOL_ERROR]);
    },
  },
  {
    id: '3.7',
    title: 'close with RSV = 7',
    async run(peer) {
      await peer.sendFrame({ opcode: Opcode.CLOSE, payload: closePayload(CloseCode.NORMAL), rsv: 7 });
      await expectFailure(peer, [CloseCode.PROTOCOL_ERROR]);
    },
  },
];
