import { readFileSync } from 'node:fs';

/**
 * Samples the resident memory of a process and all its descendants (the
 * demo runs as npx → tsx → node) from /proc every 100 ms.
 */
export interface RssSample {
  at: number;
  bytes: number;
}

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return match === null ? 0 : Number(match[1]) * 1024;
  } catch {
    return 0;
  }
}

export function treeRss(pid: number): number {
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const next = stack.pop()!;
    total += rssOf(next);
    stack.push(...children(next));
  }
  return total;
}

export class RssMonitor {
  readonly samples: RssSample[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Median RSS of the samples in [from, to]. */
  medianBetween(from: number, to: number): number {
    const values = this.between(from, to).sort((a, b) => a - b);
    return values.length === 0 ? 0 : values[Math.floor(values.length / 2)]!;
  }

  maxBetween(from: number, to: number): number {
    return Math.max(0, ...this.between(from, to));
  }

  private between(from: number, to: number): number[] {
    return this.samples.filter((s) => s.at >= from && s.at <= to && s.bytes > 0).map((s) => s.bytes);
  }

  private sample(): void {
    this.samples.push({ at: performance.now(), bytes: treeRss(this.pid) });
  }
}
