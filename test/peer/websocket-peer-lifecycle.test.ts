import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { GodotError, ReadyState, WebSocketPeer } from '../../src/index.js';
import { closedPromise, listenTcp, nextPacket, openPeerPair, type PeerPair } from './support/loopback.js';
import { rawWebSocketClient, RawSocket, upgradeRequest } from './support/raw-socket.js';
import { nextEvent, sleep, waitUntil } from './support/waiting.js';
import { clientFrame, closeBody, Op, readClose } from './support/wire.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function pairOf(...args: Parameters<typeof openPeerPair>): Promise<PeerPair> {
  const pair = await openPeerPair(...args);
  cleanups.push(() => pair.close());
  return pair;
}

/** A WebSocketPeer adopting, with acceptStream, each socket a node:net server accepts. */
async function peerListener(configure: (peer: WebSocketPeer) => void = () => {}) {
  const peers: WebSocketPeer[] = [];
  const results: Array<Promise<GodotError>> = [];
  const listener = await listenTcp((socket) => {
    const peer = new WebSocketPeer();
    configure(peer);
    peers.push(peer);
    results.push(peer.acceptStream(socket));
  });
  cleanups.push(async () => {
    for (const peer of peers) peer.close(-1);
    await listener.close();
  });
  return { listener, peers, results };
}

function track(raw: RawSocket): RawSocket {
  cleanups.push(() => raw.destroy());
  return raw;
}

