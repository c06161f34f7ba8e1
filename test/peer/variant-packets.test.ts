import { afterEach, describe, expect, it } from 'vitest';
import {
  bytes2var,
  bytesToVar,
  ConnectionStatus,
  GodotError,
  GodotObject,
  PackedStringArray,
  PackedVector2Array,
  var2bytes,
  varToBytes,
  Vector2,
  Vector2i,
  Vector3,
  WebSocketClient,
  WebSocketMultiplayerPeer,
  WebSocketPeer,
  WebSocketServer,
  WriteMode,
  type Variant,
} from '../../src/index.js';
import { DEFAULT_ENCODE_BUFFER_MAX_SIZE } from '../../src/peer/packet-variant.js';
import { Godot3Fixture } from '../multiplayer/support/godot3-fixture.js';
import { Godot4Fixture } from '../multiplayer/support/godot4-fixture.js';
import { until } from '../multiplayer/support/events.js';
import { nextPacket, openPeerPair, type PeerPair } from './support/loopback.js';
import { nextEvent, waitUntil } from './support/waiting.js';

/** Values of many types that both generations can carry. */
const COMMON_VALUES: Variant[] = [
  null,
  true,
  42,
  -2147483649,
  9223372036854775807n,
  1.5,
  'héllo ✓',
  new Vector2(1.5, -2),
  new Vector3(1, 2, 3),
  new Map<Variant, Variant>([
    ['pos', new Vector2(1, 2)],
    ['vel', new Vector3(0, -9.75, 0)],
    [7, [1, 'two', null]],
  ]),
  new Uint8Array([0, 1, 255]),
  new Int32Array([1, -2, 2147483647]),
  new Float32Array([0.5, -0.25]),
  new PackedStringArray(['a', '', 'four']),
  new PackedVector2Array(new Float32Array([1, 2, 3, 4])),
];

let pair: PeerPair | null = null;
let fixtures: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await pair?.close();
  pair = null;
  await Promise.all(fixtures.map((fixture) => fixture.stop()));
  fixtures = [];
});

async function nextVar(peer: WebSocketPeer, allowObjects = false): Promise<Variant> {
  if (peer.getAvailablePacketCount() === 0) await nextEvent(peer, 'dataReceived');
  return peer.getVar(allowObjects);
}

describe('putVar/getVar settings (Godot\'s PacketPeer)', () => {
  it('have Godot\'s defaults: 8 MiB encode buffer, no object decoding; Godot 4 format on Godot 4 classes, Godot 3 on the Godot 3 facades', () => {
    expect(DEFAULT_ENCODE_BUFFER_MAX_SIZE).toBe(8 * 1024 * 1024);
    for (const peer of [new WebSocketPeer(), new WebSocketMultiplayerPeer(), new WebSocketServer(), new WebSocketClient()]) {
      expect(peer.encodeBufferMaxSize).toBe(8 * 1024 * 1024);
      expect(peer.allowObjectDecoding).toBe(false);
    }
    expect(new WebSocketPeer().variantGeneration).toBe(4);
    expect(new WebSocketMultiplayerPeer().variantGeneration).toBe(4);
    expect(new WebSocketServer().variantGeneration).toBe(3);
    expect(new WebSocketClient().variantGeneration).toBe(3);
  });

  it('round encodeBufferMaxSize up to a power of two within 1 KiB..256 MiB, as set_encode_buffer_max_size', () => {
    const peer = new WebSocketPeer();
    peer.encodeBufferMaxSize = 1500;
    expect(peer.encodeBufferMaxSize).toBe(2048);
    peer.encodeBufferMaxSize = 1024;
    expect(peer.encodeBufferMaxSize).toBe(1024);
    expect(() => (peer.encodeBufferMaxSize = 1023)).toThrow(RangeError);
    expect(() => (peer.encodeBufferMaxSize = 256 * 1024 * 1024 + 1)).toThrow(RangeError);
    expect(() => (peer.variantGeneration = 5 as 4)).toThrow(RangeError);
    expect(peer.encodeBufferMaxSize).toBe(1024);
  });

  it('getVar with nothing queued returns null with ERR_UNAVAILABLE', () => {
    const peer = new WebSocketPeer();
    expect(peer.getVar()).toBeNull();
    expect(peer.getPacketError()).toBe(GodotError.ERR_UNAVAILABLE);
    const mp = new WebSocketMultiplayerPeer();
    expect(mp.getVar()).toBeNull();
    expect(mp.getPacketError()).toBe(GodotError.ERR_UNAVAILABLE);
  });
});

