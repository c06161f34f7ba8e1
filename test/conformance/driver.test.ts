import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode, expectEventsThenCleanClose, expectFailure, text } from './cases/case.js';
import { UTF8_CATEGORIES } from './cases/utf8-sequences.js';
import { buildFrame, Opcode } from './driver/frame-builder.js';
import type { FrameSpec } from './driver/frame-builder.js';
import { FrameParser } from './driver/frame-parser.js';
import { connectRawClient, RawFakeServer } from './driver/handshake.js';
import { isValidUtf8 } from './driver/raw-peer.js';
import type { RawPeer } from './driver/raw-peer.js';

/**
 * The driver must be trustworthy in both directions: it encodes exactly the
 * frames a case asks for, and the outcome checks reject every way an
 * implementation can fall short of the strict grade. Here both ends of a
 * connection are the driver, one of them scripted to misbehave.
 */

const frameSpec = fc.record({
  opcode: fc.integer({ min: 0, max: 15 }),
  fin: fc.boolean(),
  rsv: fc.integer({ min: 0, max: 7 }),
  payload: fc.uint8Array({ maxLength: 300 }),
  mask: fc.boolean(),
  lengthEncoding: fc.constantFrom('minimal' as const, '16-bit' as const, '64-bit' as const),
});

describe('frame builder and parser', () => {
  it('parse back exactly what was built, however the bytes are split', () => {
    fc.assert(
      fc.property(fc.array(frameSpec, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (specs, cuts) => {
        const bytes = Buffer.concat(specs.map((spec) => buildFrame(spec, false)));
        const parser = new FrameParser();
        const parsed = [];
        let start = 0;
        for (const cut of [...cuts.map((value) => value % (bytes.length + 1))].sort((a, b) => a - b)) {
          parsed.push(...parser.push(bytes.subarray(start, Math.max(start, cut))));
          start = Math.max(start, cut);
        }
        parsed.push(...parser.push(bytes.subarray(start)));
        expect(parser.pendingByteCount).toBe(0);
        expect(
          parsed.map((frame) => ({ ...frame, payload: Buffer.from(frame.payload).toString('hex') })),
        ).toEqual(
          specs.map((spec) => ({
            fin: spec.fin,
            rsv: spec.rsv,
            opcode: spec.opcode,
            masked: spec.mask,
            payload: Buffer.from(spec.payload).toString('hex'),
            nonMinimalLength:
              (spec.lengthEncoding === '16-bit' && spec.payload.length < 126) ||
              (spec.lengthEncoding === '64-bit' && spec.payload.length <= 0xffff),
            lengthTopBitSet: false,
          })),
        );
      }),
    );
  });

  it('writes the header bits where RFC 6455 puts them', () => {
    const frame = buildFrame({ opcode: Opcode.TEXT, fin: false, rsv: 4, payload: 'abc', mask: false }, true);
    expect([...frame]).toEqual([0x41, 0x03, 0x61, 0x62, 0x63]);
    const masked = buildFrame({ opcode: Opcode.PING, payload: Buffer.from([0, 0]), mask: Buffer.from([1, 2, 3, 4]) }, false);
    expect([...masked]).toEqual([0x89, 0x82, 1, 2, 3, 4, 1, 2]);
  });
});

describe('UTF-8 sequences of cases 6.5-6.23', () => {
  it('have the testsuite case counts per group', () => {
    expect(UTF8_CATEGORIES.map((category) => category.sequences.length)).toEqual([
      5, 11, 4, 2, 4, 3, 5, 8, 5, 10, 1, 3, 5, 5, 5, 7, 8, 34, 7,
    ]);
  });

  it('are labelled valid exactly when a strict UTF-8 decoder accepts them', () => {
    for (const category of UTF8_CATEGORIES) {
      for (const sequence of category.sequences) {
        expect(isValidUtf8(sequence.bytes), `${category.title}: ${sequence.bytes.toString('hex')}`).toBe(sequence.valid);
      }
    }
  });
});

describe('outcome checks against a misbehaving implementation', () => {
  let fakeServer: RawFakeServer | null = null;
  const peers: RawPeer[] = [];
  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.dispose();
    await fakeServer?.close();
    fakeServer = null;
  });

  /** The driver as client, and a scripted driver as the "server under test". */
  async function connectedPair(): Promise<{ tester: RawPeer; implementation: RawPeer }> {
    fakeServer = await RawFakeServer.listen();
    const [tester, { peer: implementation }] = await Promise.all([connectRawClient(fakeServer.port), fakeServer.accept()]);
    peers.push(tester, implementation);
    return { tester, implementation };
  }

  const SHORT_WAIT_MS = 500;

  it('a bare TCP drop is not a strict failure: a close frame is required', async () => {
    const { tester, implementation } = await connectedPair();
    await tester.sendFrame({ opcode: 3 });
    implementation.dispose();
    await expect(expectFailure(tester, [CloseCode.PROTOCOL_ERROR], [], SHORT_WAIT_MS)).rejects.toThrow(/close code 1002/);
  });

  it('the wrong close code fails the case', async () => {
    const { tester, implementation } = await connectedPair();
    await implementation.sendClose(CloseCode.NORMAL);
    await expect(expectFailure(tester, [CloseCode.PROTOCOL_ERROR], [], SHORT_WAIT_MS)).rejects.toThrow(/1000/);
  });

  it('a server that never closes the TCP connection fails the case', async () => {
    const { tester, implementation } = await connectedPair();
    implementation.replyToClose = false;
    await tester.sendClose(CloseCode.NORMAL);
    await implementation.waitForCloseFrame();
    await implementation.sendClose(CloseCode.NORMAL);
    await expect(expectEventsThenCleanClose(tester, [], { waitMs: SHORT_WAIT_MS })).rejects.toThrow(/TCP connection to close/);
  });

  it('a server sending masked frames is a violation', async () => {
    const { tester, implementation } = await connectedPair();
    await implementation.sendFrame({ opcode: Opcode.TEXT, payload: 'hi', mask: true });
    await expect(expectEventsThenCleanClose(tester, [text('hi')])).rejects.toThrow(/masked frame/);
  });

  it('text echoed as binary fails the case', async () => {
    const { tester, implementation } = await connectedPair();
    await tester.sendText('hi');
    await implementation.sendBinary(Buffer.from('hi'));
    await expect(expectEventsThenCleanClose(tester, [text('hi')])).rejects.toThrow(/binary\(2\)/);
  });

  it('an extra pong fails the case', async () => {
    const { tester, implementation } = await connectedPair();
    await tester.sendFrame({ opcode: Opcode.PONG, payload: 'unsolicited' });
    await implementation.sendFrame({ opcode: Opcode.PONG, payload: 'unsolicited' } satisfies FrameSpec);
    await expect(expectEventsThenCleanClose(tester, [])).rejects.toThrow(/pong\(11\)/);
  });
});
