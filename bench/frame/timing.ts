/** One side of a comparison: `run` does the work once and returns how many units (ops or bytes) it did. */
export interface Contender {
  prepare?: () => void;
  run: () => number;
}

export interface Comparison {
  name: string;
  unit: 'ops/s' | 'GB/s';
  gdws: Contender;
  ws: Contender;
}

export interface Measured {
  name: string;
  unit: Comparison['unit'];
  gdws: number;
  ws: number;
}

/**
 * Rate over the process's CPU time (user + system), not wall time: on a
 * shared machine a wall clock also counts the time other processes held the
 * core, which says nothing about either contender.
 */
function timeOnce(contender: Contender): number {
  contender.prepare?.();
  const start = process.cpuUsage();
  const units = contender.run();
  const used = process.cpuUsage(start);
  return units / ((used.user + used.system) / 1e6);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Rates (units per second, GB/s for bytes) as the median of `rounds` runs.
 * The two sides alternate, and which goes first alternates too, so drift in
 * a shared machine's speed lands on both; one warm-up run each is discarded.
 */
export function measure(comparison: Comparison, rounds: number): Measured {
  const scale = comparison.unit === 'GB/s' ? 1e-9 : 1;
  timeOnce(comparison.gdws);
  timeOnce(comparison.ws);
  const gdws: number[] = [];
  const ws: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      gdws.push(timeOnce(comparison.gdws));
      ws.push(timeOnce(comparison.ws));
    } else {
      ws.push(timeOnce(comparison.ws));
      gdws.push(timeOnce(comparison.gdws));
    }
  }
  return { name: comparison.name, unit: comparison.unit, gdws: median(gdws) * scale, ws: median(ws) * scale };
}
