import { buildFrame, Opcode } from '../driver/frame-builder.js';
import { sleep } from '../driver/raw-peer.js';
import type { RawPeer } from '../driver/raw-peer.js';
import { CloseCode, expectEventsThenCleanClose, expectFailure, text } from './case.js';
import type { ConformanceCase } from './case.js';
import { FIRST_UTF8_CATEGORY_GROUP, KOSME_HEX, UTF8_CATEGORIES } from './utf8-sequences.js';

/**
 * Section 6: text must be valid UTF-8. Valid text (however it is fragmented,
 * even mid code point) is echoed; invalid text fails the connection with 1007,
 * and as soon as the first invalid byte arrives (6.4.x: "fail fast"), not when
 * the message or frame is complete.
 */

const KOSME = Buffer.from(KOSME_HEX.replace(/\s+/g, ''), 'hex');
const HELLO_UTF8 = Buffer.from('Hello-µ@ßöäüàá-UTF-8!!', 'utf8');
/** κόσμε, a lone surrogate (ED A0 80), then "edited". */
const INVALID_MESSAGE = Buffer.concat([KOSME, Buffer.from('eda080', 'hex'), Buffer.from('edited')]);

/**
 * The fail-fast message: κόσμε, F4 90 80 80 (U+110000, beyond Unicode), "edited".
 * Byte 12 (0x90) is the first one that makes it invalid.
 */
const FAIL_FAST_MESSAGE = Buffer.concat([KOSME, Buffer.from('f4908080', 'hex'), Buffer.from('edited')]);
const FIRST_INVALID_BYTE = 12;

/** Each byte of `payload` as its own frame of one text message. */
function oneBytePerFrame(payload: Buffer) {
  return [...payload].map((byte, index) => ({
    opcode: index === 0 ? Opcode.TEXT : Opcode.CONTINUATION,
    fin: index === payload.length - 1,
    payload: Buffer.from([byte]),
  }));
}

/**
 * 6.4.1 / 6.4.2: the message in three frames. The first (valid so far) must be
 * accepted, which the sync ping proves; the second frame carries the invalid
 * byte and must fail the connection with 1007 although the message is not
 * finished. The third frame is never sent, so waiting for the rest can only time out.
 */
async function failFastAcrossFrames(peer: RawPeer, firstEnd: number, secondEnd: number): Promise<void> {
  await peer.sendFrame({ opcode: Opcode.TEXT, fin: false, payload: FAIL_FAST_MESSAGE.subarray(0, firstEnd) });
  await peer.sync();
  await peer.sendFrame({ opcode: Opcode.CONTINUATION, fin: false, payload: FAIL_FAST_MESSAGE.subarray(firstEnd, secondEnd) });
  await expectFailure(peer, [CloseCode.INVALID_PAYLOAD]);
}

/**
 * 6.4.3 / 6.4.4: one frame holding the whole message, sent in chops. The first
 * chop must not fail the connection; the second holds the invalid byte and must
 * fail it although the frame is not complete. The rest of the frame is never sent.
 */
async function failFastWithinFrame(peer: RawPeer, firstEnd: number, secondEnd: number): Promise<void> {
  const frame = buildFrame({ opcode: Opcode.TEXT, payload: FAIL_FAST_MESSAGE }, peer.role === 'client');
  const headerLength = frame.length - FAIL_FAST_MESSAGE.length;
  await peer.sendRaw(frame.subarray(0, headerLength + firstEnd));
  // A moment for the first chop to be processed on its own; no timing is asserted.
  await sleep(50);
  if (peer.closeReceived) throw new Error(`the implementation failed the connection on the valid first chop; ${peer.describeState()}`);
  await peer.sendRaw(frame.subarray(headerLength + firstEnd, headerLength + secondEnd));
  await expectFailure(peer, [CloseCode.INVALID_PAYLOAD]);
}

