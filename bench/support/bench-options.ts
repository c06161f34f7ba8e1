import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';

/** What `npm run bench:e2e -- ...` was asked to do; see bench/e2e.ts for the flags. */

export const SIZES = [16, 1024, 64 * 1024, 1024 * 1024];
export const CONNECTION_COUNTS = [1, 100];
export const IN_FLIGHT = 16;
/** The latency cells: one message in flight on one connection, so RTT is the whole cost of one echo. */
export const LATENCY_SIZES = [16, 1024];
export const HANDSHAKE_CONCURRENCY = [256, 1];
export const ALL_SECTIONS = 'server,latency,handshake,client,memory';

export interface Options {
  quick: boolean;
  rounds: number;
  warmupMs: number;
  windowMs: number;
  sections: Set<string>;
  idleConnections: number;
  memoryRounds: number;
  out: string;
  sizes: number[];
  connectionCounts: number[];
  /** CPUs for the measured process and for its fixed peer, or null to let the scheduler place them. */
  pinning: { subject: number; peer: number } | null;
}

export function parseOptions(argv: string[], repoRoot: string): Options {
  const quick = argv.includes('--quick');
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(name);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  return {
    quick,
    rounds: Number(value('--rounds') ?? (quick ? 2 : 6)),
    warmupMs: Number(value('--warmup') ?? (quick ? 300 : 800)),
    windowMs: Number(value('--window') ?? (quick ? 700 : 2000)),
    sections: new Set((value('--sections') ?? ALL_SECTIONS).split(',')),
    idleConnections: Number(value('--idle') ?? (quick ? 2000 : 10_000)),
    memoryRounds: Number(value('--memory-rounds') ?? (quick ? 1 : 2)),
    sizes: value('--sizes')?.split(',').map(Number) ?? SIZES,
    connectionCounts: value('--connections')?.split(',').map(Number) ?? CONNECTION_COUNTS,
    pinning: pinningFor(value('--pin') ?? 'separate'),
    out: resolve(value('--out') ?? join(repoRoot, 'bench/results', quick ? 'quick.md' : 'latest.md')),
  };
}

/**
 * Where the two processes of a throughput run go. Left to the scheduler, a
 * ping-pong pair sometimes shares a core and sometimes not, and cells with
 * one connection flip between two regimes (cheap same-core switches or
 * cross-core wake-ups) from run to run. 'separate' (default) pins the
 * measured process to CPU 0 and its peer to CPU 1, like a client on another
 * machine; 'same' puts both on CPU 0; 'none' leaves placement alone.
 */
export function pinningFor(mode: string): Options['pinning'] {
  const available = cpus().length >= 2 && commandExists('taskset');
  if (mode === 'none' || !available) return null;
  if (mode === 'same') return { subject: 0, peer: 0 };
  if (mode === 'separate') return { subject: 0, peer: 1 };
  throw new Error(`--pin takes separate, same or none, not ${mode}`);
}

function commandExists(command: string): boolean {
  try {
    execFileSync(command, ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The subjects in order in odd rounds and reversed in even ones (A B C, C B A,
 * A B C, ...): the run that comes first in a round was seen to fare
 * differently from those that follow, so no subject always takes one place.
 */
export function roundOrder<T>(round: number, subjects: readonly T[]): readonly T[] {
  return round % 2 === 1 ? subjects : [...subjects].reverse();
}

export function describePlacement(pinning: Options['pinning']): string {
  if (pinning === null) return 'Process placement: left to the scheduler (--pin none)';
  if (pinning.subject === pinning.peer) return `Process placement: measured process and its peer both on CPU ${pinning.subject} (--pin same)`;
  return `Process placement: measured process (server on the server side, client on the client side) on CPU ${pinning.subject}, its peer on CPU ${pinning.peer} (--pin separate)`;
}