describe('WebSocketPeer close handshake', () => {
  it('a clean close: both sides see the code, the reason and wasClean = true', async () => {
    const { client, server } = await pairOf();
    const serverClosed = closedPromise(server);
    const clientClosed = closedPromise(client);
    const request = nextEvent<[number, string]>(server, 'closeRequest');
    expect(client.close(4001, 'bye ✓')).toBe(GodotError.OK);
    expect(client.getReadyState()).toBe(ReadyState.CLOSING);
    expect(client.isConnectedToHost()).toBe(false);
    expect(client.sendText('too late')).toBe(GodotError.FAILED);
    expect(await request).toEqual([4001, 'bye ✓']);
    expect(await serverClosed).toBe(true);
    expect(await clientClosed).toBe(true);
    expect(server.getCloseCode()).toBe(4001);
    expect(server.getCloseReason()).toBe('bye ✓');
    // The server answered with the same code and reason.
    expect(client.getCloseCode()).toBe(4001);
    expect(client.getCloseReason()).toBe('bye ✓');
    expect(client.getReadyState()).toBe(ReadyState.CLOSED);
    expect(server.getReadyState()).toBe(ReadyState.CLOSED);
    expect(client.getCurrentOutboundBufferedAmount()).toBe(0);
  });

  it('close() defaults to 1000 with no reason, and closing twice is harmless', async () => {
    const { client, server } = await pairOf();
    const serverClosed = closedPromise(server);
    expect(server.close()).toBe(GodotError.OK);
    expect(server.close(4000, 'second')).toBe(GodotError.OK);
    await serverClosed;
    await waitUntil(() => client.getReadyState() === ReadyState.CLOSED, 'the client to close');
    expect(client.getCloseCode()).toBe(1000);
    expect(client.getCloseReason()).toBe('');
    expect(client.close()).toBe(GodotError.OK);
  });

  it('messages sent before close() are delivered before the close', async () => {
    const { client, server } = await pairOf();
    for (let i = 0; i < 50; i++) client.sendText(`m${i}`);
    client.close(1000, 'after the messages');
    await closedPromise(server);
    const received: string[] = [];
    while (server.getAvailablePacketCount() > 0) received.push(server.getPacket().toString());
    expect(received).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
  });

  it('close() completes cleanly even while a full inbound queue has paused reading', async () => {
    const { client, server } = await pairOf({}, { maxQueuedPackets: 2 });
    for (let i = 0; i < 10; i++) client.sendText(`m${i}`);
    await waitUntil(() => server.getAvailablePacketCount() >= 2, 'the server queue to fill');
    const serverClosed = closedPromise(server);
    const clientClosed = closedPromise(client);
    server.close(4000, 'closing with unread messages');
    expect(await serverClosed).toBe(true);
    expect(await clientClosed).toBe(true);
    expect(server.getCloseCode()).toBe(4000);
    expect(client.getCloseCode()).toBe(4000);
  });

  it('refuses a close code or reason that may not be sent, and stays open', async () => {
    const { client, server } = await pairOf();
    expect(client.close(1006)).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(client.lastError?.message).toMatch(/1006/);
    expect(client.close(1000, 'x'.repeat(124))).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(client.lastError?.message).toMatch(/123/);
    expect(client.getReadyState()).toBe(ReadyState.OPEN);
    client.sendText('still open');
    expect((await nextPacket(server))[0].toString()).toBe('still open');
  });

  it('close(code < 0) aborts at once: no close frame, wasClean = false and getCloseCode() = -1 on both sides', async () => {
    const { client, server } = await pairOf();
    const serverClosed = closedPromise(server);
    const clientClosed = closedPromise(client);
    let closeRequests = 0;
    server.on('closeRequest', () => closeRequests++);
    expect(client.close(-1)).toBe(GodotError.OK);
    expect(await clientClosed).toBe(false);
    expect(await serverClosed).toBe(false);
    expect(closeRequests).toBe(0);
    expect(client.getCloseCode()).toBe(-1);
    expect(server.getCloseCode()).toBe(-1);
    expect(client.getReadyState()).toBe(ReadyState.CLOSED);
  });

  it('answers a close frame with the same payload and then closes TCP (server side)', async () => {
    const { listener, peers } = await peerListener();
    const raw = track(await rawWebSocketClient(listener.port));
    await waitUntil(() => peers[0]?.getReadyState() === ReadyState.OPEN, 'the peer to open');
    const closed = closedPromise(peers[0]!);
    await raw.write(clientFrame(Op.CLOSE, closeBody(4123, 'raw says bye')));
    const echo = await raw.nextFrame(0);
    expect(echo.opcode).toBe(Op.CLOSE);
    expect(echo.masked).toBe(false);
    expect(echo.payload).toEqual(closeBody(4123, 'raw says bye'));
    await raw.until(() => raw.ended || raw.closed, 'the server to close TCP');
    raw.socket.end();
    expect(await closed).toBe(true);
    expect(peers[0]!.getCloseCode()).toBe(4123);
  });

  it('drops the connection when the other side never answers its close frame', async () => {
    const { listener, peers } = await peerListener();
    const raw = track(await rawWebSocketClient(listener.port));
    await waitUntil(() => peers[0]?.getReadyState() === ReadyState.OPEN, 'the peer to open');
    const closed = closedPromise(peers[0]!);
    peers[0]!.close(4000, 'hello?');
    expect(readClose((await raw.nextFrame(0)).payload)).toEqual({ code: 4000, reason: 'hello?' });
    // The raw client neither answers nor closes its half: the close timeout ends it.
    await raw.until(() => raw.closed, 'the server to drop the connection', 20_000);
    expect(await closed).toBe(false);
    expect(peers[0]!.getCloseCode()).toBe(-1);
  });

  it('reports an abrupt drop by the other side as unclean, with close code -1', async () => {
    const { listener, peers } = await peerListener();
    const raw = track(await rawWebSocketClient(listener.port));
    await waitUntil(() => peers[0]?.getReadyState() === ReadyState.OPEN, 'the peer to open');
    const closed = closedPromise(peers[0]!);
    raw.destroy();
    expect(await closed).toBe(false);
    expect(peers[0]!.getCloseCode()).toBe(-1);
  });

  it('fails the connection on a protocol error: close frame with 1002, then closed', async () => {
    const { listener, peers } = await peerListener();
    const raw = track(await rawWebSocketClient(listener.port));
    await waitUntil(() => peers[0]?.getReadyState() === ReadyState.OPEN, 'the peer to open');
    const closed = closedPromise(peers[0]!);
    await raw.write(Buffer.from([0x81, 0x02, 0x68, 0x69])); // unmasked text from a client
    const reply = await raw.nextFrame(0);
    expect(reply.opcode).toBe(Op.CLOSE);
    expect(readClose(reply.payload).code).toBe(1002);
    await raw.until(() => raw.ended || raw.closed, 'the server to close TCP');
    raw.destroy();
    await closed;
    expect(peers[0]!.getCloseCode()).toBe(1002);
    expect(peers[0]!.getAvailablePacketCount()).toBe(0);
  });
});

