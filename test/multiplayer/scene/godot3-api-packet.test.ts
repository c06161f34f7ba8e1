// Godot 3.2 MultiplayerAPI packets (core/io/multiplayer_api.cpp), checked against the
// bytes captured from Godot 3.2.3 in godot-multiplayer-wire.md section 1.6.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeGodot3ConfirmPath,
  decodeGodot3Raw,
  decodeGodot3RemoteCall,
  decodeGodot3SimplifyPath,
  encodeGodot3ConfirmPath,
  encodeGodot3Raw,
  encodeGodot3RemoteCall,
  encodeGodot3SimplifyPath,
} from '../../../src/multiplayer/scene/godot3-api-packet.js';
import { ScenePacketError } from '../../../src/multiplayer/scene/scene-arguments.js';
import { hex } from '../support/raw-client.js';

describe('Godot 3 MultiplayerAPI packets', () => {
  it('REMOTE_CALL by path: node field 0x80000000 | offset of the path, name NUL, argc, plain Godot 3 Variants, path NUL', () => {
    const packet = encodeGodot3RemoteCall({ node: { path: 'Main' }, name: 'to_peer', args: [7] });
    // The captured Godot 3.2.3 rpc "to_peer" started with these bytes (27-byte payload).
    expect(packet.subarray(0, 12)).toEqual(hex('00 16000080 746f5f70656572'));
    expect(packet).toEqual(hex('00 16000080', Buffer.from('to_peer\0').toString('hex'), '01 02000000 07000000', Buffer.from('Main\0').toString('hex')));
    expect(packet).toHaveLength(27);
    expect(decodeGodot3RemoteCall(packet)).toEqual({ set: false, node: { path: 'Main' }, name: 'to_peer', args: [7] });
  });

  it('REMOTE_CALL by cache id, as the captured "r2_all" broadcast', () => {
    const packet = encodeGodot3RemoteCall({ node: { id: 1 }, name: 'r2_all', args: ['x'] });
    expect(packet.subarray(0, 11)).toEqual(hex('00 01000000 72325f616c6c'));
    expect(decodeGodot3RemoteCall(packet)).toEqual({ set: false, node: { id: 1 }, name: 'r2_all', args: ['x'] });
  });

  it('REMOTE_SET carries one value and no count', () => {
    const packet = encodeGodot3RemoteCall({ set: true, node: { id: 2 }, name: 'hp', args: [true] });
    expect(packet).toEqual(hex('01 02000000 687000 01000000 01000000'));
    expect(decodeGodot3RemoteCall(packet)).toEqual({ set: true, node: { id: 2 }, name: 'hp', args: [true] });
    expect(() => encodeGodot3RemoteCall({ set: true, node: { id: 2 }, name: 'hp', args: [] })).toThrow(RangeError);
  });

  it('SIMPLIFY_PATH carries id and path; CONFIRM_PATH only the path; RAW the bytes', () => {
    expect(encodeGodot3SimplifyPath(1, 'Main')).toEqual(hex('02 01000000 4d61696e00'));
    expect(decodeGodot3SimplifyPath(hex('02 01000000 4d61696e00'))).toEqual({ id: 1, path: 'Main' });
    expect(encodeGodot3ConfirmPath('Main')).toEqual(hex('03 4d61696e00'));
    expect(decodeGodot3ConfirmPath(hex('03 4d61696e00'))).toEqual({ path: 'Main' });
    expect(encodeGodot3Raw(hex('0102'))).toEqual(hex('04 0102'));
    expect(decodeGodot3Raw(hex('04 0102'))).toEqual(hex('0102'));
    expect(decodeGodot3Raw(hex('04'))).toBeInstanceOf(ScenePacketError);
    expect(decodeGodot3SimplifyPath(hex('02 0100'))).toBeInstanceOf(ScenePacketError);
    expect(decodeGodot3ConfirmPath(hex('03'))).toBeInstanceOf(ScenePacketError);
  });

  it('hostile bytes give a value or a ScenePacketError; encode/decode round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.integer({ min: 0, max: 4 }), (body, command) => {
        const packet = Buffer.from(body);
        if (packet.length > 0) packet[0] = command;
        for (const decode of [decodeGodot3RemoteCall, decodeGodot3SimplifyPath, decodeGodot3ConfirmPath, decodeGodot3Raw]) expect(decode(packet)).toBeDefined();
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.record({ id: fc.integer({ min: 0, max: 2 ** 31 - 1 }) }), fc.record({ path: fc.string().filter((p) => !p.includes('\0')) })),
        fc.string().filter((n) => !n.includes('\0')),
        fc.array(fc.oneof(fc.boolean(), fc.integer(), fc.string(), fc.constant(null)), { maxLength: 5 }),
        (node, name, args) => {
          expect(decodeGodot3RemoteCall(encodeGodot3RemoteCall({ node, name, args }))).toEqual({ set: false, node, name, args });
        },
      ),
    );
  });
});
