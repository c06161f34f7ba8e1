// SceneMultiplayerServer on a real gdws WebSocketMultiplayerPeer, driven by raw WebSocket clients
// that speak Godot 4's SceneMultiplayer bytes (as a Godot client would send them).

import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GodotError } from '../../../src/godot-error.js';
import { NodeRpcTable } from '../../../src/multiplayer/scene/rpc-config.js';
import { SceneMultiplayerServer } from '../../../src/multiplayer/scene/scene-multiplayer-server.js';
import {
  decodeConfirmPath,
  decodeRemoteCall,
  decodeSimplifyPath,
  encodeAuth,
  encodeConfirmPath,
  encodeRaw,
  encodeRemoteCall,
  encodeSimplifyPath,
} from '../../../src/multiplayer/scene/scene-packet.js';
import { WebSocketMultiplayerPeer } from '../../../src/multiplayer/websocket-multiplayer-peer.js';
import { Vector2 } from '../../../src/variant/index.js';
import { record, until } from '../support/events.js';
import { hex, RawClient } from '../support/raw-client.js';

// The GDScript side of the node /root/Main declares these rpc methods: ids by sorted name.
const METHODS = ['add', 'hello', 'secret', 'shout'] as const; // ids 0, 1, 2, 3
const CHECKSUM = (() => {
  const table = new NodeRpcTable();
  for (const name of METHODS) table.set(name, {});
  return table.checksum();
})();

let server: WebSocketMultiplayerPeer;
let scene: SceneMultiplayerServer;
let url: string;
const clients: RawClient[] = [];

interface Client {
  raw: RawClient;
  id: number;
  /** Messages after the id greeting. */
  messages(): Buffer[];
}

async function join(): Promise<Client> {
  const raw = await RawClient.connect(url);
  clients.push(raw);
  const [greeting] = await raw.receivedAtLeast(1);
  return { raw, id: greeting!.readInt32LE(0), messages: () => raw.received.slice(1) };
}

const calls: Array<{ method: string; sender: number; args: unknown[]; remote: number }> = [];

beforeEach(async () => {
  server = new WebSocketMultiplayerPeer();
  expect(await server.createServer(0, '127.0.0.1')).toBe(GodotError.OK);
  url = `ws://127.0.0.1:${server.getListeningPort()}/`;
  scene = new SceneMultiplayerServer(server);
  calls.length = 0;
  const handler =
    (method: string) =>
    (sender: number, ...args: unknown[]): void => {
      calls.push({ method, sender, args, remote: scene.getRemoteSenderId() });
    };
  scene.registerRpc('/root/Main', 'hello', { mode: 'any_peer' }, handler('hello'));
  scene.registerRpc('/root/Main', 'add', { mode: 'any_peer', callLocal: true }, handler('add'));
  scene.registerRpc('/root/Main', 'secret', { mode: 'authority' }, handler('secret'));
  scene.registerRpc('Main', 'shout', { mode: 'authority' });
});

afterEach(async () => {
  scene.detach();
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => {})));
  await server.close();
});

