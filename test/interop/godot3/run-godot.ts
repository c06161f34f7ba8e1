// Runs the Godot 3 project in ./project with Debian's headless godot3-server and
// collects the `RESULT {json}` lines its roles print.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GODOT_DEFAULT_TIMEOUT_MS } from './godot-config.js';
import type { GodotRole, GodotRoleConfigs, GodotServerRole } from './godot-config.js';

export const GODOT3_COMMAND = 'godot3-server';
export const GODOT3_PROJECT_DIR = fileURLToPath(new URL('./project/', import.meta.url));

/** Extra time the Node side grants beyond Godot's own watchdog before it kills the process. */
const KILL_GRACE_MS = 5_000;
const LISTEN_ATTEMPTS = 3;

export interface GodotResult {
  readonly event: string;
  readonly [field: string]: unknown;
}

export interface GodotRunOutcome {
  readonly results: readonly GodotResult[];
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when Node had to kill Godot because it outlived its own watchdog. */
  readonly killedOnTimeout: boolean;
  readonly stdout: string;
  readonly stderr: string;
  /** GDScript errors from stderr; a healthy run has none. */
  readonly scriptErrors: readonly string[];
}

export interface GodotRunOptions {
  /** Kill Godot after this long (default: the config's timeoutMs plus a grace period). */
  readonly killAfterMs?: number;
}

export function hasGodot3(): boolean {
  return findOnPath(GODOT3_COMMAND) !== undefined;
}

export function requireGodot3(): void {
  if (!hasGodot3()) {
    throw new Error(
      `${GODOT3_COMMAND} is not on PATH. These interop tests need Godot 3.2.3 headless: ` +
        `apt-get install -y godot3-server (.ci/run installs it).`,
    );
  }
}

