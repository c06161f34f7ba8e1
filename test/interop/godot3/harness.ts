// What the Godot 3 interop test files share: their hooks, the messages they exchange,
// the Godot servers they start, and readers of what the roles report.

import { afterEach, beforeEach, expect, onTestFailed } from 'vitest';
import type { GodotBuffers, MessageType, MpStep, RawClientStep, RawServerConfig } from './godot-config.js';
import { requireGodot3, resultsOf, startGodotServer } from './run-godot.js';
import type { GodotProcess, GodotResult, GodotRunOutcome } from './run-godot.js';

/** Payload lengths at the edges of the frame's length encodings: 125 is the largest 7-bit one, 126 the smallest 16-bit one. */
export const SIZES = [1, 125, 126, 65535];
export const TYPES: readonly MessageType[] = ['text', 'binary'];
export const ONE_MIB = 1 << 20;
export const TWO_MIB_BUFFERS: GodotBuffers = [2048, 1024, 2048, 1024];

export type CleanupStep = () => void | Promise<void>;

/**
 * Registers the hooks of a Godot 3 test file: each test first needs godot3-server on
 * PATH, and the steps pushed onto the returned list run after it, newest first.
 */
export function useGodot3(): CleanupStep[] {
  const cleanups: CleanupStep[] = [];
  beforeEach(() => {
    requireGodot3();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return cleanups;
}

/** A run that finished on its own: no script errors, no watchdog. */
export function expectHealthy(outcome: GodotRunOutcome): void {
  expect(outcome.scriptErrors).toEqual([]);
  expect(outcome.killedOnTimeout).toBe(false);
  expect(resultsOf(outcome.results, 'timeout')).toEqual([]);
}

/** Prints the runs' output if the current test fails: Godot's own log is the best clue. */
export function showOnFailure(...runs: GodotRunOutcome[]): void {
  onTestFailed(() => {
    for (const run of runs) console.log(run.stdout, run.stderr);
  });
}

export function messageSummary(result: GodotResult): { size: unknown; type: MessageType; pattern: unknown } {
  return { size: result['size'], type: result['string'] === true ? 'text' : 'binary', pattern: result['pattern'] };
}

/** What the raw roles report for echoes of each size as text then binary. */
export function expectedEchoes(sizes: readonly number[]): { size: number; type: MessageType; pattern: boolean }[] {
  return sizes.flatMap((size) => TYPES.map((type) => ({ size, type, pattern: true })));
}

/** raw-client steps: each size as text then binary, waiting for the echo of each. */
export function sendAndReceiveEach(sizes: readonly number[]): RawClientStep[] {
  return sizes.flatMap((size) => TYPES.flatMap((type): RawClientStep[] => [{ op: 'send', type, size }, { op: 'receive', count: 1 }]));
}

/** A Godot raw-server on a free loopback port, killed at cleanup. */
export async function startRawServer(cleanups: CleanupStep[], config: Omit<RawServerConfig, 'port'> = {}): Promise<{ godot: GodotProcess; url: string }> {
  const { godot, port } = await startGodotServer('raw-server', config);
  cleanups.push(() => godot.kill());
  return { godot, url: `ws://127.0.0.1:${port}/interop` };
}

/**
 * mp-server steps for two clients that each send three rpcs the server runs: it
 * greets them with server-all and server-each, and with server-done once it has
 * all six, then waits for both to leave.
 */
export const TWO_CLIENT_MP_SERVER_STEPS: readonly MpStep[] = [
  { op: 'wait_peers', count: 2 },
  { op: 'rpc_all', tag: 'server-all' },
  { op: 'rpc_peers', tag: 'server-each' },
  { op: 'wait_rpcs', count: 6 },
  { op: 'rpc_all', tag: 'server-done' },
  { op: 'wait_disconnects', count: 2 },
];

/** The rpcs a run received, sorted by tag. */
export function rpcsOf(run: GodotRunOutcome): { from: unknown; tag: unknown; claimed: unknown }[] {
  return resultsOf(run.results, 'rpc')
    .map((rpc) => ({ from: rpc['from'], tag: rpc['tag'], claimed: rpc['claimed'] }))
    .sort((x, y) => String(x.tag).localeCompare(String(y.tag)));
}

/** The ids in a run's `event` results, in order. */
export function idsOf(run: GodotRunOutcome, event: string): number[] {
  return resultsOf(run.results, event).map((result) => result['id'] as number);
}