describe('rpcs from clients', () => {
  it('answers SIMPLIFY_PATH with CONFIRM_PATH, then runs the handler of a call by cache id with decoded arguments', async () => {
    const a = await join();
    a.raw.send(encodeSimplifyPath({ checksum: CHECKSUM, id: 7, path: 'Main' }));
    await until(() => a.messages().length >= 1);
    expect(decodeConfirmPath(a.messages()[0]!)).toEqual({ valid: true, id: 7 });
    a.raw.send(encodeRemoteCall({ node: { id: 7 }, methodId: 1, args: ['hi', 42, true, new Vector2(1, 2)] }));
    await until(() => calls.length >= 1);
    expect(calls).toEqual([{ method: 'hello', sender: a.id, args: ['hi', 42, true, new Vector2(1, 2)], remote: a.id }]);
    expect(scene.getRemoteSenderId()).toBe(0);
  });

  it('runs a call that names the node by path (not cached yet)', async () => {
    const a = await join();
    a.raw.send(encodeRemoteCall({ node: { path: 'Main' }, methodId: 0, args: [2, 3] }));
    await until(() => calls.length >= 1);
    expect(calls[0]).toMatchObject({ method: 'add', sender: a.id, args: [2, 3] });
  });

  it('flags a checksum mismatch but still confirms, as Godot does', async () => {
    const mismatches = record(scene, 'checksumMismatch');
    const a = await join();
    a.raw.send(encodeSimplifyPath({ checksum: '0'.repeat(32), id: 1, path: 'Main' }));
    await until(() => a.messages().length >= 1);
    expect(decodeConfirmPath(a.messages()[0]!)).toEqual({ valid: false, id: 1 });
    expect(mismatches).toEqual([[a.id, 'Main']]);
  });

  it('refuses an authority rpc from a client unless it is the node authority', async () => {
    const dropped = record<[number, string]>(scene, 'packetDropped');
    const a = await join();
    a.raw.send(encodeRemoteCall({ node: { path: 'Main' }, methodId: 2, args: [] }));
    await until(() => dropped.length >= 1);
    expect(dropped[0]![1]).toMatch(/RPC 'secret' is not allowed on node Main from: \d+\. Mode is "authority", authority is 1\./);
    expect(calls).toEqual([]);
    scene.setMultiplayerAuthority('/root/Main', a.id);
    a.raw.send(encodeRemoteCall({ node: { path: 'Main' }, methodId: 2, args: [] }));
    await until(() => calls.length >= 1);
    expect(calls[0]).toMatchObject({ method: 'secret', sender: a.id, args: [] });
    expect(scene.droppedPacketCount).toBe(1);
  });

  it('drops unknown nodes, methods and cache ids, duplicates and hostile bytes, and keeps serving', async () => {
    const dropped = record<[number, string]>(scene, 'packetDropped');
    const a = await join();
    a.raw.send(encodeRemoteCall({ node: { path: 'Nope' }, methodId: 0, args: [] }));
    a.raw.send(encodeRemoteCall({ node: { path: 'Main' }, methodId: 9, args: [] }));
    a.raw.send(encodeRemoteCall({ node: { id: 5 }, methodId: 0, args: [] }));
    a.raw.send(encodeSimplifyPath({ checksum: CHECKSUM, id: 1, path: 'Nope' }));
    a.raw.send(encodeSimplifyPath({ checksum: CHECKSUM, id: 1, path: 'Main' }));
    a.raw.send(encodeSimplifyPath({ checksum: CHECKSUM, id: 1, path: 'Main' }));
    a.raw.send(hex('04 00'));
    a.raw.send(hex('00 01 00 ff'));
    await until(() => dropped.length >= 7);
    expect(dropped.map(([, reason]) => reason)).toEqual([
      expect.stringContaining('"Nope"'),
      expect.stringContaining('method id 9'),
      expect.stringContaining('cache id 5'),
      expect.stringContaining('"Nope"'),
      expect.stringContaining('duplicate remote cache id 1'),
      expect.stringContaining('SPAWN/DESPAWN/SYNC'),
      expect.stringContaining('255 arguments'),
    ]);
    const samples = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 64 }), 200);
    for (const bytes of samples) a.raw.send(Buffer.from(bytes));
    a.raw.send(encodeRemoteCall({ node: { path: 'Main' }, methodId: 1, args: ['still here'] }));
    await until(() => calls.some((call) => call.args[0] === 'still here'));
  });

  it('emits RAW packets as peerPacket', async () => {
    const raw = record<[number, Buffer]>(scene, 'peerPacket');
    const a = await join();
    a.raw.send(encodeRaw(hex('010203')));
    await until(() => raw.length >= 1);
    expect(raw).toEqual([[a.id, hex('010203')]]);
  });
});

