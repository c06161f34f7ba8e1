import { binary, expectEventsThenCleanClose, text } from './case.js';
import type { ConformanceCase } from './case.js';
import { fragmented, payloadOf } from './large-messages.js';

/**
 * Section 10: a sender may split a large message into frames of any size
 * ("auto-fragmentation"); the receiver must reassemble it. The driver sends
 * 64 KiB in 1300-byte frames as the testsuite does, and accepts the echo in
 * however many frames the implementation chooses (it reassembles whatever
 * fragmentation comes back, including the implementation's own).
 */

const AUTO_FRAGMENT_SIZE = 1300;
const MESSAGE_SIZE = 65536;

export const autoFragmentationSection: ConformanceCase[] = [
  {
    id: '10.1.1',
    title: `64 KiB text message auto-fragmented into ${AUTO_FRAGMENT_SIZE}-byte frames`,
    async run(peer) {
      const payload = payloadOf('text', MESSAGE_SIZE);
      await peer.sendFrames(fragmented('text', payload, AUTO_FRAGMENT_SIZE));
      await expectEventsThenCleanClose(peer, [text(payload)]);
    },
  },
  {
    id: '10.1.x-binary',
    title: `64 KiB binary message auto-fragmented into ${AUTO_FRAGMENT_SIZE}-byte frames`,
    async run(peer) {
      const payload = payloadOf('binary', MESSAGE_SIZE);
      await peer.sendFrames(fragmented('binary', payload, AUTO_FRAGMENT_SIZE));
      await expectEventsThenCleanClose(peer, [binary(payload)]);
    },
  },
];
