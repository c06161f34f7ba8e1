// Error paths of Godot 4's WebSocketMultiplayerPeer roles: misuse of createServer/createClient/
// handleUpgrade, failed sends (greeting, relay, putPacket) forced with a tiny outboundBufferSize,
// refusals, and what a client does with every kind of packet a (hand-driven) server may send.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { GodotError } from '../../src/godot-error.js';
import { ConnectionStatus } from '../../src/multiplayer/connection-status.js';
import { IncomingPackets } from '../../src/multiplayer/incoming-packets.js';
import { WebSocketMultiplayerPeer } from '../../src/multiplayer/websocket-multiplayer-peer.js';
import { WebSocketServer } from '../../src/godot3/websocket-server.js';
import { TLSOptions } from '../../src/peer/tls-options.js';
import { RawSocket, upgradeRequest } from '../peer/support/raw-socket.js';
import { nextEvent, record, until } from './support/events.js';
import { Godot4Fixture } from './support/godot4-fixture.js';
import { hex, int32 } from './support/raw-client.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function track(peer: WebSocketMultiplayerPeer): WebSocketMultiplayerPeer {
  cleanups.push(() => peer.close());
  return peer;
}

/** A plain gdws server standing in for a Godot 4 server: the test writes every byte it sends. */
async function handDrivenServer(): Promise<{ url: string; nextClient: () => Promise<number>; server: WebSocketServer }> {
  const server = new WebSocketServer();
  cleanups.push(() => server.stop());
  expect(await server.listen({ port: 0, bindIp: '127.0.0.1' })).toBe(GodotError.OK);
  return {
    server,
    url: `ws://127.0.0.1:${server.getListeningPort()}/`,
    nextClient: async () => (await nextEvent<[number]>(server, 'clientConnected'))[0],
  };
}

describe('WebSocketMultiplayerPeer misuse', () => {
  it('refuses a second role, mismatched TLS options and upgrades on a client', async () => {
    const serverWithClientTls = new WebSocketMultiplayerPeer();
    expect(await serverWithClientTls.createServer(0, '127.0.0.1', TLSOptions.client())).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(serverWithClientTls.getConnectionStatus()).toBe(ConnectionStatus.DISCONNECTED);

    const key = 'unused';
    const clientWithServerTls = new WebSocketMultiplayerPeer();
    expect(await clientWithServerTls.createClient('wss://127.0.0.1:1/', TLSOptions.server(key, key))).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(clientWithServerTls.lastError?.message).toMatch(/client needs/);

    const { url } = await handDrivenServer();
    const client = track(new WebSocketMultiplayerPeer());
    void client.createClient(url);
    expect(await client.createServer(0, '127.0.0.1')).toBe(GodotError.ERR_ALREADY_IN_USE);
    let destroyed = false;
    const socket = { destroy: () => (destroyed = true) } as unknown as Duplex;
    expect(client.handleUpgrade({} as IncomingMessage, socket, Buffer.alloc(0))).toBe(GodotError.ERR_ALREADY_IN_USE);
    expect(destroyed).toBe(true);
    expect(client.isServer()).toBe(false);
    expect(client.getListeningPort()).toBe(0);
  });

  it('a port in use leaves the peer DISCONNECTED, ready for another createServer', async () => {
    const first = track(new WebSocketMultiplayerPeer());
    expect(await first.createServer(0, '127.0.0.1')).toBe(GodotError.OK);
    const second = track(new WebSocketMultiplayerPeer());
    expect(await second.createServer(first.getListeningPort(), '127.0.0.1')).toBe(GodotError.ERR_ALREADY_IN_USE);
    expect(second.lastError?.message).toMatch(String(first.getListeningPort()));
    expect(second.getConnectionStatus()).toBe(ConnectionStatus.DISCONNECTED);
    expect(second.getUniqueId()).toBe(0);
    expect(await second.createServer(0, '127.0.0.1')).toBe(GodotError.OK);
  });

  it('answers lookups of unknown peers, and of a peer that plays no role, with empty values', () => {
    const idle = new WebSocketMultiplayerPeer();
    expect(idle.getPeerIds()).toEqual([]);
    expect(idle.getPeer(5)).toBeNull();
    expect(idle.getPeerAddress(5)).toBe('');
    expect(idle.getPeerPort(5)).toBe(0);
    expect(idle.getAnnouncedPeers()).toEqual([]);
    expect(idle.getPacketPeer()).toBe(1);
    expect(idle.disconnectPeer(5)).toBe(GodotError.ERR_DOES_NOT_EXIST);
    expect(idle.admitPeer(5)).toBe(GodotError.ERR_DOES_NOT_EXIST);
  });
});

