// The demo as `npm start` runs it, in a child process on a free port, for the tests
// of its command line.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach } from 'vitest';

export interface RunningDemo {
  readonly process: ChildProcess;
  readonly port: number;
  /** The host as the banner's URLs write it: `127.0.0.1`, or an IPv6 address in brackets (`[::1]`). */
  readonly host: string;
  /** The line it printed once listening: scheme, endpoints and options. */
  readonly banner: string;
}

export interface DemoLauncher {
  /** Starts demo/server.ts with `args` after `--port 0` and waits until it says where it listens. */
  start(args?: string[]): Promise<RunningDemo>;
  /** Runs demo/server.ts expecting it to refuse `args`; its exit code and what it wrote to stderr. */
  refuse(args: string[]): Promise<{ code: number | null; stderr: string }>;
}

// `listening on http://127.0.0.1:PORT/ ...` or, for an IPv6 host, `http://[::1]:PORT/ ...`.
const LISTENING_LINE = /listening on https?:\/\/(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):(\d+)\/.*\n/;

/** A launcher whose demos are killed after each test. */
export function useDemoLauncher(): DemoLauncher {
  const running: ChildProcess[] = [];
  afterEach(() => {
    for (const demo of running.splice(0)) demo.kill('SIGKILL');
  });
  const spawnDemo = (args: string[]): ChildProcess => {
    const demo = spawn(process.execPath, ['--import', 'tsx', 'demo/server.ts', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(demo);
    return demo;
  };
  return {
    start: (args = []) => {
      const demo = spawnDemo(args);
      // Keep reading stdout for the whole run: the demo logs relay events there.
      return new Promise((resolve, reject) => {
        let output = '';
        demo.stdout!.on('data', (chunk) => {
          output += String(chunk);
          const match = LISTENING_LINE.exec(output);
          if (match) resolve({ process: demo, host: match[1]!, port: Number(match[2]), banner: match[0] });
        });
        demo.once('close', () => reject(new Error(`demo exited without printing its address: ${output}`)));
      });
    },
    refuse: async (args) => {
      const demo = spawnDemo(args);
      let stderr = '';
      demo.stderr!.on('data', (chunk) => (stderr += String(chunk)));
      // 'close' rather than 'exit': by then stderr has been read to its end.
      const [code] = (await once(demo, 'close')) as [number | null];
      return { code, stderr };
    },
  };
}

/** Sends SIGINT, as Ctrl-C in a terminal would, and resolves with the demo's exit code. */
export async function interruptDemo(demo: ChildProcess): Promise<number | null> {
  demo.kill('SIGINT');
  const [code] = (await once(demo, 'exit')) as [number | null];
  return code;
}
