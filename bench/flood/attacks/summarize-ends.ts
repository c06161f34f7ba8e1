import type { ConnectionEnd } from '../connection-end.js';

/** Many connections' ends in one line: "20× close 1009 (0.31–1.20 s)", grouped by how they ended. */
export function summarizeEnds(ends: readonly ConnectionEnd[]): string {
  const groups = new Map<string, number[]>();
  for (const end of ends) {
    const how = end.describe().replace(/ @ .*$/, '');
    const at = end.droppedAfter;
    const times = groups.get(how) ?? [];
    if (at !== null) times.push(at);
    else times.push(Number.NaN);
    groups.set(how, times);
  }
  return [...groups]
    .map(([how, times]) => {
      const known = times.filter((t) => !Number.isNaN(t)).sort((a, b) => a - b);
      if (known.length === 0) return `${times.length}× ${how}`;
      const median = known[Math.floor(known.length / 2)]!;
      return `${times.length}× ${how} (${known[0]!.toFixed(2)}–${known.at(-1)!.toFixed(2)} s, median ${median.toFixed(2)} s)`;
    })
    .join('; ');
}