describe('WebSocketPeer putVar/getVar over loopback', () => {
  it.each([4, 3] as const)('carries values of every kind both ways in Godot %i\'s format, byte for byte as varToBytes', async (generation) => {
    pair = await openPeerPair();
    pair.client.variantGeneration = generation;
    pair.server.variantGeneration = generation;
    for (const value of COMMON_VALUES) {
      expect(pair.client.putVar(value)).toBe(GodotError.OK);
      const [packet, wasString] = await nextPacket(pair.server);
      expect(wasString).toBe(false);
      expect(new Uint8Array(packet)).toEqual(varToBytes(value, { godot: generation }));
      expect(pair.server.putVar(bytesToVar(packet, { godot: generation }))).toBe(GodotError.OK);
      const echoed = await nextVar(pair.client);
      expect(pair.client.getPacketError()).toBe(GodotError.OK);
      expect(varToBytes(echoed as never, { godot: generation })).toEqual(varToBytes(value, { godot: generation }));
    }
  });

  it('reads back the exact value model: Map of vectors, packed arrays, 64-bit ints, strings', async () => {
    pair = await openPeerPair();
    const value = new Map<Variant, Variant>([
      ['a', new Vector2i(1, -2)],
      ['big', 9223372036854775807n],
      ['ints', new BigInt64Array([1n, -2n])],
      ['s', 'text'],
    ]);
    pair.client.putVar(value);
    expect(await nextVar(pair.server)).toEqual(value);
  });

  it('honours the write mode, as put_packet does', async () => {
    pair = await openPeerPair();
    pair.client.setWriteMode(WriteMode.TEXT);
    expect(pair.client.putVar('abc')).toBe(GodotError.OK);
    const [packet, wasString] = await nextPacket(pair.server);
    expect(wasString).toBe(true);
    expect(bytesToVar(packet)).toBe('abc');
  });

  it('returns null with ERR_INVALID_DATA and lastError for a packet that is not a Variant, and reads the next one', async () => {
    pair = await openPeerPair();
    pair.client.putPacket(Buffer.from([0xff, 0, 0, 0]));
    pair.client.putPacket(Buffer.from([4, 0, 0, 0, 100, 0, 0, 0, 0x61])); // a string that runs past the end
    pair.client.putPacket(Buffer.alloc(0));
    pair.client.putVar(7);
    await waitUntil(() => pair!.server.getAvailablePacketCount() === 4, 'four packets');
    expect(pair.server.getVar()).toBeNull();
    expect(pair.server.getPacketError()).toBe(GodotError.ERR_INVALID_DATA);
    expect(pair.server.lastError).toMatchObject({ code: GodotError.ERR_INVALID_DATA, message: expect.stringMatching(/^Invalid Variant packet/) });
    expect(pair.server.getVar()).toBeNull();
    expect([GodotError.ERR_INVALID_DATA, GodotError.ERR_FILE_EOF]).toContain(pair.server.getPacketError());
    expect(pair.server.getVar()).toBeNull();
    expect(pair.server.getPacketError()).toBe(GodotError.ERR_INVALID_DATA);
    expect(pair.server.getVar()).toBe(7);
    expect(pair.server.getPacketError()).toBe(GodotError.OK);
  });

  it('refuses full objects unless allowed: putVar without fullObjects or allowObjectDecoding, getVar without allowObjects or allowObjectDecoding', async () => {
    pair = await openPeerPair();
    const object = new GodotObject('Node2D', new Map<string, Variant>([['position', new Vector2(1, 2)]]));
    expect(pair.client.putVar(object)).toBe(GodotError.ERR_UNAUTHORIZED);
    expect(pair.client.lastError?.code).toBe(GodotError.ERR_UNAUTHORIZED);
    expect(pair.client.putVar(object, true)).toBe(GodotError.OK);
    expect(await nextVar(pair.server)).toBeNull();
    expect(pair.server.getPacketError()).toBe(GodotError.ERR_UNAUTHORIZED);

    pair.client.putVar(object, true);
    expect(await nextVar(pair.server, true)).toEqual(object);

    pair.server.allowObjectDecoding = true;
    pair.client.putVar(object, true);
    expect(await nextVar(pair.server)).toEqual(object);

    // As in Godot 3.2.3, allow_object_decoding also makes put_var send whole objects.
    pair.client.allowObjectDecoding = true;
    expect(pair.client.putVar(object)).toBe(GodotError.OK);
    expect(await nextVar(pair.server)).toEqual(object);
  });

  it('refuses a value that encodes larger than encodeBufferMaxSize with ERR_OUT_OF_MEMORY and sends nothing', async () => {
    pair = await openPeerPair({}, { inboundBufferSize: 1 << 20 });
    pair.client.outboundBufferSize = 1 << 20;
    pair.client.encodeBufferMaxSize = 1024;
    expect(pair.client.putVar(new Uint8Array(1016))).toBe(GodotError.OK); // 4 + 4 + 1016 = 1024 bytes: fits exactly
    expect(pair.client.putVar(new Uint8Array(1017))).toBe(GodotError.ERR_OUT_OF_MEMORY);
    expect(pair.client.lastError?.message).toMatch(/encodeBufferMaxSize/);
    expect(pair.client.putVar('after')).toBe(GodotError.OK);
    expect((await nextVar(pair.server)) as Uint8Array).toHaveLength(1016);
    expect(await nextVar(pair.server)).toBe('after');
    expect(pair.server.getAvailablePacketCount()).toBe(0);
  });

  it('refuses a value with no encoding in the peer\'s generation (Vector2i in Godot 3) with the encoder\'s code', async () => {
    pair = await openPeerPair();
    pair.client.variantGeneration = 3;
    expect(pair.client.putVar(new Vector2i(1, 2))).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(pair.client.getCurrentOutboundBufferedAmount()).toBe(0);
  });
});