function findOnPath(command: string): string | undefined {
  for (const directory of (process.env['PATH'] ?? '').split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

interface ResultWaiter {
  readonly predicate: (result: GodotResult) => boolean;
  readonly resolve: (result: GodotResult) => void;
  readonly reject: (error: Error) => void;
  readonly description: string;
}

/** One running godot3-server process. */
export class GodotProcess {
  readonly results: GodotResult[] = [];
  readonly finished: Promise<GodotRunOutcome>;
  /** Resolves with the port from the `READY <port>` line of a server role. */
  readonly ready: Promise<number>;

  private readonly child: ChildProcess;
  private stdout = '';
  private stderr = '';
  private pendingLine = '';
  private waiters: ResultWaiter[] = [];
  private outcome: GodotRunOutcome | undefined;
  private resolveReady: (port: number) => void = () => {};

  constructor(
    readonly role: GodotRole,
    config: object,
    options: GodotRunOptions = {},
  ) {
    this.ready = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
    const configTimeout = (config as { timeoutMs?: number }).timeoutMs ?? GODOT_DEFAULT_TIMEOUT_MS;
    const killAfterMs = options.killAfterMs ?? configTimeout + KILL_GRACE_MS;
    this.child = spawn(
      GODOT3_COMMAND,
      ['--path', GODOT3_PROJECT_DIR, '--', role, JSON.stringify(config)],
      // Godot reads LANG for its locale and complains about "C".
      { env: { ...process.env, LANG: 'en_US.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.onStdout(chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    let killedOnTimeout = false;
    const killTimer = setTimeout(() => {
      killedOnTimeout = true;
      this.child.kill('SIGKILL');
    }, killAfterMs);
    this.finished = new Promise((resolve) => {
      const settle = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
        clearTimeout(killTimer);
        this.onStdout('\n');
        this.outcome = {
          results: this.results,
          exitCode,
          signal,
          killedOnTimeout,
          stdout: this.stdout,
          stderr: this.stderr,
          scriptErrors: this.stderr.split('\n').filter((line) => /SCRIPT ERROR|Parse Error/.test(line)),
        };
        for (const waiter of this.waiters) waiter.reject(this.endedBefore(waiter.description));
        this.waiters = [];
        resolve(this.outcome);
      };
      this.child.once('error', (error) => {
        this.stderr += `spawn failed: ${error.message}\n`;
        settle(null, null);
      });
      this.child.once('close', settle);
    });
  }

  /** The first result (already seen or still to come) that matches; rejects if Godot exits first. */
  waitFor(predicate: (result: GodotResult) => boolean, description: string): Promise<GodotResult> {
    const seen = this.results.find(predicate);
    if (seen !== undefined) return Promise.resolve(seen);
    if (this.outcome !== undefined) return Promise.reject(this.endedBefore(description));
    return new Promise((resolve, reject) => {
      this.waiters.push({ predicate, resolve, reject, description });
    });
  }

  waitForEvent(event: string, fields: Record<string, unknown> = {}): Promise<GodotResult> {
    const matches = (result: GodotResult): boolean =>
      result.event === event && Object.entries(fields).every(([key, value]) => result[key] === value);
    return this.waitFor(matches, `${event} ${JSON.stringify(fields)}`);
  }

  kill(): void {
    if (this.outcome === undefined) this.child.kill('SIGKILL');
  }

  private onStdout(chunk: string): void {
    this.stdout += chunk;
    const lines = (this.pendingLine + chunk).split('\n');
    this.pendingLine = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.trimEnd());
  }

  private onLine(line: string): void {
    const ready = /^READY (\d+)$/.exec(line);
    if (ready !== null) {
      this.resolveReady(Number(ready[1]));
      return;
    }
    if (!line.startsWith('RESULT ')) return;
    let result: GodotResult;
    try {
      result = JSON.parse(line.slice('RESULT '.length)) as GodotResult;
    } catch {
      result = { event: 'malformed_result', line };
    }
    this.results.push(result);
    const stillWaiting: ResultWaiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.predicate(result)) waiter.resolve(result);
      else stillWaiting.push(waiter);
    }
    this.waiters = stillWaiting;
  }

  private endedBefore(description: string): Error {
    const tail = this.stderr.split('\n').slice(-8).join('\n');
    return new Error(
      `godot3-server (${this.role}) exited before "${description}". ` +
        `Results: ${JSON.stringify(this.results)}\nstderr tail:\n${tail}`,
    );
  }
}

export function startGodot<R extends GodotRole>(
  role: R,
  config: GodotRoleConfigs[R],
  options?: GodotRunOptions,
): GodotProcess {
  return new GodotProcess(role, config, options);
}

/** Runs a role to completion. */
export function runGodot<R extends GodotRole>(
  role: R,
  config: GodotRoleConfigs[R],
  options?: GodotRunOptions,
): Promise<GodotRunOutcome> {
  return startGodot(role, config, options).finished;
}

export interface StartedGodotServer {
  readonly godot: GodotProcess;
  readonly port: number;
}

/**
 * Starts a server role on a free loopback port and waits for its READY line. Godot 3.2
 * cannot listen on port 0 and report the port, so Node picks one; if another process
 * takes it in between, Godot reports listen_failed and we try another.
 */
export async function startGodotServer<R extends GodotServerRole>(
  role: R,
  config: Omit<GodotRoleConfigs[R], 'port'>,
  options?: GodotRunOptions,
): Promise<StartedGodotServer> {
  let lastFailure: unknown;
  for (let attempt = 0; attempt < LISTEN_ATTEMPTS; attempt++) {
    const port = await freeLoopbackPort();
    const godot = startGodot(role, { ...config, port } as GodotRoleConfigs[R], options);
    const outcome = await Promise.race([godot.ready.then(() => undefined), godot.finished]);
    if (outcome === undefined) return { godot, port };
    lastFailure = outcome.results;
    if (!outcome.results.some((result) => result.event === 'listen_failed')) break;
  }
  throw new Error(`godot3-server ${role} did not start listening: ${JSON.stringify(lastFailure)}`);
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export function resultsOf(results: readonly GodotResult[], event: string): GodotResult[] {
  return results.filter((result) => result.event === event);
}