describe('WebSocketPeer heartbeat', () => {
  it('pings a peer that never answers and drops it', async () => {
    const { listener, peers } = await peerListener((peer) => (peer.heartbeatInterval = 0.2));
    const raw = track(await rawWebSocketClient(listener.port));
    await waitUntil(() => peers[0]?.getReadyState() === ReadyState.OPEN, 'the peer to open');
    const closed = closedPromise(peers[0]!);
    await raw.until(() => raw.closed, 'the silent peer to be dropped', 20_000);
    expect(raw.frames.some((f) => f.opcode === Op.PING)).toBe(true);
    expect(await closed).toBe(false);
    expect(peers[0]!.getCloseCode()).toBe(-1);
  });

  it('keeps a responsive peer connected', async () => {
    const { listener, peers } = await peerListener((peer) => (peer.heartbeatInterval = 0.3));
    const ws = new WebSocket(`ws://127.0.0.1:${listener.port}/`);
    cleanups.push(() => ws.terminate());
    let pings = 0;
    ws.on('ping', () => pings++);
    await nextEvent(ws, 'open');
    // ws answers every ping; many heartbeats later the connection is still there.
    await waitUntil(() => pings >= 8, 'eight heartbeats', 30_000);
    expect(peers[0]!.getReadyState()).toBe(ReadyState.OPEN);
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });

  it('does not cut short a close handshake whose reply takes longer than a heartbeat interval', async () => {
    const { listener, peers } = await peerListener((peer) => (peer.heartbeatInterval = 0.1));
    const raw = track(await rawWebSocketClient(listener.port));
    await waitUntil(() => peers[0]?.getReadyState() === ReadyState.OPEN, 'the peer to open');
    // The raw client answers pings at once, so the heartbeat alone never drops it.
    const answered = new Set<number>();
    const answerPings = setInterval(() => {
      raw.frames.forEach((f, i) => {
        if (f.opcode === Op.PING && !answered.has(i)) {
          answered.add(i);
          raw.socket.write(clientFrame(Op.PONG, f.payload));
        }
      });
    }, 10);
    cleanups.push(() => clearInterval(answerPings));
    const closed = closedPromise(peers[0]!);
    peers[0]!.close(4000, 'slow reply');
    await raw.until(() => raw.frames.some((f) => f.opcode === Op.CLOSE), 'the close frame');
    // Several heartbeat intervals pass before the reply; the close timeout (3 s) governs, not the heartbeat.
    await sleep(1000);
    await raw.write(clientFrame(Op.CLOSE, closeBody(4000, 'slow reply')));
    await raw.until(() => raw.ended || raw.closed, 'the server to close TCP');
    raw.socket.end();
    expect(await closed).toBe(true);
    expect(peers[0]!.getCloseCode()).toBe(4000);
  });

  it('can be switched on while open, on the client side', async () => {
    const { client, server } = await pairOf();
    let dropped = false;
    client.on('connectionClosed', () => (dropped = true));
    client.heartbeatInterval = 0.25;
    expect(client.heartbeatInterval).toBe(0.25);
    // gdws answers pings: the connection survives many intervals.
    await sleep(1500);
    expect(dropped).toBe(false);
    client.sendText('alive');
    expect((await nextPacket(server))[0].toString()).toBe('alive');
  });
});

