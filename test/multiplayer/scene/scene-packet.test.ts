// Byte layouts of Godot 4's SceneMultiplayer packets, written from scene_rpc_interface.cpp,
// scene_cache_interface.cpp, scene_multiplayer.cpp and multiplayer_api.cpp (encode_and_compress_variant).

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GodotError } from '../../../src/godot-error.js';
import { decodeArguments, decodeCompressedVariant, encodeCompressedVariant } from '../../../src/multiplayer/scene/scene-arguments.js';
import {
  decodeAuth,
  decodeConfirmPath,
  decodeRaw,
  decodeRemoteCall,
  decodeSimplifyPath,
  encodeAuth,
  encodeConfirmPath,
  encodeRaw,
  encodeRemoteCall,
  encodeSimplifyPath,
  ScenePacketError,
} from '../../../src/multiplayer/scene/scene-packet.js';
import { GodotFloat, PackedStringArray, StringName, Vector2 } from '../../../src/variant/index.js';
import { hex } from '../support/raw-client.js';

const STRING_HI = '04000000 02000000 6869 0000';

describe('compressed rpc arguments (encode_and_compress_variant)', () => {
  it('packs a bool into its meta byte: type 1, value in bit 7', () => {
    expect(Buffer.from(encodeCompressedVariant(true))).toEqual(hex('81'));
    expect(Buffer.from(encodeCompressedVariant(false))).toEqual(hex('01'));
  });

  it('writes an int in the smallest of 8/16/32/64 bits, mode in the top two bits of the meta byte', () => {
    expect(Buffer.from(encodeCompressedVariant(5))).toEqual(hex('02 05'));
    expect(Buffer.from(encodeCompressedVariant(-1))).toEqual(hex('02 ff'));
    expect(Buffer.from(encodeCompressedVariant(127))).toEqual(hex('02 7f'));
    expect(Buffer.from(encodeCompressedVariant(128))).toEqual(hex('42 8000'));
    expect(Buffer.from(encodeCompressedVariant(-32768))).toEqual(hex('42 0080'));
    expect(Buffer.from(encodeCompressedVariant(70000))).toEqual(hex('82 70110100'));
    expect(Buffer.from(encodeCompressedVariant(2 ** 40))).toEqual(hex('c2 0000000000010000'));
    expect(Buffer.from(encodeCompressedVariant(-(2n ** 63n)))).toEqual(hex('c2 0000000000000080'));
  });

  it('leaves every other type in the plain Godot 4 encoding', () => {
    expect(Buffer.from(encodeCompressedVariant('hi'))).toEqual(hex(STRING_HI));
    expect(Buffer.from(encodeCompressedVariant(1.5))).toEqual(hex('03000000 0000c03f'));
    expect(Buffer.from(encodeCompressedVariant(new Vector2(1, 2)))).toEqual(hex('05000000 0000803f 00000040'));
  });

  it('decodes each form back, ints as numbers (bigint beyond 2^53)', () => {
    expect(decodeCompressedVariant(hex('81'), 0)).toEqual({ value: true, length: 1 });
    expect(decodeCompressedVariant(hex('01'), 0)).toEqual({ value: false, length: 1 });
    expect(decodeCompressedVariant(hex('02 ff'), 0)).toEqual({ value: -1, length: 2 });
    expect(decodeCompressedVariant(hex('42 0080'), 0)).toEqual({ value: -32768, length: 3 });
    expect(decodeCompressedVariant(hex('82 70110100'), 0)).toEqual({ value: 70000, length: 5 });
    expect(decodeCompressedVariant(hex('c2 0000000000000080'), 0)).toEqual({ value: -(2n ** 63n), length: 9 });
    expect(decodeCompressedVariant(hex(STRING_HI), 0)).toEqual({ value: 'hi', length: 12 });
  });

  it('reports truncated or unknown arguments as errors', () => {
    expect(decodeCompressedVariant(hex('82 7011'), 0)).toBeInstanceOf(ScenePacketError);
    expect(decodeCompressedVariant(hex(''), 0)).toBeInstanceOf(ScenePacketError);
    expect(decodeCompressedVariant(hex('3f000000'), 0)).toBeInstanceOf(ScenePacketError);
    // A plain-encoded type with encode-mode bits set is not a valid Variant header.
    expect(decodeCompressedVariant(hex('44000000 00000000'), 0)).toBeInstanceOf(ScenePacketError);
  });

  it('refuses an argument count the packet cannot hold before allocating anything', () => {
    const error = decodeArguments(hex('ff 81 81'), 0, 3, false);
    expect(error).toBeInstanceOf(ScenePacketError);
    expect((error as ScenePacketError).code).toBe(GodotError.ERR_INVALID_DATA);
  });
});

