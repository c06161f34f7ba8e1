// A gdws wss:// server facing clients that never finish TLS: plain HTTP or garbage on
// the TLS port, a stalled TLS handshake, a TLS session that never sends its upgrade
// request. Each is dropped by the handshake timeout (or at once) and reported, while
// a well-behaved client on the same server carries on; stop() ends them all.
// The bounds are generous "eventually" limits, far below Node's own 120 s TLS default.

import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { GodotError, TLSOptions } from '../../src/index.js';
import { nextEvent, waitUntil } from '../peer/support/waiting.js';
import { Cleanup } from '../server/support/endpoints.js';
import { useTestCertificates } from './support/use-test-certificates.js';
import { connectPeer, startTlsEchoServer, type TlsServerHandle } from './support/tls-endpoints.js';

/** Far longer than the 0.5 s handshake timeout these servers use, far shorter than Node's 120 s default. */
const DROP_BOUND_MS = 15_000;

const certs = useTestCertificates();
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function startServer(handshakeTimeoutSeconds: number): Promise<TlsServerHandle> {
  return startTlsEchoServer(cleanup, certs.localhost, (server) => {
    server.handshakeTimeout = handshakeTimeoutSeconds;
  });
}

/** A raw TCP connection to the server, closed at cleanup; `closed` settles when the server drops it. */
async function rawConnection(port: number): Promise<{ socket: Socket; closed: Promise<void>; received: Buffer[] }> {
  const socket = connectTcp({ host: '127.0.0.1', port });
  cleanup.add(() => socket.destroy());
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.on('error', () => {});
  const closed = nextEvent(socket, 'close', DROP_BOUND_MS).then(() => undefined);
  await nextEvent(socket, 'connect');
  return { socket, closed, received };
}

/** A client that completed TLS and then sends nothing. */
async function silentTlsConnection(port: number): Promise<Promise<void>> {
  const socket = connectTls({ host: '127.0.0.1', port, ca: certs.ca.certificate, servername: 'localhost' });
  cleanup.add(() => socket.destroy());
  socket.on('error', () => {});
  const closed = nextEvent(socket, 'close', DROP_BOUND_MS).then(() => undefined);
  await nextEvent(socket, 'secureConnect');
  return closed;
}

async function connectGoodClient(url: string) {
  const outcome = await connectPeer(cleanup, url, TLSOptions.client(certs.ca.certificate));
  expect(outcome.result, outcome.errorReason).toBe(GodotError.OK);
  return outcome.peer;
}

async function expectEchoes(peer: Awaited<ReturnType<typeof connectGoodClient>>, text: string): Promise<void> {
  const received = nextEvent(peer, 'dataReceived');
  expect(peer.sendText(text)).toBe(GodotError.OK);
  await received;
  expect(peer.getPacket().toString()).toBe(text);
}

describe('clients that do not speak TLS', () => {
  it('drops a plain-HTTP WebSocket request at once, says why, and leaves the other client alone', async () => {
    const server = await startServer(0.5);
    const good = await connectGoodClient(server.url);
    const plain = await rawConnection(server.port);
    plain.socket.write('GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    await plain.closed;
    expect(Buffer.concat(plain.received).toString('latin1')).not.toContain('101');
    await waitUntil(() => server.failures.length > 0, 'the handshakeFailed report');
    expect(server.failures[0]).toMatch(/TLS handshake failed: the client spoke plain HTTP to the TLS port/);
    await expectEchoes(good, 'still here');
    expect(server.connected).toHaveLength(1);
  });

  it('drops garbage bytes', async () => {
    const server = await startServer(0.5);
    const garbage = await rawConnection(server.port);
    garbage.socket.write(Buffer.from('\x00\xff\x13\x37 these bytes are not a TLS record \r\n\r\n', 'latin1'));
    await garbage.closed;
    await waitUntil(() => server.failures.length > 0, 'the handshakeFailed report');
    expect(server.failures[0]).toMatch(/^TLS handshake failed: /);
  });
});

describe('stalled handshakes', () => {
  it('drops a client that sends nothing after connecting, within the handshake timeout', async () => {
    const server = await startServer(0.5);
    const good = await connectGoodClient(server.url);
    const silent = await rawConnection(server.port);
    await silent.closed;
    await waitUntil(() => server.failures.length > 0, 'the handshakeFailed report');
    expect(server.failures[0]).toMatch(/TLS handshake failed: the client did not finish it within 500 ms \(ERR_TLS_HANDSHAKE_TIMEOUT\)/);
    await expectEchoes(good, 'undisturbed');
  });

  it('drops a client that stops in the middle of its ClientHello', async () => {
    const server = await startServer(0.5);
    const partial = await rawConnection(server.port);
    // A TLS handshake record header announcing 512 bytes, then the first bytes of a ClientHello only.
    partial.socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]));
    await partial.closed;
    await waitUntil(() => server.failures.length > 0, 'the handshakeFailed report');
    expect(server.failures[0]).toMatch(/ERR_TLS_HANDSHAKE_TIMEOUT/);
  });

  it('drops a client that finishes TLS but never sends its upgrade request', async () => {
    const server = await startServer(0.5);
    const closed = await silentTlsConnection(server.port);
    await closed;
    await waitUntil(() => server.failures.length > 0, 'the handshakeFailed report');
    expect(server.failures[0]).toMatch(/no complete WebSocket handshake within 500 ms/);
  });

  it('drops many stalled clients while a good client keeps echoing', async () => {
    const server = await startServer(0.5);
    const good = await connectGoodClient(server.url);
    const stalled = await Promise.all(Array.from({ length: 20 }, () => rawConnection(server.port)));
    await expectEchoes(good, 'during the stall');
    await Promise.all(stalled.map((connection) => connection.closed));
    await expectEchoes(good, 'after the stall');
    await waitUntil(() => server.failures.length === 20, 'twenty handshakeFailed reports');
  });
});

describe('stop()', () => {
  it('ends connections still in their TLS handshake at once, closes open peers with 1001, and resolves', async () => {
    // A handshake timeout far beyond the bound: only stop() can end the stalled connection in time.
    const server = await startServer(600);
    const good = await connectGoodClient(server.url);
    const closeRequest = nextEvent<[number, string]>(good, 'closeRequest', DROP_BOUND_MS);
    const stalled = await rawConnection(server.port);
    const mid = await rawConnection(server.port);
    mid.socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00]));
    const stopped = server.server.stop();
    const [code] = await closeRequest;
    expect(code).toBe(1001);
    await Promise.all([stalled.closed, mid.closed]);
    await Promise.race([
      stopped,
      new Promise((_resolve, reject) => setTimeout(() => reject(new Error('stop() did not resolve')), DROP_BOUND_MS).unref()),
    ]);
    expect(server.server.isListening()).toBe(false);
  });

  it('a server that was stopped listens again with TLS', async () => {
    const server = await startServer(0.5);
    await server.server.stop();
    const result = await server.server.listen({ port: 0, bindIp: '127.0.0.1' });
    expect(result).toBe(GodotError.OK);
    const peer = await connectGoodClient(`wss://localhost:${server.server.getListeningPort()}`);
    await expectEchoes(peer, 'again');
  });
});
