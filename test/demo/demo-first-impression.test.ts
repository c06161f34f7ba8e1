// What a new user meets first: `npm start` with the port taken or a bad option says so in
// one line, an IPv6 host prints URLs that work, ordinary GETs get ordinary answers, and
// /status counts who is connected to each endpoint.

import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { interruptDemo, useDemoLauncher } from './support/demo-process.js';
import { canListenOnIpv6Loopback } from './support/ipv6.js';

const launcher = useDemoLauncher();
const blockers: Server[] = [];
afterEach(async () => {
  await Promise.all(blockers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Takes a free port on `host` until the test ends. */
async function occupy(host: string): Promise<number> {
  const server = createServer();
  blockers.push(server);
  server.listen(0, host);
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

const hasIpv6Loopback = await canListenOnIpv6Loopback();

const NO_STACK = /^\s+at /m;

describe('demo server first impression (npm start)', () => {
  it('says in one line that the port is in use, suggests the next one, and exits with 1', async () => {
    const port = await occupy('127.0.0.1');
    const { code, stderr } = await launcher.refuse(['--port', String(port)]);
    expect(code).toBe(1);
    expect(stderr).toBe(`gdws demo: port ${port} on 127.0.0.1 is in use; try npm start -- --port ${port + 1}\n`);
  });

  it('refuses a bad option with its message and exit code 1, no stack', async () => {
    const cases: Array<[string[], string]> = [
      [['--bogus'], 'Unknown option --bogus. Usage: npm start --'],
      [['--port', 'eighty'], '--port must be a port number 0-65535, got "eighty"'],
      [['--host'], '--host needs a value'],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await launcher.refuse(args);
      expect(code, args.join(' ')).toBe(1);
      expect(stderr).toMatch(/^gdws demo: [^\n]*\n$/);
      expect(stderr).toContain(message);
      expect(stderr).not.toMatch(NO_STACK);
    }
  });

  it.skipIf(!hasIpv6Loopback)('prints bracketed URLs for an IPv6 host, and they work', async () => {
    const { process: demo, host, port, banner } = await launcher.start(['--host', '::1']);
    expect(host).toBe('[::1]');
    expect(banner).toContain(`listening on http://[::1]:${port}/ (echo on ws://[::1]:${port}/<any path>`);
    expect(banner).toContain(`ws://[::1]:${port}/godot4`);
    expect(banner).toContain(`ws://[::1]:${port}/godot3`);
    expect((await fetch(`http://[::1]:${port}/`)).status).toBe(200);
    const socket = new WebSocket(`ws://[::1]:${port}/echo`);
    await once(socket, 'open');
    socket.send('over IPv6');
    const [data] = (await once(socket, 'message')) as [Buffer];
    expect(String(data)).toBe('over IPv6');
    socket.close(1000);
    await once(socket, 'close');
    expect(await interruptDemo(demo)).toBe(0);
  });

  it('answers ordinary GETs as a web server would: 204 for the favicon, 404 for unknown paths, 426 only on WebSocket endpoints', async () => {
    const { process: demo, port } = await launcher.start();
    const status = async (path: string): Promise<number> => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      await response.arrayBuffer();
      return response.status;
    };
    expect(await status('/favicon.ico')).toBe(204);
    expect(await status('/robots.txt')).toBe(404);
    expect(await status('/no/such/page?x=1')).toBe(404);
    expect(await status('/echo')).toBe(426);
    expect(await status('/godot4')).toBe(426);
    expect(await status('/godot3?room=1')).toBe(426);
    expect(await status('/index.html')).toBe(200);
    expect(await interruptDemo(demo)).toBe(0);
  });

  it('counts connected peers per endpoint at /status, up as clients connect and down as they leave', async () => {
    const { process: demo, port } = await launcher.start();
    const counts = async (): Promise<unknown> => {
      const response = await fetch(`http://127.0.0.1:${port}/status`);
      expect(response.headers.get('content-type')).toBe('application/json');
      return response.json();
    };
    expect(await counts()).toEqual({ echo: 0, godot4: 0, godot3: 0, game4: 0, game3: 0, rooms: [] });

    const open = async (path: string): Promise<WebSocket> => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`);
      await once(socket, 'open');
      return socket;
    };
    const sockets = [await open('/echo'), await open('/anything'), await open('/godot4'), await open('/godot3'), await open('/godot3')];
    await expect.poll(counts).toEqual({ echo: 2, godot4: 1, godot3: 2, game4: 0, game3: 0, rooms: [] });

    const closeAll = (group: WebSocket[]): Promise<unknown> =>
      Promise.all(
        group.map((socket) => {
          socket.close(1000);
          return once(socket, 'close');
        }),
      );
    await closeAll([sockets[0]!, sockets[3]!]);
    await expect.poll(counts).toEqual({ echo: 1, godot4: 1, godot3: 1, game4: 0, game3: 0, rooms: [] });
    await closeAll([sockets[1]!, sockets[2]!, sockets[4]!]);
    await expect.poll(counts).toEqual({ echo: 0, godot4: 0, godot3: 0, game4: 0, game3: 0, rooms: [] });
    expect(await interruptDemo(demo)).toBe(0);
  });
});
