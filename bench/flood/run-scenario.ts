import { startNode, stopChild } from '../support/bench-process.js';
import type { AttackConfig, AttackOutcome } from './attacks/attack.js';
import { sleep } from './flood-writer.js';
import { Godot4Client } from './godot4-client.js';
import { openEchoProbe, openRelayProbe, type OpenProbe } from './probe.js';
import { RssMonitor } from './rss-monitor.js';
import type { Scenario } from './scenarios.js';
import { RunningServer } from './server-runner.js';
import { percentile } from './stats.js';

/**
 * One row of the table: start the server, connect the probe (and for the
 * relay-peer attack a sink that never reads), take the RSS baseline over
 * 1 s, run the attacker child, keep probing and sampling RSS until it
 * reports, then 0.5 s more; stop everything.
 */
export interface ScenarioResult {
  scenario: Scenario;
  p50: number;
  p99: number;
  max: number;
  roundTrips: number;
  /** How long the attack lasted, from its start to the attacker's report (s). */
  attackSeconds: number;
  /** The probe's message still unanswered at the end, if any (ms). */
  unansweredMs: number | null;
  rssBaseline: number;
  rssGrowth: number;
  /** null: survived; otherwise what happened and when. */
  died: string | null;
  probeLost: number | null;
  outcome: AttackOutcome | null;
  error: string | null;
}

const BASELINE_MS = 1000;
const AFTER_MS = 500;

export async function runScenario(scenario: Scenario, seconds: number, repoRoot: string, bombFile: string): Promise<ScenarioResult> {
  const server = await RunningServer.start(scenario.server, repoRoot);
  const rss = new RssMonitor(server.pid);
  let probe: OpenProbe | null = null;
  let sink: Godot4Client | null = null;
  try {
    probe = scenario.probe === 'relay' ? await openRelayProbe(server.port) : await openEchoProbe(server.port);
    if (scenario.attack === 'relay-peer') sink = await Godot4Client.join(server.port, false);
    probe.probe.start();
    await sleep(BASELINE_MS + 200);
    const baselineEnd = performance.now();
    const rssBaseline = rss.medianBetween(baselineEnd - BASELINE_MS, baselineEnd);

    const config: AttackConfig = { attack: scenario.attack, port: server.port, seconds: attackSeconds(scenario, seconds), bombFile };
    if (sink !== null) config.target = sink.id;
    const { start, end, outcome, error } = await runAttacker(config, config.seconds);
    await sleep(AFTER_MS);
    const trips = probe.probe.stop();
    const windowed = trips.filter((trip) => trip.sentAt <= end && trip.sentAt + trip.ms >= start);
    const latencies = windowed.map((trip) => trip.ms);
    const unanswered = windowed.find((trip) => !trip.answered);
    const died = server.exitedAt === null ? null : `died @ ${((server.exitedAt - start) / 1000).toFixed(2)} s (${server.exitDescription}): ${server.lastError}`;
    const lost = probe.lostAt();
    return {
      scenario,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      max: percentile(latencies, 1),
      roundTrips: windowed.filter((trip) => trip.answered).length,
      attackSeconds: (end - start) / 1000,
      unansweredMs: unanswered?.ms ?? null,
      rssBaseline,
      rssGrowth: Math.max(0, rss.maxBetween(start, end + AFTER_MS) - rssBaseline),
      died,
      probeLost: lost === null || lost < start ? null : (lost - start) / 1000,
      outcome,
      error,
    };
  } finally {
    probe?.close();
    sink?.close();
    rss.stop();
    await server.stop();
  }
}

/**
 * The attacks that end by themselves (3,000 malformed upgrades; 20 bombs,
 * once all are closed) get 5 s more, at most 15 s; the floods get `seconds`;
 * the reference row without an attacker at most 5 s.
 */
export function attackSeconds(scenario: Scenario, seconds: number): number {
  if (scenario.attack === 'none') return Math.min(5, seconds);
  return scenario.attack === 'upgrades' || scenario.attack === 'bombs' ? Math.min(15, seconds + 5) : seconds;
}

interface AttackerRun {
  start: number;
  end: number;
  outcome: AttackOutcome | null;
  error: string | null;
}

/** Runs the attacker child; it is killed if it overruns its time by 30 s. */
function runAttacker(config: AttackConfig, seconds: number): Promise<AttackerRun> {
  const child = startNode('bench/flood/attacker.ts', [JSON.stringify(config)], { nodeFlags: ['--import', 'tsx'] });
  const spawnedAt = performance.now();
  let start: number | null = null;
  return new Promise((resolve) => {
    const finish = (outcome: AttackOutcome | null, error: string | null): void => {
      clearTimeout(timer);
      child.removeAllListeners('message');
      child.removeAllListeners('exit');
      const end = performance.now();
      void stopChild(child);
      resolve({ start: start ?? spawnedAt, end, outcome, error });
    };
    const timer = setTimeout(() => finish(null, `attacker overran ${seconds + 30} s and was killed`), (seconds + 30) * 1000);
    child.on('message', (message: { type: string; outcome?: AttackOutcome; message?: string }) => {
      if (message.type === 'started') start = performance.now();
      else if (message.type === 'result') finish(message.outcome!, null);
      else if (message.type === 'failed') finish(null, `attacker failed: ${message.message}`);
    });
    child.once('exit', (code) => finish(null, `attacker exited (${code}) without a result`));
  });
}
