import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { freePort } from '../support/free-port.js';
import type { ServerKind } from './flood-server.js';

/**
 * Starts the attacked server in its own process: a flood-server.ts kind, or
 * the demo exactly as a user starts it (`npx tsx demo/server.ts --port N`),
 * and notes when and how it exits.
 */
export type TargetKind = ServerKind | 'demo';

export class RunningServer {
  exitedAt: number | null = null;
  exitDescription = '';
  private stderrTail = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly group: boolean,
  ) {}

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** The last line of stderr that looks like an error, for a death report. */
  get lastError(): string {
    const lines = this.stderrTail.split('\n').map((line) => line.trim()).filter(Boolean);
    const error = lines.find((line) => /Error|error:/.test(line)) ?? lines.at(-1) ?? '';
    // The first stack frame in the project's own code says where it threw.
    const frame = lines.find((line) => line.startsWith('at ') && !line.includes('node:') && !line.includes('node_modules'));
    const where = frame === undefined ? '' : ` ${frame.replace(/^at .*?\(?(\/[^)]*)\)?$/, 'at $1').replace(`${process.cwd()}/`, '')}`;
    return error + where;
  }

  static async start(kind: TargetKind, cwd: string): Promise<RunningServer> {
    const port = kind === 'demo' ? await freePort() : 0;
    const child =
      kind === 'demo'
        ? spawn('npx', ['tsx', 'demo/server.ts', '--port', String(port)], { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
        : spawn(process.execPath, ['--import', 'tsx', 'bench/flood/flood-server.ts', kind], { cwd, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const readyPort = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${kind} server not ready in 30 s`)), 30000);
      child.once('exit', (code) => reject(new Error(`${kind} server exited (${code}) before ready: ${stderr}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const ready = /^READY (\d+)/.exec(line) ?? /listening on https?:\/\/[^:]+:(\d+)\//.exec(line);
        if (ready === null) return;
        clearTimeout(timer);
        resolve(Number(ready[1]));
      });
    });
    const server = new RunningServer(child, readyPort, kind === 'demo');
    child.stderr!.on('data', () => {
      server.stderrTail = stderr;
    });
    child.removeAllListeners('exit');
    child.once('exit', (code, signal) => {
      server.exitedAt = performance.now();
      server.exitDescription = signal !== null ? `killed by ${signal}` : `exit code ${code}`;
      server.stderrTail = stderr;
    });
    return server;
  }

  /** Stops the server (the whole process group for the demo). */
  stop(): Promise<void> {
    if (this.exitedAt !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      try {
        if (this.group) process.kill(-this.pid, 'SIGKILL');
        else this.child.kill('SIGKILL');
      } catch {
        resolve();
      }
    });
  }
}

