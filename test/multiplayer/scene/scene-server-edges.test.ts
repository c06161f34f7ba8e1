// SceneMultiplayerServer's refusals and rarely taken paths: calls while the peer is not a
// connected server, the authentication API's misuse, throwing handlers and auth callbacks,
// and (on the packet processor directly) packets the WebSocketMultiplayerPeer never hands
// over itself, such as empty ones or packets from peers the server does not know.

import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { GodotError } from '../../../src/godot-error.js';
import { ScenePathCache } from '../../../src/multiplayer/scene/path-cache.js';
import { PeerSessions } from '../../../src/multiplayer/scene/peer-sessions.js';
import { NodeRpcTable } from '../../../src/multiplayer/scene/rpc-config.js';
import { SceneMultiplayerServer } from '../../../src/multiplayer/scene/scene-multiplayer-server.js';
import { encodeAuth, encodeConfirmPath, encodeRaw, encodeRemoteCall, encodeSimplifyPath } from '../../../src/multiplayer/scene/scene-packet.js';
import { ScenePacketProcessor } from '../../../src/multiplayer/scene/scene-packet-processor.js';
import { SceneRpcSender } from '../../../src/multiplayer/scene/scene-rpc-sender.js';
import type { NodeEntry, SceneServerEvents } from '../../../src/multiplayer/scene/scene-server-types.js';
import { WebSocketMultiplayerPeer } from '../../../src/multiplayer/websocket-multiplayer-peer.js';
import { nextEvent, record, until } from '../support/events.js';
import { hex, RawClient } from '../support/raw-client.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listeningServer(configure: (peer: WebSocketMultiplayerPeer) => void = () => {}): Promise<{ peer: WebSocketMultiplayerPeer; url: string }> {
  const peer = new WebSocketMultiplayerPeer();
  configure(peer);
  expect(await peer.createServer(0, '127.0.0.1')).toBe(GodotError.OK);
  cleanups.push(() => peer.close());
  return { peer, url: `ws://127.0.0.1:${peer.getListeningPort()}/` };
}

async function join(url: string): Promise<{ raw: RawClient; id: number }> {
  const raw = await RawClient.connect(url);
  cleanups.push(() => raw.close().catch(() => {}));
  const [greeting] = await raw.receivedAtLeast(1);
  return { raw, id: greeting!.readInt32LE(0) };
}

