import { createServer as createHttpServer } from 'node:http';
import { connect as connectTcp, createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionStatus } from '../../src/multiplayer/connection-status.js';
import { WebSocketClient } from '../../src/godot3/websocket-client.js';
import { GodotError } from '../../src/godot-error.js';
import { encodeGodot3Packet, encodeGodot3System, Godot3PacketType } from '../../src/multiplayer/godot3-packet.js';
import { WebSocketServer } from '../../src/godot3/websocket-server.js';
import { nextEvent, record, until } from './support/events.js';
import { Godot3Fixture } from './support/godot3-fixture.js';
import { Inbox } from './support/inbox.js';
import { expectRelaysByTarget, readPackets, relayText } from './support/relay-checks.js';
import { hex, int32, RawClient } from './support/raw-client.js';

const { SYS_NONE, SYS_ADD, SYS_DEL, SYS_ID } = Godot3PacketType;

/** type, from = 1, to = 0, then the id: what a Godot 3 server sends. */
function system(type: number, id: number): Buffer {
  return Buffer.concat([Buffer.from([type]), hex('01000000 00000000'), int32(id)]);
}

function data(from: number, to: number, text: string): Buffer {
  return encodeGodot3Packet(SYS_NONE, from, to, Buffer.from(text));
}

/** The id a raw client learnt from its first message (SYS_ID). */
function idOf(raw: RawClient): number {
  return raw.received[0]!.readInt32LE(9);
}

