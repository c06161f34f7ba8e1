// How a WebSocketPeer's opening handshake fails, client and server side: the
// GodotError returned, and the reason in lastError and connectionError.
// Everything stays on 127.0.0.1 except a name under .invalid, which never resolves.

import { connect as connectTcp, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GodotError, TLSOptions, WebSocketPeer } from '../../src/index.js';
import { DEFAULT_PEER_OPTIONS, type PeerOptions } from '../../src/peer/peer-options.js';
import { listenTcp, type TcpListener } from './support/loopback.js';
import { nextEvent } from './support/waiting.js';

const listeners: TcpListener[] = [];
const peers: WebSocketPeer[] = [];
afterEach(async () => {
  for (const peer of peers.splice(0)) peer.close(-1);
  for (const listener of listeners.splice(0)) await listener.close();
});

function newPeer(options: Partial<PeerOptions> = {}): { peer: WebSocketPeer; errors: string[] } {
  const peer = new WebSocketPeer({ ...DEFAULT_PEER_OPTIONS, ...options });
  peers.push(peer);
  const errors: string[] = [];
  peer.on('connectionError', (reason) => errors.push(reason));
  return { peer, errors };
}

async function listen(onConnection: (socket: Socket) => void = () => {}): Promise<TcpListener> {
  const listener = await listenTcp(onConnection);
  listeners.push(listener);
  return listener;
}

const REQUEST = (key = 'dGhlIHNhbXBsZSBub25jZQ==') =>
  `GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`;