describe('failed sends on the server', () => {
  let fixture: Godot4Fixture;
  afterEach(async () => {
    await fixture?.stop();
  });

  it('a greeting that does not fit the outbound buffer fails the client, which never counts as connected', async () => {
    fixture = await new Godot4Fixture().start((server) => {
      server.outboundBufferSize = 2; // the 4-byte id greeting cannot fit
    });
    const connected = record(fixture.server, 'peerConnected');
    const raw = await fixture.joinRaw();
    await until(() => fixture.server.lastError !== null);
    expect(fixture.server.lastError?.code).toBe(GodotError.FAILED);
    expect(fixture.server.lastError?.message).toMatch(/Could not send the id to a new client/);
    await until(() => raw.peer.getReadyState() === 3);
    expect(raw.received).toEqual([]);
    expect(connected).toEqual([]);
    expect(fixture.server.getPeerIds()).toEqual([]);
  });

  it('putPacket to one client reports a send that does not fit; relays that do not fit are dropped', async () => {
    fixture = await new Godot4Fixture().start((server) => {
      server.outboundBufferSize = 64;
    });
    const a = await fixture.join();
    const b = await fixture.join();
    const server = fixture.server;
    server.setTargetPeer(a.getUniqueId());
    expect(server.putPacket(Buffer.alloc(100))).toBe(GodotError.ERR_OUT_OF_MEMORY);
    expect(server.lastError?.message).toMatch(/outboundBufferSize/);

    const dropped = record<[number, string]>(server, 'packetDropped');
    a.setTargetPeer(b.getUniqueId());
    expect(a.putPacket(Buffer.alloc(100, 7))).toBe(GodotError.OK);
    await until(() => dropped.length >= 1);
    expect(dropped[0]![0]).toBe(a.getUniqueId());
    expect(dropped[0]![1]).toMatch(new RegExp(`could not relay to peer ${b.getUniqueId()}: .*outboundBufferSize`));
    expect(b.getAvailablePacketCount()).toBe(0);
  });

  it('a client reports a putPacket that does not fit its own outbound buffer', async () => {
    fixture = await new Godot4Fixture().start();
    const client = await fixture.join((c) => {
      c.outboundBufferSize = 8;
    });
    client.setTargetPeer(1);
    expect(client.putPacket(Buffer.alloc(20))).toBe(GodotError.ERR_OUT_OF_MEMORY);
    expect(client.lastError?.code).toBe(GodotError.ERR_OUT_OF_MEMORY);
  });

  it('closes a connection whose handshake finishes after refusing began, without greeting it', async () => {
    fixture = await new Godot4Fixture().start();
    const server = fixture.server;
    const connected = record(server, 'peerConnected');
    // The TCP connection is accepted before refusing starts; its handshake completes after.
    const socket = await RawSocket.connect(server.getListeningPort());
    // Waits for the server to have accepted it (its transport's pending handshakes are private).
    const transport = (server as unknown as { role: { transport: { pending: Set<unknown> } } }).role.transport;
    await until(() => transport.pending.size === 1);
    server.refuseNewConnections = true;
    await socket.write(upgradeRequest().request);
    await socket.closedPromise;
    expect(socket.received.toString('latin1')).toMatch(/^HTTP\/1\.1 101 /);
    // Nothing after the 101 head: no id greeting.
    expect(socket.received.toString('latin1').split('\r\n\r\n')[1]).toBe('');
    expect(connected).toEqual([]);
    expect(server.getPeerIds()).toEqual([]);
  });
});

