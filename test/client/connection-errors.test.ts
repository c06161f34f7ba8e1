import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionStatus, GodotError, ReadyState, WebSocketClient } from '../../src/index.js';
import { listenTcp } from '../peer/support/loopback.js';
import { sleep } from '../peer/support/waiting.js';
import { Cleanup } from '../server/support/endpoints.js';
import { startFakeServer } from '../server/support/fake-server.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** A port nothing listens on: bound once to learn a free number, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Connects and records what the client reported: result, connectionError reasons, events. */
async function attempt(url: string, configure: (client: WebSocketClient) => void = () => {}, protocols: string[] = [], headers: string[] = []) {
  const client = new WebSocketClient();
  configure(client);
  cleanup.add(() => client.getPeer(1)?.close(-1));
  const errors: string[] = [];
  let established = false;
  client.on('connectionError', (reason) => errors.push(reason));
  client.on('connectionEstablished', () => (established = true));
  const result = await client.connectToUrl(url, protocols, false, headers);
  return { client, result, errors, established };
}

const fine = (accept: string) => `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;

describe('WebSocketClient connection errors', () => {
  it('a refused TCP connection: ERR_CANT_CONNECT and connectionError with the reason', async () => {
    const port = await closedPort();
    const { client, result, errors, established } = await attempt(`ws://127.0.0.1:${port}/`);
    expect(result).toBe(GodotError.ERR_CANT_CONNECT);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/ECONNREFUSED/);
    expect(client.lastError).toEqual({ code: GodotError.ERR_CANT_CONNECT, message: errors[0] });
    expect(established).toBe(false);
    expect(client.getConnectionStatus()).toBe(ConnectionStatus.DISCONNECTED);
  });

  it('a bad URL: ERR_INVALID_PARAMETER and nothing is sent', async () => {
    const listener = await listenTcp();
    cleanup.add(() => listener.close());
    const port = listener.port;
    for (const url of [`http://127.0.0.1:${port}/`, 'ws://127.0.0.1:99999/', 'ws://exa mple/', 'ws://:80/', `ws://user@127.0.0.1:${port}/`, `ws://127.0.0.1:${port}/#top`, '']) {
      const { client, result, errors } = await attempt(url);
      expect(result, url).toBe(GodotError.ERR_INVALID_PARAMETER);
      expect(client.lastError?.code).toBe(GodotError.ERR_INVALID_PARAMETER);
      expect(client.lastError?.message, url).toMatch(/\S/);
      expect(errors).toHaveLength(1);
    }
    const badHeader = await attempt(`ws://127.0.0.1:${port}/`, () => {}, [], ['No colon here']);
    expect(badHeader.result).toBe(GodotError.ERR_INVALID_PARAMETER);
    const ownedHeader = await attempt(`ws://127.0.0.1:${port}/`, () => {}, [], ['Sec-WebSocket-Key: mine']);
    expect(ownedHeader.result).toBe(GodotError.ERR_INVALID_PARAMETER);
    const badProtocol = await attempt(`ws://127.0.0.1:${port}/`, () => {}, ['has space']);
    expect(badProtocol.result).toBe(GodotError.ERR_INVALID_PARAMETER);
    await sleep(50);
    expect(listener.sockets).toHaveLength(0);
  });

  it('a non-101 answer: connectionError naming the status', async () => {
    const fake = await startFakeServer(cleanup, () => 'HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nNot here\n');
    const { client, result, errors } = await attempt(`ws://127.0.0.1:${fake.port}/missing`);
    expect(result).toBe(GodotError.ERR_CONNECTION_ERROR);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/404/);
    expect(client.getPeer(1)!.getReadyState()).toBe(ReadyState.CLOSED);
  });

  it('a wrong Sec-WebSocket-Accept from a raw fake server: connectionError naming the header', async () => {
    const fake = await startFakeServer(cleanup, () => fine('dGhlIHNhbXBsZSBub25jZQ=='));
    const { result, errors, established } = await attempt(`ws://127.0.0.1:${fake.port}/`);
    expect(result).not.toBe(GodotError.OK);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/Sec-WebSocket-Accept/i);
    expect(established).toBe(false);
  });

  it('a missing Upgrade header or a Connection header without "upgrade": connectionError', async () => {
    const noUpgrade = await startFakeServer(cleanup, (accept) => `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    expect((await attempt(`ws://127.0.0.1:${noUpgrade.port}/`)).result).not.toBe(GodotError.OK);
    const keepAlive = await startFakeServer(cleanup, (accept) => `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: keep-alive\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    expect((await attempt(`ws://127.0.0.1:${keepAlive.port}/`)).result).not.toBe(GodotError.OK);
  });

  it('the server closing during the handshake: connectionError', async () => {
    const listener = await listenTcp((socket) => socket.once('data', () => socket.destroy()));
    cleanup.add(() => listener.close());
    const { result, errors } = await attempt(`ws://127.0.0.1:${listener.port}/`);
    expect(result).toBe(GodotError.ERR_CONNECTION_ERROR);
    expect(errors[0]).toMatch(/closed the connection during the handshake/);
  });

  it('a server that never answers: ERR_TIMEOUT after handshakeTimeout', async () => {
    const fake = await startFakeServer(cleanup, () => null);
    const { result, errors } = await attempt(`ws://127.0.0.1:${fake.port}/`, (client) => (client.handshakeTimeout = 0.3));
    expect(result).toBe(GodotError.ERR_TIMEOUT);
    expect(errors[0]).toMatch(/300 ms/);
  });

  it('a correct fake server connects, so the failures above are about what they name', async () => {
    const fake = await startFakeServer(cleanup, fine);
    const { client, result, established } = await attempt(`ws://127.0.0.1:${fake.port}/`);
    expect(result).toBe(GodotError.OK);
    expect(established).toBe(true);
    expect(client.getConnectionStatus()).toBe(ConnectionStatus.CONNECTED);
    expect(client.getConnectedHost()).toBe('127.0.0.1');
    expect(client.getConnectedPort()).toBe(fake.port);
  });

  it('connecting twice while connected is ERR_ALREADY_IN_USE', async () => {
    const fake = await startFakeServer(cleanup, fine);
    const { client } = await attempt(`ws://127.0.0.1:${fake.port}/`);
    expect(await client.connectToUrl(`ws://127.0.0.1:${fake.port}/`)).toBe(GodotError.ERR_ALREADY_IN_USE);
    expect(client.getPeer(2)).toBeNull();
  });
});
