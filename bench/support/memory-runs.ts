import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nextMessage, ServerProcess, startNode, stopChild } from './bench-process.js';
import { roundOrder, type Options } from './bench-options.js';
import { perConnection, type MemoryResult, type MemorySubject } from './results.js';
import { progress, SERVER_SCRIPTS } from './throughput-runs.js';
import type { UsageReport } from './server-control.js';

/** Memory per idle connection: the echo servers, with connections opened by bench/idle-connector.ts. */

const IDLE_CONNECTOR = join(dirname(fileURLToPath(import.meta.url)), '..', 'idle-connector.js');
const MEMORY_WARMUP_CONNECTIONS = 50;
/**
 * V8 gives back the young generation that a burst of allocation grew only
 * when its memory reducer runs, about 8 s after allocation stops, in up to
 * three passes. An idle server is in that state; a reading taken sooner
 * counts megabytes that no connection holds. So both readings wait for the
 * young generation to be back to its size before any connection.
 */
const SETTLE_MAX_MS = 60_000;
const SETTLE_POLL_MS = 2_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls without forcing GC (that would restart the reducer's clock) until the
 * young generation is back to `youngLimit` bytes and RSS held still over the
 * last two polls, then reads after full GCs.
 */
async function settledUsage(server: ServerProcess, youngLimit: number): Promise<{ usage: UsageReport; waitedMs: number }> {
  const started = Date.now();
  let previousRss = -1;
  for (;;) {
    await sleep(SETTLE_POLL_MS);
    const { rss, newSpaceResident } = await server.usage(false);
    const waited = Date.now() - started;
    if ((newSpaceResident <= youngLimit && rss === previousRss) || waited >= SETTLE_MAX_MS) return { usage: await server.usage(true), waitedMs: waited };
    previousRss = rss;
  }
}

export async function memory(subjects: readonly MemorySubject[], options: Options): Promise<MemoryResult[]> {
  const results: MemoryResult[] = [];
  const openFiles = options.idleConnections + 1000;
  const openIdle = async (port: number, count: number) => {
    const connector = startNode(IDLE_CONNECTOR, [String(port), String(count)], { openFiles });
    const reply = await nextMessage(connector, (message) => message as { type: string; message?: string }, 120_000);
    if (reply.type !== 'opened') throw new Error(`idle connector: ${reply.message ?? reply.type}`);
    return connector;
  };
  for (let round = 1; round <= options.memoryRounds; round++) {
    for (const subject of roundOrder(round, subjects)) {
      const server = await ServerProcess.start(SERVER_SCRIPTS[subject], { nodeFlags: ['--expose-gc'], openFiles });
      try {
        // The young generation at its starting size, which the warm-up below may grow.
        const fresh = await server.usage(false);
        // Load the handshake and connection code paths once, so the baseline is not a cold process.
        await stopChild(await openIdle(server.port, MEMORY_WARMUP_CONNECTIONS));
        const before = (await settledUsage(server, fresh.newSpaceResident)).usage;
        const connector = await openIdle(server.port, options.idleConnections);
        await sleep(1000);
        const soon = await server.usage(true);
        const after = await settledUsage(server, before.newSpaceResident);
        await stopChild(connector);
        const result: MemoryResult = {
          subject,
          connections: options.idleConnections,
          rssBefore: before.rss,
          rssAfter: after.usage.rss,
          heapBefore: before.heapUsed,
          heapAfter: after.usage.heapUsed,
          rssSoon: soon.rss,
          idleSeconds: Math.round((after.waitedMs + 1000) / 1000),
        };
        results.push(result);
        progress(
          `[memory ${round}/${options.memoryRounds}] ${subject}: ${Math.round(perConnection(result, 'rss'))} B per idle connection after ${result.idleSeconds} s idle ` +
            `(${Math.round(perConnection(result, 'soon'))} B 1 s after opening; JS heap ${Math.round(perConnection(result, 'heap'))} B)`,
        );
      } catch (error) {
        progress(`[memory ${round}/${options.memoryRounds}] ${subject}: FAILED: ${(error as Error).message}`);
      } finally {
        await server.stop();
      }
    }
  }
  return results;
}
