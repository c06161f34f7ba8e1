// gdws client <-> gdws server over HTTP/2 (RFC 8441): h2c and TLS, one pooled
// connection per origin, errors of the handshake, backpressure through HTTP/2's
// flow-control windows, and Godot 4's multiplayer relay on HTTP/2 streams.
import { createSecureServer, createServer } from 'node:http2';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionStatus, GodotError, ReadyState, routeUpgrades, TLSOptions, WebSocketMultiplayerPeer, WebSocketPeer, WebSocketServer } from '../../src/index.js';
import { defaultEventLoopIo } from '../../src/peer/index.js';
import { Cleanup, echoOnGdwsServer } from '../server/support/endpoints.js';
import { nextEvent, waitUntil } from '../peer/support/waiting.js';
import { useTestCertificates } from '../tls/support/use-test-certificates.js';
import { closeH2Server, startH2cGdwsServer } from './support/h2-endpoints.js';

const cleanup = new Cleanup();
const certs = useTestCertificates();
afterEach(async () => {
  await cleanup.run();
  // Every test leaves the client's pool empty: the last WebSocket closes its connection.
  await waitUntil(() => defaultEventLoopIo.http2Sessions.size === 0, 'the pooled HTTP/2 connections to close');
});

function h2Client(configure: (peer: WebSocketPeer) => void = () => {}): WebSocketPeer {
  const peer = new WebSocketPeer();
  peer.http2 = true;
  configure(peer);
  cleanup.add(async () => {
    if (peer.getReadyState() === ReadyState.CLOSED) return;
    const closed = nextEvent(peer, 'connectionClosed');
    peer.close();
    await closed;
  });
  return peer;
}

async function echoed(peer: WebSocketPeer, text: string): Promise<string> {
  const arrived = nextEvent(peer, 'dataReceived');
  expect(peer.send(text)).toBe(GodotError.OK);
  await arrived;
  return peer.getPacket().toString('utf8');
}