describe('SceneMultiplayerServer refusals', () => {
  it('refuses to send while its peer is not a connected server, and after detach', async () => {
    const idle = new SceneMultiplayerServer(new WebSocketMultiplayerPeer());
    idle.registerRpc('Main', 'hello', { mode: 'any_peer' });
    expect(idle.rpc(0, 'Main', 'hello')).toBe(GodotError.ERR_UNCONFIGURED);
    expect(idle.sendBytes(0, hex('01'))).toBe(GodotError.ERR_UNCONFIGURED);
    expect(idle.sendBytes(0, Buffer.alloc(0))).toBe(GodotError.ERR_INVALID_DATA);
    expect(idle.lastError?.message).toMatch(/empty raw packet/);

    const { peer } = await listeningServer();
    const scene = new SceneMultiplayerServer(peer);
    scene.registerRpc('Main', 'hello', { mode: 'any_peer' });
    expect(scene.rpc(0, 'Main', 'hello')).toBe(GodotError.OK);
    expect(scene.rpc(4242, 'Main', 'hello')).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(scene.lastError?.message).toMatch(/unknown peer ID: 4242/);
    scene.detach();
    scene.detach(); // a second detach changes nothing
    expect(scene.rpc(0, 'Main', 'hello')).toBe(GodotError.ERR_UNCONFIGURED);
  });

  it('checks authTimeout and node authorities', () => {
    const scene = new SceneMultiplayerServer(new WebSocketMultiplayerPeer(), { authTimeout: 1.5 });
    expect(scene.authTimeout).toBe(1.5);
    expect(scene.authCallback).toBeNull();
    expect(() => (scene.authTimeout = -1)).toThrow(RangeError);
    expect(() => (scene.authTimeout = Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => (scene.authTimeout = Number.NaN)).toThrow(RangeError);
    expect(scene.authTimeout).toBe(1.5);
    expect(() => scene.setMultiplayerAuthority('/root/Nowhere', 5)).toThrow(/No rpc methods registered/);
    expect(scene.getMultiplayerAuthority('/root/Nowhere')).toBe(1);
    scene.registerRpc('/root/Main', 'hello');
    scene.setMultiplayerAuthority('Main', 77);
    expect(scene.getMultiplayerAuthority('/root/Main')).toBe(77);
  });

  it('records a send that does not fit the outbound buffer', async () => {
    const { peer, url } = await listeningServer((p) => {
      p.outboundBufferSize = 32;
    });
    const scene = new SceneMultiplayerServer(peer);
    const a = await join(url);
    await until(() => scene.getPeers().length === 1);
    // As Godot's send_bytes, the call itself succeeds; the failed send is recorded.
    expect(scene.sendBytes(a.id, Buffer.alloc(100))).toBe(GodotError.OK);
    expect(scene.lastError?.code).toBe(GodotError.ERR_OUT_OF_MEMORY);
  });
});

describe('SceneMultiplayerServer authentication API', () => {
  it('refuses sendAuth and completeAuth out of turn', async () => {
    const { peer, url } = await listeningServer();
    const scene = new SceneMultiplayerServer(peer, { authCallback: () => {}, authTimeout: 0 });
    expect(typeof scene.authCallback).toBe('function');
    expect(scene.sendAuth(99, hex('01'))).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(scene.completeAuth(99)).toBe(GodotError.ERR_INVALID_PARAMETER);

    const a = await join(url);
    await until(() => scene.getAuthenticatingPeers().length === 1);
    expect(scene.sendAuth(a.id, Buffer.alloc(0))).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(scene.sendAuth(a.id, hex('2a'))).toBe(GodotError.OK);
    expect(scene.completeAuth(a.id)).toBe(GodotError.OK);
    expect(scene.completeAuth(a.id)).toBe(GodotError.ERR_FILE_CANT_WRITE);
    expect(scene.sendAuth(a.id, hex('2a'))).toBe(GodotError.ERR_FILE_CANT_WRITE);
    await until(() => a.raw.received.length >= 3);
    expect(a.raw.received.slice(1)).toEqual([encodeAuth(hex('2a')), encodeAuth()]);

    const b = await join(url);
    await until(() => scene.getAuthenticatingPeers().includes(b.id));
    // The scene listened first, so it has processed the packet when this listener hears of it.
    const processed = nextEvent(peer, 'peerPacket');
    b.raw.send(encodeAuth()); // the client completes first
    await processed;
    expect(scene.sendAuth(b.id, hex('2a'))).toBe(GodotError.ERR_FILE_CANT_WRITE);
    expect(scene.lastError?.message).toMatch(/remote peer already completed/);
    const connected = record<[number]>(scene, 'peerConnected');
    expect(scene.completeAuth(b.id)).toBe(GodotError.OK);
    expect(connected).toEqual([[b.id]]);
    expect(scene.getPeers()).toContain(b.id);
  });

  it('reports an auth callback that throws as handlerError and keeps the client authenticating', async () => {
    const { peer, url } = await listeningServer();
    const boom = new Error('bad auth code');
    const scene = new SceneMultiplayerServer(peer, {
      authCallback: () => {
        throw boom;
      },
      authTimeout: 0,
    });
    const errors = record<[unknown, number, string]>(scene, 'handlerError');
    const a = await join(url);
    a.raw.send(encodeAuth(hex('01')));
    await until(() => errors.length >= 1);
    expect(errors[0]).toEqual([boom, a.id, 'authCallback']);
    expect(scene.getAuthenticatingPeers()).toEqual([a.id]);
  });
});

describe('ScenePacketProcessor', () => {
  function processorWith(connected: number[] = []): {
    processor: ScenePacketProcessor;
    sessions: PeerSessions;
    events: SceneServerEvents;
    nodes: Map<string, NodeEntry>;
    cache: ScenePathCache;
  } {
    const peer = new WebSocketMultiplayerPeer();
    const cache = new ScenePathCache();
    const events = new EventEmitter() as unknown as SceneServerEvents;
    const sessions = new PeerSessions(peer, cache, events);
    for (const id of connected) sessions.connected.add(id);
    const nodes = new Map<string, NodeEntry>();
    const sender = new SceneRpcSender(peer, sessions.connected, cache, (code) => code);
    const processor = new ScenePacketProcessor({ sessions, nodes, cache, sender, events, allowObjects: () => false });
    return { processor, sessions, events, nodes, cache };
  }

  it('drops packets from unknown peers, empty packets and system packets other than the late auth notice', () => {
    const { processor, events } = processorWith([5]);
    const dropped = record<[number, string]>(events, 'packetDropped');
    processor.process(9, encodeRaw(hex('01')));
    processor.process(5, Buffer.alloc(0));
    processor.process(5, hex('07'));
    processor.process(5, hex('07 03 00 00 00 00'));
    processor.process(5, encodeAuth()); // the client's late "auth complete": expected, not dropped
    expect(dropped).toEqual([
      [9, 'packet from a peer that is not connected'],
      [5, 'empty packet'],
      [5, 'unexpected system packet (command missing)'],
      [5, 'unexpected system packet (command 3)'],
    ]);
    expect(processor.dropped).toBe(4);
  });

  it('admits a peer whose authentication this side completed at its first packet, and processes that packet', () => {
    const { processor, sessions, events } = processorWith();
    sessions.pending.set(7, { local: true, remote: false, timer: null });
    const connected = record<[number]>(events, 'peerConnected');
    const packets = record<[number, Buffer]>(events, 'peerPacket');
    processor.process(7, encodeRaw(hex('0a 0b')));
    expect(connected).toEqual([[7]]);
    expect(sessions.connected.has(7)).toBe(true);
    expect(sessions.pending.has(7)).toBe(false);
    expect(packets).toEqual([[7, hex('0a 0b')]]);
  });

  it('reports a throwing rpc handler as handlerError, and ignores calls to methods without a handler', () => {
    const { processor, events, nodes } = processorWith([5]);
    const table = new NodeRpcTable();
    table.set('a_quiet', { mode: 'any_peer' });
    table.set('b_loud', { mode: 'any_peer' });
    const boom = new Error('handler failed');
    nodes.set('Main', {
      table,
      authority: 1,
      handlers: new Map([
        [
          'b_loud',
          () => {
            throw boom;
          },
        ],
      ]),
    });
    const errors = record<[unknown, number, string]>(events, 'handlerError');
    const dropped = record(events, 'packetDropped');
    processor.process(5, encodeRemoteCall({ node: { path: '/root/Main' }, methodId: table.methodNamed('a_quiet')!.id, args: [] }));
    expect(errors).toEqual([]);
    processor.process(5, encodeRemoteCall({ node: { path: '/root/Main' }, methodId: table.methodNamed('b_loud')!.id, args: [1] }));
    expect(errors).toEqual([[boom, 5, 'Main:b_loud']]);
    expect(processor.remoteSender).toBe(0);
    expect(dropped).toEqual([]);
  });

  it('drops a CONFIRM_PATH never asked for, and reports an invalid confirmation as checksumMismatch with the path', () => {
    const { processor, events, cache, nodes } = processorWith([5]);
    const table = new NodeRpcTable();
    table.set('hello', {});
    nodes.set('Main', { table, authority: 1, handlers: new Map() });
    const dropped = record<[number, string]>(events, 'packetDropped');
    const mismatches = record<[number, string]>(events, 'checksumMismatch');
    // An id this side never assigned is ignored quietly, as Godot does (the node may be gone).
    processor.process(5, encodeConfirmPath({ valid: true, id: 3 }));
    expect(dropped).toEqual([]);
    const id = cache.idFor('Main');
    processor.process(5, encodeConfirmPath({ valid: true, id }));
    expect(dropped).toEqual([[5, `CONFIRM_PATH for cache id ${id}, which was never sent to this peer`]]);
    cache.prepare('Main', [5]);
    processor.process(5, encodeConfirmPath({ valid: false, id }));
    expect(mismatches).toEqual([[5, 'Main']]);
    // A client's own SIMPLIFY_PATH for a node nobody registered is dropped.
    processor.process(5, encodeSimplifyPath({ checksum: table.checksum(), id: 1, path: '/root/Other' }));
    expect(dropped.at(-1)![1]).toMatch(/has no registered rpc methods/);
  });
});
