import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

let child: ChildProcess | null = null;

afterEach(() => {
  child?.kill('SIGKILL');
  child = null;
});

/** Starts `npm start`'s entry point on a free port and returns the port it printed. */
async function startDemo(): Promise<number> {
  child = spawn(process.execPath, ['--import', 'tsx', 'demo/server.ts', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  for await (const chunk of child.stdout!) {
    output += String(chunk);
    const match = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
    if (match) return Number(match[1]);
  }
  throw new Error(`demo exited without printing its address: ${output}`);
}

describe('demo server (npm start)', () => {
  it('serves the page and echoes text and binary on any path, then stops on SIGINT', async () => {
    const port = await startDemo();
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('new WebSocket');

    const socket = new WebSocket(`ws://127.0.0.1:${port}/anything`);
    await once(socket, 'open');
    const replies: Array<[boolean, string]> = [];
    socket.on('message', (data, isBinary) => replies.push([isBinary, String(data)]));
    socket.send('hello');
    socket.send(Buffer.from('bytes'));
    await expect.poll(() => replies.length).toBe(2);
    expect(replies).toEqual([
      [false, 'hello'],
      [true, 'bytes'],
    ]);
    socket.close(1000);
    await once(socket, 'close');

    child!.kill('SIGINT');
    const [code] = await once(child!, 'exit');
    expect(code).toBe(0);
  });
});
