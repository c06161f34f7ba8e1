import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describePlacement, IN_FLIGHT, parseOptions } from './support/bench-options.js';
import { memory } from './support/memory-runs.js';
import { markdownReport, svgChart } from './support/report.js';
import { formatSize } from './support/results.js';
import { progress, throughput } from './support/throughput-runs.js';

/**
 * End-to-end benchmark, gdws against ws, in one run: server-side echo
 * throughput, client-side echo throughput and memory per idle connection.
 * Runs on compiled JS: `npm run bench:e2e` (builds, then runs
 * dist/bench/e2e.js). Long runs report progress on stderr.
 *
 * Options (after `npm run bench:e2e --`):
 *   --quick                      a short run (about 3 minutes), written to bench/results/quick.md
 *   --rounds N, --warmup MS, --window MS   (6 rounds, 800 ms, 2000 ms; quick: 2, 300, 700)
 *   --sections server,client,memory
 *   --idle N                     idle connections for the memory measurement (5,000)
 *   --pin separate|same|none     process placement (see bench-options.ts)
 *   --sizes 16,1024 --connections 1,100   some cells only, for development
 *   --out FILE.md                where the table goes (the chart goes next to it)
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), repoRoot);
  const started = Date.now();
  const environment = [
    `Date: ${new Date().toISOString()}`,
    `Node ${process.version}, ${process.platform}/${process.arch}`,
    `CPU: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    `Load average at start: ${loadavg().map((load) => load.toFixed(2)).join(' ')}`,
    describePlacement(options.pinning),
  ];
  progress(`gdws vs ws e2e benchmark: ${options.rounds} rounds, sizes ${options.sizes.map(formatSize).join(', ')}, connections ${options.connectionCounts.join(', ')}, ${IN_FLIGHT} in flight`);
  const server = options.sections.has('server') ? await throughput('server', options) : [];
  const client = options.sections.has('client') ? await throughput('client', options) : [];
  const memoryResults = options.sections.has('memory') ? await memory(options) : [];
  environment.push(`Load average at end: ${loadavg().map((load) => load.toFixed(2)).join(' ')}; total time ${Math.round((Date.now() - started) / 1000)} s`);

  const command = `npm run bench:e2e${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const markdown = markdownReport({
    command,
    environment,
    rounds: options.rounds,
    warmupMs: options.warmupMs,
    windowMs: options.windowMs,
    inFlight: IN_FLIGHT,
    server,
    client,
    memory: memoryResults,
  });
  const svgPath = options.out.replace(/\.md$/, '') + '.svg';
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, markdown.replace('(latest.svg)', `(${relative(dirname(options.out), svgPath)})`));
  writeFileSync(svgPath, svgChart(server, client, `gdws / ws messages per second (${options.quick ? 'quick run' : `median of ${options.rounds} rounds`})`));
  process.stdout.write(markdown);
  progress(`Written ${relative(process.cwd(), options.out)} and ${relative(process.cwd(), svgPath)}`);
}

await main();
