import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HANDSHAKE_CONCURRENCY, roundOrder, type Options } from './bench-options.js';
import { ServerProcess } from './bench-process.js';
import { processCpuSeconds } from './process-cpu.js';
import { acceptFor, CLIENT_KEY } from './raw-websocket.js';
import { emptyRuns, median, type HandshakeResults, type HandshakeRun, type Subject } from './results.js';
import { progress, SERVER_SCRIPTS } from './throughput-runs.js';

/**
 * Handshake rate: bench/native/handshake-load.c (built here with the system's
 * cc) upgrades connections as fast as the server answers, 256 at a time and
 * one after another, and resets each right after its 101.
 */

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), '../../../bench/native/handshake-load.c');
const BINARY = join(tmpdir(), 'gdws-bench', 'handshake-load');

/** Builds the load generator if the source is newer; returns null with the reason when there is no C compiler. */
export function buildHandshakeLoad(): { path: string } | { error: string } {
  try {
    const stale = (() => {
      try {
        return statSync(BINARY).mtimeMs < statSync(SOURCE).mtimeMs;
      } catch {
        return true;
      }
    })();
    if (stale) {
      mkdirSync(dirname(BINARY), { recursive: true });
      execFileSync('cc', ['-O2', '-o', BINARY, SOURCE, '-lm'], { stdio: ['ignore', 'ignore', 'pipe'] });
    }
    return { path: BINARY };
  } catch (error) {
    return { error: `cc could not build bench/native/handshake-load.c: ${(error as Error).message.split('\n')[0]}` };
  }
}

interface GeneratorOutput {
  handshakes: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  cpuSeconds: number;
}

function runGenerator(binary: string, port: number, concurrency: number, options: Options, cpu: number | undefined): Promise<GeneratorOutput> {
  const args = [String(port), String(concurrency), String(options.warmupMs), String(options.windowMs), acceptFor(CLIENT_KEY)];
  const [command, commandArgs] = cpu === undefined ? [binary, args] : ['taskset', ['-c', String(cpu), binary, ...args]];
  return new Promise((resolve, reject) => {
    execFile(command, commandArgs, { timeout: 60_000 + options.warmupMs + options.windowMs }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`${error.message} ${stderr}`));
      else resolve(JSON.parse(stdout) as GeneratorOutput);
    });
  });
}

export async function handshakes(subjects: readonly Subject[], options: Options, binary: string): Promise<HandshakeResults[]> {
  const all: HandshakeResults[] = [];
  for (const concurrency of HANDSHAKE_CONCURRENCY) {
    const results: HandshakeResults = { concurrency, runs: emptyRuns(), floor: [] };
    for (let round = 1; round <= options.rounds; round++) {
      for (const subject of roundOrder(round, [...subjects, 'net' as const])) {
        const pin = options.pinning;
        const server = await ServerProcess.start(SERVER_SCRIPTS[subject], { cpu: pin?.subject, openFiles: 4096 });
        let run: HandshakeRun;
        try {
          const cpuBefore = processCpuSeconds(server.pid);
          const started = performance.now();
          const output = await runGenerator(binary, server.port, concurrency, options, pin?.peer);
          // The server's CPU over warm-up and window together: the generator's window is the tail of its run.
          const serverCpu = (processCpuSeconds(server.pid) - cpuBefore) / ((performance.now() - started) / 1000);
          run = {
            handshakesPerSecond: output.handshakes / output.seconds,
            p50Ms: output.p50Ms,
            p99Ms: output.p99Ms,
            failures: output.failures,
            loadCpu: output.cpuSeconds / output.seconds,
            serverCpu,
          };
          progress(
            `[handshake ${concurrency}] ${subject} round ${round}: ${Math.round(run.handshakesPerSecond).toLocaleString('en-US')}/s, p50 ${run.p50Ms.toFixed(3)} ms, ` +
              `p99 ${run.p99Ms.toFixed(3)} ms, generator CPU ${Math.round(run.loadCpu * 100)}%, server CPU ${Math.round(serverCpu * 100)}%, failures ${run.failures}`,
          );
        } catch (error) {
          run = { handshakesPerSecond: NaN, p50Ms: NaN, p99Ms: NaN, failures: NaN, loadCpu: NaN, serverCpu: NaN };
          progress(`[handshake ${concurrency}] ${subject} round ${round}: FAILED: ${(error as Error).message}`);
        } finally {
          await server.stop();
        }
        (subject === 'net' ? results.floor : results.runs[subject]).push(run);
      }
    }
    const rate = (subject: Subject): number => median(results.runs[subject].map((run) => run.handshakesPerSecond));
    const floor = median(results.floor.map((run) => run.handshakesPerSecond));
    progress(
      `  handshake ${concurrency}: gdws/ws = ${(rate('gdws') / rate('ws')).toFixed(2)}×${subjects.includes('uws') ? `, gdws/uWS.js = ${(rate('gdws') / rate('uws')).toFixed(2)}×` : ''}` +
        `; bare node:net ${Math.round(floor).toLocaleString('en-US')}/s (ws/net ${(rate('ws') / floor).toFixed(2)}×, gdws/net ${(rate('gdws') / floor).toFixed(2)}×)`,
    );
    all.push(results);
  }
  return all;
}
