import { afterEach, describe, expect, it } from 'vitest';
import { RawSocket } from '../peer/support/raw-socket.js';
import { nextEvent, sleep } from '../peer/support/waiting.js';
import { Cleanup, connectGdwsClient, startGdwsServer } from './support/endpoints.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** Far longer than the 0.5 s timeout: only "is it dropped at all" is checked, never how fast. */
const GENEROUS_MS = 15_000;

async function slowServer() {
  const started = await startGdwsServer(cleanup, (s) => (s.handshakeTimeout = 0.5));
  expect(started.server.handshakeTimeout).toBe(0.5);
  return started;
}

async function rawConnection(port: number): Promise<RawSocket> {
  const raw = await RawSocket.connect(port);
  cleanup.add(() => raw.destroy());
  return raw;
}

describe('slowloris', () => {
  it('drops a connection that sends half a handshake', async () => {
    const { server, port, url } = await slowServer();
    const failed = nextEvent<[string, string]>(server, 'handshakeFailed', GENEROUS_MS);
    const raw = await rawConnection(port);
    await raw.write('GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n');
    await raw.until(() => raw.closed, 'the half handshake to be dropped', GENEROUS_MS);
    const [reason, address] = await failed;
    expect(reason).toMatch(/500 ms/);
    expect(address).toBe('127.0.0.1');
    expect(raw.received.length).toBe(0);
    expect(server.getPeerIds()).toEqual([]);
    // The server still serves everyone else.
    const { peer } = await connectGdwsClient(cleanup, url);
    expect(peer.isConnectedToHost()).toBe(true);
  });

  it('drops a connection that sends nothing', async () => {
    const { port } = await slowServer();
    const raw = await rawConnection(port);
    await raw.until(() => raw.closed, 'the silent connection to be dropped', GENEROUS_MS);
  });

  it('drops a client that keeps trickling bytes but never finishes its head', async () => {
    const { port } = await slowServer();
    const raw = await rawConnection(port);
    await raw.write('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    // One byte at a time keeps the connection busy, but the timeout counts from the start.
    for (let i = 0; i < 1000 && !raw.closed; i++) {
      raw.socket.write('a');
      await sleep(20);
    }
    await raw.until(() => raw.closed, 'the trickling connection to be dropped', GENEROUS_MS);
  });

  it('many half-open handshakes at once are all dropped', async () => {
    const { server, port } = await slowServer();
    let failures = 0;
    server.on('handshakeFailed', () => failures++);
    const raws = await Promise.all(Array.from({ length: 50 }, () => rawConnection(port)));
    await Promise.all(raws.map((raw) => raw.write('GET / HTTP/1.1\r\n')));
    await Promise.all(raws.map((raw) => raw.until(() => raw.closed, 'every half handshake to be dropped', GENEROUS_MS)));
    expect(failures).toBe(50);
  });
});
