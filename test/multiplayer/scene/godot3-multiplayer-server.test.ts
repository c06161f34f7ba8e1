// Godot3MultiplayerServer against hand-made Godot 3 MultiplayerAPI packets (core/io/multiplayer_api.cpp, 3.2),
// byte for byte, on a socket-less peer; one test runs it on the real gdws WebSocketServer (gd_mp_api).

import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { GodotError } from '../../../src/godot-error.js';
import { WebSocketServer } from '../../../src/godot3/websocket-server.js';
import { encodeGodot3Packet, Godot3PacketType } from '../../../src/multiplayer/godot3-packet.js';
import { encodeGodot3RemoteCall } from '../../../src/multiplayer/scene/godot3-api-packet.js';
import { Godot3MultiplayerServer } from '../../../src/multiplayer/scene/godot3-multiplayer-server.js';
import { Godot3PathCache } from '../../../src/multiplayer/scene/godot3-path-cache.js';
import { GodotFloat, GodotObject, var2bytes, Vector2 } from '../../../src/variant/index.js';
import { record, until } from '../support/events.js';
import { FakeGodot3Peer } from '../support/fake-godot3-peer.js';
import { hex, RawClient } from '../support/raw-client.js';

const A = 71941432;
const B = 1983869863;
const cstr = (text: string): string => Buffer.from(`${text}\0`).toString('hex');
const int32 = (value: number): string => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value >>> 0);
  return bytes.toString('hex');
};
const v3 = (value: Parameters<typeof var2bytes>[0]): string => Buffer.from(var2bytes(value)).toString('hex');

let peer: FakeGodot3Peer;
let game: Godot3MultiplayerServer;
const calls: Array<{ what: string; sender: number; args: unknown[]; remote: number }> = [];

beforeEach(() => {
  peer = new FakeGodot3Peer();
  peer.join(A);
  game = new Godot3MultiplayerServer(peer);
  calls.length = 0;
  const log =
    (what: string) =>
    (sender: number, ...args: unknown[]): void => {
      calls.push({ what, sender, args, remote: game.getRemoteSenderId() });
    };
  game
    .registerRpc('/root/Main', 'submit', 'remote', log('submit'))
    .registerRpc('Main', 'report', 'master', log('report'))
    .registerRpc('Main', 'follow', 'puppet', log('follow'))
    .registerRpc('Main', 'shout', 'remotesync', log('shout'))
    .registerRpc('Main', 'welcome', 'puppet')
    .registerProperty('Main', 'speed', 'remote', log('speed'))
    .registerProperty('Main', 'locked', 'puppet');
});

