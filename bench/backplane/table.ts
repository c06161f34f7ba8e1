import { median } from '../support/results.js';
import type { CellResult, Layout } from './cell.js';

/**
 * The results table of bench/backplane.bench.ts: per layout, the median over
 * the rounds of every column, and its throughput against the first layout
 * (the single-process reference). A layout with receivers in both processes
 * also gets a line per batch with that batch's latencies, since the local
 * half and the half behind Redis see different ones (their deliveries/s are
 * the same: every receiver gets every message).
 */

export interface LayoutRuns {
  layout: Layout;
  cells: CellResult[];
  failures: string[];
}

const rate = (value: number): string => Math.round(value).toLocaleString('en');
const ms = (value: number): string => value.toFixed(1);
const micros = (value: number): string => value.toFixed(3);

export function resultsTable(runs: LayoutRuns[]): string[] {
  const lines = [
    '| layout | deliveries/s | vs single process | p50 ms | p99 ms | CPU µs/delivery: A (publisher) | B | redis-server |',
    '| --- | --: | --: | --: | --: | --: | --: | --: |',
  ];
  const reference = median(runs[0]?.cells.map((cell) => cell.deliveriesPerSecond) ?? []);
  for (const { layout, cells, failures } of runs) {
    const rounds = cells.length + failures.length;
    if (cells.length === 0) {
      lines.push(`| ${layout.name} | failed in all ${rounds} rounds: ${failures[0] ?? 'not run'} | | | | | | |`);
      continue;
    }
    const partial = failures.length > 0 ? ` (${cells.length} of ${rounds} rounds; failed: ${failures[0]})` : '';
    const middle = (pick: (cell: CellResult) => number): number => median(cells.map(pick));
    const deliveries = middle((cell) => cell.deliveriesPerSecond);
    lines.push(
      `| ${layout.name}${partial} | ${rate(deliveries)} | ${(deliveries / reference).toFixed(2)}× | ${ms(middle((cell) => cell.p50))} | ${ms(middle((cell) => cell.p99))} | ` +
        `${micros(middle((cell) => cell.cpuMicrosPerDelivery.publisher))} | ${micros(middle((cell) => cell.cpuMicrosPerDelivery.serverB))} | ${micros(middle((cell) => cell.cpuMicrosPerDelivery.redis))} |`,
    );
    if (layout.batches.length < 2) continue;
    layout.batches.forEach((batch, index) => {
      const where = batch.side === 'A' ? 'on A, local' : 'on B, through Redis';
      lines.push(
        `| … the ${batch.count.toLocaleString('en')} ${where} | | | ` +
          `${ms(middle((cell) => cell.batches[index]!.p50))} | ${ms(middle((cell) => cell.batches[index]!.p99))} | | | |`,
      );
    });
  }
  return lines;
}

/**
 * How the messages crossed redis-server, from its own counters: time spent
 * executing PUBLISH, and how many PUBLISHes each read event brought (1 means
 * every command arrived on its own, no batching on the way in).
 */
export function redisTable(runs: LayoutRuns[]): string[] {
  const lines = ['| layout | PUBLISH per cell | µs per PUBLISH inside Redis | PUBLISH per read event | write events per PUBLISH |', '| --- | --: | --: | --: | --: |'];
  for (const { layout, cells } of runs) {
    const counted = cells.flatMap((cell) => (cell.redis === null ? [] : [cell.redis]));
    if (counted.length === 0) continue;
    const middle = (pick: (counters: (typeof counted)[number]) => number): number => median(counted.map(pick));
    lines.push(
      `| ${layout.name} | ${rate(middle((c) => c.publishCalls))} | ${middle((c) => c.publishMicros / c.publishCalls).toFixed(1)} | ` +
        `${middle((c) => c.publishCalls / c.reads).toFixed(2)} | ${middle((c) => c.writes / c.publishCalls).toFixed(2)} |`,
    );
  }
  return lines;
}
