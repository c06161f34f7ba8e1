import { createServer as createHttpServer } from 'node:http';
import { connect as connectTcp, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionStatus } from '../../src/multiplayer/connection-status.js';
import { GodotError } from '../../src/godot-error.js';
import { TransferMode } from '../../src/multiplayer/transfer-mode.js';
import { WebSocketMultiplayerPeer } from '../../src/multiplayer/websocket-multiplayer-peer.js';
import { WebSocketServer } from '../../src/godot3/websocket-server.js';
import { nextEvent, record, until } from './support/events.js';
import { Inbox } from './support/inbox.js';
import { expectRelaysByTarget, readPackets, relayText } from './support/relay-checks.js';
import { Godot4Fixture } from './support/godot4-fixture.js';
import { hex, int32, RawClient } from './support/raw-client.js';

/** The id a raw client got in its greeting. */
function idOf(raw: RawClient): number {
  return raw.received[0]!.readInt32LE(0);
}

function addPeer(id: number): Buffer {
  return Buffer.concat([hex('07 01'), int32(id)]);
}

function delPeer(id: number): Buffer {
  return Buffer.concat([hex('07 02'), int32(id)]);
}

function relay(peer: number, packet: string | Buffer): Buffer {
  return Buffer.concat([hex('07 03'), int32(peer), typeof packet === 'string' ? Buffer.from(packet) : packet]);
}

