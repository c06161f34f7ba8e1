// One value of every Godot 3 type (and the edges of int and float), as a GDScript 3
// expression and the gdws value that var2bytes must turn into the same bytes.
// test/interop/variant-godot3.test.ts runs them through Godot 3.2.3.

import {
  AABB,
  Basis,
  Color,
  GodotFloat,
  NodePath,
  PackedColorArray,
  PackedStringArray,
  PackedVector2Array,
  PackedVector3Array,
  Plane,
  Quaternion,
  Rect2,
  RID,
  Transform2D,
  Transform3D,
  Vector2,
  Vector3,
} from '../../src/variant/index.js';
import type { Variant } from '../../src/variant/index.js';

export interface SampleValue {
  /** An expression that evaluates to the value in GDScript. */
  readonly gdscript: string;
  readonly value: Variant;
}

const basis = new Basis(new Vector3(1, 2, 3), new Vector3(4, 5, 6), new Vector3(7, 8, 9));
const GDSCRIPT3_BASIS = 'Basis(Vector3(1, 2, 3), Vector3(4, 5, 6), Vector3(7, 8, 9))';

export const GODOT3_SAMPLE_VALUES: Readonly<Record<string, SampleValue>> = {
  nil: { gdscript: 'null', value: null },
  bool_true: { gdscript: 'true', value: true },
  bool_false: { gdscript: 'false', value: false },
  int_zero: { gdscript: '0', value: 0 },
  int_negative: { gdscript: '-1', value: -1 },
  int_max32: { gdscript: '2147483647', value: 2147483647 },
  int_min32: { gdscript: '-2147483648', value: -2147483648 },
  int_past32: { gdscript: '2147483648', value: 2147483648 },
  int_below32: { gdscript: '-2147483649', value: -2147483649 },
  int_past_safe: { gdscript: '9007199254740993', value: 9007199254740993n },
  int_max64: { gdscript: '9223372036854775807', value: 9223372036854775807n },
  int_min64_plus1: { gdscript: '-9223372036854775807', value: -9223372036854775807n },
  float_half: { gdscript: '1.5', value: 1.5 },
  float_tenth: { gdscript: '0.1', value: 0.1 },
  float_integral: { gdscript: '3.0', value: new GodotFloat(3) },
  float_negative_zero: { gdscript: '-0.0', value: -0 },
  float_past_float32: { gdscript: '16777217.0', value: new GodotFloat(16777217) },
  float_huge: { gdscript: '1e300', value: 1e300 },
  float_inf: { gdscript: 'INF', value: Infinity },
  float_minus_inf: { gdscript: '-INF', value: -Infinity },
  float_nan: { gdscript: 'NAN', value: NaN },
  string_empty: { gdscript: '""', value: '' },
  string_ascii: { gdscript: '"abc"', value: 'abc' },
  string_four: { gdscript: '"four"', value: 'four' },
  string_unicode: { gdscript: '"héllo ✓ 😀"', value: 'héllo ✓ 😀' },
  vector2: { gdscript: 'Vector2(1.5, -2)', value: new Vector2(1.5, -2) },
  rect2: { gdscript: 'Rect2(1, 2, 3, 4)', value: new Rect2(new Vector2(1, 2), new Vector2(3, 4)) },
  vector3: { gdscript: 'Vector3(1, 2, 3.25)', value: new Vector3(1, 2, 3.25) },
  transform2d: {
    gdscript: 'Transform2D(Vector2(1, 2), Vector2(3, 4), Vector2(5, 6))',
    value: new Transform2D(new Vector2(1, 2), new Vector2(3, 4), new Vector2(5, 6)),
  },
  plane: { gdscript: 'Plane(Vector3(0, 1, 0), 2.5)', value: new Plane(new Vector3(0, 1, 0), 2.5) },
  quat: { gdscript: 'Quat(0.5, -0.5, 0.5, 0.5)', value: new Quaternion(0.5, -0.5, 0.5, 0.5) },
  aabb: { gdscript: 'AABB(Vector3(1, 2, 3), Vector3(4, 5, 6))', value: new AABB(new Vector3(1, 2, 3), new Vector3(4, 5, 6)) },
  basis: { gdscript: GDSCRIPT3_BASIS, value: basis },
  transform: { gdscript: `Transform(${GDSCRIPT3_BASIS}, Vector3(10, 11, 12))`, value: new Transform3D(basis, new Vector3(10, 11, 12)) },
  color: { gdscript: 'Color(0.25, 0.5, 0.75, 1)', value: new Color(0.25, 0.5, 0.75, 1) },
  node_path_absolute: { gdscript: 'NodePath("/root/Main:position:x")', value: new NodePath(['root', 'Main'], ['position', 'x'], true) },
  node_path_relative: { gdscript: 'NodePath("a/bc/def")', value: new NodePath(['a', 'bc', 'def'], [], false) },
  node_path_empty: { gdscript: 'NodePath("")', value: new NodePath([], [], false) },
  rid: { gdscript: 'RID()', value: new RID() },
  dictionary: {
    gdscript: '{"a": 1, 2: Vector2(1, 2), "nested": [1, "x"]}',
    value: new Map<Variant, Variant>([
      ['a', 1],
      [2, new Vector2(1, 2)],
      ['nested', [1, 'x']],
    ]),
  },
  dictionary_empty: { gdscript: '{}', value: new Map() },
  array: { gdscript: '[1, "two", 3.5, null, [true]]', value: [1, 'two', 3.5, null, [true]] },
  array_empty: { gdscript: '[]', value: [] },
  pool_byte_array: { gdscript: 'PoolByteArray([1, 2, 3, 255, 0])', value: new Uint8Array([1, 2, 3, 255, 0]) },
  pool_byte_array_empty: { gdscript: 'PoolByteArray()', value: new Uint8Array() },
  pool_int_array: { gdscript: 'PoolIntArray([1, -2, 2147483647])', value: new Int32Array([1, -2, 2147483647]) },
  pool_real_array: { gdscript: 'PoolRealArray([1.5, -0.25, 0.1])', value: new Float32Array([1.5, -0.25, 0.1]) },
  pool_string_array: { gdscript: 'PoolStringArray(["a", "", "four", "héllo"])', value: new PackedStringArray(['a', '', 'four', 'héllo']) },
  pool_vector2_array: { gdscript: 'PoolVector2Array([Vector2(1, 2), Vector2(3, 4)])', value: new PackedVector2Array(new Float32Array([1, 2, 3, 4])) },
  pool_vector3_array: {
    gdscript: 'PoolVector3Array([Vector3(1, 2, 3), Vector3(-4, 5, 6)])',
    value: new PackedVector3Array(new Float32Array([1, 2, 3, -4, 5, 6])),
  },
  pool_color_array: {
    gdscript: 'PoolColorArray([Color(1, 0, 0, 1), Color(0, 0.5, 1, 0.25)])',
    value: new PackedColorArray(new Float32Array([1, 0, 0, 1, 0, 0.5, 1, 0.25])),
  },
};
