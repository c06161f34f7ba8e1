/**
 * Frame-layer micro-benchmarks, gdws side by side with ws's internals in the
 * same process: decode, encode, mask, UTF-8 validation. Prints a table of
 * medians and writes it to bench/results/frame.md.
 *
 *   npm run bench            (ROUNDS=n to change the number of timed rounds)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { comparisons } from './frame/comparisons.js';
import { markdownTable, textTable } from './frame/table.js';
import { measure } from './frame/timing.js';
import type { Measured } from './frame/timing.js';
import { wsUsesBufferutil } from './frame/ws-internals.js';

const rounds = Number(process.env.ROUNDS ?? 7);
const started = Date.now();
const results: Measured[] = [];
for (const build of comparisons) {
  const result = measure(build(), rounds);
  results.push(result);
  process.stderr.write(`  ${result.name}: ${(result.gdws / result.ws).toFixed(2)}x\n`);
}

const machine = `${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, Node ${process.version}`;
const seconds = ((Date.now() - started) / 1000).toFixed(0);
const about = `median of ${rounds} rounds, rates over process CPU time; ${machine}; ws ${wsUsesBufferutil() ? 'with' : 'without'} bufferutil; ${seconds} s`;
console.log(`\n${textTable(results)}\n\n${about}`);

const resultsDirectory = new URL('./results/', import.meta.url);
mkdirSync(resultsDirectory, { recursive: true });
writeFileSync(
  new URL('frame.md', resultsDirectory),
  `# Frame layer: gdws vs ws\n\nWritten by \`npm run bench\` (bench/frame.bench.ts), ${new Date().toISOString()}.\n\n${markdownTable(results)}\n\n${about}\n`,
);
