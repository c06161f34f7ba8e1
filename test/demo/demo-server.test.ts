import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { NOTORIOUS_TARGETS, sendRawRequest } from '../server/support/hostile-requests.js';
import { echoTextAndBinary } from './support/demo-echo.js';
import { interruptDemo, useDemoLauncher } from './support/demo-process.js';

const launcher = useDemoLauncher();

describe('demo server (npm start)', () => {
  it('serves the page and echoes text and binary on any path, then stops on SIGINT', async () => {
    const { process: demo, port } = await launcher.start();
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('new WebSocket');

    const replies = await echoTextAndBinary(new WebSocket(`ws://127.0.0.1:${port}/anything`), 'hello');
    expect(replies).toEqual([
      [false, 'hello'],
      [true, 'bytes'],
    ]);

    expect(await interruptDemo(demo)).toBe(0);
  });

  it('relays Godot 4 clients at /godot4 and Godot 3 gd_mp_api clients at /godot3', async () => {
    const { process: demo, port } = await launcher.start();
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
    expect(await interruptDemo(demo)).toBe(0);
  });

  it('survives upgrade requests whose target is not a valid URL, answering each, and keeps echoing', async () => {
    const { process: demo, port } = await launcher.start();
    for (const target of NOTORIOUS_TARGETS) {
      const request = `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;
      const { response, closed } = await sendRawRequest(port, Buffer.from(request, 'latin1'));
      expect(response !== '' || closed, `answer to ${JSON.stringify(target)}`).toBe(true);
    }
    expect(demo.exitCode).toBeNull();
    const replies = await echoTextAndBinary(new WebSocket(`ws://127.0.0.1:${port}/after`), 'still here');
    expect(replies[0]).toEqual([false, 'still here']);
    expect(await interruptDemo(demo)).toBe(0);
  });
});
