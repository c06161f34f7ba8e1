import { afterEach, describe, expect, it } from 'vitest';
import { GodotError, MultiplayerRooms, WebSocketClient, WebSocketMultiplayerPeer, WebSocketPeer, type RoomEndpoint, type RoomLink } from '../../src/index.js';
import { until } from '../multiplayer/support/events.js';

/**
 * Rooms spanning "processes" in one test: an in-memory bus plays the
 * backplane, each MultiplayerRooms is one process with its own RoomLink.
 * Calls cross asynchronously (a microtask), in order, as over a network.
 */
class Bus {
  readonly endpoints = new Map<string, Map<ProcessLink, RoomEndpoint>>();
  readonly owners = new Map<string, Map<number, ProcessLink>>();
  private nextId = 1000;
  reserve(): number {
    return this.nextId++;
  }
}

class ProcessLink implements RoomLink {
  readonly calls: string[] = [];
  refuseIds = false;
  constructor(private readonly bus: Bus) {}

  private others(room: string): RoomEndpoint[] {
    return [...(this.bus.endpoints.get(room) ?? new Map<ProcessLink, RoomEndpoint>())].filter(([link]) => link !== this).map(([, endpoint]) => endpoint);
  }

  async attach(room: string, endpoint: RoomEndpoint): Promise<void> {
    this.calls.push(`attach ${room} ${endpoint.kind}`);
    (this.bus.endpoints.get(room) ?? this.bus.endpoints.set(room, new Map()).get(room)!).set(this, endpoint);
    await Promise.resolve();
    for (const [id, owner] of this.bus.owners.get(room) ?? []) if (owner !== this) endpoint.remoteJoined(id);
  }
  detach(room: string): void {
    this.calls.push(`detach ${room}`);
    this.bus.endpoints.get(room)?.delete(this);
  }
  reserveId(): Promise<number> {
    return this.refuseIds ? Promise.reject(new Error('no ids today')) : Promise.resolve(this.bus.reserve());
  }
  localJoined(room: string, id: number): void {
    this.calls.push(`joined ${id}`);
    (this.bus.owners.get(room) ?? this.bus.owners.set(room, new Map()).get(room)!).set(id, this);
    for (const endpoint of this.others(room)) queueMicrotask(() => endpoint.remoteJoined(id));
  }
  localLeft(room: string, id: number): void {
    this.calls.push(`left ${id}`);
    this.bus.owners.get(room)?.delete(id);
    for (const endpoint of this.others(room)) queueMicrotask(() => endpoint.remoteLeft(id));
  }
  forward(room: string, from: number, target: number, packet: Uint8Array): void {
    const copy = Buffer.from(packet);
    const owner = target > 1 ? this.bus.owners.get(room)?.get(target) : undefined;
    const endpoints = target > 1 ? (owner === undefined ? [] : [this.bus.endpoints.get(room)!.get(owner)!]) : this.others(room);
    for (const endpoint of endpoints) queueMicrotask(() => endpoint.deliver(from, target, copy));
  }
}

const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function process(bus: Bus): Promise<{ rooms: MultiplayerRooms; link: ProcessLink; base: string }> {
  const link = new ProcessLink(bus);
  const rooms = new MultiplayerRooms({ link });
  closers.push(() => rooms.close());
  expect(await rooms.listen(0)).toBe(GodotError.OK);
  return { rooms, link, base: `ws://127.0.0.1:${rooms.getListeningPort()}` };
}

async function godot4(url: string): Promise<WebSocketMultiplayerPeer> {
  const client = new WebSocketMultiplayerPeer();
  closers.push(() => client.close());
  expect(await client.createClient(url)).toBe(GodotError.OK);
  return client;
}

