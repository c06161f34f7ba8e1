// Every type's bytes, worked out by hand from Godot's core/io/marshalls.cpp
// (encode_variant / decode_variant) and the type tables of core/variant/variant.h:
// a 4-byte little-endian header (type id in the low byte, flags from bit 16), then the
// payload padded to 4 bytes. Each row is checked in both directions.

import { describe, expect, it } from 'vitest';
import {
  bytesToVar,
  Basis,
  Callable,
  Color,
  DoublePrecision,
  GodotFloat,
  GodotObject,
  Int64,
  NodePath,
  ObjectId,
  PackedColorArray,
  PackedStringArray,
  PackedVector2Array,
  PackedVector3Array,
  PackedVector4Array,
  Projection,
  Quaternion,
  Rect2,
  Rect2i,
  RID,
  Signal,
  StringName,
  Transform2D,
  Transform3D,
  TypedArray,
  TypedDictionary,
  varToBytes,
  Vector2,
  Vector2i,
  Vector3,
  Vector3i,
  Vector4,
  Vector4i,
  AABB,
  Plane,
} from '../../src/variant/index.js';
import type { GodotGeneration, Variant } from '../../src/variant/index.js';

/** Little-endian float32 of small exact values, spelled out once. */
const F: Record<number, string> = {
  0: '00000000',
  1: '0000803f',
  2: '00000040',
  3: '00004040',
  4: '00008040',
  5: '0000a040',
  6: '0000c040',
  7: '0000e040',
  8: '00000041',
  9: '00001041',
  10: '00002041',
  11: '00003041',
  12: '00004041',
  1.5: '0000c03f',
  [-2]: '000000c0',
};
const f = (...values: number[]) => values.map((v) => F[v]).join('');

const basis = new Basis(new Vector3(1, 2, 3), new Vector3(4, 5, 6), new Vector3(7, 8, 9));
/** Basis travels as rows: x.x y.x z.x / x.y y.y z.y / x.z y.z z.z. */
const BASIS_ROWS = f(1, 4, 7, 2, 5, 8, 3, 6, 9);

type Row = [description: string, value: Variant, hex: string, options?: { fullObjects?: boolean }];

const BOTH: Row[] = [
  ['null', null, '00000000'],
  ['true', true, '01000000' + '01000000'],
  ['false', false, '01000000' + '00000000'],
  ['int 5', 5, '02000000' + '05000000'],
  ['int -1', -1, '02000000' + 'ffffffff'],
  ['int 2^31 takes 64 bits', 2147483648, '02000100' + '0000008000000000'],
  ['int -2^31-1 takes 64 bits', -2147483649, '02000100' + 'ffffff7fffffffff'],
  ['int 2^63-1', 9223372036854775807n, '02000100' + 'ffffffffffffff7f'],
  ['Int64 forces 64 bits', new Int64(5n), '02000100' + '0500000000000000'],
  ['float 1.5 fits float32', 1.5, '03000000' + '0000c03f'],
  ['float 0.1 needs a double', 0.1, '03000100' + '9a9999999999b93f'],
  ['float 3.0', new GodotFloat(3), '03000000' + '00004040'],
  ['float -0.0', -0, '03000000' + '00000080'],
  ['float NaN is a double (NaN != NaN)', NaN, '03000100' + '000000000000f87f'],
  ['float 0.5 as a double on purpose', new GodotFloat(0.5, 64), '03000100' + '000000000000e03f'],
  ['float 2^53+2 (integral, beyond safe)', 2 ** 53 + 2, '03000100' + '0100000000004043'],
  ['empty String', '', '04000000' + '00000000'],
  ['String "abc" + 1 byte padding', 'abc', '04000000' + '03000000' + '61626300'],
  ['String "four", no padding', 'four', '04000000' + '04000000' + '666f7572'],
  ['String "é" is UTF-8', 'é', '04000000' + '02000000' + 'c3a90000'],
];

