import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describePlacement, IN_FLIGHT, LATENCY_SIZES, parseOptions } from './support/bench-options.js';
import { buildHandshakeLoad, handshakes } from './support/handshake-runs.js';
import { memory } from './support/memory-runs.js';
import { markdownReport, svgChart, type ReportInput } from './support/report.js';
import { formatSize, type Subject } from './support/results.js';
import { progress, throughput, throughputCells } from './support/throughput-runs.js';
import { loadUws, uwsUnavailableReason } from './support/uws.js';

/**
 * End-to-end benchmark, gdws against ws and uWebSockets.js (the C++
 * reference, when its prebuilt binary loads), in one run: server-side echo
 * throughput, latency with one message in flight, handshake rate, client-side
 * echo throughput (gdws and ws only: uWS.js has no client) and memory per
 * idle connection (with a bare node:net server as Node's own floor).
 * Runs on compiled JS: `npm run bench:e2e` (builds, then runs
 * dist/bench/e2e.js). Long runs report progress on stderr.
 *
 * Options (after `npm run bench:e2e --`):
 *   --quick                      a short run, written to bench/results/quick.md
 *   --rounds N, --warmup MS, --window MS   (6 rounds, 800 ms, 2000 ms; quick: 2, 300, 700)
 *   --sections server,latency,handshake,client,memory   some sections only, for development
 *   --idle N                     idle connections for the memory measurement (10,000; quick: 2,000)
 *   --memory-rounds N            memory runs per server (2; quick: 1)
 *   --pin separate|same|none     process placement (see bench-options.ts)
 *   --sizes 16,1024 --connections 1,100   some throughput cells only
 *   --out FILE.md                where the table goes (the chart goes next to it)
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), repoRoot);
  const started = Date.now();
  const notes: string[] = [];
  const serverSubjects: Subject[] = ['gdws', 'ws'];
  if (loadUws() !== null) serverSubjects.push('uws');
  else notes.push(`uWebSockets.js (@trufflesuite/uws-js-unofficial) did not load, so its column is absent: ${uwsUnavailableReason()}`);
  const environment = [
    `Date: ${new Date().toISOString()}`,
    `Node ${process.version}, ${process.platform}/${process.arch}`,
    `CPU: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    `Load average at start: ${loadavg().map((load) => load.toFixed(2)).join(' ')}`,
    describePlacement(options.pinning),
  ];
  progress(`e2e benchmark (${serverSubjects.join(', ')}): ${options.rounds} rounds, sizes ${options.sizes.map(formatSize).join(', ')}, connections ${options.connectionCounts.join(', ')}, ${IN_FLIGHT} in flight`);
  const cells = throughputCells(options);
  const wanted = (section: string): boolean => options.sections.has(section);
  const server = wanted('server') ? await throughput({ side: 'server', subjects: serverSubjects, cells, inFlight: IN_FLIGHT, label: 'server', withCeiling: true }, options) : [];
  const latencyCells = LATENCY_SIZES.map((size) => ({ size, connections: 1 }));
  const latency = wanted('latency') ? await throughput({ side: 'server', subjects: serverSubjects, cells: latencyCells, inFlight: 1, label: 'latency' }, options) : [];
  let handshakeResults: ReportInput['handshakes'] = [];
  if (wanted('handshake')) {
    const generator = buildHandshakeLoad();
    if ('path' in generator) handshakeResults = await handshakes(serverSubjects, options, generator.path);
    else notes.push(`Handshake cells skipped: ${generator.error}`);
  }
  const client = wanted('client') ? await throughput({ side: 'client', subjects: ['gdws', 'ws'], cells, inFlight: IN_FLIGHT, label: 'client', withCeiling: true }, options) : [];
  const memoryResults = wanted('memory') ? await memory([...serverSubjects, 'net'], options) : [];
  environment.push(`Load average at end: ${loadavg().map((load) => load.toFixed(2)).join(' ')}; total time ${Math.round((Date.now() - started) / 1000)} s`);

  const command = `npm run bench:e2e${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const input: ReportInput = {
    command,
    environment,
    notes,
    serverSubjects,
    rounds: options.rounds,
    warmupMs: options.warmupMs,
    windowMs: options.windowMs,
    inFlight: IN_FLIGHT,
    server,
    latency,
    handshakes: handshakeResults,
    client,
    memory: memoryResults,
  };
  const markdown = markdownReport(input);
  const svgPath = options.out.replace(/\.md$/, '') + '.svg';
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, markdown.replace('(latest.svg)', `(${relative(dirname(options.out), svgPath)})`));
  writeFileSync(svgPath, svgChart(input, `gdws / ws and gdws / uWS.js (${options.quick ? 'quick run' : `median of ${options.rounds} rounds`})`));
  process.stdout.write(markdown);
  progress(`Written ${relative(process.cwd(), options.out)} and ${relative(process.cwd(), svgPath)}`);
}

await main();
