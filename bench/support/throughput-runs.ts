import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DriverName, LoadClientMessage, LoadRun } from '../load-client.js';
import { nextMessage, ServerProcess, startNode, stopChild } from './bench-process.js';
import { roundOrder, type Options } from './bench-options.js';
import { cellLabel, emptyRuns, throughputRatio, type Cell, type CellResults, type RunResult, type Subject } from './results.js';

/** Echo throughput runs: one server process and one load process per run, each fresh. */

const benchDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_SCRIPTS: Record<Subject | 'net', string> = {
  gdws: join(benchDirectory, 'echo-server.js'),
  ws: join(benchDirectory, 'ws-echo-server.js'),
  uws: join(benchDirectory, 'uws-echo-server.js'),
  net: join(benchDirectory, 'net-idle-server.js'),
};
const RAW_ECHO_SERVER = join(benchDirectory, 'raw-echo-server.js');
const LOAD_CLIENT = join(benchDirectory, 'load-client.js');

export const progress = (line: string): void => void process.stderr.write(`${line}\n`);

/** One load process against one already-running server. */
async function measure(run: LoadRun, cpu: number | undefined): Promise<RunResult> {
  const child = startNode(LOAD_CLIENT, [JSON.stringify(run)], { cpu });
  try {
    const outcome = await nextMessage(
      child,
      (message) => {
        const typed = message as LoadClientMessage;
        if (typed.type === 'error') return new Error(`${run.driver} load client: ${typed.message}`);
        return typed.type === 'sample' ? typed.sample : undefined;
      },
      90_000 + run.warmupMs + run.windowMs,
    );
    if (outcome instanceof Error) throw outcome;
    return {
      messagesPerSecond: outcome.messages / outcome.seconds,
      megabytesPerSecond: outcome.payloadBytes / outcome.seconds / 1e6,
      p50Ms: outcome.p50Ms,
      p99Ms: outcome.p99Ms,
      loadCpu: outcome.cpuCores,
      serverCpu: outcome.serverCpuCores,
    };
  } finally {
    await stopChild(child);
  }
}

const FAILED_RUN: RunResult = { messagesPerSecond: NaN, megabytesPerSecond: NaN, p50Ms: NaN, p99Ms: NaN, loadCpu: NaN, serverCpu: NaN };

function describe(result: RunResult): string {
  const microsPerMessage = (cores: number): string => ((cores / result.messagesPerSecond) * 1e6).toFixed(2);
  return (
    `${Math.round(result.messagesPerSecond).toLocaleString('en-US')} msg/s, p50 ${result.p50Ms.toFixed(2)} ms, ` +
    `load CPU ${Math.round(result.loadCpu * 100)}% (${microsPerMessage(result.loadCpu)} µs/msg), ` +
    `server CPU ${Math.round(result.serverCpu * 100)}% (${microsPerMessage(result.serverCpu)} µs/msg)`
  );
}

export interface ThroughputPlan {
  side: 'server' | 'client';
  /** Who is measured: server side gdws, ws and (when it loads) uWS.js; client side gdws and ws. */
  subjects: readonly Subject[];
  cells: Cell[];
  inFlight: number;
  /** Progress label: 'server', 'client' or 'latency'. */
  label: string;
  /**
   * Also run, each round, the raw driver (frames built once, replies parsed
   * for headers only) against bench/raw-echo-server.ts (plain node:net, a
   * streaming echo that never assembles a message): no WebSocket library on
   * either side, so it shows what Node and the kernel allow in that cell,
   * for a server (whose load driver it is already) and for a client (whose
   * echo server it is already).
   */
  withCeiling?: boolean;
}

/** The throughput cells the options ask for. */
export function throughputCells(options: Options): Cell[] {
  return options.sizes.flatMap((size) => options.connectionCounts.map((connections) => ({ size, connections })));
}

/**
 * Every cell, round by round, subjects alternating (gdws, ws, uws | uws, ws, gdws | ...).
 * `side` server: the subject is the server, the raw driver loads it.
 * `side` client: the subject is the client, the raw echo server answers.
 */
export async function throughput(plan: ThroughputPlan, options: Options): Promise<CellResults[]> {
  const { side, subjects, cells } = plan;
  const total = cells.length * options.rounds * (subjects.length + (plan.withCeiling === true ? 1 : 0));
  let done = 0;
  const all: CellResults[] = [];
  for (const cell of cells) {
    const results: CellResults = { cell, runs: emptyRuns(), ceiling: [] };
    const run = async (name: string, serverScript: string, driver: DriverName, round: number): Promise<RunResult> => {
      done++;
      const pin = options.pinning;
      // The measured process gets the subject CPU: the server on the server side, the client on the client side.
      const serverCpu = pin === null ? undefined : side === 'server' ? pin.subject : pin.peer;
      const loadCpu = pin === null ? undefined : side === 'server' ? pin.peer : pin.subject;
      const server = await ServerProcess.start(serverScript, { cpu: serverCpu });
      try {
        const result = await measure({
          driver,
          serverPid: server.pid,
          port: server.port,
          size: cell.size,
          connections: cell.connections,
          inFlight: plan.inFlight,
          warmupMs: options.warmupMs,
          windowMs: options.windowMs,
        }, loadCpu);
        progress(`[${plan.label} ${done}/${total}] ${cellLabel(cell)} ${name} round ${round}: ${describe(result)}`);
        return result;
      } catch (error) {
        progress(`[${plan.label} ${done}/${total}] ${cellLabel(cell)} ${name} round ${round}: FAILED: ${(error as Error).message}`);
        return FAILED_RUN;
      } finally {
        await server.stop();
      }
    };
    for (let round = 1; round <= options.rounds; round++) {
      for (const subject of roundOrder(round, subjects)) {
        const result =
          side === 'server'
            ? await run(subject, SERVER_SCRIPTS[subject], 'raw', round)
            : await run(subject, RAW_ECHO_SERVER, subject as 'gdws' | 'ws', round);
        results.runs[subject].push(result);
      }
      if (plan.withCeiling === true) results.ceiling!.push(await run('plain node:net (ceiling)', RAW_ECHO_SERVER, 'raw', round));
    }
    const versusUws = subjects.includes('uws') ? `, gdws/uWS.js = ${throughputRatio(results, 'uws').toFixed(2)}×` : '';
    progress(`  ${plan.label} ${cellLabel(cell)}: gdws/ws = ${throughputRatio(results).toFixed(2)}×${versusUws}`);
    all.push(results);
  }
  return all;
}

