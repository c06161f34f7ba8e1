/** The union of every value the codec reads and writes; see codec.ts for the rules that map it to Godot's types. */

import type { AABB, Basis, Color, Plane, Projection, Quaternion, Rect2, Rect2i, Transform2D, Transform3D, Vector2, Vector2i, Vector3, Vector3i, Vector4, Vector4i } from './math-values.js';
import type {
  Callable,
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
  RID,
  Signal,
  StringName,
  TypedArray,
  TypedDictionary,
} from './other-values.js';

export type Variant =
  | null
  | boolean
  | number
  | bigint
  | string
  | GodotFloat
  | Int64
  | Vector2
  | Vector2i
  | Rect2
  | Rect2i
  | Vector3
  | Vector3i
  | Transform2D
  | Vector4
  | Vector4i
  | Plane
  | Quaternion
  | AABB
  | Basis
  | Transform3D
  | Projection
  | DoublePrecision
  | Color
  | StringName
  | NodePath
  | RID
  | ObjectId
  | GodotObject
  | Callable
  | Signal
  | Map<Variant, Variant>
  | Variant[]
  | TypedDictionary
  | TypedArray
  | Uint8Array
  | Int32Array
  | BigInt64Array
  | Float32Array
  | Float64Array
  | PackedStringArray
  | PackedVector2Array
  | PackedVector3Array
  | PackedVector4Array
  | PackedColorArray;

/** What encoding also accepts: a plain object is a Dictionary with String keys (decoding gives a Map). */
export type EncodableVariant = Variant | VariantRecord | readonly EncodableVariant[];

export interface VariantRecord {
  readonly [key: string]: EncodableVariant;
}
