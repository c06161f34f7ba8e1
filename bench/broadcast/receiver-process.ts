import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The parent's side of bench/broadcast/receivers.ts: forks it, sends it
 * commands over IPC and keeps its latest progress report (the fewest
 * messages any of its receivers has), which paces the publisher. If the
 * child reports an error or goes away, every pending wait rejects, so a
 * caller with a deadline can report the failure instead of hanging.
 */

const here = dirname(fileURLToPath(import.meta.url));

/** What `{ type: 'report' }` answers: deliveries, latency percentiles in ms, and the latency distribution. */
export interface ReceiverReport {
  total: number;
  p50: number;
  p99: number;
  /** Latency samples kept (at most 4 million) and their quantiles at 0, 1/1000, ..., 1, for merging with another process's. */
  samples: number;
  quantiles: number[];
}

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

export class ReceiverProcess {
  readonly child: ChildProcess;
  least = 0;
  private readonly replies: Array<Waiter<Record<string, number>> & { type: string }> = [];
  private progressWaiters: Array<Waiter<void>> = [];

  constructor() {
    this.child = fork(join(here, 'receivers.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message: { type: string; least?: number; message?: string }) => {
      if (message.type === 'progress') {
        this.least = message.least!;
        const waiters = this.progressWaiters;
        this.progressWaiters = [];
        for (const waiter of waiters) waiter.resolve();
        return;
      }
      if (message.type === 'error') {
        this.fail(new Error(`receivers: ${message.message}`));
        return;
      }
      const at = this.replies.findIndex((waiter) => waiter.type === message.type);
      if (at >= 0) this.replies.splice(at, 1)[0]!.resolve(message as unknown as Record<string, number>);
    });
    this.child.on('error', (error) => this.fail(error));
    this.child.on('exit', (code, signal) => this.fail(new Error(`receivers process exited (${signal ?? code})`)));
  }

  request(command: Record<string, unknown>, reply: string): Promise<Record<string, number>> {
    return new Promise((resolve, reject) => {
      this.replies.push({ type: reply, resolve, reject });
      this.child.send(command);
    });
  }

  async report(): Promise<ReceiverReport> {
    return (await this.request({ type: 'report' }, 'report')) as unknown as ReceiverReport;
  }

  /** Resolves at the next progress report (the child sends one every millisecond while connected). */
  progressed(): Promise<void> {
    return new Promise((resolve, reject) => this.progressWaiters.push({ resolve, reject }));
  }

  stop(): void {
    this.child.kill();
  }

  private fail(error: Error): void {
    const waiting = [...this.replies.splice(0), ...this.progressWaiters];
    this.progressWaiters = [];
    for (const waiter of waiting) waiter.reject(error);
  }
}
