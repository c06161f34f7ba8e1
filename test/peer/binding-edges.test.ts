// SocketBinding and WebSocketPeer edges over loopback: the heartbeat gives no
// verdict while the application is not reading, stops when set to 0 while
// open, Godot 3's NUL after a close reason is dropped, and calls on a peer in
// the wrong state answer as documented.

import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GodotError, ReadyState, WebSocketPeer, WriteMode } from '../../src/index.js';
import { DEFAULT_PEER_OPTIONS } from '../../src/peer/peer-options.js';
import { closedPromise, listenTcp, nextPacket, openPeerPair, type PeerPair, type TcpListener } from './support/loopback.js';
import { RawSocket, rawWebSocketClient, upgradeRequest } from './support/raw-socket.js';
import { nextEvent, sleep, waitUntil } from './support/waiting.js';
import { clientFrame, Op } from './support/wire.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverWithRawClient(configure: (peer: WebSocketPeer) => void): Promise<{ peer: WebSocketPeer; raw: RawSocket; listener: TcpListener }> {
  const peer = new WebSocketPeer();
  configure(peer);
  const listener = await listenTcp((socket: Socket) => void peer.acceptStream(socket));
  cleanups.push(() => listener.close());
  cleanups.push(() => peer.close(-1));
  const raw = await rawWebSocketClient(listener.port);
  cleanups.push(() => raw.destroy());
  await waitUntil(() => peer.getReadyState() === ReadyState.OPEN, 'the server peer to open');
  return { peer, raw, listener };
}

async function pair(): Promise<PeerPair> {
  const peers = await openPeerPair();
  cleanups.push(() => peers.close());
  return peers;
}

describe('heartbeat', () => {
  it('gives no verdict while reading is paused (a full queue), and drops the silent peer once the application reads', async () => {
    const { peer, raw } = await serverWithRawClient((p) => {
      p.heartbeatInterval = 0.1;
      p.maxQueuedPackets = 1;
    });
    // One message fills the queue: reading pauses, so a pong could not be seen.
    await raw.write(clientFrame(Op.TEXT, 'fill'));
    await waitUntil(() => peer.getAvailablePacketCount() === 1, 'the message to be queued');
    await raw.until(() => raw.frames.some((f) => f.opcode === Op.PING), 'a heartbeat ping');
    // Many intervals without a pong: the peer stays open while nobody reads.
    await sleep(600);
    expect(peer.getReadyState()).toBe(ReadyState.OPEN);
    expect(raw.closed).toBe(false);
    const closed = closedPromise(peer);
    expect(peer.getPacket().toString()).toBe('fill');
    // Reading again: the missing pong is judged at the next interval.
    expect(await closed).toBe(false);
    await raw.until(() => raw.closed, 'the silent peer to be dropped');
  });

  it('set to 0 while open stops pinging, so a silent peer is no longer dropped', async () => {
    const { peer, raw } = await serverWithRawClient((p) => (p.heartbeatInterval = 0.1));
    await raw.until(() => raw.frames.some((f) => f.opcode === Op.PING), 'a heartbeat ping');
    peer.heartbeatInterval = 0;
    const pings = raw.frames.filter((f) => f.opcode === Op.PING).length;
    await sleep(600);
    expect(raw.frames.filter((f) => f.opcode === Op.PING).length).toBe(pings);
    expect(peer.getReadyState()).toBe(ReadyState.OPEN);
    expect(raw.closed).toBe(false);
  });
});

describe('close reasons', () => {
  it("drops the NUL Godot 3 appends to a close reason", async () => {
    const { client, server } = await pair();
    const request = nextEvent<[number, string]>(server, 'closeRequest');
    client.close(4001, 'bye\0');
    expect(await request).toEqual([4001, 'bye']);
    expect(server.getCloseReason()).toBe('bye');
  });
});