/** A raw client to a listener, with everything it read. */
async function rawClient(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const socket = connectTcp({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await nextEvent(socket, 'connect');
  return { socket, received: () => text, closed };
}

describe('client handshake failures', () => {
  it('a host name that does not resolve: ERR_CANT_RESOLVE naming ENOTFOUND', async () => {
    const { peer, errors } = newPeer({ handshakeTimeoutMs: 8000 });
    const result = await peer.connectToUrl('ws://gdws-never-resolves.invalid:9080/');
    // A resolver that cannot be reached at all answers EAI_AGAIN, also "cannot resolve".
    expect(result).toBe(GodotError.ERR_CANT_RESOLVE);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(errors[0]).toMatch(/gdws-never-resolves\.invalid/);
    expect(peer.lastError).toEqual({ code: GodotError.ERR_CANT_RESOLVE, message: errors[0] });
  });

  it('TLSOptions.server() given to a client: ERR_INVALID_PARAMETER before any socket', async () => {
    let connections = 0;
    const listener = await listen(() => connections++);
    const { peer, errors } = newPeer();
    const result = await peer.connectToUrl(`wss://127.0.0.1:${listener.port}/`, TLSOptions.server('key', 'certificate'));
    expect(result).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(errors[0]).toMatch(/not TLSOptions\.server\(\)/);
    expect(connections).toBe(0);
  });

  it('a trusted chain that is not PEM certificates: ERR_INVALID_DATA naming it, before any socket', async () => {
    let connections = 0;
    const listener = await listen(() => connections++);
    const { peer, errors } = newPeer();
    const result = await peer.connectToUrl(`wss://127.0.0.1:${listener.port}/`, TLSOptions.client('not a certificate'));
    expect(result).toBe(GodotError.ERR_INVALID_DATA);
    expect(errors[0]).toMatch(/No PEM certificate in the PEM given as the trusted chain/);
    expect(connections).toBe(0);
  });

  it('a plain TCP server on a wss:// URL: the TLS failure in plain words', async () => {
    const listener = await listen((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const { peer, errors } = newPeer();
    const result = await peer.connectToUrl(`wss://127.0.0.1:${listener.port}/`, TLSOptions.clientUnsafe());
    expect(result).toBe(GodotError.ERR_CONNECTION_ERROR);
    expect(errors[0]).toMatch(/^TLS handshake failed: /);
    expect(errors[0]).toMatch(/\(ERR_SSL_[A-Z_]+\)$/);
  });

  it('a connection reset mid-handshake: ERR_CONNECTION_ERROR with the code and message', async () => {
    const listener = await listen((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const { peer, errors } = newPeer();
    const result = await peer.connectToUrl(`ws://127.0.0.1:${listener.port}/`);
    expect(result).toBe(GodotError.ERR_CONNECTION_ERROR);
    // Either the reset is seen as an error (ECONNRESET, named once) or as a plain close.
    expect(errors[0]).toMatch(/ECONNRESET|closed the connection during the handshake/);
    expect(errors[0]!.match(/ECONNRESET/g)?.length ?? 1).toBe(1);
  });
});

describe('server handshake failures', () => {
  async function serverPeer(options: Partial<PeerOptions> = {}): Promise<{ port: number; result: Promise<GodotError>; peer: WebSocketPeer; errors: string[] }> {
    const { peer, errors } = newPeer(options);
    let resolveResult!: (result: Promise<GodotError>) => void;
    const result = new Promise<Promise<GodotError>>((resolve) => (resolveResult = resolve));
    const listener = await listen((socket) => resolveResult(peer.acceptStream(socket)));
    return { port: listener.port, result: result.then((inner) => inner), peer, errors };
  }

  it('a client that closes before finishing its request: ERR_CONNECTION_ERROR', async () => {
    const server = await serverPeer();
    const client = await rawClient(server.port);
    client.socket.write('GET / HTTP/1.1\r\n');
    client.socket.end();
    expect(await server.result).toBe(GodotError.ERR_CONNECTION_ERROR);
    expect(server.errors).toEqual(['The client closed the connection during the handshake']);
  });

  it('a client that sends nothing: ERR_TIMEOUT after handshakeTimeout, and the socket is dropped', async () => {
    const server = await serverPeer({ handshakeTimeoutMs: 200 });
    const client = await rawClient(server.port);
    expect(await server.result).toBe(GodotError.ERR_TIMEOUT);
    expect(server.errors).toEqual(['Client sent no complete WebSocket handshake within 200 ms']);
    await client.closed;
  });

  it('invalid extra handshake headers of our own: the client is dropped and the server bug reported', async () => {
    const server = await serverPeer({ handshakeHeaders: ['Bad Header Without Colon'] });
    const client = await rawClient(server.port);
    client.socket.write(REQUEST());
    expect(await server.result).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(server.errors[0]).toMatch(/header/i);
    await client.closed;
    expect(client.received()).toBe('');
  });

  it('a client gone while an async admission check runs: ERR_CONNECTION_ERROR, and no 101 is written', async () => {
    let admit!: (verdict: boolean) => void;
    let asked!: () => void;
    const checking = new Promise<void>((resolve) => (asked = resolve));
    const server = await serverPeer({
      admit: () => {
        asked();
        return new Promise<boolean>((resolve) => (admit = resolve));
      },
    });
    const client = await rawClient(server.port);
    client.socket.write(REQUEST());
    await checking;
    client.socket.destroy();
    // The server side sees the close (its socket is destroyed) before the check answers.
    await new Promise((resolve) => setTimeout(resolve, 100));
    admit(true);
    expect(await server.result).toBe(GodotError.ERR_CONNECTION_ERROR);
    expect(server.errors).toEqual(['The client closed the connection during the handshake']);
  });

  it('an admission check slower than the handshake timeout: ERR_TIMEOUT, and its late yes writes no 101', async () => {
    let admit!: (verdict: boolean) => void;
    let asked!: () => void;
    const checking = new Promise<void>((resolve) => (asked = resolve));
    const server = await serverPeer({
      handshakeTimeoutMs: 150,
      admit: () => {
        asked();
        return new Promise<boolean>((resolve) => (admit = resolve));
      },
    });
    const client = await rawClient(server.port);
    client.socket.write(REQUEST());
    await checking;
    expect(await server.result).toBe(GodotError.ERR_TIMEOUT);
    expect(server.errors).toEqual(['Client sent no complete WebSocket handshake within 150 ms']);
    admit(true);
    await client.closed;
    expect(client.received()).toBe('');
  });

  it('an async admission check that refuses: the client reads the HTTP refusal', async () => {
    const server = await serverPeer({ admit: async () => ({ accept: false, status: 401, reason: 'no token' }) });
    const client = await rawClient(server.port);
    client.socket.write(REQUEST());
    expect(await server.result).toBe(GodotError.ERR_INVALID_DATA);
    expect(server.errors[0]).toBe('Handshake refused with 401: no token');
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 401 /);
    expect(client.received()).toMatch(/no token/);
  });
});
