// Godot 3's WebSocketClient and WebSocketServer off the happy path: settings that cannot change
// while connected, failed connections, adopted sockets, and gd_mp_api sends and relays that
// do not fit the outbound buffer (the packet is dropped and reported, the connection stays).

import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GodotError } from '../../src/godot-error.js';
import { WebSocketClient } from '../../src/godot3/websocket-client.js';
import { WebSocketServer } from '../../src/godot3/websocket-server.js';
import { ConnectionStatus } from '../../src/multiplayer/connection-status.js';
import { nextEvent, record, until } from '../multiplayer/support/events.js';
import { Godot3Fixture } from '../multiplayer/support/godot3-fixture.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freePortWithNothingListening(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('WebSocketClient (Godot 3) off the happy path', () => {
  it('rejects bad buffer settings and a multiplayer send without a connection', () => {
    const client = new WebSocketClient();
    expect(client.setBuffers(16, 0, 16, 16)).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(client.lastError?.message).toMatch(/four positive integers/);
    expect(client.inboundBufferSize).toBe(65535);
    client.gdMpApi = true;
    expect(client.gdMpApi).toBe(true);
    expect(client.putPacket(Buffer.from('x'))).toBe(GodotError.FAILED);
    expect(client.lastError?.message).toMatch(/Not connected to a server/);
    expect(client.getPeer(2)).toBeNull();
    expect(client.getConnectedHost()).toBe('');
    expect(client.getConnectedPort()).toBe(0);
    // A client takes no connections: refusing them changes nothing but the flag.
    client.refuseNewConnections = true;
    expect(client.isRefusingNewConnections()).toBe(true);
  });

  it('is CONNECTING while connecting, refuses a second connect and a gdMpApi switch, and reports a refused connection', async () => {
    const port = await freePortWithNothingListening();
    const client = new WebSocketClient();
    const errors = record<[string]>(client, 'connectionError');
    const connecting = client.connectToUrl(`ws://127.0.0.1:${port}/`);
    expect(client.getConnectionStatus()).toBe(ConnectionStatus.CONNECTING);
    expect(() => (client.gdMpApi = true)).toThrow(/cannot change while connections are open/);
    expect(await client.connectToUrl(`ws://127.0.0.1:${port}/`)).toBe(GodotError.ERR_ALREADY_IN_USE);
    const result = await connecting;
    expect(result).not.toBe(GodotError.OK);
    expect(client.lastError?.code).toBe(result);
    await until(() => errors.length === 1);
    expect(client.getConnectionStatus()).toBe(ConnectionStatus.DISCONNECTED);
  });

  it('in gd_mp_api mode a refused connection is connectionFailed, as in Godot 3.2', async () => {
    const port = await freePortWithNothingListening();
    const client = new WebSocketClient();
    const failed = nextEvent(client, 'connectionFailed');
    const errors = record(client, 'connectionError');
    expect(await client.connectToUrl(`ws://127.0.0.1:${port}/`, [], true)).not.toBe(GodotError.OK);
    await failed;
    expect(errors).toEqual([]);
    expect(client.getUniqueId()).toBe(0);
  });
});

describe('WebSocketServer (Godot 3) off the happy path', () => {
  it('adopts raw sockets from a TCP server of its own, and cannot switch gdMpApi while they are peers', async () => {
    const server = new WebSocketServer();
    cleanups.push(() => server.stop());
    const tcp: Server = createTcpServer((socket: Socket) => server.acceptSocket(socket));
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => tcp.close(resolve)));
    expect(server.getConnectionStatus()).toBe(ConnectionStatus.DISCONNECTED);

    const joined = nextEvent<[number]>(server, 'clientConnected');
    const client = new WebSocketClient();
    cleanups.push(() => client.disconnectFromHost());
    expect(await client.connectToUrl(`ws://127.0.0.1:${(tcp.address() as { port: number }).port}/`)).toBe(GodotError.OK);
    const [id] = await joined;
    expect(server.isListening()).toBe(false);
    expect(server.getConnectionStatus()).toBe(ConnectionStatus.CONNECTED);
    expect(() => (server.gdMpApi = true)).toThrow(/cannot change while connections are open/);
    expect(server.gdMpApi).toBe(false);
    expect(server.getPeerAddress(id)).toBe('127.0.0.1');
    expect(server.getPeerAddress(id + 1)).toBe('');
    expect(server.getPeerPort(id + 1)).toBe(0);
  });

  it('keeps the MultiplayerPeer settings it is given', () => {
    const server = new WebSocketServer();
    expect(server.variantGeneration).toBe(3);
    server.variantGeneration = 4;
    expect(server.variantGeneration).toBe(4);
    expect(() => (server.variantGeneration = 5 as 4)).toThrow(RangeError);
    server.allowObjectDecoding = true;
    expect(server.allowObjectDecoding).toBe(true);
    server.transferChannel = 2;
    expect(server.transferChannel).toBe(2);
    expect(server.getTransferChannel()).toBe(2);
    const id = server.generateUniqueId();
    expect(Number.isInteger(id) && id > 1 && id <= 0x7fffffff).toBe(true);
  });
});

describe('gd_mp_api sends that do not fit the outbound buffer', () => {
  let fixture: Godot3Fixture;
  afterEach(async () => {
    await fixture?.stop();
  });

  it('putPacket to one client reports the failure; a relay that does not fit is dropped and reported', async () => {
    fixture = await new Godot3Fixture().start((server) => {
      server.outboundBufferSize = 64; // room for the 13-byte SYS_* messages, not for 100-byte packets
    });
    const a = await fixture.join();
    const b = await fixture.join();
    const server = fixture.server;
    server.setTargetPeer(a.getUniqueId());
    expect(server.putPacket(Buffer.alloc(100))).toBe(GodotError.ERR_OUT_OF_MEMORY);
    expect(server.lastError?.message).toMatch(/outboundBufferSize/);
    // A broadcast ignores individual failures, as in Godot.
    server.setTargetPeer(0);
    expect(server.putPacket(Buffer.alloc(100))).toBe(GodotError.OK);

    const dropped = record<[number, string]>(server, 'packetDropped');
    a.setTargetPeer(b.getUniqueId());
    expect(a.putPacket(Buffer.alloc(100, 1))).toBe(GodotError.OK);
    await until(() => dropped.length >= 1);
    expect(dropped[0]![0]).toBe(a.getUniqueId());
    expect(dropped[0]![1]).toMatch(new RegExp(`could not relay to peer ${b.getUniqueId()}: .*outboundBufferSize`));
    expect(b.getAvailablePacketCount()).toBe(0);
  });

  it('a client reports a putPacket that does not fit its own outbound buffer', async () => {
    fixture = await new Godot3Fixture().start();
    const client = await fixture.join((c) => {
      c.outboundBufferSize = 16;
    });
    client.setTargetPeer(1);
    expect(client.putPacket(Buffer.alloc(20))).toBe(GodotError.ERR_OUT_OF_MEMORY);
    expect(client.lastError?.code).toBe(GodotError.ERR_OUT_OF_MEMORY);
  });
});
