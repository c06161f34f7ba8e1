import { Opcode } from '../driver/frame-builder.js';
import { binary, expectEventsThenCleanClose, text } from './case.js';
import type { ConformanceCase } from './case.js';

/** Section 1: text and binary messages around every length-encoding boundary, whole and in small chops. */

const LENGTHS = [0, 125, 126, 127, 128, 65535, 65536];

function framingCases(kind: 'text' | 'binary', group: number): ConformanceCase[] {
  const opcode = kind === 'text' ? Opcode.TEXT : Opcode.BINARY;
  const payloadOf = (length: number): Buffer => Buffer.alloc(length, kind === 'text' ? '*' : 0xfe);
  const expectedOf = (payload: Buffer) => (kind === 'text' ? text(payload) : binary(payload));
  const cases: ConformanceCase[] = LENGTHS.map((length, index) => ({
    id: `1.${group}.${index + 1}`,
    title: `${kind} message with a ${length}-byte payload`,
    async run(peer) {
      const payload = payloadOf(length);
      await peer.sendFrame({ opcode, payload });
      await expectEventsThenCleanClose(peer, [expectedOf(payload)]);
    },
  }));
  cases.push({
    id: `1.${group}.8`,
    title: `${kind} message with a 65536-byte payload, sent in chops of 997 bytes`,
    async run(peer) {
      const payload = payloadOf(65536);
      await peer.sendFrame({ opcode, payload }, { chopSize: 997 });
      await expectEventsThenCleanClose(peer, [expectedOf(payload)]);
    },
  });
  // Beyond the testsuite: every header boundary again, one byte per write, so headers and lengths arrive split.
  for (const length of [0, 125, 126, 127, 128]) {
    cases.push({
      id: `1.${group}.x-${length}`,
      title: `${kind} message with a ${length}-byte payload, sent byte by byte`,
      async run(peer) {
        const payload = payloadOf(length);
        await peer.sendFrame({ opcode, payload }, { chopSize: 1 });
        await expectEventsThenCleanClose(peer, [expectedOf(payload)]);
      },
    });
  }
  // Beyond the testsuite: headers cut inside the extended length and the mask key, with pauses between the pieces.
  for (const length of [126, 65536]) {
    cases.push({
      id: `1.${group}.x-split-${length}`,
      title: `${kind} message with a ${length}-byte payload, cut inside its header and paused between the pieces`,
      async run(peer) {
        const payload = payloadOf(length);
        await peer.sendFrame({ opcode, payload }, { splitAt: [1, 3, 5, 7, 9, 12, 100], pauseMs: 5 });
        await expectEventsThenCleanClose(peer, [expectedOf(payload)]);
      },
    });
  }
  return cases;
}

export const framingSection: ConformanceCase[] = [...framingCases('text', 1), ...framingCases('binary', 2)];