describe('a room spanning processes through a RoomLink', () => {
  it('Godot 4: members on two processes get ids from the link, see each other, and relay to one and to all across', async () => {
    const bus = new Bus();
    const one = await process(bus);
    const two = await process(bus);
    const a = await godot4(`${one.base}/room/shared`);
    const b = await godot4(`${two.base}/room/shared`);
    const c = await godot4(`${two.base}/room/shared`);
    const ids = [a, b, c].map((client) => client.getUniqueId());
    expect(ids).toEqual([1000, 1001, 1002]);
    await until(() => a.getAnnouncedPeers().length === 2 && b.getAnnouncedPeers().length === 2 && c.getAnnouncedPeers().length === 2);
    expect(a.getAnnouncedPeers().sort()).toEqual([1001, 1002]);
    expect(b.getAnnouncedPeers().sort()).toEqual([1000, 1002]);
    expect(one.rooms.getRoom('shared')).toEqual({ name: 'shared', kind: 'godot4', localPeers: 1, remotePeers: 2 });
    expect(two.rooms.getRoom('shared')).toEqual({ name: 'shared', kind: 'godot4', localPeers: 2, remotePeers: 1 });

    // a to everyone: b and c, on the other process, with a as the source.
    a.setTargetPeer(0);
    a.putPacket(Buffer.from('hello all'));
    // c to a alone, across.
    c.setTargetPeer(1000);
    c.putPacket(Buffer.from('just you'));
    // b to everyone but c: a only.
    b.setTargetPeer(-1002);
    b.putPacket(Buffer.from('not c'));
    await until(() => a.getAvailablePacketCount() === 2 && b.getAvailablePacketCount() === 1 && c.getAvailablePacketCount() === 1);
    const read = (client: WebSocketMultiplayerPeer): string[] => {
      const out: string[] = [];
      while (client.getAvailablePacketCount() > 0) {
        const from = client.getPacketPeer();
        out.push(`${from}:${client.getPacket().toString()}`);
      }
      return out;
    };
    expect(read(a).sort()).toEqual(['1001:not c', '1002:just you']);
    expect(read(b)).toEqual(['1000:hello all']);
    expect(read(c)).toEqual(['1000:hello all']);

    // a leaves: the other process announces the departure; a's process closes the room and detaches.
    await a.close();
    await until(() => b.getAnnouncedPeers().length === 1);
    expect(b.getAnnouncedPeers()).toEqual([1002]);
    await until(() => one.link.calls.includes('detach shared'));
    expect(one.link.calls).toEqual(['attach shared godot4', 'joined 1000', 'left 1000', 'detach shared']);
    expect(two.rooms.getRoom('shared')?.remotePeers).toBe(0);
  });

  it('Godot 3: members on two processes see each other and a broadcast crosses byte for byte', async () => {
    const bus = new Bus();
    const one = await process(bus);
    const two = await process(bus);
    const join = async (base: string): Promise<WebSocketClient> => {
      const client = new WebSocketClient();
      closers.push(() => client.disconnectFromHost());
      const connected: number[] = [];
      client.on('peerConnected', (id) => connected.push(id));
      expect(await client.connectToUrl(`${base}/room3/old`, [], true)).toBe(GodotError.OK);
      return Object.assign(client, { connected });
    };
    const x = (await join(one.base)) as WebSocketClient & { connected: number[] };
    const y = (await join(two.base)) as WebSocketClient & { connected: number[] };
    await until(() => x.connected.length === 2 && y.connected.length === 2);
    expect(x.connected.sort()).toEqual([1, y.getUniqueId()].sort());
    expect(y.connected.sort()).toEqual([1, x.getUniqueId()].sort());
    x.setTargetPeer(0);
    x.putPacket(Buffer.from('ping across'));
    y.setTargetPeer(x.getUniqueId());
    y.putPacket(Buffer.from('back'));
    await until(() => y.getAvailablePacketCount() === 1 && x.getAvailablePacketCount() === 1);
    expect([y.getPacketPeer(), y.getPacket().toString()]).toEqual([x.getUniqueId(), 'ping across']);
    expect([x.getPacketPeer(), x.getPacket().toString()]).toEqual([y.getUniqueId(), 'back']);
    expect(one.rooms.getRoom('old')?.remotePeers).toBe(1);
  });

  it('a connection gets 1011 when the link has no id for it, and one that leaves before its id comes frees it', async () => {
    const bus = new Bus();
    const one = await process(bus);
    one.link.refuseIds = true;
    const refused = new WebSocketPeer();
    closers.push(() => refused.close(-1));
    expect(await refused.connectToUrl(`${one.base}/room/nope`)).toBe(GodotError.OK);
    await until(() => refused.getCloseCode() !== -1);
    expect(refused.getCloseCode()).toBe(1011);
    expect(refused.getCloseReason()).toMatch(/no ids today/);

    one.link.refuseIds = false;
    const hasty = new WebSocketPeer();
    closers.push(() => hasty.close(-1));
    expect(await hasty.connectToUrl(`${one.base}/room/quick`)).toBe(GodotError.OK);
    hasty.close(-1);
    await until(() => one.link.calls.some((call) => call.startsWith('left')) || one.rooms.getRoom('quick') === null);
    // Either the id came first (joined, then left) or after the close (left without joined): never joined without left.
    const joinedIds = one.link.calls.filter((call) => call.startsWith('joined')).map((call) => call.split(' ')[1]);
    const leftIds = one.link.calls.filter((call) => call.startsWith('left')).map((call) => call.split(' ')[1]);
    await until(() => one.link.calls.some((call) => call.startsWith('left')));
    for (const id of joinedIds) expect(leftIds).toContain(id);
  });
});
