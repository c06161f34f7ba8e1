import { createServer, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { GodotError, WebSocketClient, WebSocketServer, WriteMode } from '../../src/index.js';
import { RawSocket, upgradeRequest } from '../peer/support/raw-socket.js';
import { nextEvent } from '../peer/support/waiting.js';
import { clientFrame, Op } from '../peer/support/wire.js';
import { Cleanup, connectGdwsClient, echoOnGdwsServer, startGdwsServer } from './support/endpoints.js';
import { startFakeServer } from './support/fake-server.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('subprotocol choice', () => {
  it('takes the first protocol in the client\'s order that the server supports', async () => {
    const { server, url } = await startGdwsServer(cleanup, () => {}, ['v1', 'v2', 'chat']);
    const connected = nextEvent<[number, string]>(server, 'clientConnected');
    const client = new WebSocketClient();
    cleanup.add(() => client.getPeer(1)?.close(-1));
    const established = nextEvent<[string]>(client, 'connectionEstablished');
    expect(await client.connectToUrl(url, ['chat', 'v2'])).toBe(GodotError.OK);
    expect(await established).toEqual(['chat']);
    const [id, protocol] = await connected;
    expect(protocol).toBe('chat');
    expect(server.getPeer(id)!.getSelectedProtocol()).toBe('chat');
    expect(client.getPeer(1)!.getSelectedProtocol()).toBe('chat');
  });

  it('agrees with ws as the client', async () => {
    const { server, url } = await startGdwsServer(cleanup, () => {}, ['b', 'a']);
    const connected = nextEvent<[number, string]>(server, 'clientConnected');
    const ws = new WebSocket(url, ['x', 'a', 'b']);
    cleanup.add(() => ws.terminate());
    await nextEvent(ws, 'open');
    expect(ws.protocol).toBe('a');
    expect((await connected)[1]).toBe('a');
  });

  it('connects without a protocol when neither side has any', async () => {
    const { url } = await startGdwsServer(cleanup);
    const { peer } = await connectGdwsClient(cleanup, url);
    expect(peer.getSelectedProtocol()).toBe('');
  });

  it('refuses with a 400 naming both lists when none match', async () => {
    const { server, port } = await startGdwsServer(cleanup, () => {}, ['game-v2', 'game-v3']);
    const failed = nextEvent<[string, string]>(server, 'handshakeFailed');
    const raw = await RawSocket.connect(port);
    cleanup.add(() => raw.destroy());
    await raw.write(upgradeRequest({ protocols: ['game-v1', 'chat'] }).request);
    const head = await raw.readHead(true);
    expect(head.status).toBe(400);
    expect(head.body).toMatch(/game-v1, chat/);
    expect(head.body).toMatch(/game-v2, game-v3/);
    const [reason, address] = await failed;
    expect(reason).toMatch(/400/);
    expect(reason).toMatch(/game-v1, chat/);
    expect(address).toBe('127.0.0.1');
    expect(server.getPeerIds()).toEqual([]);
  });

  it('refuses a client that offers none when the server requires one, and the reverse', async () => {
    const { url } = await startGdwsServer(cleanup, () => {}, ['required']);
    const client = new WebSocketClient();
    const errors: string[] = [];
    client.on('connectionError', (reason) => errors.push(reason));
    expect(await client.connectToUrl(url)).toBe(GodotError.ERR_CONNECTION_ERROR);
    expect(client.lastError?.message).toMatch(/400/);
    expect(errors).toHaveLength(1);

    const { url: plainUrl } = await startGdwsServer(cleanup);
    const ws = new WebSocket(plainUrl, ['offered']);
    // ws reports the refusal as 'unexpected-response'; its later abort error is expected.
    ws.on('error', () => {});
    cleanup.add(() => ws.terminate());
    const [, response] = await nextEvent<[unknown, IncomingMessage]>(ws, 'unexpected-response');
    expect(response.statusCode).toBe(400);
    let body = '';
    for await (const chunk of response) body += String(chunk);
    expect(body).toMatch(/offered/);
    expect(body).toMatch(/none/);
  });

  it('a gdws client refuses a server that picks a protocol it did not offer', async () => {
    const fake = await startFakeServer(cleanup, (key) =>
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${key}\r\nSec-WebSocket-Protocol: other\r\n\r\n`,
    );
    const client = new WebSocketClient();
    expect(await client.connectToUrl(`ws://127.0.0.1:${fake.port}/`, ['mine'])).not.toBe(GodotError.OK);
    expect(client.lastError?.message).toMatch(/other|protocol/i);
  });
});

