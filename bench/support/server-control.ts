import { getHeapSpaceStatistics } from 'node:v8';

/**
 * The control side of a benchmark server process. Standalone
 * (`node dist/bench/echo-server.js PORT`) it only prints READY; started by
 * bench/e2e.ts over an IPC channel, it also answers usage requests, so the
 * harness can read the server's own CPU time and, after a forced GC, its RSS.
 */

export interface UsageRequest {
  type: 'usage';
  id: number;
  collectGarbage: boolean;
}

export interface UsageReport {
  type: 'usage';
  id: number;
  rss: number;
  heapUsed: number;
  external: number;
  cpuMicros: number;
  /** Reserved size of V8's young generation: it grows under allocation bursts and shrinks back once idle. */
  newSpace: number;
  /** The part of it in RAM (counted in rss). */
  newSpaceResident: number;
}

export function announceReady(port: number): void {
  // A normal exit on Ctrl+C / kill, so that `node --cpu-prof` writes its profile.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
  process.stdout.write(`READY ${port}\n`);
}

export function answerUsageRequests(): void {
  const send = process.send?.bind(process);
  if (send === undefined) return;
  process.on('message', (message: UsageRequest) => {
    if (message.type !== 'usage') return;
    if (message.collectGarbage) collectGarbage();
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    const report: UsageReport = {
      type: 'usage',
      id: message.id,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      external: memory.external,
      cpuMicros: cpu.user + cpu.system,
      newSpace: newSpace?.space_size ?? 0,
      newSpaceResident: newSpace?.physical_space_size ?? 0,
    };
    send(report);
  });
  // The harness going away must not leave a server running.
  process.on('disconnect', () => process.exit(0));
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('Start the server with --expose-gc to measure memory');
  for (let i = 0; i < 4; i++) gc();
}

/** Parses the PORT argument (0 picks a free port). */
export function portArgument(): number {
  const port = Number(process.argv[2] ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`usage: node ${process.argv[1]} PORT\n`);
    process.exit(2);
  }
  return port;
}