describe('Godot 3 gd_mp_api: gdws server with gdws clients', () => {
  let fixture: Godot3Fixture;

  beforeEach(async () => {
    fixture = await new Godot3Fixture().start();
  });

  afterEach(async () => {
    await fixture.stop();
  });

  it('gives each client a random id and introduces everyone in Godot 3 order', async () => {
    const server = fixture.server;
    const connected = record<[number]>(server, 'peerConnected');
    expect(server.getUniqueId()).toBe(1);
    expect(server.isServer()).toBe(true);
    expect(server.getConnectionStatus()).toBe(ConnectionStatus.CONNECTED);

    const a = await fixture.joinRaw();
    const [idA, addServer] = await a.receivedAtLeast(2);
    const A = idOf(a);
    expect(A).toBeGreaterThan(1);
    expect(A).toBeLessThanOrEqual(0x7fffffff);
    expect(idA).toEqual(system(SYS_ID, A));
    expect(addServer).toEqual(hex('01 01000000 00000000 01000000'));

    const b = await fixture.joinRaw();
    await b.receivedAtLeast(3);
    const B = idOf(b);
    expect(B).not.toBe(A);
    expect(b.received).toEqual([system(SYS_ID, B), system(SYS_ADD, 1), system(SYS_ADD, A)]);
    await a.receivedAtLeast(3);
    expect(a.received[2]).toEqual(system(SYS_ADD, B));

    const c = await fixture.joinRaw();
    await c.receivedAtLeast(4);
    const C = idOf(c);
    // Godot 3 walks its peers in ascending id order.
    const [low, high] = [A, B].sort((x, y) => x - y);
    expect(c.received).toEqual([system(SYS_ID, C), system(SYS_ADD, 1), system(SYS_ADD, low!), system(SYS_ADD, high!)]);
    expect(connected.map(([id]) => id)).toEqual([A, B, C]);
    expect(new Set(server.getPeerIds())).toEqual(new Set([A, B, C]));
  });

  it('lets a gdws client learn its id before connectionSucceeded and hear about the others', async () => {
    const first = await fixture.join();
    const client = new WebSocketClient();
    const order: string[] = [];
    client.on('peerConnected', (id) => order.push(`peerConnected ${id === 1 ? 1 : id === first.getUniqueId() ? 'first' : id}`));
    client.on('connectionSucceeded', () => order.push(`connectionSucceeded id=${client.getUniqueId() > 1 ? 'set' : 'unset'}`));
    expect(await client.connectToUrl(fixture.url, [], true)).toBe(GodotError.OK);
    await until(() => order.length === 3);
    expect(order).toEqual(['peerConnected 1', 'connectionSucceeded id=set', 'peerConnected first']);
    expect(client.isServer()).toBe(false);
    expect(client.getConnectionStatus()).toBe(ConnectionStatus.CONNECTED);
    await until(() => first.getAnnouncedPeers().length === 2);
    expect(new Set(first.getAnnouncedPeers())).toEqual(new Set([1, client.getUniqueId()]));
    const closed = nextEvent(client, 'connectionFailed');
    client.disconnectFromHost();
    await closed;
    expect(client.getUniqueId()).toBe(0);
  });

  it('relays by the target: one peer, everyone, everyone but one, and -1 without the server', async () => {
    await expectRelaysByTarget(fixture.server, [await fixture.join(), await fixture.join(), await fixture.join()]);
  });

  it('forwards a client packet byte for byte, header unchanged, as a binary message', async () => {
    const a = await fixture.join();
    const raw = await fixture.joinRaw();
    await raw.receivedAtLeast(3);
    const R = idOf(raw);
    a.setTargetPeer(R);
    a.putPacket(hex('0016000080746f5f70656572'));
    await raw.receivedAtLeast(4);
    expect(raw.received[3]).toEqual(Buffer.concat([hex('00'), int32(a.getUniqueId()), int32(R), hex('0016000080746f5f70656572')]));
    expect(raw.peer.wasStringPacket()).toBe(false);
  });

  it('sends from the server (from = 1) to one, all, or all but one', async () => {
    const server = fixture.server;
    const [a, b] = [await fixture.join(), await fixture.join()];
    const [inboxA, inboxB] = [new Inbox(a), new Inbox(b)];
    const send = (to: number, text: string): GodotError => {
      server.setTargetPeer(to);
      return server.putPacket(Buffer.from(text));
    };
    expect(send(b.getUniqueId(), 'to B')).toBe(GodotError.OK);
    expect(send(-b.getUniqueId(), 'not B')).toBe(GodotError.OK);
    expect(send(1, 'to myself')).toBe(GodotError.OK);
    expect(send(0, 'end')).toBe(GodotError.OK);
    expect(await inboxA.until('end')).toEqual([[1, 'not B']]);
    expect(await inboxB.until('end')).toEqual([[1, 'to B']]);
    expect(fixture.server.getAvailablePacketCount()).toBe(0);
    expect(send(12345, 'nobody')).toBe(GodotError.FAILED);
    expect(server.lastError?.message).toMatch(/12345 is not connected/);
  });

  it('announces departures with SYS_DEL to the remaining clients', async () => {
    const server = fixture.server;
    const a = await fixture.join();
    const raw = await fixture.joinRaw();
    await raw.receivedAtLeast(3);
    const b = await fixture.join();
    await raw.receivedAtLeast(4);
    const B = b.getUniqueId();
    const serverSaw = nextEvent<[number]>(server, 'peerDisconnected');
    const aSaw = nextEvent<[number]>(a, 'peerDisconnected');
    const bFailed = nextEvent(b, 'connectionFailed');
    b.disconnectFromHost();
    expect(await serverSaw).toEqual([B]);
    expect(await aSaw).toEqual([B]);
    await bFailed;
    await raw.receivedAtLeast(5);
    expect(raw.received[4]).toEqual(system(SYS_DEL, B));
    expect(a.getAnnouncedPeers()).not.toContain(B);
  });

  it('drops rule-breaking packets with a diagnostic and keeps the connection open', async () => {
    const server = fixture.server;
    const other = await fixture.join();
    const raw = await fixture.joinRaw();
    await raw.receivedAtLeast(3);
    const R = idOf(raw);
    const dropped = record<[number, string]>(server, 'packetDropped');
    const inbox = new Inbox(server);

    raw.send(hex('00 01000000 010000')); // 8 bytes
    raw.send(encodeGodot3System(SYS_ADD, 7)); // a system message from a client (from = 1 too)
    raw.send(data(other.getUniqueId(), 1, 'forged')); // claims another client's id
    raw.send(data(R, 424242, 'nobody')); // unknown target
    raw.send(data(R, R, 'myself')); // addressed to its sender
    raw.send(data(R, 1, 'still here'));

    expect(await inbox.until('still here')).toEqual([]);
    expect(dropped).toEqual([
      [R, 'packet of 8 bytes is shorter than the 9-byte header'],
      [R, 'system message (type 1) from a client: only the server sends those'],
      [R, `forged sender: the header says from ${other.getUniqueId()}`],
      [R, 'target peer 424242 is not connected'],
      [R, `packet from ${R} is addressed to its own sender`],
    ]);
    expect(server.droppedPacketCount).toBe(5);
    expect(raw.peer.getReadyState()).toBe(1);
  });

  it('refuses new connections while asked to, without touching connected clients', async () => {
    const server = fixture.server;
    const [a, b] = [await fixture.join(), await fixture.join()];
    server.refuseNewConnections = true;
    expect(server.isRefusingNewConnections()).toBe(true);

    const refused = new WebSocketClient();
    const failed = nextEvent(refused, 'connectionFailed');
    expect(await refused.connectToUrl(fixture.url, [], true)).not.toBe(GodotError.OK);
    await failed;
    expect(server.getPeerIds()).toHaveLength(2);

    await relayText(a, b, 'still relayed');

    server.setRefuseNewConnections(false);
    await fixture.join();
    expect(server.getPeerIds()).toHaveLength(3);
  });

  it('drops a connection that does not finish its handshake in handshakeTimeout', async () => {
    const server = fixture.server;
    server.handshakeTimeout = 0.2;
    const failures = record<[string, string]>(server, 'handshakeFailed');
    const connected = record(server, 'peerConnected');
    const socket = connectTcp({ host: '127.0.0.1', port: server.getListeningPort() });
    socket.on('error', () => {});
    await nextEvent(socket, 'close');
    expect(failures.some(([reason]) => /handshake/i.test(reason))).toBe(true);
    expect(connected).toEqual([]);
  });

  it('gives up on a server that never answers the handshake (client side timeout)', async () => {
    const silent = createTcpServer((socket) => socket.on('error', () => {}));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const client = new WebSocketClient();
      client.handshakeTimeout = 0.2;
      const failed = nextEvent(client, 'connectionFailed');
      const result = await client.connectToUrl(`ws://127.0.0.1:${(silent.address() as AddressInfo).port}`, [], true);
      expect(result).toBe(GodotError.ERR_TIMEOUT);
      await failed;
      expect(client.getConnectionStatus()).toBe(ConnectionStatus.DISCONNECTED);
    } finally {
      silent.close();
    }
  });

  it('relays 1 MiB packets once setBuffers allows them', async () => {
    const server = fixture.server;
    expect(server.setBuffers(2048, 1024, 2048, 1024)).toBe(GodotError.OK);
    expect(server.inboundBufferSize).toBe(2097151);
    expect(server.outboundBufferSize).toBe(2097151);
    expect(server.maxQueuedPackets).toBe(1023);
    expect(server.setBuffers(0, 1, 1, 1)).toBe(GodotError.ERR_INVALID_PARAMETER);
    const widen = (client: WebSocketClient): void => void client.setBuffers(2048, 1024, 2048, 1024);
    const [a, b] = [await fixture.join(widen), await fixture.join(widen)];
    const big = Buffer.alloc(1024 * 1024, 0x61);
    const received = nextEvent(b, 'peerPacket');
    a.setTargetPeer(b.getUniqueId());
    expect(a.putPacket(big)).toBe(GodotError.OK);
    await received;
    expect(b.getPacketPeer()).toBe(a.getUniqueId());
    expect(b.getPacket().equals(big)).toBe(true);

    const narrow = await fixture.join();
    narrow.setTargetPeer(b.getUniqueId());
    expect(narrow.putPacket(big)).toBe(GodotError.ERR_OUT_OF_MEMORY);
  });

  it('holds unread packets as backpressure instead of dropping them', async () => {
    const server = fixture.server;
    server.maxQueuedPackets = 4;
    const a = await fixture.join();
    a.setTargetPeer(1);
    for (let i = 0; i < 50; i++) a.putPacket(Buffer.from(`packet ${i}`));
    await until(() => server.getAvailablePacketCount() === 4);
    const texts = (await readPackets(server, 50)).map(([, text]) => text);
    expect(texts).toEqual(Array.from({ length: 50 }, (_, i) => `packet ${i}`));
  });

  it('drops malformed server messages on the client side with a diagnostic', async () => {
    const fake = new WebSocketServer();
    await fake.listen({ port: 0, bindIp: '127.0.0.1' });
    fake.on('clientConnected', (id) => {
      const peer = fake.getPeer(id)!;
      peer.send(hex('03 01000000 00000000 2a000000')); // SYS_ID(42)
      peer.send(hex('01 01000000 00000000 01000000')); // SYS_ADD(1)
      peer.send(hex('00 01000000')); // too short
      peer.send(hex('01 01000000 00000000 0100')); // SYS_ADD without a whole id
      peer.send(hex('09 01000000 00000000 01000000')); // unknown type
      peer.send(encodeGodot3Packet(SYS_NONE, 1, 42, Buffer.from('fine')));
    });
    const client = new WebSocketClient();
    const dropped = record<[number, string]>(client, 'packetDropped');
    const inbox = new Inbox(client);
    await client.connectToUrl(`ws://127.0.0.1:${fake.getListeningPort()}`, [], true);
    expect(await inbox.until('fine')).toEqual([]);
    expect(client.getUniqueId()).toBe(42);
    expect(dropped).toEqual([
      [1, 'packet of 5 bytes is shorter than the 9-byte header'],
      [1, 'system message (type 1) without a peer id'],
      [1, 'unknown message type 9'],
    ]);
    client.disconnectFromHost();
    await fake.stop();
  });

  it('answers the multiplayer calls with ERR_UNCONFIGURED when gd_mp_api is off', async () => {
    const plain = new WebSocketServer();
    expect(await plain.listen({ port: 0, bindIp: '127.0.0.1' })).toBe(GodotError.OK);
    const connected = nextEvent<[number, string]>(plain, 'clientConnected');
    const client = new WebSocketClient();
    await client.connectToUrl(`ws://127.0.0.1:${plain.getListeningPort()}`);
    const [id] = await connected;
    expect(plain.hasPeer(id) && id > 1).toBe(true);
    expect(plain.putPacket(Buffer.from('x'))).toBe(GodotError.ERR_UNCONFIGURED);
    expect(client.putPacket(Buffer.from('x'))).toBe(GodotError.ERR_UNCONFIGURED);
    expect(client.lastError?.message).toMatch(/getPeer/);
    client.disconnectFromHost();
    await plain.stop();
  });

  it('serves gd_mp_api clients through node:http upgrades', async () => {
    const server = new WebSocketServer();
    server.gdMpApi = true;
    const http = createHttpServer((_request, response) => response.end('not a websocket'));
    http.on('upgrade', (request, socket, head) => server.handleUpgrade(request, socket, head));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/godot3`;
    const a = new WebSocketClient();
    const b = new WebSocketClient();
    const aHearsB = nextEvent(a, 'peerConnected', (id) => id !== 1);
    const aJoined = nextEvent(a, 'connectionSucceeded');
    await a.connectToUrl(url, [], true);
    await aJoined;
    const bJoined = nextEvent(b, 'connectionSucceeded');
    await b.connectToUrl(url, [], true);
    await bJoined;
    await aHearsB;
    expect(await relayText(a, b, 'through http')).toEqual([]);
    expect(server.getConnectionStatus()).toBe(ConnectionStatus.CONNECTED);
    a.disconnectFromHost();
    b.disconnectFromHost();
    await server.stop();
    await new Promise((resolve) => http.close(resolve));
  });
});
