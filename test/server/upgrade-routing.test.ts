import fc from 'fast-check';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { routeUpgrades, WebSocketMultiplayerPeer, WebSocketServer } from '../../src/index.js';
import { rawWebSocketClient } from '../peer/support/raw-socket.js';
import { sleep } from '../peer/support/waiting.js';
import { Cleanup } from './support/endpoints.js';
import { hostileRequestArbitrary, NOTORIOUS_TARGETS, sendRawRequest } from './support/hostile-requests.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function routedHttpServer(handshakeTimeoutMs?: number): Promise<{ http: Server; port: number; echo: WebSocketServer; chat: WebSocketServer }> {
  const echo = new WebSocketServer();
  const chat = new WebSocketServer();
  const godot4 = new WebSocketMultiplayerPeer();
  const http = createServer((_request, response) => response.end('page'));
  routeUpgrades(http, { '/chat': chat, '/godot4': godot4 }, { fallback: echo, ...(handshakeTimeoutMs === undefined ? {} : { handshakeTimeoutMs }) });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanup.add(async () => {
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    await Promise.all([echo.stop(), chat.stop(), godot4.close()]);
  });
  return { http, port: (http.address() as AddressInfo).port, echo, chat };
}

describe('routeUpgrades', () => {
  it('sends each path to its target (query ignored) and others to the fallback', async () => {
    const { port, echo, chat } = await routedHttpServer();
    const seen: string[] = [];
    chat.on('clientConnected', () => seen.push('chat'));
    echo.on('clientConnected', () => seen.push('echo'));
    const first = await rawWebSocketClient(port, { path: '/chat?room=1' });
    const second = await rawWebSocketClient(port, { path: '/elsewhere' });
    const third = await rawWebSocketClient(port, { path: 'ws://127.0.0.1/chat' });
    for (const raw of [first, second, third]) cleanup.add(() => raw.destroy());
    await expect.poll(() => seen.length).toBe(3);
    expect(seen.sort()).toEqual(['chat', 'chat', 'echo']);
  });

  it('answers 404 for a path with no route and no fallback, 400 for targets that are not paths', async () => {
    const http = createServer();
    routeUpgrades(http, { '/only': new WebSocketServer() });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanup.add(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const port = (http.address() as AddressInfo).port;
    const request = (target: string) => Buffer.from(`GET ${target} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`, 'latin1');
    expect((await sendRawRequest(port, request('/nowhere'))).response).toMatch(/^HTTP\/1\.1 404 /);
    expect((await sendRawRequest(port, request('*'))).response).toMatch(/^HTTP\/1\.1 400 /);
    expect((await sendRawRequest(port, request('http://['))).response).toMatch(/^HTTP\/1\.1 (400|404) /);
    expect((await sendRawRequest(port, request('ws://%zz/'))).response).toMatch(/^HTTP\/1\.1 (400|404) /);
  });

  it('any request head ends in a response or a close, never an exception, and the server keeps serving', async () => {
    const { port } = await routedHttpServer();
    const uncaught: unknown[] = [];
    const record = (error: unknown): void => void uncaught.push(error);
    process.on('uncaughtException', record);
    cleanup.add(() => process.off('uncaughtException', record));
    for (const target of NOTORIOUS_TARGETS) {
      const { response, closed } = await sendRawRequest(port, Buffer.from(`GET ${target} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`, 'latin1'));
      expect(response !== '' || closed).toBe(true);
    }
    await fc.assert(
      fc.asyncProperty(hostileRequestArbitrary, async (request) => {
        const { response, closed } = await sendRawRequest(port, request);
        expect(response !== '' || closed).toBe(true);
      }),
      { numRuns: 150 },
    );
    expect(uncaught).toEqual([]);
    const raw = await rawWebSocketClient(port, { path: '/chat' });
    raw.destroy();
  });

  it('drops a connection whose request head is not complete within the handshake timeout', async () => {
    const { port } = await routedHttpServer(300);
    const socket: Socket = connect({ port, host: '127.0.0.1' });
    socket.on('error', () => {});
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
    const started = Date.now();
    socket.write('GET /chat HTTP/1.1\r\nHost: x\r\n');
    // One header byte every 100 ms: the head would take minutes.
    const dribble = setInterval(() => socket.write('X'), 100);
    cleanup.add(() => clearInterval(dribble));
    const closedAt = await Promise.race([closed, sleep(5000).then(() => -1)]);
    expect(closedAt).toBeGreaterThan(0);
    expect(closedAt - started).toBeLessThan(3000);
  });

  it('leaves ordinary page requests alone, and gives a keep-alive connection the same limit for its next head', async () => {
    const { port } = await routedHttpServer(400);
    const socket: Socket = connect({ port, host: '127.0.0.1' });
    socket.on('error', () => {});
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => received).toContain('page');
    const answeredAt = Date.now();
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
    await closed;
    expect(Date.now() - answeredAt).toBeLessThan(3000);
  });
});

describe('WebSocketServer.handleUpgrade on its own', () => {
  it('never throws, whatever the parsed request holds', async () => {
    const server = new WebSocketServer();
    cleanup.add(() => server.stop());
    const listener: TcpServer = createTcpServer();
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    cleanup.add(() => new Promise<void>((resolve) => listener.close(() => resolve())));
    const port = (listener.address() as AddressInfo).port;
    const accepted: Socket[] = [];
    listener.on('connection', (socket: Socket) => accepted.push(socket));
    const text = fc.string({ maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(text, text, text, fc.array(text, { maxLength: 8 }), fc.uint8Array({ maxLength: 32 }), async (method, url, httpVersion, rawHeaders, head) => {
        const client = connect({ port, host: '127.0.0.1' });
        client.on('error', () => {});
        await expect.poll(() => accepted.length).toBeGreaterThan(0);
        const socket = accepted.shift()!;
        const request = { method, url, httpVersion, rawHeaders, headers: {}, socket } as unknown as IncomingMessage;
        expect(() => server.handleUpgrade(request, socket, Buffer.from(head))).not.toThrow();
        client.destroy();
        socket.destroy();
      }),
      { numRuns: 60 },
    );
  });
});