describe('rpcs to clients', () => {
  it('announces the path first, sends by path until confirmed, then by the compressed cache id', async () => {
    const a = await join();
    expect(scene.rpc(a.id, '/root/Main', 'shout', 'one', 1)).toBe(GodotError.OK);
    await until(() => a.messages().length >= 2);
    expect(decodeSimplifyPath(a.messages()[0]!)).toEqual({ checksum: CHECKSUM, id: 1, path: 'Main' });
    expect(decodeRemoteCall(a.messages()[1]!)).toEqual({ node: { path: 'Main' }, methodId: 3, args: ['one', 1] });
    a.raw.send(encodeConfirmPath({ valid: true, id: 1 }));
    await until(() => server.getAvailablePacketCount() === 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(scene.rpc(a.id, 'Main', 'shout', 'two')).toBe(GodotError.OK);
    await until(() => a.messages().length >= 3);
    expect(a.messages()[2]).toEqual(encodeRemoteCall({ node: { id: 1 }, methodId: 3, args: ['two'] }));
    expect(a.messages()[2]![0]).toBe(0x00);
  });

  it('broadcasts to every client (each announced once), mixing id and path forms while some have not confirmed', async () => {
    const a = await join();
    const b = await join();
    expect(scene.rpc(0, 'Main', 'shout', 5)).toBe(GodotError.OK);
    await until(() => a.messages().filter((m) => m[0] !== 0x07).length >= 2 && b.messages().filter((m) => m[0] !== 0x07).length >= 2);
    a.raw.send(encodeConfirmPath({ valid: true, id: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(scene.rpc(0, 'Main', 'shout', 6)).toBe(GodotError.OK);
    const rpcsTo = (client: Client): unknown[] => client.messages().filter((m) => (m[0]! & 7) === 0).map((m) => decodeRemoteCall(m));
    await until(() => rpcsTo(a).length >= 2 && rpcsTo(b).length >= 2);
    expect(rpcsTo(a)).toEqual([
      { node: { path: 'Main' }, methodId: 3, args: [5] },
      { node: { id: 1 }, methodId: 3, args: [6] },
    ]);
    // a confirmed: 32-bit id (Godot's form while not all targets confirmed); b still gets the path.
    expect(a.messages().filter((m) => (m[0]! & 7) === 0)[1]![0]).toBe(0x20);
    expect(rpcsTo(b)).toEqual([
      { node: { path: 'Main' }, methodId: 3, args: [5] },
      { node: { path: 'Main' }, methodId: 3, args: [6] },
    ]);
    expect(b.messages().filter((m) => (m[0]! & 7) === 1)).toHaveLength(1);
  });

  it('calls locally with callLocal (sender 1), refuses unknown methods and peers, and an rpc on itself without callLocal', async () => {
    const a = await join();
    expect(scene.rpc(0, 'Main', 'add', 1, 2)).toBe(GodotError.OK);
    expect(calls).toEqual([{ method: 'add', sender: 1, args: [1, 2], remote: 1 }]);
    expect(scene.rpc(1, 'Main', 'add', 3)).toBe(GodotError.OK);
    expect(calls).toHaveLength(2);
    expect(scene.rpc(1, 'Main', 'shout')).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(scene.rpc(a.id, 'Main', 'missing')).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(scene.rpc(12345, 'Main', 'shout')).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(scene.rpc(a.id, 'Main', 'shout', Symbol('x') as never)).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(scene.lastError?.message).toMatch(/encode/);
  });

  it('sends raw bytes with sendBytes', async () => {
    const a = await join();
    expect(scene.sendBytes(a.id, hex('aabb'))).toBe(GodotError.OK);
    expect(scene.sendBytes(a.id, hex(''))).toBe(GodotError.ERR_INVALID_DATA);
    await until(() => a.messages().length >= 1);
    expect(a.messages()[0]).toEqual(hex('03 aabb'));
  });
});

describe('authentication', () => {
  it('holds a new client until both sides complete: no announcements, nothing but AUTH accepted', async () => {
    const authData: Array<[number, Buffer]> = [];
    scene.authCallback = (id, data) => authData.push([id, data]);
    const authenticating = record<[number]>(scene, 'peerAuthenticating');
    const connected = record<[number]>(scene, 'peerConnected');
    const dropped = record<[number, string]>(scene, 'packetDropped');

    scene.authCallback = null;
    const first = await join();
    scene.authCallback = (id, data) => authData.push([id, data]);
    await until(() => connected.length >= 1);

    const a = await join();
    await until(() => authenticating.length >= 1);
    expect(authenticating).toEqual([[a.id]]);
    expect(scene.getAuthenticatingPeers()).toEqual([a.id]);
    a.raw.send(encodeRemoteCall({ node: { path: 'Main' }, methodId: 1, args: [] }));
    a.raw.send(encodeAuth(hex('736563726574')));
    await until(() => authData.length >= 1);
    expect(authData).toEqual([[a.id, Buffer.from('secret')]]);
    expect(dropped.map(([, reason]) => reason)).toEqual([expect.stringContaining('only authentication packets')]);
    expect(scene.sendAuth(a.id, hex('6f6b'))).toBe(GodotError.OK);
    expect(scene.completeAuth(a.id)).toBe(GodotError.OK);
    expect(scene.completeAuth(a.id)).toBe(GodotError.ERR_FILE_CANT_WRITE);
    expect(scene.sendAuth(a.id, hex('6f6b'))).toBe(GodotError.ERR_FILE_CANT_WRITE);
    await until(() => a.messages().length >= 2);
    expect(a.messages().slice(0, 2)).toEqual([hex('07 00 6f6b'), hex('07 00')]);
    // Nobody heard of the newcomer yet.
    expect(first.messages()).toEqual([]);
    expect(connected).toHaveLength(1);

    a.raw.send(encodeAuth());
    await until(() => connected.length >= 2);
    expect(connected[1]).toEqual([a.id]);
    await until(() => first.messages().length >= 1 && a.messages().length >= 3);
    expect(first.messages()).toEqual([hex('07 01', int32hex(a.id))]);
    expect(a.messages()[2]).toEqual(hex('07 01', int32hex(first.id)));
    a.raw.send(encodeRemoteCall({ node: { path: 'Main' }, methodId: 1, args: ['in'] }));
    await until(() => calls.length >= 1);
    expect(calls[0]).toMatchObject({ sender: a.id, args: ['in'] });
  });

  it('drops a client that does not finish within authTimeout, and one that leaves while authenticating, with peerAuthenticationFailed', async () => {
    scene.authCallback = () => {};
    scene.authTimeout = 0.2;
    const failed = record<[number]>(scene, 'peerAuthenticationFailed');
    const a = await join();
    const closed = new Promise((resolve) => a.raw.peer.once('connectionClosed', resolve));
    await until(() => failed.length >= 1);
    expect(failed).toEqual([[a.id]]);
    await closed;
    scene.authTimeout = 0;
    const b = await join();
    await until(() => scene.getAuthenticatingPeers().length === 1);
    await b.raw.close();
    await until(() => failed.length >= 2);
    expect(failed[1]).toEqual([b.id]);
    expect(scene.getPeers()).toEqual([]);
  });

  it('a refused client is disconnected without ever being announced, and its departure is not announced either', async () => {
    const first = await join();
    await until(() => scene.getPeers().length === 1);
    scene.authCallback = (id) => {
      scene.disconnectPeer(id);
    };
    const failed = record<[number]>(scene, 'peerAuthenticationFailed');
    const a = await join();
    a.raw.send(encodeAuth(hex('00')));
    await new Promise((resolve) => a.raw.peer.once('connectionClosed', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(first.messages()).toEqual([]);
    // Godot's disconnect_peer forgets an authenticating peer silently.
    expect(failed).toEqual([]);
    expect(scene.getPeers()).toEqual([first.id]);
  });
});

describe('WebSocketMultiplayerPeer.holdNewPeers (the relay during authentication)', () => {
  it('a held client cannot relay and is not relayed to; after admitPeer it is announced and both work', async () => {
    const first = await join();
    await until(() => scene.getPeers().length === 1);
    scene.authCallback = () => {};
    const held = await join();
    await until(() => scene.getAuthenticatingPeers().length === 1);
    const peerDrops = record<[number, string]>(server, 'packetDropped');
    held.raw.send(hex('07 03', int32hex(first.id), '03 01'));
    first.raw.send(hex('07 03 00000000 03 02'));
    await until(() => peerDrops.length >= 1);
    expect(peerDrops[0]).toEqual([held.id, expect.stringContaining('not admitted')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(first.messages()).toEqual([]);
    expect(held.messages()).toEqual([]);
    expect(server.admitPeer(12345)).toBe(GodotError.ERR_DOES_NOT_EXIST);
    expect(scene.completeAuth(held.id)).toBe(GodotError.OK);
    held.raw.send(encodeAuth());
    await until(() => scene.getPeers().length === 2);
    first.raw.send(hex('07 03 00000000 03 03'));
    await until(() => held.messages().length >= 3);
    expect(held.messages()).toEqual([hex('07 00'), hex('07 01', int32hex(first.id)), hex('07 03', int32hex(first.id), '03 03')]);
  });
});

function int32hex(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32LE(value, 0);
  return bytes.toString('hex');
}
