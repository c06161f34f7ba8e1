import type { ReceiverProcess, ReceiverReport } from '../broadcast/receiver-process.js';
import type { DeliveryProgress } from '../broadcast/windowed-publish.js';

/**
 * Receivers spread over several receiver processes (one per gdws process
 * they connect to; bench/broadcast/receivers.ts holds one batch at a time),
 * seen by the publisher as one audience: its slowest receiver paces the
 * window, and its deliveries and latencies are those of all batches.
 */
export class ReceiverGroup implements DeliveryProgress {
  constructor(readonly members: readonly ReceiverProcess[]) {}

  get least(): number {
    return Math.min(...this.members.map((member) => member.least));
  }

  /** Resolves at the next progress report of any member (each reports every millisecond). */
  progressed(): Promise<void> {
    return Promise.race(this.members.map((member) => member.progressed()));
  }

  resetProgress(): void {
    for (const member of this.members) member.least = 0;
  }
}

/** Value below which a fraction `q` of all the latency samples of `reports` lie. */
export function mergedPercentile(reports: readonly ReceiverReport[], q: number): number {
  // Each of a report's quantile points stands for an equal share of its samples.
  const points: Array<{ value: number; weight: number }> = [];
  for (const report of reports) {
    const values = report.quantiles.filter((value) => Number.isFinite(value));
    for (const value of values) points.push({ value, weight: report.samples / values.length });
  }
  points.sort((a, b) => a.value - b.value);
  const total = points.reduce((sum, point) => sum + point.weight, 0);
  let below = 0;
  for (const point of points) {
    below += point.weight;
    if (below >= q * total) return point.value;
  }
  return Number.NaN;
}
