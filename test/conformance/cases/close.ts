import { closePayload, Opcode } from '../driver/frame-builder.js';
import { CloseCode, expectEventsThenCleanClose, expectFailure, expectSomeOrderlyClose, text } from './case.js';
import type { ConformanceCase } from './case.js';

/**
 * Section 7: the closing handshake. A valid close is answered with a close
 * (normal or echoed code) and the connection ends; nothing sent after a close
 * is processed; malformed close frames (1-byte payload, code not allowed on the
 * wire, reason over 123 bytes or not UTF-8) are answered with 1002. Every case
 * also requires the TCP connection to end within the driver's wait bound.
 */

const VALID_CODES = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999];
const INVALID_CODES = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999];
/** κόσμε, a lone surrogate, "edited": not UTF-8. */
const INVALID_UTF8_REASON = Buffer.from('cebae1bdb9cf83cebcceb5eda080656469746564', 'hex');

export const closeSection: ConformanceCase[] = [
  {
    id: '7.1.1',
    title: 'text message, then close: echo, then clean close',
    async run(peer) {
      await peer.sendText('Hello World!');
      await expectEventsThenCleanClose(peer, [text('Hello World!')]);
    },
  },
  {
    id: '7.1.2',
    title: 'two close frames: one clean close',
    async run(peer) {
      await peer.sendClose(CloseCode.NORMAL);
      await peer.sendClose(CloseCode.NORMAL);
      await expectEventsThenCleanClose(peer, []);
    },
  },
  {
    id: '7.1.3',
    title: 'ping after close is not answered',
    async run(peer) {
      await peer.sendClose(CloseCode.NORMAL);
      await peer.sendPing('Hello World!');
      await expectEventsThenCleanClose(peer, []);
    },
  },
  {
    id: '7.1.4',
    title: 'text after close is not echoed',
    async run(peer) {
      await peer.sendClose(CloseCode.NORMAL);
      await peer.sendText('Hello World!');
      await expectEventsThenCleanClose(peer, []);
    },
  },
  {
    id: '7.1.5',
    title: 'first fragment, close, last fragment: nothing echoed, clean close',
    async run(peer) {
      await peer.sendFrames([
        { opcode: Opcode.TEXT, fin: false, payload: 'fragment1' },
        { opcode: Opcode.CLOSE, payload: closePayload(CloseCode.NORMAL) },
        { opcode: Opcode.CONTINUATION, fin: true, payload: 'fragment2' },
      ]);
      await expectEventsThenCleanClose(peer, []);
    },
  },
  {
    id: '7.1.6',
    title: '256 KiB message, small message, close and ping back to back (informational: echoes may be cut by the close)',
    async run(peer) {
      const big = Buffer.alloc(256 * 1024, 'BAsd7&jh23');
      await peer.sendFrames([
        { opcode: Opcode.TEXT, payload: big },
        { opcode: Opcode.TEXT, payload: 'Hello World!' },
        { opcode: Opcode.CLOSE, payload: closePayload(CloseCode.NORMAL) },
        { opcode: Opcode.PING },
      ]);
      await expectSomeOrderlyClose(peer, [text(big), text('Hello World!')], [CloseCode.NORMAL]);
    },
  },
  {
    id: '7.3.1',
    title: 'close with an empty payload',
    async run(peer) {
      await peer.sendClose();
      await expectEventsThenCleanClose(peer, []);
    },
  },
  {
    id: '7.3.2',
    title: 'close with a 1-byte payload',
    async run(peer) {
      await peer.sendFrame({ opcode: Opcode.CLOSE, payload: 'a' });
      await expectFailure(peer, [CloseCode.PROTOCOL_ERROR]);
    },
  },
  {
    id: '7.3.3',
    title: 'close with a code and no reason',
    async run(peer) {
      await peer.sendClose(CloseCode.NORMAL);
      await expectEventsThenCleanClose(peer, []);
    },
  },
  {
    id: '7.3.4',
    title: 'close with a code and a reason',
    async run(peer) {
      await peer.sendClose(CloseCode.NORMAL, 'Hello World!');
      await expectEventsThenCleanClose(peer, []);
    },
  },
  {
    id: '7.3.5',
    title: 'close with a 123-byte reason (the maximum)',
    async run(peer) {
      await peer.sendClose(CloseCode.NORMAL, '*'.repeat(123));
      await expectEventsThenCleanClose(peer, []);
    },
  },
  {
    id: '7.3.6',
    title: 'close with a 124-byte reason (one too many)',
    async run(peer) {
      await peer.sendClose(CloseCode.NORMAL, '*'.repeat(124));
      await expectFailure(peer, [CloseCode.PROTOCOL_ERROR]);
    },
  },
  {
    id: '7.5.1',
    title: 'close with a reason that is not UTF-8',
    async run(peer) {
      await peer.sendClose(CloseCode.NORMAL, INVALID_UTF8_REASON);
      await expectFailure(peer, [CloseCode.PROTOCOL_ERROR, CloseCode.INVALID_PAYLOAD]);
    },
  },
  ...VALID_CODES.map(
    (code, index): ConformanceCase => ({
      id: `7.7.${index + 1}`,
      title: `close with valid code ${code}: answered with 1000 or ${code}`,
      async run(peer) {
        await peer.sendClose(code);
        await expectEventsThenCleanClose(peer, [], { replyCodes: [CloseCode.NORMAL, code] });
      },
    }),
  ),
  ...INVALID_CODES.map(
    (code, index): ConformanceCase => ({
      id: `7.9.${index + 1}`,
      title: `close with code ${code}, which may not be sent: answered with 1002`,
      async run(peer) {
        await peer.sendClose(code);
        await expectFailure(peer, [CloseCode.PROTOCOL_ERROR]);
      },
    }),
  ),
  ...[5000, 65535].map(
    (code, index): ConformanceCase => ({
      id: `7.13.${index + 1}`,
      title: `close with out-of-range code ${code} (informational: either closed normally or failed)`,
      async run(peer) {
        await peer.sendClose(code);
        await expectSomeOrderlyClose(peer, [], [CloseCode.NORMAL, CloseCode.PROTOCOL_ERROR]);
      },
    }),
  ),
];