const GODOT4: Row[] = [
  ['Vector2', new Vector2(1.5, -2), '05000000' + f(1.5, -2)],
  ['Vector2i', new Vector2i(1, -2), '06000000' + '01000000' + 'feffffff'],
  ['Rect2', new Rect2(new Vector2(1, 2), new Vector2(3, 4)), '07000000' + f(1, 2, 3, 4)],
  ['Rect2i', new Rect2i(new Vector2i(1, 2), new Vector2i(3, 4)), '08000000' + '01000000020000000300000004000000'],
  ['Vector3', new Vector3(1, 2, 3), '09000000' + f(1, 2, 3)],
  ['Vector3i', new Vector3i(1, 2, 3), '0a000000' + '010000000200000003000000'],
  ['Transform2D: columns x, y, origin', new Transform2D(new Vector2(1, 2), new Vector2(3, 4), new Vector2(5, 6)), '0b000000' + f(1, 2, 3, 4, 5, 6)],
  ['Vector4', new Vector4(1, 2, 3, 4), '0c000000' + f(1, 2, 3, 4)],
  ['Vector4i', new Vector4i(1, 2, 3, 4), '0d000000' + '01000000020000000300000004000000'],
  ['Plane', new Plane(new Vector3(1, 2, 3), 4), '0e000000' + f(1, 2, 3, 4)],
  ['Quaternion', new Quaternion(1, 2, 3, 4), '0f000000' + f(1, 2, 3, 4)],
  ['AABB', new AABB(new Vector3(1, 2, 3), new Vector3(4, 5, 6)), '10000000' + f(1, 2, 3, 4, 5, 6)],
  ['Basis as rows', basis, '11000000' + BASIS_ROWS],
  ['Transform3D: basis rows then origin', new Transform3D(basis, new Vector3(10, 11, 12)), '12000000' + BASIS_ROWS + f(10, 11, 12)],
  [
    'Projection: columns',
    new Projection(new Vector4(1, 2, 3, 4), new Vector4(5, 6, 7, 8), new Vector4(9, 10, 11, 12), new Vector4(0, 0, 0, 1)),
    '13000000' + f(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 0, 1),
  ],
  ['Color', new Color(1, 0, 0, 1), '14000000' + f(1, 0, 0, 1)],
  ['double-precision Vector2', new DoublePrecision(new Vector2(1, 2)), '05000100' + '000000000000f03f' + '0000000000000040'],
  ['StringName', new StringName('hi'), '15000000' + '02000000' + '68690000'],
  [
    'NodePath /root/a:b',
    NodePath.parse('/root/a:b'),
    '16000000' + '02000080' + '01000000' + '01000000' + '04000000726f6f74' + '0100000061000000' + '0100000062000000',
  ],
  ['RID', new RID(5n), '17000000' + '0500000000000000'],
  ['object as id', new ObjectId(7n), '18000100' + '0700000000000000'],
  ['Callable: the header alone', new Callable(), '19000000'],
  ['Signal', new Signal('s', 3n), '1a000000' + '0100000073000000' + '0300000000000000'],
  ['Dictionary', new Map([['k', 1]]), '1b000000' + '01000000' + '040000000100000064000000'.replace('64', '6b') + '0200000001000000'],
  ['Array', [1, 'a'], '1c000000' + '02000000' + '0200000001000000' + '040000000100000061000000'],
  ['Array[int]: kind BUILTIN in bits 16-17, then the type id', new TypedArray({ builtin: 2 }, [7]), '1c000100' + '02000000' + '01000000' + '0200000007000000'],
  ['Array[Node]: kind CLASS_NAME', new TypedArray({ className: 'Node' }, []), '1c000200' + '040000004e6f6465' + '00000000'],
  ['Array of a script: kind SCRIPT', new TypedArray({ script: 'res://a.gd' }, []), '1c000300' + '0a0000007265733a2f2f612e67640000' + '00000000'],
  [
    'Dictionary[String, int]: key kind bits 16-17, value kind bits 18-19',
    new TypedDictionary({ builtin: 4 }, { builtin: 2 }, new Map([['a', 1]])),
    '1b000500' + '04000000' + '02000000' + '01000000' + '040000000100000061000000' + '0200000001000000',
  ],
  ['Dictionary[Variant, X]', new TypedDictionary(null, { className: 'X' }, new Map()), '1b000800' + '0100000058000000' + '00000000'],
  ['PackedByteArray + padding', new Uint8Array([1, 2, 3]), '1d000000' + '03000000' + '01020300'],
  ['PackedInt32Array', new Int32Array([1, -1]), '1e000000' + '02000000' + '01000000ffffffff'],
  ['PackedInt64Array', new BigInt64Array([1n]), '1f000000' + '01000000' + '0100000000000000'],
  ['PackedFloat32Array', new Float32Array([1.5]), '20000000' + '01000000' + '0000c03f'],
  ['PackedFloat64Array', new Float64Array([1.5]), '21000000' + '01000000' + '000000000000f83f'],
  ['PackedStringArray: each element has a NUL, then padding', new PackedStringArray(['ab', '', 'abc']), '22000000' + '03000000' + '0300000061620000' + '0100000000000000' + '0400000061626300'],
  ['PackedVector2Array', new PackedVector2Array(new Float32Array([1, 2])), '23000000' + '01000000' + f(1, 2)],
  ['PackedVector2Array, double', new PackedVector2Array(new Float64Array([1, 2])), '23000100' + '01000000' + '000000000000f03f0000000000000040'],
  ['PackedVector3Array', new PackedVector3Array(new Float32Array([1, 2, 3])), '24000000' + '01000000' + f(1, 2, 3)],
  ['PackedColorArray', new PackedColorArray(new Float32Array([1, 0, 0, 1])), '25000000' + '01000000' + f(1, 0, 0, 1)],
  ['PackedVector4Array', new PackedVector4Array(new Float32Array([1, 2, 3, 4])), '26000000' + '01000000' + f(1, 2, 3, 4)],
  [
    'full object: class name, property count, name/value pairs',
    new GodotObject('Node', new Map([['name', 'x']])),
    '18000000' + '040000004e6f6465' + '01000000' + '040000006e616d65' + '040000000100000078000000',
    { fullObjects: true },
  ],
  ['null full object: an empty class name, no count', new GodotObject(''), '18000000' + '00000000', { fullObjects: true }],
];

