import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeGodot3Packet,
  encodeGodot3System,
  GODOT3_HEADER_SIZE,
  godot3Payload,
  Godot3PacketType,
  readGodot3Header,
  readGodot3SystemId,
} from '../../src/multiplayer/godot3-packet.js';
import { hex } from './support/raw-client.js';

// Section 1.6 of godot-multiplayer-wire.md: a Godot 3.2.3 server with two 3.2.3 clients.
const A = 1118925070; // 0e71b142
const B = 628884558; // 4e047c25

describe('Godot 3 gd_mp_api packets, against the captured bytes', () => {
  it('encodes the server system messages byte for byte', () => {
    expect(encodeGodot3System(Godot3PacketType.SYS_ID, A)).toEqual(hex('03 01000000 00000000 0e71b142'));
    expect(encodeGodot3System(Godot3PacketType.SYS_ADD, 1)).toEqual(hex('01 01000000 00000000 01000000'));
    expect(encodeGodot3System(Godot3PacketType.SYS_ADD, A)).toEqual(hex('01 01000000 00000000 0e71b142'));
    expect(encodeGodot3System(Godot3PacketType.SYS_ADD, B)).toEqual(hex('01 01000000 00000000 4e047c25'));
    expect(encodeGodot3System(Godot3PacketType.SYS_DEL, A)).toEqual(hex('02 01000000 00000000 0e71b142'));
    // 13 bytes: the 0x0d payload length in the captured frame headers (82 0d).
    expect(encodeGodot3System(Godot3PacketType.SYS_ID, A)).toHaveLength(0x0d);
  });

  it('encodes data packets with from/to exactly as the clients did', () => {
    const rpc = hex('0016000080746f5f70656572');
    expect(encodeGodot3Packet(Godot3PacketType.SYS_NONE, A, B, rpc)).toEqual(hex('00 0e71b142 4e047c25 0016000080746f5f70656572'));
    const broadcast = hex('000100000072325f616c6c');
    expect(encodeGodot3Packet(Godot3PacketType.SYS_NONE, B, 0, broadcast)).toEqual(hex('00 4e047c25 00000000 000100000072325f616c6c'));
    expect(encodeGodot3Packet(Godot3PacketType.SYS_NONE, B, -A, broadcast).subarray(0, 9)).toEqual(hex('00 4e047c25 f28e4ebd'));
    expect(encodeGodot3Packet(Godot3PacketType.SYS_NONE, B, -1, broadcast).subarray(0, 9)).toEqual(hex('00 4e047c25 ffffffff'));
  });

  it('decodes the captured packets', () => {
    expect(readGodot3Header(hex('00 4e047c25 f28e4ebd 000100000072325f6578636c'))).toEqual({ type: 0, from: B, to: -A });
    expect(readGodot3Header(hex('00 4e047c25 ffffffff 00'))).toEqual({ type: 0, from: B, to: -1 });
    const sysId = hex('03 01000000 00000000 0e71b142');
    expect(readGodot3Header(sysId)).toEqual({ type: Godot3PacketType.SYS_ID, from: 1, to: 0 });
    expect(readGodot3SystemId(sysId)).toBe(A);
    expect(godot3Payload(hex('00 0e71b142 4e047c25 0016'))).toEqual(hex('0016'));
  });

  it('rejects packets shorter than the header and system messages without an id', () => {
    expect(readGodot3Header(Buffer.alloc(GODOT3_HEADER_SIZE - 1))).toBeNull();
    expect(readGodot3Header(Buffer.alloc(GODOT3_HEADER_SIZE))).toEqual({ type: 0, from: 0, to: 0 });
    expect(readGodot3SystemId(hex('01 01000000 00000000 0100'))).toBeNull();
  });

  it('round-trips any header and payload', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<Godot3PacketType>,
        fc.integer({ min: -0x80000000, max: 0x7fffffff }),
        fc.integer({ min: -0x80000000, max: 0x7fffffff }),
        fc.uint8Array({ maxLength: 64 }),
        (type, from, to, payload) => {
          const packet = encodeGodot3Packet(type, from, to, payload);
          expect(packet).toHaveLength(GODOT3_HEADER_SIZE + payload.length);
          expect(readGodot3Header(packet)).toEqual({ type, from, to });
          expect(godot3Payload(packet)).toEqual(Buffer.from(payload));
        },
      ),
    );
  });
});
