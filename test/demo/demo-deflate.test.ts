import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseDemoOptions } from '../../demo/options.js';

let child: ChildProcess | null = null;

afterEach(() => {
  child?.kill('SIGKILL');
  child = null;
});

async function startDemo(args: string[]): Promise<{ port: number; banner: string }> {
  child = spawn(process.execPath, ['--import', 'tsx', 'demo/server.ts', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  for await (const chunk of child.stdout!) {
    output += String(chunk);
    const match = /listening on http:\/\/127\.0\.0\.1:(\d+)\/.*\n/.exec(output);
    if (match) return { port: Number(match[1]), banner: match[0] };
  }
  throw new Error(`demo exited without printing its address: ${output}`);
}

describe('demo server with --deflate (npm start -- --deflate)', () => {
  it('parses the flag, off by default', () => {
    expect(parseDemoOptions([], {}).deflate).toBe(false);
    expect(parseDemoOptions(['--deflate'], {}).deflate).toBe(true);
  });

  it('negotiates permessage-deflate with a client that offers it and echoes through it', async () => {
    const { port, banner } = await startDemo(['--deflate']);
    expect(banner).toContain('permessage-deflate on');
    const socket = new WebSocket(`ws://127.0.0.1:${port}/echo`, { perMessageDeflate: { threshold: 0 } });
    await once(socket, 'open');
    expect(socket.extensions).toBe('permessage-deflate');
    const text = 'compress me '.repeat(500);
    socket.send(text);
    const [data, isBinary] = (await once(socket, 'message')) as [Buffer, boolean];
    expect([isBinary, data.toString()]).toEqual([false, text]);
    socket.close(1000);
    await once(socket, 'close');
  });

  it('stays uncompressed without the flag', async () => {
    const { port } = await startDemo([]);
    const socket = new WebSocket(`ws://127.0.0.1:${port}/echo`, { perMessageDeflate: true });
    await once(socket, 'open');
    expect(socket.extensions).toBe('');
    socket.close(1000);
    await once(socket, 'close');
  });
});
