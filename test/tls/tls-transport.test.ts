// The same connection facts and behaviours checked over TCP (ws://) and TLS (wss://),
// so that TLS is shown to change nothing a user of WebSocketPeer sees: connected
// host and port, setNoDelay, the outbound buffered amount, the close handshake.

import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { GodotError, TLSOptions, WebSocketServer, WriteMode, type WebSocketPeer } from '../../src/index.js';
import { nextEvent, sleep, waitUntil } from '../peer/support/waiting.js';
import { Cleanup } from '../server/support/endpoints.js';
import { useTestCertificates } from './support/use-test-certificates.js';
import { connectPeer } from './support/tls-endpoints.js';

const certs = useTestCertificates();
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const BIG_MESSAGE_BYTES = 32 << 20;

describe.each([
  { transport: 'TCP', scheme: 'ws' },
  { transport: 'TLS', scheme: 'wss' },
])('over $transport ($scheme://)', ({ scheme }) => {
  const secure = scheme === 'wss';

  async function startServer(configure: (server: WebSocketServer) => void = () => {}) {
    const server = new WebSocketServer();
    configure(server);
    const tls = secure ? TLSOptions.server(certs.localhost.key, certs.localhost.certificate) : undefined;
    const result = await server.listen(tls === undefined ? { port: 0, bindIp: '127.0.0.1' } : { port: 0, bindIp: '127.0.0.1', tls });
    expect(result, server.lastError?.message).toBe(GodotError.OK);
    cleanup.add(() => server.stop());
    const port = server.getListeningPort();
    return { server, port, url: `${scheme}://127.0.0.1:${port}` };
  }

  async function connect(url: string, configure: (peer: WebSocketPeer) => void = () => {}) {
    const outcome = await connectPeer(cleanup, url, secure ? TLSOptions.client(certs.ca.certificate) : undefined);
    expect(outcome.result, outcome.errorReason).toBe(GodotError.OK);
    configure(outcome.peer);
    return outcome.peer;
  }

  /** Client connected to a server; `id` is the server's id for it. */
  async function connectedPair(configureServer: (server: WebSocketServer) => void = () => {}) {
    const { server, port, url } = await startServer(configureServer);
    const connected = nextEvent<[number, string]>(server, 'clientConnected');
    const client = await connect(url);
    const [id] = await connected;
    return { server, port, client, id, serverPeer: server.getPeer(id)! };
  }

  it('reports the connected host and port on both sides', async () => {
    const { server, port, client, id, serverPeer } = await connectedPair();
    expect(client.getConnectedHost()).toBe('127.0.0.1');
    expect(client.getConnectedPort()).toBe(port);
    expect(server.getPeerAddress(id)).toBe('127.0.0.1');
    expect(serverPeer.getConnectedHost()).toBe('127.0.0.1');
    const clientPort = server.getPeerPort(id);
    expect(clientPort).toBeGreaterThan(0);
    expect(clientPort).not.toBe(port);
    expect(client.getRequestedUrl()).toBe(`${scheme}://127.0.0.1:${port}/`);
    expect(serverPeer.getRequestedUrl()).toBe(`${scheme}://127.0.0.1:${port}/`);
  });

  it('setNoDelay can be switched either way on both sides while messages flow', async () => {
    const { client, serverPeer } = await connectedPair();
    for (const enabled of [false, true]) {
      client.setNoDelay(enabled);
      serverPeer.setNoDelay(enabled);
      const received = nextEvent(serverPeer, 'dataReceived');
      expect(client.send(`nodelay ${enabled}`, WriteMode.TEXT)).toBe(GodotError.OK);
      await received;
      expect(serverPeer.getPacket().toString()).toBe(`nodelay ${enabled}`);
    }
  });

  it('counts bytes the other side does not take in the outbound buffered amount, down to 0 once it reads', async () => {
    const { client, serverPeer } = await connectedPair((server) => {
      // One unread message pauses the server's reading: what follows stays with the sender.
      server.maxQueuedPackets = 1;
      server.inboundBufferSize = 2 * BIG_MESSAGE_BYTES;
    });
    client.outboundBufferSize = 2 * BIG_MESSAGE_BYTES;
    const first = nextEvent(serverPeer, 'dataReceived');
    expect(client.sendText('first')).toBe(GodotError.OK);
    await first;
    // The server may read 'first' before the client hears that its write completed.
    await waitUntil(() => client.getCurrentOutboundBufferedAmount() === 0, "the client to hear that 'first' was written");

    const big = Buffer.alloc(BIG_MESSAGE_BYTES);
    for (let offset = 0; offset < big.length; offset += 4096) big.writeUInt32BE(offset, offset);
    expect(client.send(big)).toBe(GodotError.OK);
    expect(client.getCurrentOutboundBufferedAmount()).toBe(BIG_MESSAGE_BYTES);
    // Kernel and TLS buffers hold a few MiB at most: most of the message must still be waiting.
    await sleep(300);
    expect(client.getCurrentOutboundBufferedAmount()).toBeGreaterThan(BIG_MESSAGE_BYTES / 2);
    expect(serverPeer.getAvailablePacketCount()).toBe(1);

    const arrived = nextEvent(serverPeer, 'dataReceived', 30_000);
    expect(serverPeer.getPacket().toString()).toBe('first');
    await arrived;
    const received = serverPeer.getPacket();
    expect(received.length).toBe(BIG_MESSAGE_BYTES);
    expect(createHash('sha256').update(received).digest('hex')).toBe(createHash('sha256').update(big).digest('hex'));
    await waitUntil(() => client.getCurrentOutboundBufferedAmount() === 0, 'the client buffer to drain');
  });

  it('runs a clean close handshake started by the client', async () => {
    const { server, client, id } = await connectedPair();
    const closeRequest = nextEvent<[number, number, string]>(server, 'clientCloseRequest');
    const serverSaw = nextEvent<[number, boolean]>(server, 'clientDisconnected');
    const clientSaw = nextEvent<[boolean]>(client, 'connectionClosed');
    expect(client.close(4000, 'client bye')).toBe(GodotError.OK);
    expect(await closeRequest).toEqual([id, 4000, 'client bye']);
    expect(await serverSaw).toEqual([id, true]);
    expect(await clientSaw).toEqual([true]);
    expect(client.getCloseCode()).toBe(4000);
  });

  it('runs a clean close handshake started by the server', async () => {
    const { server, client, id } = await connectedPair();
    const closeRequest = nextEvent<[number, string]>(client, 'closeRequest');
    const serverSaw = nextEvent<[number, boolean]>(server, 'clientDisconnected');
    const clientSaw = nextEvent<[boolean]>(client, 'connectionClosed');
    expect(server.disconnectPeer(id, 4001, 'server bye')).toBe(GodotError.OK);
    expect(await closeRequest).toEqual([4001, 'server bye']);
    expect(await clientSaw).toEqual([true]);
    expect(await serverSaw).toEqual([id, true]);
    expect(client.getCloseCode()).toBe(4001);
    expect(client.getCloseReason()).toBe('server bye');
  });
});