describe('calls in the wrong state', () => {
  it('acceptUpgrade on a peer already connected is ERR_ALREADY_IN_USE', async () => {
    const { server, listener } = await pair();
    const other = listener.sockets[0]!;
    const result = await server.acceptUpgrade(other, { key: 'x', protocols: [], extensions: [], headers: new Map(), host: 'h', resource: '/' } as never, Buffer.alloc(0));
    expect(result).toBe(GodotError.ERR_ALREADY_IN_USE);
    expect(server.lastError?.code).toBe(GodotError.ERR_ALREADY_IN_USE);
  });

  it('ping on a closed peer is FAILED, and flushed() resolves at once', async () => {
    const { client, server } = await pair();
    client.sendText('last');
    expect((await nextPacket(server))[0].toString()).toBe('last');
    const closed = closedPromise(client);
    client.close(-1);
    await closed;
    expect(client.ping('hi')).toBe(GodotError.FAILED);
    expect(client.lastError).toEqual({ code: GodotError.FAILED, message: 'The connection is not open' });
    await expect(client.flushed()).resolves.toBeUndefined();
  });
});

describe('settings changed while open', () => {
  it('a lower inboundBufferSize applies to the open connection: a larger message then fails it with 1009', async () => {
    const { client, server } = await pair();
    client.sendText('x'.repeat(200));
    expect((await nextPacket(server))[0].length).toBe(200);
    server.inboundBufferSize = 100;
    const closed = closedPromise(server);
    client.sendText('y'.repeat(200));
    await closed;
    expect(server.getCloseCode()).toBe(1009);
  });
});

describe('flushed()', () => {
  it('resolves when the connection is dropped with bytes still unwritten', async () => {
    // A server that never reads: the client's bytes pile up in its buffer.
    const listener = await listenTcp((socket: Socket) => {
      socket.once('data', (head: Buffer) => {
        const key = /Sec-WebSocket-Key: (.+)\r\n/i.exec(head.toString('latin1'))![1]!;
        const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
        socket.pause();
      });
    });
    cleanups.push(() => listener.close());
    const client = new WebSocketPeer();
    client.outboundBufferSize = 64 << 20;
    cleanups.push(() => client.close(-1));
    expect(await client.connectToUrl(`ws://127.0.0.1:${listener.port}/`)).toBe(GodotError.OK);
    const chunk = Buffer.alloc(1 << 20, 7);
    for (let i = 0; i < 32; i++) expect(client.send(chunk, WriteMode.BINARY)).toBe(GodotError.OK);
    let done = false;
    const flushed = client.flushed().then(() => (done = true));
    await sleep(100);
    expect(client.getCurrentOutboundBufferedAmount()).toBeGreaterThan(0);
    expect(done).toBe(false);
    client.close(-1);
    await flushed;
    expect(client.getCurrentOutboundBufferedAmount()).toBe(0);
  });
});

describe('handshake pieces', () => {
  it('a client reads a 101 that arrives in two pieces', async () => {
    const listener = await listenTcp((socket: Socket) => {
      socket.once('data', (head: Buffer) => {
        const key = /Sec-WebSocket-Key: (.+)\r\n/i.exec(head.toString('latin1'))![1]!;
        const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        const answer = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
        socket.write(answer.slice(0, 40));
        setTimeout(() => socket.write(answer.slice(40)), 50);
      });
    });
    cleanups.push(() => listener.close());
    const client = new WebSocketPeer();
    cleanups.push(() => client.close(-1));
    expect(await client.connectToUrl(`ws://127.0.0.1:${listener.port}/`)).toBe(GodotError.OK);
    expect(client.getReadyState()).toBe(ReadyState.OPEN);
  });

  it('an admission check that throws something other than an Error refuses with 500 naming it', async () => {
    const peer = new WebSocketPeer({
      ...DEFAULT_PEER_OPTIONS,
      admit: () => {
        throw 'no such token';
      },
    });
    let result!: Promise<GodotError>;
    const listener = await listenTcp((socket: Socket) => (result = peer.acceptStream(socket)));
    cleanups.push(() => listener.close());
    const raw = await RawSocket.connect(listener.port);
    cleanups.push(() => raw.destroy());
    await raw.write(upgradeRequest().request);
    const head = await raw.readHead(true);
    expect(head.status).toBe(500);
    expect(await result).toBe(GodotError.ERR_INVALID_DATA);
    expect(peer.lastError?.message).toBe('Handshake refused with 500: the admission check failed: no such token');
  });
});
