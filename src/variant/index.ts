// Godot's Variant binary serialization (issue 16); codec.ts documents the value model.
export { bytes2var, bytesToVar, decodeVariant, var2bytes, varToBytes } from './codec.js';
export type { BytesToVarOptions, DecodedVariant, VarToBytesOptions } from './codec.js';
export { VariantDecodeError, VariantEncodeError } from './errors.js';
export { AABB, Basis, Color, Plane, Projection, Quaternion, Rect2, Rect2i, Transform2D, Transform3D, Vector2, Vector2i, Vector3, Vector3i, Vector4, Vector4i } from './math-values.js';
export type { RealMath } from './math-values.js';
export {
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
export type { ContainerType } from './other-values.js';
export { Godot3VariantType, MAX_RECURSION_DEPTH, VariantType } from './types.js';
export type { GodotGeneration } from './types.js';
export type { EncodableVariant, Variant, VariantRecord } from './variant.js';