describe('REMOTE_CALL', () => {
  it('node id 8 bits, method id 8 bits, argument count then compressed arguments', () => {
    const packet = encodeRemoteCall({ node: { id: 1 }, methodId: 0, args: ['hi', 5] });
    expect(packet).toEqual(hex('00 01 00 02', STRING_HI, '02 05'));
    expect(decodeRemoteCall(packet)).toEqual({ node: { id: 1 }, methodId: 0, args: ['hi', 5] });
  });

  it('no arguments: the byte-only flag (bit 7) and no count', () => {
    const packet = encodeRemoteCall({ node: { id: 1 }, methodId: 2, args: [] });
    expect(packet).toEqual(hex('80 01 02'));
    expect(decodeRemoteCall(packet)).toEqual({ node: { id: 1 }, methodId: 2, args: [] });
  });

  it('one PackedByteArray: byte-only, its raw bytes', () => {
    const packet = encodeRemoteCall({ node: { id: 3 }, methodId: 1, args: [Uint8Array.of(9, 8, 7)] });
    expect(packet).toEqual(hex('80 03 01 090807'));
    expect(decodeRemoteCall(packet)).toEqual({ node: { id: 3 }, methodId: 1, args: [Uint8Array.of(9, 8, 7)] });
  });

  it('one argument of another type is counted', () => {
    expect(encodeRemoteCall({ node: { id: 1 }, methodId: 0, args: [true] })).toEqual(hex('00 01 00 01 81'));
  });

  it('node ids of 16 and 32 bits (bits 4-5), method ids of 16 bits (bit 6)', () => {
    expect(encodeRemoteCall({ node: { id: 300 }, methodId: 0, args: [] })).toEqual(hex('90 2c01 00'));
    expect(encodeRemoteCall({ node: { id: 70000 }, methodId: 0, args: [] })).toEqual(hex('a0 70110100 00'));
    expect(encodeRemoteCall({ node: { id: 1 }, methodId: 300, args: [] })).toEqual(hex('c0 01 2c01'));
    // Godot writes 32 bits when not every target confirmed the path.
    expect(encodeRemoteCall({ node: { id: 1 }, methodId: 0, args: [] }, { nodeIdBits: 32 })).toEqual(hex('a0 01000000 00'));
    for (const packet of [hex('90 2c01 00'), hex('a0 70110100 00'), hex('c0 01 2c01'), hex('a0 01000000 00')]) {
      const decoded = decodeRemoteCall(packet);
      expect(decoded).not.toBeInstanceOf(ScenePacketError);
    }
    expect(decodeRemoteCall(hex('c0 01 2c01'))).toEqual({ node: { id: 1 }, methodId: 300, args: [] });
    expect(decodeRemoteCall(hex('a0 70110100 00'))).toEqual({ node: { id: 70000 }, methodId: 0, args: [] });
  });

  it('a node not cached yet: 32-bit field = 0x80000000 | offset of the path, path NUL-terminated after the arguments', () => {
    const packet = encodeRemoteCall({ node: { path: 'Main' }, methodId: 1, args: [true] });
    expect(packet).toEqual(hex('20 08000080 01 01 81', '4d61696e00'));
    expect(decodeRemoteCall(packet)).toEqual({ node: { path: 'Main' }, methodId: 1, args: [true] });
    const noArgs = encodeRemoteCall({ node: { path: 'Main/Ünï' }, methodId: 0, args: [] });
    expect(noArgs.subarray(0, 6)).toEqual(hex('a0 06000080 00'));
    expect(decodeRemoteCall(noArgs)).toEqual({ node: { path: 'Main/Ünï' }, methodId: 0, args: [] });
  });

  it('rejects what process_rpc rejects', () => {
    const bad = ['', '01', '30 01 00', '00', '00 01', '20 010000', '20 ff000080 00 00', '20 02000080 00 00', '00 01 00', '00 01 00 02 81'];
    for (const bytes of bad) expect(decodeRemoteCall(hex(bytes)), bytes).toBeInstanceOf(ScenePacketError);
  });

  it('carries several Variant types', () => {
    const args = [new StringName('name'), new Vector2(0.5, -2), new Map([['k', 1]]), [1, 'two', false], new PackedStringArray(['a']), new GodotFloat(3), null];
    const decoded = decodeRemoteCall(encodeRemoteCall({ node: { id: 7 }, methodId: 4, args }));
    expect(decoded).toEqual({ node: { id: 7 }, methodId: 4, args });
  });
});

