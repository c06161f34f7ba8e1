import { openGdwsDriver } from './drivers/gdws-driver.js';
import type { LoadSpec, OpenLoadDriver } from './drivers/load-driver.js';
import { openRawDriver } from './drivers/raw-driver.js';
import { openWsDriver } from './drivers/ws-driver.js';
import { LoadRecorder, type LoadSample } from './support/load-recorder.js';

/**
 * One measurement, in its own process, started by bench/e2e.ts with an IPC
 * channel: opens the connections, warms up, then measures one window.
 * Its one message to the parent: `sample` (or `error`).
 */
export interface LoadRun extends LoadSpec {
  driver: DriverName;
  warmupMs: number;
  windowMs: number;
  serverPid: number;
}

export type DriverName = 'raw' | 'gdws' | 'ws';

export type LoadClientMessage = { type: 'sample'; sample: LoadSample } | { type: 'error'; message: string };

const DRIVERS: Record<DriverName, OpenLoadDriver> = { raw: openRawDriver, gdws: openGdwsDriver, ws: openWsDriver };
/** A cell whose pipeline has not cycled once in this long is reported as stuck. */
const WARMUP_LIMIT_MS = 60_000;

function report(message: LoadClientMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

let failed = false;
async function fail(error: Error): Promise<never> {
  if (!failed) {
    failed = true;
    await report({ type: 'error', message: error.message });
  }
  process.exit(1);
}

async function main(): Promise<void> {
  if (process.send === undefined) throw new Error('load-client.ts is started by bench/e2e.ts');
  const run = JSON.parse(process.argv[2]!) as LoadRun;
  const recorder = new LoadRecorder();
  recorder.serverPid = run.serverPid;
  const driver = await DRIVERS[run.driver](run, recorder, (error) => void fail(error));
  const started = performance.now();
  driver.start();
  // Warm up for warmupMs and until every in-flight message has come back at least once.
  const cycle = run.connections * run.inFlight;
  while (performance.now() - started < run.warmupMs || recorder.totalEchoes < cycle) {
    if (performance.now() - started > WARMUP_LIMIT_MS) throw new Error(`Only ${recorder.totalEchoes} echoes in ${WARMUP_LIMIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  recorder.startWindow();
  await new Promise((resolve) => setTimeout(resolve, run.windowMs));
  const sample = recorder.sample();
  await report({ type: 'sample', sample });
  driver.stop();
  process.exit(0);
}

main().catch((error: Error) => fail(error));
