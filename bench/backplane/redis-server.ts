import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { freePort } from '../support/free-port.js';
import { stopChild, track } from './children.js';

/**
 * A private redis-server for one benchmark run, as test/interop/backplane.test.ts
 * starts it: on a free port of 127.0.0.1, without persistence. Commands go
 * as raw RESP on a short-lived connection, so the harness's own questions
 * (is it up, who listens on a channel) need no client library.
 */

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** `redis-server --version`'s answer, for the results' header. */
  readonly version: string;
  stop(): Promise<void>;
}

/** The redis-server executable on PATH (or Debian's /usr/bin/redis-server), or null when none is installed. */
export function findRedisServer(): string | null {
  const directories = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin'];
  for (const directory of directories.filter((entry) => entry !== '')) {
    const candidate = join(directory, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next directory.
    }
  }
  return null;
}

function encodeCommand(args: string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
}

/**
 * Sends one command followed by QUIT and resolves with everything Redis wrote
 * before closing: the command's reply, then QUIT's "+OK". Enough for the
 * simple replies the harness reads, without parsing RESP in general.
 */
export function redisCommand(port: number, args: string[], timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`redis-server on port ${port}: no answer to ${args[0]} within ${timeoutMs} ms`)));
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString('latin1')));
    socket.on('end', () => resolve(reply));
    socket.on('error', reject);
    socket.write(encodeCommand(args) + encodeCommand(['QUIT']));
  });
}

/** How many connections are subscribed to `channel` (PUBSUB NUMSUB). */
export async function subscriberCount(port: number, channel: string): Promise<number> {
  const reply = await redisCommand(port, ['PUBSUB', 'NUMSUB', channel]);
  const count = /\r\n:(\d+)\r\n/.exec(reply);
  if (count === null) throw new Error(`unexpected PUBSUB NUMSUB reply: ${JSON.stringify(reply)}`);
  return Number(count[1]);
}

/** Counters of redis-server that say how the messages crossed it (differences of two readings are what a cell cost). */
export interface RedisCounters {
  /** PUBLISH commands executed, and the microseconds Redis spent executing them (its own accounting, INFO commandstats). */
  publishCalls: number;
  publishMicros: number;
  /** Read and write events on client sockets: fewer reads than PUBLISHes means the publisher's commands arrived batched. */
  reads: number;
  writes: number;
}

export async function redisCounters(port: number): Promise<RedisCounters> {
  const info = await redisCommand(port, ['INFO', 'everything']);
  const field = (pattern: RegExp): number => Number(pattern.exec(info)?.[1] ?? 0);
  return {
    publishCalls: field(/cmdstat_publish:calls=(\d+)/),
    publishMicros: field(/cmdstat_publish:calls=\d+,usec=(\d+)/),
    reads: field(/total_reads_processed:(\d+)/),
    writes: field(/total_writes_processed:(\d+)/),
  };
}

/** Resolves once the server answers PING with PONG; rejects if it exits first or takes longer than `timeoutMs`. */
async function answersPing(child: ChildProcess, port: number, output: () => string, timeoutMs: number): Promise<void> {
  const giveUp = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`redis-server exited (${child.signalCode ?? child.exitCode}): ${output()}`);
    const reply = await redisCommand(port, ['PING'], 500).catch(() => '');
    if (reply.startsWith('+PONG')) return;
    if (Date.now() > giveUp) throw new Error(`redis-server did not answer PING within ${timeoutMs} ms: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startRedisServer(executable: string): Promise<RedisServer> {
  const port = await freePort();
  const child = track(spawn(executable, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  // Its log is read (a full pipe would stall it) and the tail kept for error messages.
  let log = '';
  const keepTail = (chunk: Buffer): void => void (log = (log + chunk.toString()).slice(-2000));
  child.stdout!.on('data', keepTail);
  child.stderr!.on('data', keepTail);
  try {
    await answersPing(child, port, () => log, 10_000);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  const version = (await redisCommand(port, ['INFO', 'server'])).match(/redis_version:([^\r\n]+)/)?.[1] ?? 'unknown';
  return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid ?? 0, version, stop: () => stopChild(child) };
}