describe('path cache packets', () => {
  const md5 = createHash('md5').update('greetping').digest('hex');

  it('SIMPLIFY_PATH: 01, md5 hex + NUL, uint32 id, path + NUL', () => {
    const packet = encodeSimplifyPath({ checksum: md5, id: 1, path: 'Main' });
    expect(packet).toEqual(Buffer.concat([hex('01'), Buffer.from(md5, 'latin1'), hex('00 01000000'), Buffer.from('Main\0')]));
    expect(decodeSimplifyPath(packet)).toEqual({ checksum: md5, id: 1, path: 'Main' });
    expect(decodeSimplifyPath(packet.subarray(0, 37))).toBeInstanceOf(ScenePacketError);
    expect(decodeSimplifyPath(packet.subarray(0, 38))).toEqual({ checksum: md5, id: 1, path: '' });
  });

  it('CONFIRM_PATH: 02, valid, uint32 id; exactly 6 bytes', () => {
    expect(encodeConfirmPath({ valid: true, id: 1 })).toEqual(hex('02 01 01000000'));
    expect(encodeConfirmPath({ valid: false, id: 258 })).toEqual(hex('02 00 02010000'));
    expect(decodeConfirmPath(hex('02 01 01000000'))).toEqual({ valid: true, id: 1 });
    expect(decodeConfirmPath(hex('02 01 01000000 00'))).toBeInstanceOf(ScenePacketError);
    expect(decodeConfirmPath(hex('02 01 010000'))).toBeInstanceOf(ScenePacketError);
  });

  it('RAW: 03 then the bytes; AUTH: 07 00 then the data, none = complete', () => {
    expect(encodeRaw(hex('aabb'))).toEqual(hex('03 aabb'));
    expect(decodeRaw(hex('03 aabb'))).toEqual(hex('aabb'));
    expect(decodeRaw(hex('03'))).toBeInstanceOf(ScenePacketError);
    expect(() => encodeRaw(hex(''))).toThrow(RangeError);
    expect(encodeAuth(hex('0102'))).toEqual(hex('07 00 0102'));
    expect(encodeAuth()).toEqual(hex('07 00'));
    expect(decodeAuth(hex('07 00 0102'))).toEqual(hex('0102'));
    expect(decodeAuth(hex('07 00'))).toEqual(hex(''));
    expect(decodeAuth(hex('07 01 00'))).toBeInstanceOf(ScenePacketError);
  });
});

describe('hostile bytes (fast-check)', () => {
  const decoders = [decodeRemoteCall, decodeSimplifyPath, decodeConfirmPath, decodeRaw, decodeAuth];

  it('never throw: a value or a ScenePacketError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), fc.integer({ min: 0, max: 7 }), (body, command) => {
        const packet = Buffer.from(body);
        if (packet.length > 0) packet[0] = (packet[0]! & 0xf8) | command;
        for (const decode of decoders) {
          const result = decode(packet);
          expect(result).toBeDefined();
        }
      }),
      { numRuns: 3000 },
    );
  });

  const argument = fc.oneof(
    fc.boolean(),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    fc.maxSafeInteger(),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).filter((n) => n < BigInt(Number.MIN_SAFE_INTEGER) || n > BigInt(Number.MAX_SAFE_INTEGER)),
    fc.string(),
    fc.float({ noNaN: true, noDefaultInfinity: true }).filter((f) => !Number.isInteger(f)),
    fc.constant(null),
  );

  it('encode then decode returns the call', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.record({ id: fc.integer({ min: 0, max: 2 ** 31 - 1 }) }), fc.record({ path: fc.string({ unit: 'grapheme' }).filter((p) => !p.includes('\0')) })),
        fc.integer({ min: 0, max: 0xffff }),
        fc.oneof(fc.array(argument, { maxLength: 6 }), fc.tuple(fc.uint8Array({ maxLength: 20 }))),
        (node, methodId, args) => {
          const packet = encodeRemoteCall({ node, methodId, args });
          // Godot's quirk: an empty PackedByteArray alone is byte-only with no bytes, so it arrives as no argument.
          const expected = args.length === 1 && args[0] instanceof Uint8Array && args[0].length === 0 ? [] : args.map((a) => (a instanceof Uint8Array ? Uint8Array.from(a) : a));
          expect(decodeRemoteCall(packet)).toEqual({ node, methodId, args: expected });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a truncated call is an error or a shorter call, never an exception', () => {
    fc.assert(
      fc.property(fc.array(argument, { minLength: 1, maxLength: 4 }), fc.nat(), (args, cut) => {
        const packet = encodeRemoteCall({ node: { id: 2 }, methodId: 1, args });
        const result = decodeRemoteCall(packet.subarray(0, cut % packet.length));
        expect(result instanceof ScenePacketError || 'args' in result).toBe(true);
      }),
    );
  });
});
