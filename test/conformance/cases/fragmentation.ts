import { Opcode } from '../driver/frame-builder.js';
import type { FrameSpec } from '../driver/frame-builder.js';
import type { Delivery, RawPeer } from '../driver/raw-peer.js';
import { CloseCode, expectEventsThenCleanClose, expectFailure, pong, text } from './case.js';
import type { ConformanceCase } from './case.js';

/**
 * Section 5: fragmented messages, control frames between fragments, and the
 * fragmentation errors (fragmented control frames, continuation without a
 * message, a new message inside an unfinished one) that fail the connection.
 *
 * Many cases come in three deliveries like the testsuite's: all frames in one
 * write, each frame written separately, and byte by byte.
 */

type Send = (peer: RawPeer, frames: FrameSpec[]) => Promise<void>;

const inOneWrite: Send = (peer, frames) => peer.sendFrames(frames);
const frameByFrame: Send = async (peer, frames) => {
  for (const frame of frames) await peer.sendFrame(frame);
};
const byteByByte: Send = (peer, frames) => peer.sendFrames(frames, { chopSize: 1 } satisfies Delivery);
const DELIVERIES: Array<[Send, string]> = [
  [inOneWrite, 'in one write'],
  [frameByFrame, 'frame by frame'],
  [byteByByte, 'byte by byte'],
];

/** Three cases numbered from `firstNumber`, one per delivery. */
function inEveryDelivery(
  firstNumber: number,
  title: string,
  frames: FrameSpec[],
  outcome: (peer: RawPeer) => Promise<void>,
): ConformanceCase[] {
  return DELIVERIES.map(([send, how], index) => ({
    id: `5.${firstNumber + index}`,
    title: `${title}, ${how}`,
    async run(peer) {
      await send(peer, frames);
      await outcome(peer);
    },
  }));
}

const failsWithProtocolError = (peer: RawPeer) => expectFailure(peer, [CloseCode.PROTOCOL_ERROR]);

const FRAGMENTS_5_19 = ['fragment1', 'fragment2', 'fragment3', 'fragment4', 'fragment5'];
const PINGS_5_19 = ['pongme 1!', 'pongme 2!'];

/**
 * Text in five fragments with pings in between. The first pong must come before
 * the message is finished: waiting for it replaces the testsuite's 1 s pause.
 */
async function fragmentsWithPings(peer: RawPeer, send: Send): Promise<void> {
  const [first, second, third, fourth, fifth] = FRAGMENTS_5_19 as [string, string, string, string, string];
  await send(peer, [
    { opcode: Opcode.TEXT, fin: false, payload: first },
    { opcode: Opcode.CONTINUATION, fin: false, payload: second },
    { opcode: Opcode.PING, payload: PINGS_5_19[0] },
  ]);
  await peer.waitForObservations(1);
  await send(peer, [
    { opcode: Opcode.CONTINUATION, fin: false, payload: third },
    { opcode: Opcode.CONTINUATION, fin: false, payload: fourth },
    { opcode: Opcode.PING, payload: PINGS_5_19[1] },
    { opcode: Opcode.CONTINUATION, fin: true, payload: fifth },
  ]);
  await expectEventsThenCleanClose(peer, [pong(PINGS_5_19[0]), pong(PINGS_5_19[1]), text(FRAGMENTS_5_19.join(''))]);
}

/** 5.16 / 5.17: twice, a continuation with nothing to continue followed by a two-fragment text. */
function strayContinuationsBeforeMessages(fin: boolean): FrameSpec[] {
  const round: FrameSpec[] = [
    { opcode: Opcode.CONTINUATION, fin, payload: 'fragment1' },
    { opcode: Opcode.TEXT, fin: false, payload: 'fragment2' },
    { opcode: Opcode.CONTINUATION, fin: true, payload: 'fragment3' },
  ];
  return [...round, ...round];
}

