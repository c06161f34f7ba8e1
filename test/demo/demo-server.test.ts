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
  const demo = child;
  // Keep reading stdout for the whole run: the demo logs relay events there.
  return new Promise((resolve, reject) => {
    let output = '';
    demo.stdout!.on('data', (chunk) => {
      output += String(chunk);
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
      if (match) resolve(Number(match[1]));
    });
    demo.once('exit', () => reject(new Error(`demo exited without printing its address: ${output}`)));
  });
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

  it('relays Godot 4 clients at /godot4 and Godot 3 gd_mp_api clients at /godot3', async () => {
    const port = await startDemo();
    const connect = async (path: string): Promise<{ socket: WebSocket; inbox: Buffer[] }> => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`);
      const inbox: Buffer[] = [];
      socket.on('message', (data) => inbox.push(data as Buffer));
      await once(socket, 'open');
      return { socket, inbox };
    };

    // Godot 4: the first message is the 4-byte id greeting.
    const first4 = await connect('/godot4');
    await expect.poll(() => first4.inbox.length).toBeGreaterThan(0);
    expect(first4.inbox[0]!.length).toBe(4);
    expect(first4.inbox[0]!.readInt32LE(0)).toBeGreaterThan(1);

    // Godot 3: SYS_ID(own id) then SYS_ADD(1), each a 9-byte header plus an int32.
    const first3 = await connect('/godot3');
    await expect.poll(() => first3.inbox.length).toBeGreaterThanOrEqual(2);
    const [sysId, sysAdd] = first3.inbox;
    expect(sysId!.length).toBe(13);
    expect(sysId![0]).toBe(3);
    expect(sysId!.readInt32LE(9)).toBeGreaterThan(1);
    expect([...sysAdd!]).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);

    first4.socket.close();
    first3.socket.close();
    child!.kill('SIGINT');
    const [code] = await once(child!, 'exit');
    expect(code).toBe(0);
  });
});
