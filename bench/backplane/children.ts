import type { ChildProcess } from 'node:child_process';

/**
 * The child processes of a benchmark run (redis-server, the second gdws
 * process, the receivers). `finally` blocks stop them politely; this is the
 * net for everything else: Ctrl+C, a kill, or a crash of the run must not
 * leave a redis-server or a server listening behind.
 */

const children = new Set<ChildProcess>();

export function track<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Kills every tracked child when this process ends, however it ends ('exit' also follows an uncaught exception). */
export function killChildrenOnExit(): void {
  process.once('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the benchmark's processes`);
      process.exit(130);
    });
  }
}

/** SIGTERM, then SIGKILL if the child is still there after `graceMs`; resolves once it is gone. */
export function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
