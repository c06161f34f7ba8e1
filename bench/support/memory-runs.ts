import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nextMessage, ServerProcess, startNode, stopChild } from './bench-process.js';
import { roundOrder, type Options } from './bench-options.js';
import { perConnection, type MemoryResult } from './results.js';
import { progress, SERVER_SCRIPTS } from './throughput-runs.js';

/** Memory per idle connection: the echo servers, with connections opened by bench/idle-connector.ts. */

const IDLE_CONNECTOR = join(dirname(fileURLToPath(import.meta.url)), '..', 'idle-connector.js');
const MEMORY_WARMUP_CONNECTIONS = 50;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function memory(options: Options): Promise<MemoryResult[]> {
  const results: MemoryResult[] = [];
  const openFiles = options.idleConnections + 1000;
  const openIdle = async (port: number, count: number) => {
    const connector = startNode(IDLE_CONNECTOR, [String(port), String(count)], { openFiles });
    const reply = await nextMessage(connector, (message) => message as { type: string; message?: string }, 120_000);
    if (reply.type !== 'opened') throw new Error(`idle connector: ${reply.message ?? reply.type}`);
    return connector;
  };
  for (let round = 1; round <= options.memoryRounds; round++) {
    for (const subject of roundOrder(round)) {
      const server = await ServerProcess.start(SERVER_SCRIPTS[subject], { nodeFlags: ['--expose-gc'], openFiles });
      try {
        // Load the handshake and connection code paths once, so the baseline is not a cold process.
        await stopChild(await openIdle(server.port, MEMORY_WARMUP_CONNECTIONS));
        await sleep(500);
        const before = await server.usage(true);
        const connector = await openIdle(server.port, options.idleConnections);
        await sleep(1000);
        const after = await server.usage(true);
        await stopChild(connector);
        const result: MemoryResult = {
          subject,
          connections: options.idleConnections,
          rssBefore: before.rss,
          rssAfter: after.rss,
          youngBefore: before.newSpaceResident,
          youngAfter: after.newSpaceResident,
          heapBefore: before.heapUsed,
          heapAfter: after.heapUsed,
        };
        results.push(result);
        progress(
          `[memory ${round}/${options.memoryRounds}] ${subject}: ${Math.round(perConnection(result, 'held'))} B per idle connection ` +
            `(RSS ${Math.round(perConnection(result, 'rss'))} B, of it ${Math.round(perConnection(result, 'young'))} B V8's empty young generation; JS heap ${Math.round(perConnection(result, 'heap'))} B)`,
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