describe('handshake headers', () => {
  it('the server sees the client\'s custom headers; the client sees the server\'s extra headers', async () => {
    const { server, url } = await startGdwsServer(cleanup, (s) => s.setExtraHeaders(['X-Server-Name: gdws test', 'Cache-Control: no-store']));
    const connected = nextEvent<[number]>(server, 'clientConnected');
    const { peer } = await connectGdwsClient(cleanup, `${url}/lobby?room=4`, () => {}, [], ['X-Player-Name: Ada', 'Authorization: Bearer t0ken']);
    const [id] = await connected;
    const serverPeer = server.getPeer(id)!;
    const seen = serverPeer.getHandshakeHeaders();
    expect(seen.get('x-player-name')).toBe('Ada');
    expect(seen.get('authorization')).toBe('Bearer t0ken');
    expect(seen.get('host')).toBe(`127.0.0.1:${server.getListeningPort()}`);
    expect(serverPeer.getRequestedUrl()).toBe(`ws://127.0.0.1:${server.getListeningPort()}/lobby?room=4`);
    expect(peer.getHandshakeHeaders().get('x-server-name')).toBe('gdws test');
    expect(peer.getHandshakeHeaders().get('cache-control')).toBe('no-store');
  });

  it('headers from ws reach the server', async () => {
    const { server, url } = await startGdwsServer(cleanup);
    const connected = nextEvent<[number]>(server, 'clientConnected');
    const ws = new WebSocket(url, { headers: { 'X-Token': 'abc', Origin: 'http://example.test' } });
    cleanup.add(() => ws.terminate());
    await nextEvent(ws, 'open');
    const [id] = await connected;
    expect(server.getPeer(id)!.getHandshakeHeaders().get('x-token')).toBe('abc');
    expect(server.getPeer(id)!.getHandshakeHeaders().get('origin')).toBe('http://example.test');
  });
});

describe('handleUpgrade from a node:http server', () => {
  async function httpWithUpgrades(configure: (server: WebSocketServer) => void = () => {}) {
    const wsServer = new WebSocketServer();
    configure(wsServer);
    echoOnGdwsServer(wsServer);
    const http = createServer((request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end(`plain HTTP at ${request.url}`);
    });
    http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => wsServer.handleUpgrade(request, socket, head));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const address = http.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    cleanup.add(async () => {
      await wsServer.stop();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    });
    return { wsServer, http, port };
  }

  it('adopts upgrades while the HTTP server keeps serving plain requests', async () => {
    const { wsServer, port } = await httpWithUpgrades((s) => (s.supportedProtocols = ['echo']));
    const connected = nextEvent<[number, string]>(wsServer, 'clientConnected');
    const { client, peer } = await connectGdwsClient(cleanup, `ws://127.0.0.1:${port}/ws?x=1`, () => {}, ['echo'], ['X-Via: http']);
    const [id, protocol] = await connected;
    expect(protocol).toBe('echo');
    const serverPeer = wsServer.getPeer(id)!;
    expect(serverPeer.getHandshakeHeaders().get('x-via')).toBe('http');
    expect(serverPeer.getRequestedUrl()).toBe(`ws://127.0.0.1:${port}/ws?x=1`);
    const echoed = nextEvent(client, 'dataReceived');
    peer.send('through node:http', WriteMode.TEXT);
    await echoed;
    expect(peer.getPacket().toString()).toBe('through node:http');
    expect(peer.wasStringPacket()).toBe(true);

    const response = await fetch(`http://127.0.0.1:${port}/page`);
    expect(await response.text()).toBe('plain HTTP at /page');

    const closed = nextEvent<[number, boolean]>(wsServer, 'clientDisconnected');
    client.disconnectFromHost(4000, 'done');
    expect(await closed).toEqual([id, true]);
  });

  it('works with ws as the client', async () => {
    const { port } = await httpWithUpgrades();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    cleanup.add(() => ws.terminate());
    await nextEvent(ws, 'open');
    const message = nextEvent<[Buffer, boolean]>(ws, 'message');
    ws.send(Buffer.from([1, 2, 3]));
    const [data, isBinary] = await message;
    expect([...data]).toEqual([1, 2, 3]);
    expect(isBinary).toBe(true);
  });

  it('reads frames that arrive with the request head', async () => {
    const { port } = await httpWithUpgrades();
    const raw = await RawSocket.connect(port);
    cleanup.add(() => raw.destroy());
    const { request } = upgradeRequest({ host: `127.0.0.1:${port}` });
    await raw.write(Buffer.concat([Buffer.from(request), clientFrame(Op.TEXT, 'early bird')]));
    const head = await raw.readHead();
    expect(head.status).toBe(101);
    raw.startFrames();
    const echo = await raw.nextFrame(0);
    expect([echo.opcode, echo.payload.toString()]).toEqual([Op.TEXT, 'early bird']);
  });

  it('refuses an upgrade request that is not a valid WebSocket handshake', async () => {
    const { wsServer, port } = await httpWithUpgrades();
    const failed = nextEvent<[string, string]>(wsServer, 'handshakeFailed');
    const raw = await RawSocket.connect(port);
    cleanup.add(() => raw.destroy());
    await raw.write('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n');
    const head = await raw.readHead(true);
    expect(head.status).toBe(400);
    expect(head.body).toMatch(/Sec-WebSocket-Key/i);
    expect((await failed)[0]).toMatch(/Sec-WebSocket-Key/i);
  });
});
