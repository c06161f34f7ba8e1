import { createServer } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GodotError, MultiplayerRooms, routeUpgrades, WebSocketClient, WebSocketMultiplayerPeer, type RoomChooser } from '../../src/index.js';
import { record, until } from '../multiplayer/support/events.js';

const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function startRooms(options: ConstructorParameters<typeof MultiplayerRooms>[0] = {}): Promise<{ rooms: MultiplayerRooms; base: string; port: number }> {
  const rooms = new MultiplayerRooms(options);
  closers.push(() => rooms.close());
  expect(await rooms.listen(0)).toBe(GodotError.OK);
  const port = rooms.getListeningPort();
  return { rooms, base: `ws://127.0.0.1:${port}`, port };
}

async function godot4Client(url: string): Promise<WebSocketMultiplayerPeer> {
  const client = new WebSocketMultiplayerPeer();
  closers.push(() => client.close());
  expect(await client.createClient(url)).toBe(GodotError.OK);
  return client;
}

async function godot3Client(url: string): Promise<WebSocketClient> {
  const client = new WebSocketClient();
  closers.push(() => client.disconnectFromHost());
  expect(await client.connectToUrl(url, [], true)).toBe(GodotError.OK);
  await until(() => client.getUniqueId() > 1);
  return client;
}

/** The HTTP status line a server answers an upgrade to `path` with. */
function upgradeStatus(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n')) {
        socket.destroy();
        resolve(text.slice(0, text.indexOf('\r\n')));
      }
    });
    socket.on('error', reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  });
}

