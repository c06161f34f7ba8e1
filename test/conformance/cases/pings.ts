import { Opcode } from '../driver/frame-builder.js';
import { CloseCode, expectEventsThenCleanClose, expectFailure, pong } from './case.js';
import type { ConformanceCase } from './case.js';

/** Section 2: pings are answered with identical pongs, pongs need no answer, control frames stay within 125 bytes. */

const BINARY_PING_PAYLOAD = Buffer.from([0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff]);
const TEN_PING_PAYLOADS = Array.from({ length: 10 }, (_, index) => `payload-${index}`);

export const pingSection: ConformanceCase[] = [
  {
    id: '2.1',
    title: 'ping without payload',
    async run(peer) {
      await peer.sendPing();
      await expectEventsThenCleanClose(peer, [pong()]);
    },
  },
  {
    id: '2.2',
    title: 'ping with a small text payload',
    async run(peer) {
      await peer.sendPing('Hello, world!');
      await expectEventsThenCleanClose(peer, [pong('Hello, world!')]);
    },
  },
  {
    id: '2.3',
    title: 'ping with a small binary (non UTF-8) payload',
    async run(peer) {
      await peer.sendPing(BINARY_PING_PAYLOAD);
      await expectEventsThenCleanClose(peer, [pong(BINARY_PING_PAYLOAD)]);
    },
  },
  {
    id: '2.4',
    title: 'ping with a 125-byte binary payload',
    async run(peer) {
      const payload = Buffer.alloc(125, 0xfe);
      await peer.sendPing(payload);
      await expectEventsThenCleanClose(peer, [pong(payload)]);
    },
  },
  {
    id: '2.5',
    title: 'ping with a 126-byte payload fails the connection',
    async run(peer) {
      await peer.sendPing(Buffer.alloc(126, 0xfe));
      await expectFailure(peer, [CloseCode.PROTOCOL_ERROR]);
    },
  },
  {
    id: '2.6',
    title: 'ping with a 125-byte payload, sent byte by byte',
    async run(peer) {
      const payload = Buffer.alloc(125, 0xfe);
      await peer.sendFrame({ opcode: Opcode.PING, payload }, { chopSize: 1 });
      await expectEventsThenCleanClose(peer, [pong(payload)]);
    },
  },
  {
    id: '2.7',
    title: 'unsolicited pong without payload is ignored',
    async run(peer) {
      await peer.sendFrame({ opcode: Opcode.PONG });
      await expectEventsThenCleanClose(peer, []);
    },
  },
  {
    id: '2.8',
    title: 'unsolicited pong with payload is ignored',
    async run(peer) {
      await peer.sendFrame({ opcode: Opcode.PONG, payload: 'unsolicited pong payload' });
      await expectEventsThenCleanClose(peer, []);
    },
  },
  {
    id: '2.9',
    title: 'unsolicited pong, then ping: only the ping is answered',
    async run(peer) {
      await peer.sendFrames([
        { opcode: Opcode.PONG, payload: 'unsolicited pong payload' },
        { opcode: Opcode.PING, payload: 'ping payload' },
      ]);
      await expectEventsThenCleanClose(peer, [pong('ping payload')]);
    },
  },
  {
    id: '2.10',
    title: '10 pings with payloads are all answered, in order',
    async run(peer) {
      await peer.sendFrames(TEN_PING_PAYLOADS.map((payload) => ({ opcode: Opcode.PING, payload })));
      await expectEventsThenCleanClose(peer, TEN_PING_PAYLOADS.map((payload) => pong(payload)));
    },
  },
  {
    id: '2.11',
    title: '10 pings with payloads, sent byte by byte, are all answered, in order',
    async run(peer) {
      await peer.sendFrames(
        TEN_PING_PAYLOADS.map((payload) => ({ opcode: Opcode.PING, payload })),
        { chopSize: 1 },
      );
      await expectEventsThenCleanClose(peer, TEN_PING_PAYLOADS.map((payload) => pong(payload)));
    },
  },
];
