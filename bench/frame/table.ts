import type { Measured } from './timing.js';

function formatRate(value: number, unit: Measured['unit']): string {
  if (unit === 'GB/s') return `${value.toFixed(2)} GB/s`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M ops/s`;
  return `${(value / 1e3).toFixed(1)} k ops/s`;
}

const HEADINGS = ['benchmark', 'gdws', 'ws', 'gdws/ws'];

function rows(results: Measured[]): string[][] {
  return results.map((result) => [
    result.name,
    formatRate(result.gdws, result.unit),
    formatRate(result.ws, result.unit),
    `${(result.gdws / result.ws).toFixed(2)}x`,
  ]);
}

/** A fixed-width table for the terminal. */
export function textTable(results: Measured[]): string {
  const all = [HEADINGS, ...rows(results)];
  const widths = HEADINGS.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(HEADINGS), widths.map((width) => '-'.repeat(width)).join('  '), ...rows(results).map(line)].join('\n');
}

export function markdownTable(results: Measured[]): string {
  const line = (row: string[]) => `| ${row.join(' | ')} |`;
  return [line(HEADINGS), '|---|---:|---:|---:|', ...rows(results).map(line)].join('\n');
}
