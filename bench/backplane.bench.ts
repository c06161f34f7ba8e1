/**
 * Broadcast across processes through Redis (`npm run bench:backplane`, issue 19):
 * one publisher, N receivers, 1 KiB messages, as bench:broadcast's
 * 'gdws publish', in three layouts side by side in one run:
 *
 *   1. single process: the N subscribers on the publishing server (the reference);
 *   2. through Redis: the publishing process A has no subscribers, its topic
 *      hub joined to the Redis backplane; process B (bench/backplane/server.ts,
 *      its own backplane) holds all N, so every message crosses Redis once;
 *   3. split: N/2 on A and N/2 on B.
 *
 * A private redis-server (no persistence, a free port of 127.0.0.1) runs for
 * the whole run; without one installed the benchmark says so and exits 0.
 * Receivers live in child processes (bench/broadcast/receivers.ts, one per
 * gdws process they connect to), so decoding costs the servers nothing; the
 * publisher keeps at most WINDOW messages in flight beyond the slowest
 * receiver. Reported: deliveries per second, fan-out latency p50/p99
 * (publish to arrival, hrtime in every process; merged over both batches in
 * layout 3, and per batch below it), and CPU time per delivery of A, of B
 * and of redis-server. Each layout first runs one uncounted warm-up cell;
 * the layouts' order alternates between rounds. A cell that does not finish
 * within --timeout seconds is reported as failed.
 *
 * Options: --receivers 1000  --messages 2000000 (deliveries per cell)  --rounds 3  --timeout 120
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WINDOW } from './broadcast/windowed-publish.js';
import { roundOrder } from './support/bench-options.js';
import { runCell, type CellResult, type Layout } from './backplane/cell.js';
import { killChildrenOnExit } from './backplane/children.js';
import { findRedisServer } from './backplane/redis-server.js';
import { startRig, stopRig, type Rig } from './backplane/rig.js';
import { redisTable, resultsTable, type LayoutRuns } from './backplane/table.js';

const here = dirname(fileURLToPath(import.meta.url));

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}
const RECEIVERS = Number(option('receivers', '1000'));
const DELIVERIES = Number(option('messages', '2000000'));
const ROUNDS = Number(option('rounds', '3'));
const CELL_TIMEOUT_MS = Number(option('timeout', '120')) * 1000;

function layouts(receivers: number): Layout[] {
  const onA = Math.floor(receivers / 2);
  const count = (n: number): string => n.toLocaleString('en');
  return [
    { name: `1. single process: ${count(receivers)} on A`, throughRedis: false, batches: [{ side: 'A', count: receivers }] },
    { name: `2. through Redis: ${count(receivers)} on B`, throughRedis: true, batches: [{ side: 'B', count: receivers }] },
    {
      name: `3. through Redis: ${count(onA)} on A + ${count(receivers - onA)} on B`,
      throughRedis: true,
      batches: [
        { side: 'A', count: onA },
        { side: 'B', count: receivers - onA },
      ],
    },
  ];
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const loads = (): string => loadavg().map((load) => load.toFixed(2)).join(', ');

function summary(name: string, cell: CellResult): string {
  const cpu = cell.cpuMicrosPerDelivery;
  return `${name}: ${Math.round(cell.deliveriesPerSecond).toLocaleString('en')}/s, p50 ${cell.p50.toFixed(1)} ms, p99 ${cell.p99.toFixed(1)} ms, CPU µs/delivery A ${cpu.publisher.toFixed(3)} B ${cpu.serverB.toFixed(3)} redis ${cpu.redis.toFixed(3)}`;
}

async function measure(rig: Rig): Promise<LayoutRuns[]> {
  const runs: LayoutRuns[] = layouts(RECEIVERS).map((layout) => ({ layout, cells: [], failures: [] }));
  // Not counted: A, B, the receivers and Redis warm up (JIT, connection pools), or the first cell of the run measures that.
  for (const { layout } of runs) {
    try {
      console.log(summary(`warm-up, ${layout.name}`, await runCell(layout, rig, DELIVERIES / 4, CELL_TIMEOUT_MS)));
    } catch (error) {
      console.log(`warm-up, ${layout.name}: failed: ${describe(error)}`);
    }
  }
  for (let round = 1; round <= ROUNDS; round++) {
    for (const run of roundOrder(round, runs)) {
      try {
        const cell = await runCell(run.layout, rig, DELIVERIES, CELL_TIMEOUT_MS);
        run.cells.push(cell);
        console.log(summary(`round ${round}, ${run.layout.name}`, cell));
      } catch (error) {
        run.failures.push(describe(error));
        console.log(`round ${round}, ${run.layout.name}: failed: ${describe(error)}`);
      }
    }
  }
  return runs;
}

async function main(): Promise<void> {
  const redisExecutable = findRedisServer();
  if (redisExecutable === null) {
    console.log('bench:backplane needs redis-server (Debian: apt-get install redis-server), and none is installed: nothing measured.');
    return;
  }
  killChildrenOnExit();
  const loadBefore = loads();
  const rig = await startRig(redisExecutable);
  let runs: LayoutRuns[];
  try {
    runs = await measure(rig);
  } finally {
    await stopRig(rig);
  }
  const lines = [
    '# Broadcast of 1 KiB across 2 processes through Redis (`npm run bench:backplane`)',
    '',
    `A publishes; B is a second gdws process joined to A through a private redis-server ${rig.redis.version} on 127.0.0.1 (the gdws Redis backplane, ioredis). ` +
      `Receivers in child processes; after one warm-up cell per layout, median of ${ROUNDS} rounds; ${DELIVERIES.toLocaleString('en')} deliveries per cell, at most ${WINDOW} messages in flight beyond the slowest receiver.`,
    '',
    ...resultsTable(runs),
    '',
    'Inside redis-server (its INFO counters, over the timed part of each cell):',
    '',
    ...redisTable(runs),
    '',
    `Node ${process.version}, ${cpus().length} CPUs shared by every process of the run (A, B, redis-server, the receivers). Load average (1, 5, 15 min): ${loadBefore} before, ${loads()} after.`,
    '',
  ];
  const out = join(here, 'results/backplane.md');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, lines.join('\n'));
  console.log(`\n${lines.join('\n')}`);
}

await main();