const GODOT3: Row[] = [
  ['Vector2', new Vector2(1.5, -2), '05000000' + f(1.5, -2)],
  ['Rect2', new Rect2(new Vector2(1, 2), new Vector2(3, 4)), '06000000' + f(1, 2, 3, 4)],
  ['Vector3', new Vector3(1, 2, 3), '07000000' + f(1, 2, 3)],
  ['Transform2D', new Transform2D(new Vector2(1, 2), new Vector2(3, 4), new Vector2(5, 6)), '08000000' + f(1, 2, 3, 4, 5, 6)],
  ['Plane', new Plane(new Vector3(1, 2, 3), 4), '09000000' + f(1, 2, 3, 4)],
  ['Quat', new Quaternion(1, 2, 3, 4), '0a000000' + f(1, 2, 3, 4)],
  ['AABB', new AABB(new Vector3(1, 2, 3), new Vector3(4, 5, 6)), '0b000000' + f(1, 2, 3, 4, 5, 6)],
  ['Basis', basis, '0c000000' + BASIS_ROWS],
  ['Transform', new Transform3D(basis, new Vector3(10, 11, 12)), '0d000000' + BASIS_ROWS + f(10, 11, 12)],
  ['Color', new Color(1, 0, 0, 1), '0e000000' + f(1, 0, 0, 1)],
  ['NodePath', new NodePath(['a'], [], false), '0f000000' + '01000080' + '00000000' + '00000000' + '0100000061000000'],
  ['RID: no payload in Godot 3', new RID(), '10000000'],
  ['object as id', new ObjectId(7n), '11000100' + '0700000000000000'],
  ['Dictionary', new Map([[1, null]]), '12000000' + '01000000' + '0200000001000000' + '00000000'],
  ['Array', [true], '13000000' + '01000000' + '0100000001000000'],
  ['PoolByteArray', new Uint8Array([9]), '14000000' + '01000000' + '09000000'],
  ['PoolIntArray', new Int32Array([-1]), '15000000' + '01000000' + 'ffffffff'],
  ['PoolRealArray', new Float32Array([1]), '16000000' + '01000000' + f(1)],
  ['PoolStringArray', new PackedStringArray(['abc']), '17000000' + '01000000' + '0400000061626300'],
  ['PoolVector2Array', new PackedVector2Array(new Float32Array([1, 2])), '18000000' + '01000000' + f(1, 2)],
  ['PoolVector3Array', new PackedVector3Array(new Float32Array([1, 2, 3])), '19000000' + '01000000' + f(1, 2, 3)],
  ['PoolColorArray', new PackedColorArray(new Float32Array([1, 0, 0, 1])), '1a000000' + '01000000' + f(1, 0, 0, 1)],
  ['full object', new GodotObject('Node', new Map([['a', 1]])), '11000000' + '040000004e6f6465' + '01000000' + '0100000061000000' + '0200000001000000', { fullObjects: true }],
];

function check(generation: GodotGeneration, rows: Row[]): void {
  it.each(rows)('%s', (_, value, hex, options) => {
    const bytes = varToBytes(value, { godot: generation, ...options });
    expect(Buffer.from(bytes).toString('hex')).toBe(hex);
    expect(bytesToVar(Buffer.from(hex, 'hex'), { godot: generation, allowObjects: true })).toStrictEqual(value);
  });
}

describe('Godot 4 bytes, both ways', () => check(4, [...BOTH, ...GODOT4]));
describe('Godot 3 bytes, both ways', () => check(3, [...BOTH, ...GODOT3]));