describe('WebSocketMultiplayerPeer (Godot 4): gdws server with gdws clients', () => {
  let fixture: Godot4Fixture;

  afterEach(async () => {
    await fixture?.stop();
  });

  it('has Godot 4 defaults', () => {
    const peer = new WebSocketMultiplayerPeer();
    expect(peer.handshakeTimeout).toBe(3);
    expect(peer.inboundBufferSize).toBe(65535);
    expect(peer.outboundBufferSize).toBe(65535);
    expect(peer.maxQueuedPackets).toBe(4096);
    expect(peer.supportedProtocols).toEqual([]);
    expect(peer.handshakeHeaders).toEqual([]);
    expect(peer.serverRelay).toBe(true);
    expect(peer.getConnectionStatus()).toBe(ConnectionStatus.DISCONNECTED);
    expect(peer.getUniqueId()).toBe(0);
    expect(peer.isServerRelaySupported()).toBe(true);
    expect(peer.putPacket(Buffer.from('x'))).toBe(GodotError.ERR_UNCONFIGURED);
  });

  it('greets each client with its random id as one 4-byte binary message', async () => {
    fixture = await new Godot4Fixture().start();
    const server = fixture.server;
    expect(server.getUniqueId()).toBe(1);
    expect(server.isServer()).toBe(true);
    expect(server.getConnectionStatus()).toBe(ConnectionStatus.CONNECTED);
    const connected = nextEvent<[number]>(server, 'peerConnected');
    const raw = await fixture.joinRaw();
    const [greeting] = await raw.receivedAtLeast(1);
    const id = idOf(raw);
    expect(greeting).toEqual(int32(id));
    expect(raw.peer.wasStringPacket()).toBe(false);
    expect(id).toBeGreaterThan(1);
    expect(id).toBeLessThanOrEqual(0x7fffffff);
    expect(await connected).toEqual([id]);
    expect(server.getPeer(id)).not.toBeNull();
    expect(server.getPeerAddress(id)).toBe('127.0.0.1');
    expect(server.getPeerPort(id)).toBeGreaterThan(0);
    expect(server.getPeerPort(id)).not.toBe(server.getListeningPort());
    expect(server.getPeer(12345)).toBeNull();
  });

  it('announces every arrival to the others and the others to the newcomer (ADD_PEER)', async () => {
    fixture = await new Godot4Fixture().start();
    const a = await fixture.joinRaw();
    await a.receivedAtLeast(1);
    const b = await fixture.joinRaw();
    await b.receivedAtLeast(2);
    const c = await fixture.joinRaw();
    await c.receivedAtLeast(3);
    await a.receivedAtLeast(3);
    await b.receivedAtLeast(3);
    const [A, B, C] = [idOf(a), idOf(b), idOf(c)];
    expect(new Set([A, B, C]).size).toBe(3);
    expect(a.received).toEqual([int32(A), addPeer(B), addPeer(C)]);
    expect(b.received).toEqual([int32(B), addPeer(A), addPeer(C)]);
    expect(c.received).toEqual([int32(C), addPeer(A), addPeer(B)]);
  });

  it('connects a gdws client: CONNECTING, then the id, peerConnected(1) and the other clients', async () => {
    fixture = await new Godot4Fixture().start();
    const first = await fixture.join();
    const client = new WebSocketMultiplayerPeer();
    const events = record<[number]>(client, 'peerConnected');
    const pending = client.createClient(fixture.url);
    expect(client.getConnectionStatus()).toBe(ConnectionStatus.CONNECTING);
    expect(await pending).toBe(GodotError.OK);
    expect(client.getConnectionStatus()).toBe(ConnectionStatus.CONNECTED);
    expect(client.isServer()).toBe(false);
    expect(fixture.server.getPeerIds()).toContain(client.getUniqueId());
    await until(() => events.length === 2);
    expect(events).toEqual([[1], [first.getUniqueId()]]);
    await until(() => first.getAnnouncedPeers().includes(client.getUniqueId()));
    expect(client.getPeer(1)).not.toBeNull();
    expect(client.getPeerIds()).toEqual([1]);
    expect(await client.createClient(fixture.url)).toBe(GodotError.ERR_ALREADY_IN_USE);
    await client.close();
  });

  it('relays for every target: one client, everyone, everyone but one, and -1 without the server', async () => {
    fixture = await new Godot4Fixture().start();
    await expectRelaysByTarget(fixture.server, [await fixture.join(), await fixture.join(), await fixture.join()]);
  });

  it('speaks the relay envelope on the wire: 07 03 target out, 07 03 source in, unwrapped for the server', async () => {
    fixture = await new Godot4Fixture().start();
    const a = await fixture.join();
    const raw = await fixture.joinRaw();
    await raw.receivedAtLeast(2);
    const R = idOf(raw);
    await until(() => a.getAnnouncedPeers().includes(R));
    expect(raw.received[1]).toEqual(addPeer(a.getUniqueId()));

    a.setTargetPeer(R);
    a.putPacket(hex('00 2a 01'));
    await raw.receivedAtLeast(3);
    expect(raw.received[2]).toEqual(relay(a.getUniqueId(), hex('00 2a 01')));

    const inboxA = new Inbox(a);
    const inboxServer = new Inbox(fixture.server);
    raw.send(relay(a.getUniqueId(), 'from raw via relay'));
    raw.send(Buffer.from('for the server'));
    raw.send(relay(0, 'end'));
    expect(await inboxA.until('end')).toEqual([[R, 'from raw via relay']]);
    expect(await inboxServer.until('end')).toEqual([[R, 'for the server']]);
  });

  it('sends from the server to one client, all, or all but one, with source 1 at the clients', async () => {
    fixture = await new Godot4Fixture().start();
    const server = fixture.server;
    const [a, b] = [await fixture.join(), await fixture.join()];
    const [inboxA, inboxB] = [new Inbox(a), new Inbox(b)];
    const send = (to: number, text: string): GodotError => {
      server.setTargetPeer(to);
      return server.putPacket(Buffer.from(text));
    };
    expect(send(b.getUniqueId(), 'to B')).toBe(GodotError.OK);
    expect(send(-b.getUniqueId(), 'not B')).toBe(GodotError.OK);
    expect(send(0, 'end')).toBe(GodotError.OK);
    expect(await inboxA.until('end')).toEqual([[1, 'not B']]);
    expect(await inboxB.until('end')).toEqual([[1, 'to B']]);
    expect(send(424242, 'nobody')).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(server.lastError?.message).toBe('Peer not found: 424242');
  });

  it('announces departures (DEL_PEER) and reports them on both sides', async () => {
    fixture = await new Godot4Fixture().start();
    const server = fixture.server;
    const a = await fixture.join();
    const raw = await fixture.joinRaw();
    await raw.receivedAtLeast(2);
    const b = await fixture.join();
    await raw.receivedAtLeast(3);
    const B = b.getUniqueId();
    const serverSaw = nextEvent<[number]>(server, 'peerDisconnected');
    const aSaw = nextEvent<[number]>(a, 'peerDisconnected');
    await b.close();
    expect(await serverSaw).toEqual([B]);
    expect(await aSaw).toEqual([B]);
    await raw.receivedAtLeast(4);
    expect(raw.received[3]).toEqual(delPeer(B));
    expect(a.getAnnouncedPeers()).not.toContain(B);
    expect(server.getPeerIds()).not.toContain(B);
  });

  it('disconnects a peer, silently with force, and tells the client it lost the server', async () => {
    fixture = await new Godot4Fixture().start();
    const server = fixture.server;
    const [a, b, c] = [await fixture.join(), await fixture.join(), await fixture.join()];
    const [A, B, C] = [a, b, c].map((client) => client.getUniqueId()) as [number, number, number];
    const serverEvents = record<[number]>(server, 'peerDisconnected');

    const bLost = nextEvent<[number]>(b, 'peerDisconnected', (id) => id === 1);
    const serverSawB = nextEvent<[number]>(server, 'peerDisconnected');
    expect(server.disconnectPeer(B)).toBe(GodotError.OK);
    await bLost;
    expect(await serverSawB).toEqual([B]);
    expect(b.getConnectionStatus()).toBe(ConnectionStatus.DISCONNECTED);
    expect(b.getUniqueId()).toBe(0);

    const aHearsC = nextEvent<[number]>(a, 'peerDisconnected', (id) => id === C);
    const cLost = nextEvent<[number]>(c, 'peerDisconnected', (id) => id === 1);
    expect(server.disconnectPeer(C, true)).toBe(GodotError.OK);
    expect(server.getPeerIds()).toEqual([A]);
    await aHearsC;
    await cLost;
    expect(serverEvents.map(([id]) => id)).toEqual([B]);
    expect(server.disconnectPeer(C)).toBe(GodotError.ERR_DOES_NOT_EXIST);
  });

  it('drops rule-breaking packets with a diagnostic and keeps the connection open', async () => {
    fixture = await new Godot4Fixture().start();
    const server = fixture.server;
    const raw = await fixture.joinRaw();
    await raw.receivedAtLeast(1);
    const R = idOf(raw);
    const dropped = record<[number, string]>(server, 'packetDropped');
    const inbox = new Inbox(server);
    raw.send(Buffer.alloc(0));
    raw.send(addPeer(5));
    raw.send(delPeer(5));
    raw.send(hex('07 03 0500')); // shorter than a system command
    raw.send(relay(424242, 'lost'));
    raw.send(relay(1, 'the server is never a relay target'));
    raw.send(hex('07 03 00000000')); // envelope without a packet
    raw.send(hex('07 09 00000000'));
    raw.send(Buffer.from('still here'));
    expect(await inbox.until('still here')).toEqual([]);
    expect(dropped).toEqual([
      [R, 'empty packet'],
      [R, 'peer announcements (ADD_PEER/DEL_PEER) only come from the server'],
      [R, 'peer announcements (ADD_PEER/DEL_PEER) only come from the server'],
      [R, 'system packet of 4 bytes is too short'],
      [R, 'relay target 424242 is not connected'],
      [R, 'relay target 1 is not connected'],
      [R, 'relay envelope without a packet'],
      [R, 'unknown system command 9'],
    ]);
    expect(server.droppedPacketCount).toBe(8);
    expect(raw.peer.getReadyState()).toBe(1);
  });

  it('passes authentication packets (07 00) to the application untouched', async () => {
    fixture = await new Godot4Fixture().start();
    const raw = await fixture.joinRaw();
    await raw.receivedAtLeast(1);
    const received = nextEvent<[number]>(fixture.server, 'peerPacket');
    raw.send(hex('07 00 736563726574'));
    expect(await received).toEqual([idOf(raw)]);
    expect(fixture.server.getPacket()).toEqual(hex('07 00 736563726574'));
  });

  it('refuses new connections while asked to, and drops handshakes that finish meanwhile', async () => {
    fixture = await new Godot4Fixture().start();
    const server = fixture.server;
    const [a, b] = [await fixture.join(), await fixture.join()];
    server.refuseNewConnections = true;
    const refused = new WebSocketMultiplayerPeer();
    const failed = nextEvent<[string]>(refused, 'connectionFailed');
    expect(await refused.createClient(fixture.url)).not.toBe(GodotError.OK);
    await failed;
    expect(refused.getConnectionStatus()).toBe(ConnectionStatus.DISCONNECTED);
    expect(server.getPeerIds()).toHaveLength(2);

    await relayText(a, b, 'still relayed');

    server.setRefuseNewConnections(false);
    await fixture.join();
    expect(server.getPeerIds()).toHaveLength(3);
  });

  it('drops a server-side connection that does not finish its handshake in handshakeTimeout', async () => {
    fixture = await new Godot4Fixture().start((server) => {
      server.handshakeTimeout = 0.2;
    });
    const connected = record(fixture.server, 'peerConnected');
    const socket = connectTcp({ host: '127.0.0.1', port: fixture.server.getListeningPort() });
    socket.on('error', () => {});
    await nextEvent(socket, 'close');
    expect(connected).toEqual([]);
  });

  it('gives up when the server never sends an id within handshakeTimeout', async () => {
    fixture = await new Godot4Fixture().start();
    const plain = new WebSocketServer();
    await plain.listen({ port: 0, bindIp: '127.0.0.1' });
    try {
      const client = new WebSocketMultiplayerPeer();
      client.handshakeTimeout = 0.2;
      const failed = nextEvent<[string]>(client, 'connectionFailed');
      expect(await client.createClient(`ws://127.0.0.1:${plain.getListeningPort()}`)).toBe(GodotError.ERR_TIMEOUT);
      expect((await failed)[0]).toMatch(/No id from the server/);
      expect(client.getConnectionStatus()).toBe(ConnectionStatus.DISCONNECTED);
    } finally {
      await plain.stop();
    }
  });

  it.each([
    ['too long', hex('2a000000 00')],
    ['the server id', hex('01000000')],
    ['zero', hex('00000000')],
  ])('rejects an invalid id greeting (%s) and closes', async (_name, greeting) => {
    fixture = await new Godot4Fixture().start();
    const fake = new WebSocketServer();
    await fake.listen({ port: 0, bindIp: '127.0.0.1' });
    fake.on('clientConnected', (id) => fake.getPeer(id)!.send(greeting));
    const closedOnServer = nextEvent(fake, 'clientDisconnected');
    try {
      const client = new WebSocketMultiplayerPeer();
      expect(await client.createClient(`ws://127.0.0.1:${fake.getListeningPort()}`)).toBe(GodotError.ERR_INVALID_DATA);
      expect(client.getConnectionStatus()).toBe(ConnectionStatus.DISCONNECTED);
      await closedOnServer;
    } finally {
      await fake.stop();
    }
  });

  it('fails a client whose URL is invalid', async () => {
    fixture = await new Godot4Fixture().start();
    const client = new WebSocketMultiplayerPeer();
    expect(await client.createClient('http://127.0.0.1:1/')).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(client.getConnectionStatus()).toBe(ConnectionStatus.DISCONNECTED);
  });

  it('is a plain Godot 4 peer layer with serverRelay off: no announcements, raw packets, target ignored by clients', async () => {
    fixture = await new Godot4Fixture().start((server) => {
      server.serverRelay = false;
    });
    const off = (client: WebSocketMultiplayerPeer): void => {
      client.serverRelay = false;
    };
    const a = await fixture.join(off);
    const raw = await fixture.joinRaw();
    await raw.receivedAtLeast(1);
    const inbox = new Inbox(fixture.server);
    a.setTargetPeer(idOf(raw));
    a.putPacket(Buffer.from('for the server after all'));
    raw.send(addPeer(7));
    raw.send(Buffer.from('end'));
    expect(await inbox.until('end')).toEqual([
      [a.getUniqueId(), 'for the server after all'],
      [idOf(raw), addPeer(7).toString()],
    ]);
    expect(raw.received).toHaveLength(1);
    expect(a.getAnnouncedPeers()).toEqual([]);
  });

  it('closes everything without peerDisconnected on the server; clients lose peer 1', async () => {
    fixture = await new Godot4Fixture().start();
    const server = fixture.server;
    const [a, b] = [await fixture.join(), await fixture.join()];
    const serverEvents = record(server, 'peerDisconnected');
    const lost = [a, b].map((client) => nextEvent<[number]>(client, 'peerDisconnected', (id) => id === 1));
    await server.close();
    await Promise.all(lost);
    expect(serverEvents).toEqual([]);
    expect(server.getConnectionStatus()).toBe(ConnectionStatus.DISCONNECTED);
    expect(server.getUniqueId()).toBe(0);
    expect(server.getListeningPort()).toBe(0);
    expect(a.getConnectionStatus()).toBe(ConnectionStatus.DISCONNECTED);
  });

  it('negotiates subprotocols and sends handshake headers', async () => {
    fixture = await new Godot4Fixture().start((server) => {
      server.supportedProtocols = ['game.v2', 'game.v1'];
    });
    const connected = nextEvent<[number]>(fixture.server, 'peerConnected');
    const client = await fixture.join((peer) => {
      peer.supportedProtocols = ['game.v1'];
      peer.handshakeHeaders = ['X-Player: tester'];
    });
    const [id] = await connected;
    expect(client.getPeer(1)!.getSelectedProtocol()).toBe('game.v1');
    expect(fixture.server.getPeer(id)!.getHandshakeHeaders().get('x-player')).toBe('tester');

    const mismatch = new WebSocketMultiplayerPeer();
    mismatch.supportedProtocols = ['other'];
    expect(await mismatch.createClient(fixture.url)).not.toBe(GodotError.OK);
  });

  it('accepts transfer modes and channels; WebSocket delivers everything reliably in order', async () => {
    const peer = new WebSocketMultiplayerPeer();
    expect(TransferMode).toEqual({ UNRELIABLE: 0, UNRELIABLE_ORDERED: 1, RELIABLE: 2 });
    expect(peer.getTransferMode()).toBe(TransferMode.RELIABLE);
    peer.setTransferMode(TransferMode.UNRELIABLE);
    expect(peer.transferMode).toBe(TransferMode.UNRELIABLE);
    peer.transferChannel = 3;
    expect(peer.getTransferChannel()).toBe(3);
    expect(peer.getPacketMode()).toBe(TransferMode.RELIABLE);
    expect(peer.getPacketChannel()).toBe(0);
    expect(() => peer.setTransferMode(7 as TransferMode)).toThrow(RangeError);
    expect(() => peer.setTransferChannel(-1)).toThrow(RangeError);
    expect(() => peer.setTargetPeer(2 ** 31)).toThrow(RangeError);
  });

  it('serves Godot 4 clients through node:http upgrades', async () => {
    fixture = await new Godot4Fixture().start();
    const relayServer = new WebSocketMultiplayerPeer();
    const http = createHttpServer((_request, response) => response.end('not a websocket'));
    http.on('upgrade', (request, socket, head) => relayServer.handleUpgrade(request, socket, head));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/godot4`;
    const a = new WebSocketMultiplayerPeer();
    const b = new WebSocketMultiplayerPeer();
    expect(await a.createClient(url)).toBe(GodotError.OK);
    expect(relayServer.getConnectionStatus()).toBe(ConnectionStatus.CONNECTED);
    expect(relayServer.isServer()).toBe(true);
    const aHearsB = nextEvent(a, 'peerConnected', (id) => id !== 1);
    expect(await b.createClient(url)).toBe(GodotError.OK);
    await aHearsB;
    expect(await relayText(a, b, 'through http')).toEqual([]);
    await Promise.all([a.close(), b.close()]);
    await relayServer.close();
    await new Promise((resolve) => http.close(resolve));
  });

  it('keeps unread packets as backpressure instead of dropping them', async () => {
    fixture = await new Godot4Fixture().start((server) => {
      server.maxQueuedPackets = 4;
    });
    const a = await fixture.join();
    a.setTargetPeer(1);
    for (let i = 0; i < 50; i++) expect(a.putPacket(Buffer.from(`packet ${i}`))).toBe(GodotError.OK);
    const server = fixture.server;
    await until(() => server.getAvailablePacketCount() === 4);
    const packets = await readPackets(server, 50);
    expect(packets).toEqual(Array.from({ length: 50 }, (_, i) => [a.getUniqueId(), `packet ${i}`]));
    expect(server.getPacket()).toHaveLength(0);
    expect(server.getPacketError()).toBe(GodotError.ERR_UNAVAILABLE);
  });
});
