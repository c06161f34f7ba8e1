import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { stopChild, track } from './children.js';

/** Process B: bench/backplane/server.ts started with `node --import tsx`, so its pid is the server's own (its CPU time is read from /proc). */
export interface ServerProcess {
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '../..');

export function startServerProcess(redisUrl: string, timeoutMs = 30_000): Promise<ServerProcess> {
  // An IPC channel only so that B exits by itself if this process dies without killing it.
  const child = track(spawn(process.execPath, ['--import', 'tsx', join(here, 'server.ts'), '--redis', redisUrl], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] }));
  return new Promise((resolve, reject) => {
    const fail = (reason: string): void => {
      clearTimeout(timer);
      void stopChild(child).then(() => reject(new Error(`bench/backplane/server.ts ${reason}`)));
    };
    const timer = setTimeout(() => fail(`printed no READY within ${timeoutMs} ms`), timeoutMs);
    const onExit = (code: number | null): void => fail(`exited (${code}) before READY`);
    child.once('exit', onExit);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ port: Number(line.slice('READY '.length)), pid: child.pid ?? 0, stop: () => stopChild(child) });
    });
  });
}