describe('MultiplayerRooms', () => {
  it('hosts Godot 4 and Godot 3 rooms side by side, each with its own members, announcements and relay', async () => {
    const { rooms, base } = await startRooms();
    const opened = record<[string, string]>(rooms, 'roomOpened');
    const joined = record<[string, number]>(rooms, 'peerJoined');
    const a1 = await godot4Client(`${base}/room/alpha`);
    const a2 = await godot4Client(`${base}/room/alpha?token=ignored`);
    const b1 = await godot4Client(`${base}/room/beta`);
    const b2 = await godot4Client(`${base}/room/beta`);
    const c1 = await godot3Client(`${base}/room3/gamma`);
    const c2 = await godot3Client(`${base}/room3/gamma`);
    expect(opened).toEqual([
      ['alpha', 'godot4'],
      ['beta', 'godot4'],
      ['gamma', 'godot3'],
    ]);
    await until(() => joined.length === 6);
    expect(rooms.peerCount()).toBe(6);
    expect(rooms.roomList().map((r) => [r.name, r.kind, r.localPeers, r.remotePeers])).toEqual([
      ['alpha', 'godot4', 2, 0],
      ['beta', 'godot4', 2, 0],
      ['gamma', 'godot3', 2, 0],
    ]);
    expect(rooms.getRoom('nope')).toBeNull();

    // Announcements stay inside a room.
    await until(() => a1.getAnnouncedPeers().length === 1 && b1.getAnnouncedPeers().length === 1);
    expect(a1.getAnnouncedPeers()).toEqual([a2.getUniqueId()]);
    expect(b2.getAnnouncedPeers()).toEqual([b1.getUniqueId()]);
    expect((rooms.getMultiplayerPeer('alpha') as WebSocketMultiplayerPeer).getPeerIds().sort()).toEqual([a1.getUniqueId(), a2.getUniqueId()].sort());

    // A broadcast in alpha reaches alpha only; one in gamma (Godot 3) reaches gamma only.
    a1.setTargetPeer(0);
    expect(a1.putPacket(Buffer.from('to alpha'))).toBe(GodotError.OK);
    c1.setTargetPeer(0);
    expect(c1.putPacket(Buffer.from('to gamma'))).toBe(GodotError.OK);
    await until(() => a2.getAvailablePacketCount() === 1 && c2.getAvailablePacketCount() === 1);
    expect([a2.getPacketPeer(), a2.getPacket().toString()]).toEqual([a1.getUniqueId(), 'to alpha']);
    expect([c2.getPacketPeer(), c2.getPacket().toString()]).toEqual([c1.getUniqueId(), 'to gamma']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(b1.getAvailablePacketCount() + b2.getAvailablePacketCount()).toBe(0);
  });

  it('closes a room when its last member leaves, and reports departures', async () => {
    const { rooms, base } = await startRooms();
    const left = record<[string, number]>(rooms, 'peerLeft');
    const closed = record<[string, string]>(rooms, 'roomClosed');
    const a1 = await godot4Client(`${base}/room/solo`);
    const a2 = await godot4Client(`${base}/room/solo`);
    await until(() => rooms.getRoom('solo')?.localPeers === 2);
    const firstId = a1.getUniqueId();
    await a1.close();
    await until(() => left.length === 1);
    expect(left[0]).toEqual(['solo', firstId]);
    expect(closed).toEqual([]);
    await a2.close();
    await until(() => closed.length === 1);
    expect(closed[0]).toEqual(['solo', 'godot4']);
    expect(rooms.roomList()).toEqual([]);
    // A room opened ahead of its first member is there, empty, to configure.
    const ahead = rooms.openRoom('early', 'godot4') as WebSocketMultiplayerPeer;
    expect(ahead).toBeInstanceOf(WebSocketMultiplayerPeer);
    expect(rooms.openRoom('early', 'godot4')).toBe(ahead);
    expect(rooms.openRoom('early', 'godot3')).toBeNull();
    expect(rooms.getRoom('early')).toEqual({ name: 'early', kind: 'godot4', localPeers: 0, remotePeers: 0 });
    await godot4Client(`${base}/room/early`);
    expect(ahead.getPeerIds()).toHaveLength(1);
    // The name is free again, for either kind.
    await godot3Client(`${base}/room3/solo`);
    expect(rooms.getRoom('solo')?.kind).toBe('godot3');
  });

  it('refuses what has no room: unknown paths and bad names 404, the other kind 409, a full room 503, a failed handshake closes an empty room', async () => {
    const { rooms, base, port } = await startRooms({ maxPeersPerRoom: 1 });
    expect(await upgradeStatus(port, '/elsewhere')).toMatch(/^HTTP\/1.1 404/);
    expect(await upgradeStatus(port, '/room/')).toMatch(/^HTTP\/1.1 404/);
    expect(await upgradeStatus(port, '/room/bad%20name')).toMatch(/^HTTP\/1.1 404/);
    expect(await upgradeStatus(port, `/room/${'x'.repeat(65)}`)).toMatch(/^HTTP\/1.1 404/);
    await godot4Client(`${base}/room/one`);
    expect(await upgradeStatus(port, '/room3/one')).toMatch(/^HTTP\/1.1 409/);
    expect(await upgradeStatus(port, '/room/one')).toMatch(/^HTTP\/1.1 503/);
    // A request the room's handshake refuses (no WebSocket version) opens the room and closes it again.
    const closed = record<[string, string]>(rooms, 'roomClosed');
    const status = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('data', (chunk) => resolve(chunk.toString('latin1').split('\r\n')[0]!));
      socket.write('GET /room/other HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    });
    expect(status).toMatch(/^HTTP\/1.1 4\d\d/);
    await until(() => closed.length === 1);
    expect(closed[0]).toEqual(['other', 'godot4']);
    expect(await rooms.listen(0)).toBe(GodotError.ERR_ALREADY_IN_USE);
    const second = new MultiplayerRooms();
    expect(await second.listen(port)).toBe(GodotError.ERR_CANT_CREATE);
    expect(second.getListeningPort()).toBe(0);
    await second.close();
  });

  it('takes its room from a chooser (sync or async), whose refusals and failures become HTTP answers', async () => {
    const chooser: RoomChooser = (request) => {
      const url = request.url ?? '';
      if (url.includes('throw')) throw new Error('boom');
      if (url.includes('reject')) return Promise.reject(new Error('async boom'));
      if (url.includes('deny')) return Promise.resolve({ refuse: true as const, status: 401, reason: 'who are you' });
      if (url.includes('odd')) return { refuse: true as const, status: 42 };
      if (url.includes('plain')) return { refuse: true as const };
      const team = new URL(url, 'ws://x').searchParams.get('team');
      return team === null ? null : Promise.resolve({ room: `team-${team}`, kind: 'godot4' as const });
    };
    const { rooms, base, port } = await startRooms({ chooseRoom: chooser });
    expect(await upgradeStatus(port, '/throw')).toMatch(/^HTTP\/1.1 500/);
    expect(await upgradeStatus(port, '/reject')).toMatch(/^HTTP\/1.1 500/);
    expect(await upgradeStatus(port, '/deny')).toMatch(/^HTTP\/1.1 401/);
    expect(await upgradeStatus(port, '/odd')).toMatch(/^HTTP\/1.1 500/);
    expect(await upgradeStatus(port, '/plain')).toMatch(/^HTTP\/1.1 403/);
    expect(await upgradeStatus(port, '/none')).toMatch(/^HTTP\/1.1 404/);
    const red = await godot4Client(`${base}/play?team=red`);
    expect(red.getUniqueId()).toBeGreaterThan(1);
    expect(rooms.getRoom('team-red')?.localPeers).toBe(1);
  });

  it('serves upgrades routed from an existing node:http server, and its page requests get 426', async () => {
    const rooms = new MultiplayerRooms();
    closers.push(() => rooms.close());
    const http = createServer((_request, response) => response.end('page'));
    routeUpgrades(http, {}, { fallback: rooms });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => http.close(resolve)));
    const port = (http.address() as { port: number }).port;
    const client = await godot4Client(`ws://127.0.0.1:${port}/room/behind-http`);
    expect(client.getUniqueId()).toBeGreaterThan(1);
    expect(rooms.getListeningPort()).toBe(0);
    const own = await startRooms();
    const response = await fetch(`http://127.0.0.1:${own.port}/`);
    expect(response.status).toBe(426);
  });

  it('drains packets sent to the server unless the application reads them itself', async () => {
    const { rooms, base } = await startRooms();
    const client = await godot4Client(`${base}/room/quiet`);
    const other = await godot4Client(`${base}/room/quiet`);
    await until(() => client.getAnnouncedPeers().length === 1);
    const server = rooms.getMultiplayerPeer('quiet') as WebSocketMultiplayerPeer;
    client.setTargetPeer(1);
    for (let i = 0; i < 5; i++) client.putPacket(Buffer.from([i]));
    // Messages of one connection are handled in order: once the relay arrives, the five were taken.
    client.setTargetPeer(other.getUniqueId());
    client.putPacket(Buffer.from('after'));
    await until(() => other.getAvailablePacketCount() === 1);
    expect(server.getAvailablePacketCount()).toBe(0);
    const seen: number[] = [];
    server.on('peerPacket', () => {
      while (server.getAvailablePacketCount() > 0) seen.push(server.getPacket()[0]!);
    });
    client.setTargetPeer(1);
    client.putPacket(Buffer.from([9]));
    await until(() => seen.length === 1);
    expect(seen).toEqual([9]);
  });
});
