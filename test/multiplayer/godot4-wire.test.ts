import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeIdGreeting, encodeIdGreeting } from '../../src/multiplayer/godot4-greeting.js';
import {
  decodeSceneSystemPacket,
  encodePeerNotice,
  encodeRelay,
  isSceneSystemPacket,
  SceneSystemCommand,
  SYS_COMMAND_SIZE,
} from '../../src/multiplayer/scene-multiplayer-packet.js';
import { hex } from './support/raw-client.js';

// Section 2 of godot-multiplayer-wire.md.
const ID = 1118925070; // 0e71b142 little-endian

describe('Godot 4 id greeting', () => {
  it('is exactly 4 bytes: the client id as int32 LE', () => {
    expect(encodeIdGreeting(ID)).toEqual(hex('0e71b142'));
    expect(encodeIdGreeting(2)).toEqual(hex('02000000'));
    expect(encodeIdGreeting(0x7fffffff)).toEqual(hex('ffffff7f'));
  });

  it('is accepted only as 4 bytes holding an id >= 2, as the Godot client checks', () => {
    expect(decodeIdGreeting(hex('0e71b142'))).toBe(ID);
    expect(decodeIdGreeting(hex('02000000'))).toBe(2);
    expect(decodeIdGreeting(hex('01000000'))).toBeNull();
    expect(decodeIdGreeting(hex('00000000'))).toBeNull();
    expect(decodeIdGreeting(hex('ffffffff'))).toBeNull();
    expect(decodeIdGreeting(hex('0e71b1'))).toBeNull();
    expect(decodeIdGreeting(hex('0e71b14200'))).toBeNull();
  });
});

describe('SceneMultiplayer system packets', () => {
  it('announces peers as 07 01 id / 07 02 id', () => {
    expect(encodePeerNotice(SceneSystemCommand.ADD_PEER, ID)).toEqual(hex('07 01 0e71b142'));
    expect(encodePeerNotice(SceneSystemCommand.DEL_PEER, ID)).toEqual(hex('07 02 0e71b142'));
    expect(encodePeerNotice(SceneSystemCommand.ADD_PEER, 2)).toHaveLength(SYS_COMMAND_SIZE);
  });

  it('wraps relayed packets as 07 03 <peer int32> <packet>', () => {
    const rpc = hex('00 2a 01');
    expect(encodeRelay(ID, rpc)).toEqual(hex('07 03 0e71b142 002a01'));
    expect(encodeRelay(0, rpc)).toEqual(hex('07 03 00000000 002a01'));
    expect(encodeRelay(-ID, rpc)).toEqual(hex('07 03 f28e4ebd 002a01'));
    expect(encodeRelay(-1, rpc)).toEqual(hex('07 03 ffffffff 002a01'));
  });

  it('decodes each command, AUTH without a peer field', () => {
    expect(decodeSceneSystemPacket(hex('07 01 0e71b142'))).toEqual({ command: 1, peer: ID, payload: Buffer.alloc(0) });
    expect(decodeSceneSystemPacket(hex('07 03 f28e4ebd 002a01'))).toEqual({ command: 3, peer: -ID, payload: hex('002a01') });
    expect(decodeSceneSystemPacket(hex('07 00'))).toEqual({ command: 0, peer: 0, payload: Buffer.alloc(0) });
    expect(decodeSceneSystemPacket(hex('07 00 6869'))).toEqual({ command: 0, peer: 0, payload: hex('6869') });
    expect(decodeSceneSystemPacket(hex('07 01 0e71b1'))).toBeNull();
    expect(decodeSceneSystemPacket(hex('07'))).toBeNull();
  });

  it('recognises system packets by the low 3 bits of byte 0, as SceneMultiplayer does', () => {
    expect(isSceneSystemPacket(hex('07 01'))).toBe(true);
    expect(isSceneSystemPacket(hex('0f'))).toBe(true);
    expect(isSceneSystemPacket(hex('00 01'))).toBe(false);
    expect(isSceneSystemPacket(hex('03'))).toBe(false);
    expect(isSceneSystemPacket(Buffer.alloc(0))).toBe(false);
  });

  it('round-trips relay envelopes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -0x80000000, max: 0x7fffffff }), fc.uint8Array({ minLength: 1, maxLength: 64 }), (peer, packet) => {
        expect(decodeSceneSystemPacket(encodeRelay(peer, packet))).toEqual({ command: SceneSystemCommand.RELAY, peer, payload: Buffer.from(packet) });
      }),
    );
  });
});
