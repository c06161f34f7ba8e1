import { afterEach, describe, expect, it } from 'vitest';
import { GodotError, WebSocketMultiplayerPeer, WebSocketPeer, WebSocketServer } from '../../src/index.js';
import { until } from './support/events.js';

/** A raw client that records every message the server sends it, decoded as Godot 4 system notices where they are. */
class Recorder {
  readonly peer = new WebSocketPeer();
  readonly messages: Buffer[] = [];
  constructor() {
    this.peer.on('dataReceived', () => {
      while (this.peer.getAvailablePacketCount() > 0) this.messages.push(this.peer.getPacket());
    });
  }
  /** Godot 4: the id from the 4-byte greeting. */
  get id(): number {
    return this.messages[0]?.length === 4 ? this.messages[0].readInt32LE(0) : 0;
  }
  /** Godot 4 notices after the greeting, as "+id" / "-id". */
  godot4Notices(): string[] {
    return this.messages.slice(1).filter((m) => m.length === 6 && m[0] === 7).map((m) => `${m[1] === 1 ? '+' : '-'}${m.readInt32LE(2)}`);
  }
  /** Godot 3 system messages as "id:X", "+X", "-X". */
  godot3Notices(): string[] {
    return this.messages.filter((m) => m.length === 13 && m[0] !== 0).map((m) => `${m[0] === 1 ? '+' : m[0] === 2 ? '-' : 'id:'}${m.readInt32LE(9)}`);
  }
}

const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function connectAll(url: string, count: number): Promise<Recorder[]> {
  const recorders = Array.from({ length: count }, () => new Recorder());
  for (const r of recorders) closers.push(() => r.peer.close(-1));
  const results = await Promise.all(recorders.map((r) => r.peer.connectToUrl(url)));
  expect(results.every((result) => result === GodotError.OK)).toBe(true);
  return recorders;
}

describe('peer announcements in batches', () => {
  it('Godot 4: every client hears of every other exactly once, never of itself nor of clients gone before they were announced', async () => {
    const server = new WebSocketMultiplayerPeer();
    closers.push(() => server.close());
    expect(await server.createServer(0, '127.0.0.1')).toBe(GodotError.OK);
    const dropped = new Set<number>();
    let joined = 0;
    server.on('peerConnected', (id) => {
      // Every fifth newcomer is dropped at once, in the turn it joined: before any batch announced it.
      if (++joined % 5 === 0) {
        dropped.add(id);
        server.disconnectPeer(id, true);
      }
    });
    const url = `ws://127.0.0.1:${server.getListeningPort()}/`;
    const first = await connectAll(url, 20);
    const second = await connectAll(url, 20);
    const everyone = [...first, ...second];
    const stayed = everyone.filter((r) => !dropped.has(r.id));
    expect(stayed).toHaveLength(32);
    await until(() => stayed.every((r) => r.godot4Notices().length >= stayed.length - 1));
    // One client of the first wave leaves after it was announced: everyone else hears of it once, after its arrival.
    const leaver = stayed[0]!;
    leaver.peer.close();
    const rest = stayed.slice(1);
    await until(() => rest.every((r) => r.godot4Notices().includes(`-${leaver.id}`)));
    for (const r of rest) {
      const notices = r.godot4Notices();
      const others = rest.filter((o) => o !== r).map((o) => `+${o.id}`);
      expect(notices.filter((n) => n.startsWith('+')).sort()).toEqual([...others, `+${leaver.id}`].sort());
      expect(notices.indexOf(`-${leaver.id}`)).toBeGreaterThan(notices.indexOf(`+${leaver.id}`));
      expect(notices.filter((n) => n.startsWith('-'))).toEqual([`-${leaver.id}`]);
      for (const id of dropped) expect(notices.some((n) => n.slice(1) === String(id))).toBe(false);
    }
  });

  it('Godot 4: a relayed packet never overtakes the announcement of its sender', async () => {
    const server = new WebSocketMultiplayerPeer();
    closers.push(() => server.close());
    expect(await server.createServer(0, '127.0.0.1')).toBe(GodotError.OK);
    const url = `ws://127.0.0.1:${server.getListeningPort()}/`;
    const [a] = await connectAll(url, 1);
    await until(() => a!.id !== 0);
    const [b] = await connectAll(url, 1);
    await until(() => b!.id !== 0);
    // b relays to everyone at once, possibly before a batch would have announced it.
    const envelope = Buffer.from([7, 3, 0, 0, 0, 0, 0xaa]);
    expect(b!.peer.send(envelope)).toBe(GodotError.OK);
    await until(() => a!.messages.some((m) => m[0] === 7 && m[1] === 3));
    const kinds = a!.messages.slice(1).map((m) => (m[1] === 1 ? `+${m.readInt32LE(2)}` : `relay from ${m.readInt32LE(2)}`));
    expect(kinds).toEqual([`+${b!.id}`, `relay from ${b!.id}`]);
  });

  it('Godot 3: each newcomer gets its id, the server, then the others in ascending order; the others hear of it once', async () => {
    const server = new WebSocketServer();
    server.bindIp = '127.0.0.1';
    closers.push(() => server.stop());
    expect(await server.listen(0, [], true)).toBe(GodotError.OK);
    const url = `ws://127.0.0.1:${server.getListeningPort()}/`;
    const everyone = await connectAll(url, 12);
    await until(() => everyone.every((r) => r.godot3Notices().length >= 2 + 11));
    const ids = everyone.map((r) => Number(r.godot3Notices()[0]!.slice(3)));
    for (const [index, r] of everyone.entries()) {
      const notices = r.godot3Notices();
      expect(notices.slice(0, 2)).toEqual([`id:${ids[index]}`, '+1']);
      const added = notices.slice(2).map((n) => Number(n.slice(1)));
      expect([...added].sort((x, y) => x - y)).toEqual(ids.filter((id) => id !== ids[index]).sort((x, y) => x - y));
      expect(new Set(added).size).toBe(added.length);
    }
    const leaver = everyone[3]!;
    leaver.peer.close();
    await until(() => everyone.filter((r) => r !== leaver).every((r) => r.godot3Notices().includes(`-${ids[3]}`)));
  });
});