export const fragmentationSection: ConformanceCase[] = [
  {
    id: '5.1',
    title: 'ping fragmented into 2 frames',
    async run(peer) {
      await peer.sendFrames([
        { opcode: Opcode.PING, fin: false, payload: 'fragment1' },
        { opcode: Opcode.CONTINUATION, fin: true, payload: 'fragment2' },
      ]);
      await failsWithProtocolError(peer);
    },
  },
  {
    id: '5.2',
    title: 'pong fragmented into 2 frames',
    async run(peer) {
      await peer.sendFrames([
        { opcode: Opcode.PONG, fin: false, payload: 'fragment1' },
        { opcode: Opcode.CONTINUATION, fin: true, payload: 'fragment2' },
      ]);
      await failsWithProtocolError(peer);
    },
  },
  ...inEveryDelivery(
    3,
    'text message in 2 fragments',
    [
      { opcode: Opcode.TEXT, fin: false, payload: 'fragment1' },
      { opcode: Opcode.CONTINUATION, fin: true, payload: 'fragment2' },
    ],
    (peer) => expectEventsThenCleanClose(peer, [text('fragment1fragment2')]),
  ),
  ...inEveryDelivery(
    6,
    'text message in 2 fragments with a ping between them',
    [
      { opcode: Opcode.TEXT, fin: false, payload: 'fragment1' },
      { opcode: Opcode.PING, payload: 'ping payload' },
      { opcode: Opcode.CONTINUATION, fin: true, payload: 'fragment2' },
    ],
    (peer) => expectEventsThenCleanClose(peer, [pong('ping payload'), text('fragment1fragment2')]),
  ),
  ...inEveryDelivery(
    9,
    'continuation (FIN set) with nothing to continue, then a text message',
    [
      { opcode: Opcode.CONTINUATION, fin: true, payload: 'non-continuation payload' },
      { opcode: Opcode.TEXT, payload: 'Hello, world!' },
    ],
    failsWithProtocolError,
  ),
  ...inEveryDelivery(
    12,
    'continuation (FIN clear) with nothing to continue, then a text message',
    [
      { opcode: Opcode.CONTINUATION, fin: false, payload: 'non-continuation payload' },
      { opcode: Opcode.TEXT, payload: 'Hello, world!' },
    ],
    failsWithProtocolError,
  ),
  {
    id: '5.15',
    title: 'text in 2 fragments, then a continuation with nothing to continue, then text: first echoed, then failed',
    async run(peer) {
      await peer.sendFrames([
        { opcode: Opcode.TEXT, fin: false, payload: 'fragment1' },
        { opcode: Opcode.CONTINUATION, fin: true, payload: 'fragment2' },
        { opcode: Opcode.CONTINUATION, fin: false, payload: 'fragment3' },
        { opcode: Opcode.TEXT, fin: true, payload: 'fragment4' },
      ]);
      await expectFailure(peer, [CloseCode.PROTOCOL_ERROR], [text('fragment1fragment2')]);
    },
  },
  {
    id: '5.16',
    title: 'twice: continuation (FIN clear) with nothing to continue, then text in 2 fragments',
    async run(peer) {
      await peer.sendFrames(strayContinuationsBeforeMessages(false));
      await failsWithProtocolError(peer);
    },
  },
  {
    id: '5.17',
    title: 'twice: continuation (FIN set) with nothing to continue, then text in 2 fragments',
    async run(peer) {
      await peer.sendFrames(strayContinuationsBeforeMessages(true));
      await failsWithProtocolError(peer);
    },
  },
  {
    id: '5.18',
    title: 'new text message inside an unfinished fragmented one',
    async run(peer) {
      await peer.sendFrames([
        { opcode: Opcode.TEXT, fin: false, payload: 'fragment1' },
        { opcode: Opcode.TEXT, fin: true, payload: 'fragment2' },
      ]);
      await failsWithProtocolError(peer);
    },
  },
  {
    id: '5.19',
    title: 'text in 5 fragments with 2 pings between them: first pong before the message completes',
    run: (peer) => fragmentsWithPings(peer, inOneWrite),
  },
  {
    id: '5.20',
    title: 'as 5.19, each frame written separately',
    run: (peer) => fragmentsWithPings(peer, frameByFrame),
  },
];
