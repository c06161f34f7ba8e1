import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { UsageReport, UsageRequest } from './server-control.js';

export interface StartOptions {
  /** Node flags, e.g. --expose-gc. */
  nodeFlags?: string[];
  /** Raise the soft open-files limit (up to the hard limit) before starting. */
  openFiles?: number;
  /** Run on this CPU only (Linux `taskset`). */
  cpu?: number;
}

/** Starts `node [flags] script ...args` with an IPC channel, through sh when the fd limit must be raised. */
export function startNode(script: string, args: string[], options: StartOptions = {}): ChildProcess {
  const nodeArgs = [...(options.nodeFlags ?? []), script, ...args];
  const stdio: ['ignore', 'pipe', 'inherit', 'ipc'] = ['ignore', 'pipe', 'inherit', 'ipc'];
  // taskset execs node in place: same pid, and the IPC descriptor is inherited.
  if (options.cpu !== undefined) return spawn('taskset', ['-c', String(options.cpu), process.execPath, ...nodeArgs], { stdio });
  if (options.openFiles === undefined) return spawn(process.execPath, nodeArgs, { stdio });
  // sh's exec keeps the IPC descriptor and NODE_CHANNEL_FD, so the channel survives the hop.
  const raise = `want=${options.openFiles}; hard=$(ulimit -Hn); if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then want=$hard; fi; ulimit -n "$want"; exec "$0" "$@"`;
  return spawn('/bin/sh', ['-c', raise, process.execPath, ...nodeArgs], { stdio });
}

/** A benchmark server child process (echo-server.js and friends). */
export class ServerProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, (report: UsageReport) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (message: UsageReport) => {
      const resolve = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      resolve?.(message);
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  static start(script: string, options: StartOptions = {}): Promise<ServerProcess> {
    const child = startNode(script, ['0'], options);
    return new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      const onExit = (code: number | null): void => reject(new Error(`${script} exited (${code}) before READY`));
      child.once('exit', onExit);
      lines.on('line', (line) => {
        if (!line.startsWith('READY')) return;
        child.off('exit', onExit);
        resolve(new ServerProcess(child, Number(line.split(/\s+/)[1])));
      });
    });
  }

  /** The server's CPU time and memory; `collectGarbage` forces full GCs first (needs --expose-gc). */
  usage(collectGarbage: boolean): Promise<UsageReport> {
    const id = this.nextId++;
    const request: UsageRequest = { type: 'usage', id, collectGarbage };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, resolve);
      this.child.send(request, (error) => error && reject(error));
    });
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Resolves with the first IPC message for which `pick` returns a value; rejects if the child exits first. */
export function nextMessage<T>(child: ChildProcess, pick: (message: unknown) => T | undefined, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`No answer from child process in ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: unknown): void => {
      const value = pick(message);
      if (value !== undefined) finish(null, value);
    };
    const onExit = (code: number | null): void => finish(new Error(`Child process exited (${code})`));
    const finish = (error: Error | null, value?: T): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error !== null) reject(error);
      else resolve(value!);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
