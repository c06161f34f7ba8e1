import cluster from 'node:cluster';

/**
 * `--workers N`: this process becomes the cluster primary and forks N workers
 * that run the demo and share its port (node:cluster hands connections
 * round-robin). The primary serves nothing itself; it passes SIGINT/SIGTERM
 * on and exits once every worker has. A worker that dies is not replaced:
 * the demo shows what the others see (with --redis, its room members leave).
 */
export function runWorkers(count: number, log: (line: string) => void): void {
  for (let i = 0; i < count; i++) cluster.fork();
  let alive = count;
  cluster.on('exit', (worker, code, signal) => {
    alive--;
    log(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}), ${alive} left`);
    if (alive === 0) process.exit(0);
  });
  const stop = (): void => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** True in a worker forked by runWorkers (or any cluster worker). */
export function isWorker(): boolean {
  return cluster.isWorker;
}
