import { randomBytes } from 'node:crypto';
import { Opcode } from '../driver/frame-builder.js';
import type { FrameSpec } from '../driver/frame-builder.js';
import type { RawPeer } from '../driver/raw-peer.js';
import { binary, expectEventsThenCleanClose, text } from './case.js';
import type { ConformanceCase, ExpectedEvent } from './case.js';

/**
 * Section 9: large messages (up to 16 MiB), large messages in many small
 * fragments or chops, and many small messages one after another. Only
 * correctness is checked: the testsuite reports these cases' times, which
 * belong to bench/, not to tests.
 */

const KIB = 1024;
const MIB = 1024 * KIB;
/** Generous bounds: a 16 MiB echo on a busy 2-core machine, never a timing assertion. */
const LARGE_CASE_BUDGET_MS = 60_000;
const LARGE_WAIT_MS = 45_000;

type Kind = 'text' | 'binary';

const payloadCache = new Map<string, Buffer>();

/**
 * A payload of exactly `size` bytes that does not repeat, so any reordered or
 * lost chunk changes it. Text mixes 1- to 4-byte UTF-8 sequences, so that
 * fragment and chop boundaries fall inside code points.
 */
export function payloadOf(kind: Kind, size: number): Buffer {
  const key = `${kind}:${size}`;
  let payload = payloadCache.get(key);
  if (!payload) {
    payload = kind === 'binary' ? randomBytes(size) : nonRepeatingUtf8(size);
    payloadCache.set(key, payload);
  }
  return payload;
}

function nonRepeatingUtf8(size: number): Buffer {
  const output = Buffer.alloc(size);
  const entropy = randomBytes(size);
  let offset = 0;
  let cursor = 0;
  while (offset < size) {
    const room = size - offset;
    const selector = entropy[cursor++ % size]!;
    const low = entropy[cursor++ % size]! & 0x3f;
    const width = room < 4 ? 1 : (selector & 3) + 1;
    if (width === 1) {
      output[offset++] = 0x20 + (selector % 0x5f);
    } else if (width === 2) {
      output[offset++] = 0xc2 + (selector % 0x1e);
      output[offset++] = 0x80 | low;
    } else if (width === 3) {
      // E1-EC avoids the overlong (E0) and surrogate (ED) ranges.
      output[offset++] = 0xe1 + (selector % 0x0c);
      output[offset++] = 0x80 | (selector & 0x3f);
      output[offset++] = 0x80 | low;
    } else {
      // F1-F3 covers planes 4-15 without passing U+10FFFF.
      output[offset++] = 0xf1 + (selector % 3);
      output[offset++] = 0x80 | (selector & 0x3f);
      output[offset++] = 0x80 | low;
      output[offset++] = 0x80 | ((selector >> 2) & 0x3f);
    }
  }
  return output;
}

const opcodeOf = (kind: Kind) => (kind === 'text' ? Opcode.TEXT : Opcode.BINARY);
const expectedOf = (kind: Kind, payload: Buffer): ExpectedEvent => (kind === 'text' ? text(payload) : binary(payload));

function describeSize(size: number): string {
  return size >= MIB ? `${size / MIB} MiB` : size >= KIB ? `${size / KIB} KiB` : `${size} B`;
}

/** The whole payload as fragments of `fragmentSize` bytes. */
export function fragmented(kind: Kind, payload: Buffer, fragmentSize: number): FrameSpec[] {
  const frames: FrameSpec[] = [];
  for (let offset = 0; offset < payload.length; offset += fragmentSize) {
    frames.push({
      opcode: offset === 0 ? opcodeOf(kind) : Opcode.CONTINUATION,
      fin: offset + fragmentSize >= payload.length,
      payload: payload.subarray(offset, offset + fragmentSize),
    });
  }
  return frames;
}

async function echoesIntact(peer: RawPeer, kind: Kind, payload: Buffer): Promise<void> {
  await expectEventsThenCleanClose(peer, [expectedOf(kind, payload)], { waitMs: LARGE_WAIT_MS });
}

function largeMessageCases(kind: Kind, group: number): ConformanceCase[] {
  return [64 * KIB, 256 * KIB, MIB, 4 * MIB, 8 * MIB, 16 * MIB].map((size, index) => ({
    id: `9.${group}.${index + 1}`,
    title: `${kind} message of ${describeSize(size)}`,
    timeoutMs: LARGE_CASE_BUDGET_MS,
    async run(peer) {
      const payload = payloadOf(kind, size);
      await peer.sendFrame({ opcode: opcodeOf(kind), payload });
      await echoesIntact(peer, kind, payload);
    },
  }));
}

function fragmentedMessageCases(kind: Kind, group: number): ConformanceCase[] {
  const fragmentSizes = [64, 256, KIB, 4 * KIB, 16 * KIB, 64 * KIB, 256 * KIB, MIB, 4 * MIB];
  return fragmentSizes.map((fragmentSize, index) => ({
    id: `9.${group}.${index + 1}`,
    title: `4 MiB ${kind} message in fragments of ${describeSize(fragmentSize)} (${(4 * MIB) / fragmentSize} frames)`,
    timeoutMs: LARGE_CASE_BUDGET_MS,
    async run(peer) {
      const payload = payloadOf(kind, 4 * MIB);
      await peer.sendFrames(fragmented(kind, payload, fragmentSize));
      await echoesIntact(peer, kind, payload);
    },
  }));
}

function choppedMessageCases(kind: Kind, group: number): ConformanceCase[] {
  return [64, 128, 256, 512, 1024, 2048].map((chopSize, index) => ({
    id: `9.${group}.${index + 1}`,
    title: `1 MiB ${kind} message in one frame, written in chops of ${chopSize} bytes`,
    timeoutMs: LARGE_CASE_BUDGET_MS,
    async run(peer) {
      const payload = payloadOf(kind, MIB);
      await peer.sendFrame({ opcode: opcodeOf(kind), payload }, { chopSize });
      await echoesIntact(peer, kind, payload);
    },
  }));
}

const ROUND_TRIPS = 1000;

function roundTripCases(kind: Kind, group: number): ConformanceCase[] {
  return [0, 16, 64, 256, KIB, 4 * KIB].map((size, index) => ({
    id: `9.${group}.${index + 1}`,
    title: `${ROUND_TRIPS} ${kind} messages of ${describeSize(size)}, each sent after the previous echo`,
    timeoutMs: LARGE_CASE_BUDGET_MS,
    async run(peer) {
      const payload = payloadOf(kind, size);
      for (let count = 1; count <= ROUND_TRIPS; count++) {
        await peer.sendFrame({ opcode: opcodeOf(kind), payload });
        await peer.waitForObservations(count, LARGE_WAIT_MS);
      }
      await expectEventsThenCleanClose(
        peer,
        Array.from({ length: ROUND_TRIPS }, () => expectedOf(kind, payload)),
        { waitMs: LARGE_WAIT_MS },
      );
    },
  }));
}

export const largeMessagesSection: ConformanceCase[] = [
  ...largeMessageCases('text', 1),
  ...largeMessageCases('binary', 2),
  ...fragmentedMessageCases('text', 3),
  ...fragmentedMessageCases('binary', 4),
  ...choppedMessageCases('text', 5),
  ...choppedMessageCases('binary', 6),
  ...roundTripCases('text', 7),
  ...roundTripCases('binary', 8),
];