describe('a client and what its server sends', () => {
  async function connectedClient(): Promise<{ client: WebSocketMultiplayerPeer; send: (bytes: Buffer) => void; server: WebSocketServer; id: number }> {
    const { url, nextClient, server } = await handDrivenServer();
    const client = track(new WebSocketMultiplayerPeer());
    const joining = nextClient();
    const connecting = client.createClient(url);
    const id = await joining;
    server.getPeer(id)!.send(int32(1234), 1);
    expect(await connecting).toBe(GodotError.OK);
    return { client, server, id, send: (bytes) => void server.getPeer(id)!.send(bytes, 1) };
  }

  it('drops empty, short and unknown system packets, delivers AUTH, ignores repeated and unknown announcements', async () => {
    const { client, send } = await connectedClient();
    expect(client.getUniqueId()).toBe(1234);
    expect(client.getPeer(2)).toBeNull();
    expect(client.getPeer(1)).not.toBeNull();
    const dropped = record<[number, string]>(client, 'packetDropped');
    const connected = record<[number]>(client, 'peerConnected');
    const disconnected = record<[number]>(client, 'peerDisconnected');
    send(Buffer.alloc(0));
    send(hex('07'));
    send(hex('07 09 00 00 00 00'));
    send(hex('07 03'));
    send(Buffer.concat([hex('07 03'), int32(77)]));
    send(Buffer.concat([hex('07 01'), int32(77)]));
    send(Buffer.concat([hex('07 01'), int32(77)]));
    send(Buffer.concat([hex('07 02'), int32(88)]));
    send(hex('07 00 61 62'));
    await until(() => client.getAvailablePacketCount() >= 1);
    expect(dropped.map(([source, reason]) => [source, reason.replace(/\d+ bytes/, 'N bytes')])).toEqual([
      [1, 'empty packet'],
      [1, 'system packet of N bytes is too short'],
      [1, 'unknown system command 9'],
      [1, 'system packet of N bytes is too short'],
      [1, 'relay envelope without a packet'],
    ]);
    expect(connected).toEqual([[77]]);
    expect(disconnected).toEqual([]);
    expect(client.getAnnouncedPeers()).toEqual([77]);
    expect(client.getPacketPeer()).toBe(1);
    expect([...client.getPacket()]).toEqual([0x07, 0x00, 0x61, 0x62]);
    expect(client.droppedPacketCount).toBe(5);
  });

  it('ends the session with peerDisconnected(1) when the server closes after the greeting', async () => {
    const { client, server, id } = await connectedClient();
    const disconnected = nextEvent<[number]>(client, 'peerDisconnected');
    server.disconnectPeer(id);
    expect(await disconnected).toEqual([1]);
    expect(client.getConnectionStatus()).toBe(ConnectionStatus.DISCONNECTED);
    expect(client.getUniqueId()).toBe(0);
  });

  it('disconnectPeer(1, force) ends the session at once, without peerDisconnected', async () => {
    const { client } = await connectedClient();
    const disconnected = record(client, 'peerDisconnected');
    expect(client.disconnectPeer(1, true)).toBe(GodotError.OK);
    expect(client.getConnectionStatus()).toBe(ConnectionStatus.DISCONNECTED);
    expect(client.getPeerIds()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(disconnected).toEqual([]);
  });

  it('fails to connect with ERR_CONNECTION_ERROR when the server closes before sending an id', async () => {
    const { url, nextClient, server } = await handDrivenServer();
    const client = track(new WebSocketMultiplayerPeer());
    const failed = nextEvent<[string]>(client, 'connectionFailed');
    const connecting = client.createClient(url);
    server.disconnectPeer(await nextClient());
    expect(await connecting).toBe(GodotError.ERR_CONNECTION_ERROR);
    expect((await failed)[0]).toMatch(/closed the connection before sending an id/);
    expect(client.getConnectionStatus()).toBe(ConnectionStatus.DISCONNECTED);
  });
});

describe('IncomingPackets', () => {
  it('keeps order and sources while compacting a long-drained queue', () => {
    const queue = new IncomingPackets();
    for (let i = 0; i < 1500; i++) queue.push(i + 2, Buffer.from([i & 0xff, i >> 8]));
    for (let i = 0; i < 1024; i++) expect([...queue.shift()]).toEqual([i & 0xff, i >> 8]);
    expect(queue.count).toBe(476);
    for (let i = 1024; i < 1500; i++) {
      expect(queue.peekSource()).toBe(i + 2);
      expect([...queue.shift()]).toEqual([i & 0xff, i >> 8]);
    }
    expect(queue.count).toBe(0);
  });
});