describe('gdws client -> gdws server over HTTP/2', () => {
  it('h2c: three WebSockets to one origin share one HTTP/2 connection, echo, close cleanly, and the connection closes after the last', async () => {
    const { server, port } = await startH2cGdwsServer(cleanup, echoOnGdwsServer);
    const url = `ws://127.0.0.1:${port}/ws`;
    const peers = [h2Client(), h2Client(), h2Client()];
    expect(await Promise.all(peers.map((peer) => peer.connectToUrl(url)))).toEqual([GodotError.OK, GodotError.OK, GodotError.OK]);
    expect(defaultEventLoopIo.http2Sessions.size).toBe(1);
    expect(new Set(server.getPeerIds().map((id) => server.getPeerPort(id))).size).toBe(1);
    for (const [i, peer] of peers.entries()) expect(await echoed(peer, `hello ${i}`)).toBe(`hello ${i}`);
    expect(peers[0]!.getRequestedUrl()).toBe(url);

    const disconnected: boolean[] = [];
    server.on('clientDisconnected', (_id, wasClean) => disconnected.push(wasClean));
    for (const peer of peers) {
      const closed = nextEvent<[boolean]>(peer, 'connectionClosed');
      peer.close(1000, 'done');
      expect(await closed).toEqual([true]);
      expect(peer.getCloseCode()).toBe(1000);
    }
    await waitUntil(() => disconnected.length === 3, 'the server to see three clean closes');
    expect(disconnected).toEqual([true, true, true]);
  });

  it('TLS (h2 by ALPN): negotiates a subprotocol and permessage-deflate exactly as over HTTP/1.1', async () => {
    const wsServer = new WebSocketServer();
    wsServer.supportedProtocols = ['chat'];
    wsServer.deflate = true;
    echoOnGdwsServer(wsServer);
    const h2 = createSecureServer({ key: certs.localhost.key, cert: certs.localhost.certificate, allowHTTP1: true, settings: { enableConnectProtocol: true } });
    routeUpgrades(h2, { '/ws': wsServer });
    await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
    cleanup.add(() => closeH2Server(h2));
    cleanup.add(() => wsServer.stop());
    const port = (h2.address() as { port: number }).port;
    const peer = h2Client((p) => {
      p.supportedProtocols = ['chat'];
      p.deflate = true;
    });
    expect(await peer.connectToUrl(`wss://localhost:${port}/ws`, TLSOptions.client(certs.ca.certificate))).toBe(GodotError.OK);
    expect(peer.getSelectedProtocol()).toBe('chat');
    expect(peer.getExtensions()).toMatch(/^permessage-deflate/);
    const big = 'compressible '.repeat(2000);
    expect(await echoed(peer, big)).toBe(big);
  });

  it('a server without SETTINGS_ENABLE_CONNECT_PROTOCOL gets a clear error, and an unrouted path the status it answered', async () => {
    const { port } = await startH2cGdwsServer(cleanup, () => {}, false);
    const peer = h2Client();
    expect(await peer.connectToUrl(`ws://127.0.0.1:${port}/ws`)).toBe(GodotError.ERR_CANT_CONNECT);
    expect(peer.lastError?.message).toContain('did not send SETTINGS_ENABLE_CONNECT_PROTOCOL');

    const { port: other } = await startH2cGdwsServer(cleanup);
    const lost = h2Client();
    expect(await lost.connectToUrl(`ws://127.0.0.1:${other}/elsewhere`)).toBe(GodotError.ERR_CONNECTION_ERROR);
    expect(lost.lastError?.message).toContain('answered 404');
    const refused = h2Client((p) => (p.handshakeHeaders = ['Keep-Alive: 1']));
    expect(await refused.connectToUrl(`ws://127.0.0.1:${other}/ws`)).toBe(GodotError.ERR_INVALID_PARAMETER);
  });

  it('a port nobody listens on fails with ERR_CANT_CONNECT; a server that never answers with ERR_TIMEOUT', async () => {
    const h2 = createServer({ settings: { enableConnectProtocol: true } });
    h2.on('stream', () => {}); // never answers
    await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
    const port = (h2.address() as { port: number }).port;
    const silent = h2Client((p) => (p.handshakeTimeoutMs = 300));
    expect(await silent.connectToUrl(`ws://127.0.0.1:${port}/ws`)).toBe(GodotError.ERR_TIMEOUT);
    await closeH2Server(h2);
    const nobody = h2Client();
    expect(await nobody.connectToUrl(`ws://127.0.0.1:${port}/ws`)).toBe(GodotError.ERR_CANT_CONNECT);
  });

  it('after a GOAWAY the open WebSocket goes on, and the next one opens a new HTTP/2 connection', async () => {
    const { server, port, h2 } = await startH2cGdwsServer(cleanup, echoOnGdwsServer);
    const sessions: Array<{ goaway(): void }> = [];
    h2.on('session', (session) => sessions.push(session));
    const url = `ws://127.0.0.1:${port}/ws`;
    const first = h2Client();
    expect(await first.connectToUrl(url)).toBe(GodotError.OK);
    sessions[0]!.goaway();
    await waitUntil(() => defaultEventLoopIo.http2Sessions.size === 0, 'the pool to drop the connection');
    const second = h2Client();
    expect(await second.connectToUrl(url)).toBe(GodotError.OK);
    expect(sessions).toHaveLength(2);
    expect(await echoed(first, 'still here')).toBe('still here');
    expect(server.getPeerIds()).toHaveLength(2);
  });

  it('backpressure crosses HTTP/2 flow control: a client that stops reading makes the server\'s outbound buffer fill, and reading again drains it', async () => {
    const { server, port } = await startH2cGdwsServer(cleanup, (s) => (s.outboundBufferSize = 1 << 20));
    const peer = h2Client((p) => (p.maxQueuedPackets = 4));
    const joined = nextEvent<[number]>(server, 'clientConnected');
    expect(await peer.connectToUrl(`ws://127.0.0.1:${port}/ws`)).toBe(GodotError.OK);
    const [id] = await joined;
    const sender = server.getPeer(id)!;
    const chunk = Buffer.alloc(16 * 1024, 7);
    // The client queues 4 messages and stops reading; the stream's window (64 KiB) and then the server's buffer fill.
    let sent = 0;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const result = sender.send(chunk);
      if (result === GodotError.ERR_OUT_OF_MEMORY) break;
      expect(result).toBe(GodotError.OK);
      sent++;
      if (sent % 8 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(sender.getCurrentOutboundBufferedAmount()).toBeGreaterThan(512 * 1024);
    expect(sent).toBeLessThan(200);
    let received = 0;
    peer.on('dataReceived', () => {
      while (peer.getAvailablePacketCount() > 0) {
        peer.getPacket();
        received++;
      }
    });
    while (peer.getAvailablePacketCount() > 0) {
      peer.getPacket();
      received++;
    }
    await sender.flushed();
    await waitUntil(() => received === sent, 'every message to arrive');
    expect(sender.getCurrentOutboundBufferedAmount()).toBe(0);
  });
});

describe('Godot 4 multiplayer over HTTP/2 streams', () => {
  it('two clients join a WebSocketMultiplayerPeer server on one HTTP/2 connection and relay a packet through it', async () => {
    const host = new WebSocketMultiplayerPeer();
    cleanup.add(() => host.close());
    const h2 = createServer({ settings: { enableConnectProtocol: true } });
    routeUpgrades(h2, { '/game': { handleUpgrade: () => {}, handleStream: (stream, headers) => host.handleStream(stream, headers) } });
    await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
    cleanup.add(() => closeH2Server(h2));
    const port = (h2.address() as { port: number }).port;
    const clients = [new WebSocketMultiplayerPeer(), new WebSocketMultiplayerPeer()];
    for (const client of clients) {
      client.http2 = true;
      cleanup.add(() => client.close());
    }
    expect(await Promise.all(clients.map((client) => client.createClient(`ws://127.0.0.1:${port}/game`)))).toEqual([GodotError.OK, GodotError.OK]);
    expect(clients.map((client) => client.getConnectionStatus())).toEqual([ConnectionStatus.CONNECTED, ConnectionStatus.CONNECTED]);
    expect(defaultEventLoopIo.http2Sessions.size).toBe(1);
    const [a, b] = clients as [WebSocketMultiplayerPeer, WebSocketMultiplayerPeer];
    await waitUntil(() => a.getAnnouncedPeers().includes(b.getUniqueId()), 'a to learn of b');
    const arrived = nextEvent(b, 'peerPacket');
    a.setTargetPeer(b.getUniqueId());
    expect(a.putPacket(Buffer.from('relayed over h2'))).toBe(GodotError.OK);
    await arrived;
    expect(b.getPacketPeer()).toBe(a.getUniqueId());
    expect(b.getPacket().toString()).toBe('relayed over h2');
  });
});