const handPickedCases: ConformanceCase[] = [
  {
    id: '6.1.1',
    title: 'empty text message',
    async run(peer) {
      await peer.sendText('');
      await expectEventsThenCleanClose(peer, [text('')]);
    },
  },
  {
    id: '6.1.2',
    title: 'empty text message in 3 empty fragments',
    async run(peer) {
      await peer.sendFrames([
        { opcode: Opcode.TEXT, fin: false },
        { opcode: Opcode.CONTINUATION, fin: false },
        { opcode: Opcode.CONTINUATION, fin: true },
      ]);
      await expectEventsThenCleanClose(peer, [text('')]);
    },
  },
  {
    id: '6.1.3',
    title: 'text message in 3 fragments, first and last empty',
    async run(peer) {
      await peer.sendFrames([
        { opcode: Opcode.TEXT, fin: false },
        { opcode: Opcode.CONTINUATION, fin: false, payload: 'middle frame payload' },
        { opcode: Opcode.CONTINUATION, fin: true },
      ]);
      await expectEventsThenCleanClose(peer, [text('middle frame payload')]);
    },
  },
  {
    id: '6.2.1',
    title: 'valid UTF-8 text in one frame',
    async run(peer) {
      await peer.sendText(HELLO_UTF8);
      await expectEventsThenCleanClose(peer, [text(HELLO_UTF8)]);
    },
  },
  {
    id: '6.2.2',
    title: 'valid UTF-8 text in 2 fragments split on a code point boundary',
    async run(peer) {
      const split = Buffer.from('Hello-µ@ßöä', 'utf8').length;
      await peer.sendFrames([
        { opcode: Opcode.TEXT, fin: false, payload: HELLO_UTF8.subarray(0, split) },
        { opcode: Opcode.CONTINUATION, fin: true, payload: HELLO_UTF8.subarray(split) },
      ]);
      await expectEventsThenCleanClose(peer, [text(HELLO_UTF8)]);
    },
  },
  {
    id: '6.2.3',
    title: 'valid UTF-8 text in 1-byte fragments, most ending inside a code point',
    async run(peer) {
      await peer.sendFrames(oneBytePerFrame(HELLO_UTF8));
      await expectEventsThenCleanClose(peer, [text(HELLO_UTF8)]);
    },
  },
  {
    id: '6.2.4',
    title: 'valid UTF-8 text (κόσμε) in 1-byte fragments',
    async run(peer) {
      await peer.sendFrames(oneBytePerFrame(KOSME));
      await expectEventsThenCleanClose(peer, [text(KOSME)]);
    },
  },
  {
    id: '6.3.1',
    title: 'invalid UTF-8 text in one frame',
    async run(peer) {
      await peer.sendText(INVALID_MESSAGE);
      await expectFailure(peer, [CloseCode.INVALID_PAYLOAD]);
    },
  },
  {
    id: '6.3.2',
    title: 'invalid UTF-8 text in 1-byte fragments',
    async run(peer) {
      await peer.sendFrames(oneBytePerFrame(INVALID_MESSAGE));
      await expectFailure(peer, [CloseCode.INVALID_PAYLOAD]);
    },
  },
  {
    id: '6.4.1',
    title: 'fail fast: 3 frames, the 2nd holds U+110000; fail on it without waiting for the 3rd',
    run: (peer) => failFastAcrossFrames(peer, 11, 15),
  },
  {
    id: '6.4.2',
    title: 'fail fast: as 6.4.1, the 1st frame ends mid code point and the 2nd is just the invalid byte',
    run: (peer) => failFastAcrossFrames(peer, FIRST_INVALID_BYTE, FIRST_INVALID_BYTE + 1),
  },
  {
    id: '6.4.3',
    title: 'fail fast: as 6.4.1 but 3 chops of one frame; fail on the 2nd chop',
    run: (peer) => failFastWithinFrame(peer, 11, 15),
  },
  {
    id: '6.4.4',
    title: 'fail fast: as 6.4.2 but 3 chops of one frame; fail on the chop holding just the invalid byte',
    run: (peer) => failFastWithinFrame(peer, FIRST_INVALID_BYTE, FIRST_INVALID_BYTE + 1),
  },
];

const sequenceCases: ConformanceCase[] = UTF8_CATEGORIES.flatMap((category, categoryIndex) =>
  category.sequences.map((sequence, sequenceIndex) => ({
    id: `6.${FIRST_UTF8_CATEGORY_GROUP + categoryIndex}.${sequenceIndex + 1}`,
    title: `${category.title}: ${sequence.valid ? 'valid' : 'invalid'} 0x${sequence.bytes.toString('hex')}`,
    async run(peer: RawPeer) {
      await peer.sendText(sequence.bytes);
      if (sequence.valid) await expectEventsThenCleanClose(peer, [text(sequence.bytes)]);
      else await expectFailure(peer, [CloseCode.INVALID_PAYLOAD]);
    },
  })),
);

export const utf8Section: ConformanceCase[] = [...handPickedCases, ...sequenceCases];
