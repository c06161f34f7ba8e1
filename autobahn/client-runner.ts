import { GodotError, WebSocketClient, WriteMode } from '../src/index.js';
import type { WebSocketPeer } from '../src/index.js';
import { raiseLimitsForTestsuite } from './echo-limits.js';

/**
 * Drives the testsuite's fuzzingserver mode with the gdws client: asks how
 * many cases there are, runs each one (echoing every message with its type
 * until the testsuite closes the connection), then asks it to write the reports.
 */

export interface ClientRunOptions {
  /** The fuzzingserver's base URL, e.g. ws://127.0.0.1:9001 */
  url: string;
  /** The name the reports list this client under. */
  agent: string;
  /** Receives one line per step ("case 3 of 517"). */
  log?: (line: string) => void;
  /** Longest a single case may run before the runner gives up on it. */
  caseTimeoutMs?: number;
  /** Offer permessage-deflate, for the testsuite's compression sections 12 and 13. */
  deflate?: boolean;
}

export interface CaseRun {
  caseNumber: number;
  /** Whether the opening handshake succeeded. */
  connected: boolean;
  /** Whether both close frames were exchanged (when connected). */
  wasClean: boolean;
  /** Why the connection could not be opened or did not close in time. */
  problem?: string;
}

export interface ClientRunSummary {
  caseCount: number;
  cases: CaseRun[];
}

const DEFAULT_CASE_TIMEOUT_MS = 5 * 60_000;

interface SessionOutcome {
  connected: boolean;
  wasClean: boolean;
  problem?: string;
}

/** One WebSocket connection to `url`, handing each message to `onMessage`, until the server closes it. */
async function runSession(
  url: string,
  onMessage: (peer: WebSocketPeer, data: Buffer, isText: boolean) => void,
  timeoutMs: number,
  deflate = false,
): Promise<SessionOutcome> {
  const client = new WebSocketClient();
  client.deflate = deflate;
  raiseLimitsForTestsuite(client);
  const closed = new Promise<boolean>((resolve) => client.once('connectionClosed', resolve));
  client.on('dataReceived', () => {
    const peer = client.getPeer(1);
    while (peer && peer.getAvailablePacketCount() > 0) {
      const data = peer.getPacket();
      onMessage(peer, data, peer.wasStringPacket());
    }
  });
  const error = await client.connectToUrl(url);
  if (error !== GodotError.OK) {
    return { connected: false, wasClean: false, problem: `connect failed (Godot error ${error}): ${client.lastError?.message ?? ''}` };
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([closed, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    client.disconnectFromHost(1000, '');
    return { connected: true, wasClean: false, problem: `still open after ${timeoutMs} ms; disconnected` };
  }
  return { connected: true, wasClean: outcome };
}

const echo = (peer: WebSocketPeer, data: Buffer, isText: boolean): void => {
  peer.send(data, isText ? WriteMode.TEXT : WriteMode.BINARY);
};

export async function runFuzzingServerCases(options: ClientRunOptions): Promise<ClientRunSummary> {
  const base = options.url.replace(/\/+$/, '');
  const agent = encodeURIComponent(options.agent);
  const log = options.log ?? (() => {});
  const timeoutMs = options.caseTimeoutMs ?? DEFAULT_CASE_TIMEOUT_MS;

  let countText = '';
  const counting = await runSession(`${base}/getCaseCount`, (_peer, data) => (countText += data.toString('utf8')), timeoutMs);
  const caseCount = Number.parseInt(countText, 10);
  if (!counting.connected || !Number.isInteger(caseCount) || caseCount < 0) {
    throw new Error(`could not read the case count from ${base}/getCaseCount: ${counting.problem ?? `got "${countText}"`}`);
  }
  log(`${caseCount} cases to run against ${base} as agent "${options.agent}"`);

  const cases: CaseRun[] = [];
  for (let caseNumber = 1; caseNumber <= caseCount; caseNumber++) {
    log(`case ${caseNumber} of ${caseCount}`);
    const outcome = await runSession(`${base}/runCase?case=${caseNumber}&agent=${agent}`, echo, timeoutMs, options.deflate === true);
    if (outcome.problem) log(`  case ${caseNumber}: ${outcome.problem}`);
    cases.push({ caseNumber, ...outcome });
  }

  const reporting = await runSession(`${base}/updateReports?agent=${agent}`, () => {}, timeoutMs);
  if (!reporting.connected) throw new Error(`could not ask for the reports: ${reporting.problem}`);
  log('reports updated');
  return { caseCount, cases };
}
