import { expect } from 'vitest';
import { toBytes } from '../driver/frame-builder.js';
import { DEFAULT_WAIT_MS, describeObservation } from '../driver/raw-peer.js';
import type { Observation, RawPeer } from '../driver/raw-peer.js';

/**
 * One conformance case, numbered like the Autobahn testsuite case it follows.
 * `run` drives a connection whose other end is the implementation under test;
 * the same case runs against a server (the driver is the client) and against a
 * client (the driver is a fake server).
 */
export interface ConformanceCase {
  id: string;
  title: string;
  /** Budget for the whole case; large-message cases need more than the default. */
  timeoutMs?: number;
  run(peer: RawPeer): Promise<void>;
}

/** An event the implementation is expected to send, compared by type and exact content. */
export type ExpectedEvent = Observation extends infer Event ? (Event extends Observation ? Omit<Event, 'frameCount'> : never) : never;

export const text = (payload: string | Uint8Array): ExpectedEvent => ({ kind: 'message', type: 'text', data: toBytes(payload) });
export const binary = (payload: Uint8Array): ExpectedEvent => ({ kind: 'message', type: 'binary', data: toBytes(payload) });
export const pong = (payload: string | Uint8Array = ''): ExpectedEvent => ({ kind: 'pong', data: toBytes(payload) });

export const CloseCode = {
  NORMAL: 1000,
  PROTOCOL_ERROR: 1002,
  INVALID_PAYLOAD: 1007,
} as const;

function describeAll(events: readonly ExpectedEvent[]): string[] {
  return events.map((event) => describeObservation({ ...event, frameCount: 1 } as Observation));
}

function expectObservations(peer: RawPeer, expected: readonly ExpectedEvent[]): void {
  const summary = `messages, pings and pongs the implementation sent (${peer.describeState()})`;
  expect(describeAll(peer.observations), summary).toEqual(describeAll(expected));
}

function expectNoViolations(peer: RawPeer): void {
  expect(peer.violations, `RFC 6455 violations in what the implementation sent: ${peer.violations.join('; ')}`).toEqual([]);
}

/**
 * Waits until the close handshake is over and the TCP connection is gone. The
 * driver answers the implementation's close; as a server it then closes TCP
 * itself, as a client it requires the implementation (a server) to do so.
 */
async function expectClosedConnection(peer: RawPeer, waitMs: number): Promise<void> {
  await peer.waitUntil(
    'the close handshake to finish and the TCP connection to close',
    () => peer.closeReceived !== null && peer.drop !== null,
    waitMs,
  );
  if (peer.role === 'client') {
    expect(peer.drop?.how, 'the server under test must close the TCP connection itself').not.toBe('driver');
  }
}

export interface CleanCloseOptions {
  /** The code the driver closes with (when the case did not send a close itself). */
  closeCode?: number;
  /** Codes accepted in the implementation's close reply; a reply without a code is always accepted. */
  replyCodes?: readonly number[];
  waitMs?: number;
}

/**
 * The testsuite's "closedByMe, requireClean" outcome: the expected events
 * arrive, the driver starts the close handshake, the implementation answers it
 * with a close frame (code among `replyCodes`, or none) and the connection ends.
 * Afterwards exactly the expected events, and nothing else, were seen.
 */
export async function expectEventsThenCleanClose(
  peer: RawPeer,
  expected: readonly ExpectedEvent[],
  options: CleanCloseOptions = {},
): Promise<void> {
  const closeCode = options.closeCode ?? CloseCode.NORMAL;
  const replyCodes = options.replyCodes ?? [CloseCode.NORMAL];
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  if (expected.length > 0 && !peer.closeSent) await peer.waitForObservations(expected.length, waitMs);
  if (!peer.closeSent) await peer.sendClose(closeCode);
  await expectClosedConnection(peer, waitMs);
  expectObservations(peer, expected);
  const replyCode = peer.closeReceived!.code;
  if (replyCode !== null) expect(replyCodes, `close code ${replyCode} in the implementation's reply`).toContain(replyCode);
  expectNoViolations(peer);
}

/**
 * The testsuite's "connection is failed" outcome in its strictest form: the
 * implementation sends a close frame carrying one of `codes` (a bare TCP drop
 * is not enough), and the TCP connection ends. Only `expectedBefore` was echoed.
 */
export async function expectFailure(
  peer: RawPeer,
  codes: readonly number[],
  expectedBefore: readonly ExpectedEvent[] = [],
  waitMs = DEFAULT_WAIT_MS,
): Promise<void> {
  try {
    await peer.waitForCloseFrame(waitMs);
  } catch (error) {
    throw new Error(`expected the implementation to fail the connection with close code ${codes.join(' or ')}: ${(error as Error).message}`);
  }
  await expectClosedConnection(peer, waitMs);
  expect(codes, `close code ${peer.closeReceived!.code ?? '(none)'} sent by the implementation`).toContain(peer.closeReceived!.code);
  expectObservations(peer, expectedBefore);
  expectNoViolations(peer);
}

/**
 * For the testsuite's INFORMATIONAL cases: the outcome is implementation
 * defined, but the close handshake must still complete without violations and
 * the echoed events must be a prefix of `possibleEvents`.
 */
export async function expectSomeOrderlyClose(
  peer: RawPeer,
  possibleEvents: readonly ExpectedEvent[],
  acceptedCodes: readonly number[],
): Promise<void> {
  await expectClosedConnection(peer, DEFAULT_WAIT_MS);
  const seen = describeAll(peer.observations);
  expect(seen, 'events must be a prefix of the possible ones').toEqual(describeAll(possibleEvents).slice(0, seen.length));
  const code = peer.closeReceived!.code;
  if (code !== null) expect(acceptedCodes, `close code ${code}`).toContain(code);
  expectNoViolations(peer);
}
