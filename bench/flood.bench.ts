import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BOMB_FILE, compressionBomb } from './flood/compression-bomb.js';
import { parseFloodOptions } from './flood/options.js';
import { renderReport } from './flood/report.js';
import { runScenario, type ScenarioResult } from './flood/run-scenario.js';
import { scenariosFor } from './flood/scenarios.js';

/**
 * Hostile-peer flood benchmark (issue 13), gdws vs ws: each attack runs
 * against each server in its own process while a probe connection measures
 * round-trip latency; reports latency, RSS growth, survival and how the
 * attacker was dropped, to stdout and bench/results/flood.md.
 *
 *   npx tsx bench/flood.bench.ts [--attacks upgrades,ping,...] [--seconds N] [--servers gdws,ws]
 */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(repoRoot);

const argv = process.argv.slice(2);
const options = parseFloodOptions(argv);
const scenarios = scenariosFor(options);
if (options.attacks.includes('bombs')) {
  process.stderr.write('building the compression bomb (cached in the temp directory)...\n');
  const bomb = await compressionBomb();
  process.stderr.write(`bomb: ${bomb.length} bytes inflating to 1 GiB\n`);
}

const results: ScenarioResult[] = [];
for (const scenario of scenarios) {
  process.stderr.write(`${scenario.attack} against ${scenario.serverLabel}... `);
  try {
    const result = await runScenario(scenario, options.seconds, repoRoot, BOMB_FILE);
    results.push(result);
    process.stderr.write(`p99 ${result.p99.toFixed(1)} ms, RSS +${(result.rssGrowth / 1024 ** 2).toFixed(1)} MiB, ${result.died ?? 'alive'}; ${result.outcome?.dropped ?? result.error}\n`);
  } catch (error) {
    process.stderr.write(`failed: ${(error as Error).message}\n`);
    results.push({
      scenario,
      p50: 0,
      p99: 0,
      max: 0,
      roundTrips: 0,
      attackSeconds: 0,
      unansweredMs: null,
      rssBaseline: 0,
      rssGrowth: 0,
      died: null,
      probeLost: null,
      outcome: null,
      error: (error as Error).message,
    });
  }
}

const report = renderReport({ command: ['npx tsx bench/flood.bench.ts', ...argv].join(' '), date: new Date().toISOString(), seconds: options.seconds }, results);
process.stdout.write(report);
mkdirSync(join(repoRoot, 'bench/results'), { recursive: true });
writeFileSync(join(repoRoot, 'bench/results/flood.md'), report);
