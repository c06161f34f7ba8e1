import type { ScenarioResult } from './run-scenario.js';
import { ATTACK_TITLES } from './scenarios.js';

/** The markdown report: setup, targets, one row per attack and server (gdws rows next to ws rows), details. */
export interface ReportContext {
  command: string;
  date: string;
  seconds: number;
}

const P99_TARGET_MS = 100;
const MiB = 1024 * 1024;

function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function mark(met: boolean): string {
  return met ? 'met' : '**missed**';
}

export function renderReport(context: ReportContext, results: readonly ScenarioResult[]): string {
  const lines = [
    '# Flood benchmark: hostile peers, gdws vs ws',
    '',
    `Command: \`${context.command}\`  `,
    `Date: ${context.date}  `,
    `Node ${process.version}, ws 8.23, ${context.seconds} s per flood (malformed upgrades and bombs: until all 3,000 requests are answered / all 20 bombs are closed, at most ${Math.min(15, context.seconds + 5)} s), all traffic on 127.0.0.1. Every server runs in its own child process (RSS: /proc VmRSS of its process tree, sampled every 100 ms); the attacker is another child process.`,
    '',
    'Probe: a separate well-behaved connection echoing 16-byte messages one at a time (window 1, next message 1 ms after each answer); for the relay attacks two fake Godot 4 clients A and B, A → relay → B → relay → A. Latencies are those of round trips overlapping the attack, from its start until the attacker reports (an attacker dropped at once leaves a short window with few round trips: the seconds are in the table); a message never answered counts with its age at the end.',
    '',
    `Targets: the server never dies; probe p99 ≤ ${P99_TARGET_MS} ms during every attack; RSS growth over the pre-attack baseline ≤ 64 MiB for one attacker, ≤ 256 MiB for the 20 parallel bombs.`,
    '',
    '| attack | server | probe p50 / p99 / max (ms) | round trips (in attack s) | RSS growth (MiB) | server died | how the attacker was dropped | survives | p99 ≤ 100 ms | RSS |',
    '| --- | --- | --: | --: | --: | --- | --- | --- | --- | --- |',
  ];
  for (const result of results) {
    const { scenario } = result;
    if (result.error !== null && result.outcome === null && result.roundTrips === 0 && result.died === null) {
      lines.push(`| ${ATTACK_TITLES[scenario.attack]} | ${scenario.serverLabel} | error: ${result.error} | | | | | | | |`);
      continue;
    }
    const latency = `${ms(result.p50)} / ${ms(result.p99)} / ${ms(result.max)}${result.unansweredMs !== null ? ' (last unanswered)' : ''}`;
    const growth = (result.rssGrowth / MiB).toFixed(1);
    const died = result.died ?? (result.probeLost !== null ? `no (probe dropped @ ${result.probeLost.toFixed(2)} s)` : 'no');
    const dropped = result.outcome?.dropped ?? result.error ?? '';
    lines.push(
      `| ${ATTACK_TITLES[scenario.attack]} | ${scenario.serverLabel} | ${latency} | ${result.roundTrips} (${result.attackSeconds.toFixed(2)} s) | ${growth} | ${escape(died)} | ${escape(dropped)} | ` +
        `${mark(result.died === null)} | ${mark(result.p99 <= P99_TARGET_MS && result.roundTrips > 0)} | ${mark(result.rssGrowth <= result.scenario.rssLimitMiB * MiB)} (≤ ${result.scenario.rssLimitMiB}) |`,
    );
  }
  lines.push('', '## Attack volume and baselines', '');
  for (const result of results) {
    const note = result.outcome?.note ?? result.error ?? '';
    lines.push(`- ${ATTACK_TITLES[result.scenario.attack]}, ${result.scenario.serverLabel}: ${note}; RSS baseline ${(result.rssBaseline / MiB).toFixed(1)} MiB.`);
  }
  lines.push('');
  return lines.join('\n');
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
