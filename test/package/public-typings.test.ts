import { beforeAll, describe, expect, it } from 'vitest';
import { emitPublicTypings, type PublicTypings } from './public-typings.js';

/**
 * Plumbing between gdws's own classes: public in TypeScript so the classes can call each
 * other, marked @internal so the package typings (stripInternal) leave them out.
 */
const INTERNAL_MEMBERS = [
  // The protocol core's ConnectionHandler (src/peer/socket-binding.ts; no longer on WebSocketPeer)
  'onMessage', 'onInboundBacklog', 'onPong', 'onCloseFrame', 'onProtocolError',
  // OutboundTransport / Flushable (SocketBinding)
  'scheduleFlush', 'flushNow', 'flushEarly', 'writeBatch',
  // SocketBinding's socket listener; WebSocketPeer's owner hooks
  'receive', 'finish', 'remoteEnded', 'observer', 'tag',
  // WebSocketServer / WebSocketClient as a PeerObserver
  'peerEstablished', 'peerFailed', 'peerData', 'peerCloseRequest', 'peerClosed',
];

describe('the package typings (tsconfig.package.json)', () => {
  let typings: PublicTypings;
  beforeAll(() => {
    typings = emitPublicTypings();
  }, 120_000);

  it('compile on their own for a strict consumer with skipLibCheck: false and only @types/node', () => {
    expect(typings.diagnostics).toEqual([]);
  });

  it('reference @types/node from index.d.ts, so a consumer with "types": [] still gets Node\'s types', () => {
    expect(typings.files.get('index.d.ts')).toMatch(/\/\/\/ <reference types="node"/);
  });

  it('export the Godot-named classes with their API', () => {
    const members = typings.classMembers;
    expect(members.get('WebSocketPeer')).toEqual(expect.arrayContaining(['connectToUrl', 'getPacket', 'sendText', 'poll', 'close', 'getReadyState']));
    expect(members.get('WebSocketServer')).toEqual(expect.arrayContaining(['listen', 'getPeer', 'handleUpgrade', 'stop']));
    expect(members.get('WebSocketClient')).toEqual(expect.arrayContaining(['connectToUrl', 'getPeer', 'disconnectFromHost']));
    expect(members.get('WebSocketMultiplayerPeer')).toEqual(expect.arrayContaining(['createServer', 'createClient', 'getPeer']));
    expect(members.get('TLSOptions')).toEqual(expect.arrayContaining(['getPrivateKey', 'isServer']));
  });

  it('export topics and rooms (issue 19)', () => {
    const members = typings.classMembers;
    expect(members.get('TopicHub')).toEqual(expect.arrayContaining(['subscribe', 'unsubscribe', 'publish', 'deliverRemote', 'attachBackplane', 'subscriberCount', 'topics']));
    expect(members.get('MultiplayerRooms')).toEqual(expect.arrayContaining(['handleUpgrade', 'listen', 'attachLink', 'roomList', 'getRoom', 'peerCount', 'close']));
    expect(members.get('WebSocketPeer')).toEqual(expect.arrayContaining(['subscribe', 'unsubscribe', 'publish', 'sendPrepared']));
    expect(members.get('WebSocketServer')).toEqual(expect.arrayContaining(['topics', 'publish']));
    expect(members.get('WebSocketPeer')).not.toContain('topics');
  });

  it('export the Variant codec (issue 16) and putVar/getVar on every peer with packets', () => {
    const index = typings.files.get('index.d.ts')!;
    const names = [
      'varToBytes', 'bytesToVar', 'var2bytes', 'bytes2var', 'decodeVariant', 'VariantDecodeError', 'VariantEncodeError',
      'VariantType', 'Godot3VariantType', 'MAX_RECURSION_DEPTH',
      'AABB', 'Basis', 'Color', 'Plane', 'Projection', 'Quaternion', 'Rect2', 'Rect2i', 'Transform2D', 'Transform3D',
      'Vector2', 'Vector2i', 'Vector3', 'Vector3i', 'Vector4', 'Vector4i',
      'Callable', 'DoublePrecision', 'GodotFloat', 'GodotObject', 'Int64', 'NodePath', 'ObjectId', 'PackedColorArray', 'PackedStringArray',
      'PackedVector2Array', 'PackedVector3Array', 'PackedVector4Array', 'RID', 'Signal', 'StringName', 'TypedArray', 'TypedDictionary',
      'BytesToVarOptions', 'DecodedVariant', 'VarToBytesOptions', 'RealMath', 'ContainerType', 'GodotGeneration', 'EncodableVariant', 'Variant', 'VariantRecord',
    ];
    const exported = [...index.matchAll(/export \{([^}]*)\}/g)].flatMap((match) => match[1]!.split(',').map((name) => name.trim().replace(/^type /, '')));
    expect(names.filter((name) => !exported.includes(name))).toEqual([]);
    for (const peer of ['WebSocketPeer', 'WebSocketMultiplayerPeer', 'WebSocketServer', 'WebSocketClient']) {
      expect(typings.classMembers.get(peer), peer).toEqual(expect.arrayContaining(['putVar', 'getVar', 'encodeBufferMaxSize', 'allowObjectDecoding', 'variantGeneration']));
    }
  });

  it('leave the internal plumbing out of every exported class', () => {
    const leaks: string[] = [];
    for (const [className, members] of typings.classMembers) {
      for (const name of INTERNAL_MEMBERS) if (members.includes(name)) leaks.push(`${className}.${name}`);
    }
    expect(leaks).toEqual([]);
  });

  it('do not name the internal interfaces in the public classes', () => {
    for (const file of ['peer/websocket-peer.d.ts', 'godot3/websocket-server.d.ts', 'godot3/websocket-client.d.ts']) {
      expect(typings.files.get(file)).not.toMatch(/implements (ConnectionHandler|OutboundTransport|Flushable|PeerObserver)/);
    }
  });
});
