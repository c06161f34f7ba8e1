// SocketBinding and WebSocketPeer edges over loopback: the heartbeat gives no
// verdict while the application is not reading, stops when set to 0 while
// open, Godot 3's NUL after a close reason is dropped, and calls on a peer in
// the wrong state answer as documented.

import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GodotError, ReadyState, WebSocketPeer } from '../../src/index.js';
import { closedPromise, listenTcp, nextPacket, openPeerPair, type PeerPair, type TcpListener } from './support/loopback.js';
import { rawWebSocketClient, type RawSocket } from './support/raw-socket.js';
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