describe('putVar/getVar on the multiplayer peers', () => {
  it('WebSocketMultiplayerPeer (Godot 4): server and client exchange values by target peer', async () => {
    const fixture = await new Godot4Fixture().start();
    fixtures.push(fixture);
    const client = await fixture.join();
    const value = new Map<Variant, Variant>([['v', new Vector2i(3, 4)], ['n', 9223372036854775807n]]);
    fixture.server.setTargetPeer(client.getUniqueId());
    expect(fixture.server.putVar(value)).toBe(GodotError.OK);
    await until(() => client.getAvailablePacketCount() > 0);
    expect(client.getPacketPeer()).toBe(1);
    expect(client.getVar()).toEqual(value);

    client.setTargetPeer(1);
    expect(client.putVar(['back', new PackedStringArray(['x'])])).toBe(GodotError.OK);
    await until(() => fixture.server.getAvailablePacketCount() > 0);
    expect(fixture.server.getPacketPeer()).toBe(client.getUniqueId());
    expect(fixture.server.getVar()).toEqual(['back', new PackedStringArray(['x'])]);

    client.putPacket(Buffer.from('nope'));
    await until(() => fixture.server.getAvailablePacketCount() > 0);
    expect(fixture.server.getVar()).toBeNull();
    expect(fixture.server.getPacketError()).toBe(GodotError.ERR_INVALID_DATA);
    expect(fixture.server.lastError?.code).toBe(GodotError.ERR_INVALID_DATA);
  });

  it('Godot 3 WebSocketServer/WebSocketClient (gd_mp_api) speak Godot 3\'s format', async () => {
    const fixture = await new Godot3Fixture().start();
    fixtures.push(fixture);
    const client = await fixture.join();
    expect(client.getConnectionStatus()).toBe(ConnectionStatus.CONNECTED);
    const value = [new Vector3(1, 2, 3), 9223372036854775807n, 'x'];
    client.setTargetPeer(1);
    expect(client.putVar(value)).toBe(GodotError.OK);
    await until(() => fixture.server.getAvailablePacketCount() > 0);
    const packet = fixture.server.getPacket();
    expect(new Uint8Array(packet)).toEqual(var2bytes(value));
    expect(bytes2var(packet)).toEqual(value);

    fixture.server.setTargetPeer(client.getUniqueId());
    fixture.server.encodeBufferMaxSize = 1024;
    expect(fixture.server.putVar('y'.repeat(2000))).toBe(GodotError.ERR_OUT_OF_MEMORY);
    expect(fixture.server.putVar(new Vector2(5, 6))).toBe(GodotError.OK);
    await until(() => client.getAvailablePacketCount() > 0);
    expect(client.getVar()).toEqual(new Vector2(5, 6));
  });

  it('peers of a Godot 3 WebSocketServer without gd_mp_api take the server\'s generation', async () => {
    const server = new WebSocketServer();
    fixtures.push({ stop: () => server.stop() });
    expect(await server.listen({ port: 0, bindIp: '127.0.0.1' })).toBe(GodotError.OK);
    const joined = nextEvent<[number]>(server, 'clientConnected');
    const client = new WebSocketClient();
    expect(await client.connectToUrl(`ws://127.0.0.1:${server.getListeningPort()}`)).toBe(GodotError.OK);
    const [id] = await joined;
    expect(server.getPeer(id)!.variantGeneration).toBe(3);
    expect(client.getPeer(1)!.variantGeneration).toBe(3);
    const data = nextEvent(server, 'dataReceived');
    client.getPeer(1)!.putVar(new Vector3(1, 2, 3));
    await data;
    const packet = server.getPeer(id)!.getPacket();
    expect(new Uint8Array(packet)).toEqual(var2bytes(new Vector3(1, 2, 3)));
    client.disconnectFromHost();
  });
});