describe('WebSocketPeer entry points', () => {
  it('acceptStream runs the server handshake on a socket from our own net.Server', async () => {
    const { listener, peers, results } = await peerListener((peer) => (peer.supportedProtocols = ['chat', 'v2']));
    const raw = track(await RawSocket.connect(listener.port));
    const { request } = upgradeRequest({ path: '/room?id=7', host: `127.0.0.1:${listener.port}`, protocols: ['v2', 'chat'], headerLines: ['X-Player: Ada'] });
    await raw.write(request);
    const head = await raw.readHead();
    expect(head.status).toBe(101);
    expect(head.headers.get('sec-websocket-protocol')).toBe('v2');
    expect(await results[0]).toBe(GodotError.OK);
    const peer = peers[0]!;
    expect(peer.getReadyState()).toBe(ReadyState.OPEN);
    expect(peer.getSelectedProtocol()).toBe('v2');
    expect(peer.getRequestedUrl()).toBe(`ws://127.0.0.1:${listener.port}/room?id=7`);
    expect(peer.getHandshakeHeaders().get('x-player')).toBe('Ada');
    expect(peer.getConnectedHost()).toBe('127.0.0.1');
    expect(peer.getConnectedPort()).toBe(raw.socket.localPort);
    expect(await peer.acceptStream(raw.socket)).toBe(GodotError.ERR_ALREADY_IN_USE);
  });

  it('acceptStream answers a request that is not an upgrade with an HTTP error', async () => {
    const { listener: tcp, results } = await peerListener();
    const raw = track(await RawSocket.connect(tcp.port));
    await raw.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const head = await raw.readHead(true);
    expect(head.status).toBeGreaterThanOrEqual(400);
    expect(await results[0]).not.toBe(GodotError.OK);
  });

  it('connectToUrl on the peer itself: host, port, URL and protocol are known once open', async () => {
    const { listener: tcp, peers } = await peerListener((peer) => (peer.supportedProtocols = ['b']));
    const client = new WebSocketPeer();
    cleanups.push(() => void client.close(-1));
    client.supportedProtocols = ['a', 'b'];
    const established = nextEvent<[string]>(client, 'connectionEstablished');
    const connecting = client.connectToUrl(`ws://127.0.0.1:${tcp.port}/path?q=1`);
    expect(client.getReadyState()).toBe(ReadyState.CONNECTING);
    expect(await client.connectToUrl(`ws://127.0.0.1:${tcp.port}/`)).toBe(GodotError.ERR_ALREADY_IN_USE);
    expect(await connecting).toBe(GodotError.OK);
    expect(await established).toEqual(['b']);
    expect(client.getReadyState()).toBe(ReadyState.OPEN);
    expect(client.getSelectedProtocol()).toBe('b');
    expect(client.getRequestedUrl()).toBe(`ws://127.0.0.1:${tcp.port}/path?q=1`);
    expect(client.getConnectedHost()).toBe('127.0.0.1');
    expect(client.getConnectedPort()).toBe(tcp.port);
    await waitUntil(() => peers[0]?.getReadyState() === ReadyState.OPEN, 'the server peer to open');
    expect(peers[0]!.getRequestedUrl()).toBe(`ws://127.0.0.1:${tcp.port}/path?q=1`);
  });

  it('connectToUrl with a bad URL or header returns ERR_INVALID_PARAMETER and sends nothing', async () => {
    const { listener: tcp } = await peerListener();
    const peer = new WebSocketPeer();
    const errors: string[] = [];
    peer.on('connectionError', (reason) => errors.push(reason));
    for (const url of [`http://127.0.0.1:${tcp.port}/`, 'not a url', `ws://127.0.0.1:${tcp.port}/#fragment`, 'ws://127.0.0.1:99999/']) {
      expect(await peer.connectToUrl(url), url).toBe(GodotError.ERR_INVALID_PARAMETER);
      expect(peer.lastError?.code).toBe(GodotError.ERR_INVALID_PARAMETER);
      expect(peer.lastError?.message.length).toBeGreaterThan(0);
      expect(peer.getReadyState()).toBe(ReadyState.CLOSED);
    }
    peer.handshakeHeaders = ['X-Bad: a\r\nInjected: yes'];
    expect(await peer.connectToUrl(`ws://127.0.0.1:${tcp.port}/`)).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(errors).toHaveLength(5);
    await sleep(50);
    expect(tcp.sockets).toHaveLength(0);
  });

  it('a closed peer can connect again', async () => {
    const { listener: tcp, peers } = await peerListener();
    const client = new WebSocketPeer();
    cleanups.push(() => void client.close(-1));
    expect(await client.connectToUrl(`ws://127.0.0.1:${tcp.port}/first`)).toBe(GodotError.OK);
    client.close(1000, 'first done');
    await closedPromise(client);
    expect(client.getCloseCode()).toBe(1000);
    expect(await client.connectToUrl(`ws://127.0.0.1:${tcp.port}/second`)).toBe(GodotError.OK);
    expect(client.getCloseCode()).toBe(-1);
    expect(client.getRequestedUrl()).toBe(`ws://127.0.0.1:${tcp.port}/second`);
    await waitUntil(() => peers[1]?.getReadyState() === ReadyState.OPEN, 'the second server peer');
    client.sendText('again');
    expect((await nextPacket(peers[1]!))[0].toString()).toBe('again');
  });
});