describe('Godot3MultiplayerServer: packets from clients', () => {
  it('answers SIMPLIFY_PATH with CONFIRM_PATH echoing the path, then runs rpcs by that cache id', () => {
    peer.receive(A, hex('02', int32(7), cstr('Main')));
    expect(peer.take()).toEqual([{ target: A, data: hex('03', cstr('Main')) }]);
    peer.receive(A, hex('00', int32(7), cstr('submit'), '02', v3('ada'), v3(42)));
    expect(calls).toEqual([{ what: 'submit', sender: A, args: ['ada', 42], remote: A }]);
    expect(game.getRemoteSenderId()).toBe(0);
  });

  it('runs an rpc that names its node by path (bit 31 + offset of the path after the arguments)', () => {
    const body = hex('00', '00000000', cstr('submit'), '01', v3(new Vector2(1.5, 2)));
    body.writeUInt32LE((0x80000000 | body.length) >>> 0, 1);
    peer.receive(A, Buffer.concat([body, Buffer.from('Main\0')]));
    expect(calls).toEqual([{ what: 'submit', sender: A, args: [new Vector2(1.5, 2)], remote: A }]);
  });

  it('applies Godot 3 modes: master on the master (the server by default), puppet only from the master', () => {
    const dropped = record<[number, string]>(game, 'packetDropped');
    const call = (name: string): void => peer.receive(A, encodeGodot3RemoteCall({ node: { path: 'Main' }, name, args: [] }));
    call('report'); // master: the server is the master
    call('follow'); // puppet: refused, the caller is not the master
    expect(calls.map((entry) => entry.what)).toEqual(['report']);
    game.setNetworkMaster('/root/Main', A);
    call('report'); // the server is no longer the master
    call('follow'); // A is the master now
    expect(calls.map((entry) => entry.what)).toEqual(['report', 'follow']);
    expect(dropped.map(([, reason]) => reason)).toEqual([
      "RPC 'follow' is not allowed on node Main from: 71941432. Mode is puppet, master is 1.",
      `RPC 'report' is not allowed on node Main from: ${A}. Mode is master, master is ${A}.`,
    ]);
    expect(game.droppedPacketCount).toBe(2);
  });

  it('stores rsets of declared properties and refuses undeclared or puppet ones', () => {
    const dropped = record<[number, string]>(game, 'packetDropped');
    peer.receive(A, hex('02', int32(1), cstr('Main')));
    peer.receive(A, hex('01', int32(1), cstr('speed'), v3(new GodotFloat(3))));
    peer.receive(A, hex('01', int32(1), cstr('locked'), v3(true)));
    peer.receive(A, hex('01', int32(1), cstr('unknown'), v3(1)));
    expect(game.getProperty('/root/Main', 'speed')).toEqual(new GodotFloat(3));
    expect(game.getProperty('Main', 'locked')).toBeUndefined();
    expect(calls).toEqual([{ what: 'speed', sender: A, args: [new GodotFloat(3)], remote: A }]);
    expect(dropped.map(([, reason]) => reason)).toEqual([
      `RSET 'locked' is not allowed on node Main from: ${A}. Mode is puppet, master is 1.`,
      `RSET 'unknown' is not allowed on node Main from: ${A}. Mode is disabled, master is 1.`,
    ]);
  });

  it('a throwing handler fires handlerError and the server carries on', () => {
    const errors = record<[unknown, number, string]>(game, 'handlerError');
    game.registerRpc('Main', 'boom', 'remote', () => {
      throw new Error('boom');
    });
    peer.receive(A, encodeGodot3RemoteCall({ node: { path: 'Main' }, name: 'boom', args: [] }));
    peer.receive(A, encodeGodot3RemoteCall({ node: { path: 'Main' }, name: 'submit', args: [1] }));
    expect(errors.map(([error, id, what]) => [(error as Error).message, id, what])).toEqual([['boom', A, 'Main:boom']]);
    expect(calls).toEqual([{ what: 'submit', sender: A, args: [1], remote: A }]);
    expect(game.getRemoteSenderId()).toBe(0);
  });

  it('emits send_bytes packets as peerPacket', () => {
    const packets = record<[number, Buffer]>(game, 'peerPacket');
    peer.receive(A, hex('04 0102ff'));
    expect(packets).toEqual([[A, hex('0102ff')]]);
  });

  it('refuses full objects unless the server or its peer allows object decoding (allow_object_decoding)', () => {
    const object = new GodotObject('Node', new Map([['a', 1]]));
    const packet = encodeGodot3RemoteCall({ node: { path: 'Main' }, name: 'submit', args: [object] }, true);
    peer.receive(A, packet);
    expect(game.droppedPacketCount).toBe(1);
    peer.allowObjectDecoding = true;
    peer.receive(A, packet);
    expect(calls).toEqual([{ what: 'submit', sender: A, args: [object], remote: A }]);
  });

  it('drops bad packets with a reason and a count, never throwing', () => {
    const dropped = record<[number, string]>(game, 'packetDropped');
    peer.receive(A, hex(''));
    peer.receive(A, hex('09 00'));
    peer.receive(A, hex('00', int32(99), cstr('submit'), '00')); // cache id never announced
    peer.receive(A, hex('00', int32(1))); // too short
    peer.receive(A, hex('03', cstr('Main'))); // confirm of a path never sent
    peer.receive(A, hex('00', int32(0x80000000 + 200), cstr('submit'), '00')); // path offset past the end
    peer.receive(A, hex('00', int32(0x80000000 + 16), cstr('submit'), '03', v3(1), cstr('Main'))); // 3 args announced, 1 present
    peer.receive(A, hex('04'));
    expect(dropped.length).toBe(8);
    expect(game.droppedPacketCount).toBe(8);
    expect(calls).toEqual([]);
  });

  it('caps the paths one client may announce (a hostile client cannot grow the cache without end)', () => {
    const dropped = record<[number, string]>(game, 'packetDropped');
    for (let id = 0; id < Godot3PathCache.MAX_PATHS_PER_PEER + 2; id++) peer.receive(A, hex('02', int32(id), cstr(`N${id}`)));
    expect(dropped.map(([, reason]) => reason)).toEqual([
      `SIMPLIFY_PATH beyond ${Godot3PathCache.MAX_PATHS_PER_PEER} cached paths for this peer`,
      `SIMPLIFY_PATH beyond ${Godot3PathCache.MAX_PATHS_PER_PEER} cached paths for this peer`,
    ]);
    peer.receive(A, hex('02', int32(0), cstr('Main'))); // replacing a known id is still fine
    peer.receive(A, hex('00', int32(0), cstr('submit'), '00'));
    expect(calls.map((call) => call.what)).toEqual(['submit']);
  });

  it('fuzz: arbitrary packets never throw, and each one either counts as dropped or is handled', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 0, max: 4 }), (bytes, command) => {
        const packet = Buffer.from(bytes);
        if (packet.length > 0 && (packet[0]! & 1) === 0) packet[0] = command;
        const before = game.droppedPacketCount + calls.length + peer.sent.length;
        expect(() => peer.receive(A, packet)).not.toThrow();
        expect(game.droppedPacketCount + calls.length + peer.sent.length).toBeGreaterThanOrEqual(before);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('Godot3MultiplayerServer: fuzz with well-formed packets', () => {
  it('each rpc or rset packet either runs exactly one handler or counts as exactly one drop', () => {
    peer.receive(A, hex('02', int32(5), cstr('Main')));
    peer.take();
    const members = ['submit', 'report', 'follow', 'shout', 'speed', 'locked', 'nope'];
    const value = fc.oneof(fc.boolean(), fc.integer(), fc.string(), fc.constant(null), fc.double({ noNaN: true }).map((x) => new Vector2(x, 1)));
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom(...members),
        fc.oneof(fc.constant({ id: 5 }), fc.constant({ id: 6 }), fc.constantFrom({ path: 'Main' }, { path: '/root/Main' }, { path: 'Other' })),
        fc.array(value, { minLength: 1, maxLength: 4 }),
        (set, name, node, args) => {
          const before = calls.length + game.droppedPacketCount;
          peer.receive(A, encodeGodot3RemoteCall({ set, node, name, args: set ? args.slice(0, 1) : args }));
          expect(calls.length + game.droppedPacketCount).toBe(before + 1);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('Godot3MultiplayerServer: calls to clients', () => {
  it('announces the path, sends by path until confirmed, then by cache id to all at once', () => {
    expect(game.rpc(A, '/root/Main', 'welcome', 'hi', 3)).toBe(GodotError.OK);
    const call = (node: string): string => [node, cstr('welcome'), '02', v3('hi'), v3(3)].join('');
    const first = peer.take();
    expect(first[0]).toEqual({ target: A, data: hex('02', int32(1), cstr('Main')) });
    const byPath = hex('00', '00000000', call(''), cstr('Main'));
    byPath.writeUInt32LE((0x80000000 | (byPath.length - 5)) >>> 0, 1);
    expect(first[1]).toEqual({ target: A, data: byPath });
    expect(first.length).toBe(2);
    peer.receive(A, hex('03', cstr('Main')));
    peer.join(B);
    expect(game.rpc(0, 'Main', 'welcome', 'hi', 3)).toBe(GodotError.OK);
    // B has not seen the path: SIMPLIFY_PATH to B, then one packet each (id for A, path for B).
    const second = peer.take();
    expect(second.map(({ target, data }) => [target, data[0]])).toEqual([[B, 2], [A, 0], [B, 0]]);
    expect(second[1]!.data).toEqual(hex('00', int32(1), call('')));
    peer.receive(B, hex('03', cstr('Main')));
    game.rpc(0, 'Main', 'welcome', 'hi', 3);
    expect(peer.take()).toEqual([{ target: 0, data: hex('00', int32(1), call('')) }]);
  });

  it('rset sends REMOTE_SET; remotesync also runs here with sender 1; refused targets report an error', () => {
    peer.receive(A, hex('03', cstr('Main'))); // dropped: never sent
    expect(game.rset(A, 'Main', 'speed', 2.5)).toBe(GodotError.OK);
    const sent = peer.take();
    const set = hex('01', '00000000', cstr('speed'), v3(2.5), cstr('Main'));
    set.writeUInt32LE((0x80000000 | (set.length - 5)) >>> 0, 1);
    expect(sent[1]).toEqual({ target: A, data: set });
    expect(game.rpc(0, 'Main', 'shout', 'all')).toBe(GodotError.OK);
    expect(calls).toEqual([{ what: 'shout', sender: 1, args: ['all'], remote: 1 }]);
    expect(game.rpc(1, 'Main', 'submit')).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(game.rpc(12345, 'Main', 'submit')).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(game.lastError?.message).toContain('unexisting ID: 12345');
    expect(game.sendBytes(0, hex('0a0b'))).toBe(GodotError.OK);
    expect(peer.take().at(-1)).toEqual({ target: 0, data: hex('04 0a0b') });
  });

  it('forgets a client that left: a later rpc to everyone reaches only the others', () => {
    peer.join(B);
    const left = record<[number]>(game, 'peerDisconnected');
    peer.leave(A);
    expect(left).toEqual([[A]]);
    expect(game.getPeers()).toEqual([B]);
    game.rpc(0, 'Main', 'welcome');
    expect(peer.take().map(({ target }) => target)).toEqual([B, B]);
  });
});

describe('Godot3MultiplayerServer on a gdws WebSocketServer (gd_mp_api)', () => {
  it('answers a raw client that speaks the 9-byte header, and calls it back', async () => {
    const server = new WebSocketServer();
    expect(await server.listen({ port: 0, bindIp: '127.0.0.1', gdMpApi: true })).toBe(GodotError.OK);
    const live = new Godot3MultiplayerServer(server);
    const got: unknown[][] = [];
    live.registerRpc('Main', 'submit', 'remote', (sender, ...args) => {
      got.push([sender, ...args]);
      live.rpc(sender, 'Main', 'welcome', 'ok');
    });
    const client = await RawClient.connect(`ws://127.0.0.1:${server.getListeningPort()}/`);
    try {
      const [sysId] = await client.receivedAtLeast(2);
      const id = sysId!.readInt32LE(9);
      client.send(encodeGodot3Packet(Godot3PacketType.SYS_NONE, id, 1, encodeGodot3RemoteCall({ node: { path: 'Main' }, name: 'submit', args: ['x'] })));
      await until(() => client.received.length >= 4);
      expect(got).toEqual([[id, 'x']]);
      expect(client.received[2]).toEqual(encodeGodot3Packet(Godot3PacketType.SYS_NONE, 1, id, hex('02', int32(1), cstr('Main'))));
      expect(client.received[3]!.subarray(9)).toEqual(encodeGodot3RemoteCall({ node: { path: 'Main' }, name: 'welcome', args: ['ok'] }));
    } finally {
      await client.close();
      await server.stop();
    }
  });
});
