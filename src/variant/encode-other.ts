/**
 * The encoder's cases for everything that is neither a JavaScript primitive,
 * a plain container nor a math class: wrappers, reference-like types, typed
 * containers and packed arrays.
 */

import { GodotError } from '../godot-error.js';
import { within } from './encode-failure.js';
import type { Encoder } from './encoder.js';
import { MATH_LAYOUTS, type ValueClass } from './math-codec.js';
import {
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
import type { ContainerType } from './other-values.js';
import {
  ContainerTypeKind,
  HEADER_FLAG_64,
  HEADER_FLAG_OBJECT_AS_ID,
  TYPED_ARRAY_SHIFT,
  TYPED_DICTIONARY_KEY_SHIFT,
  TYPED_DICTIONARY_VALUE_SHIFT,
  VARIANT_MAX,
} from './types.js';
import type { VariantKind } from './types.js';

const UINT64_MAX = 2n ** 64n - 1n;

type Case = (encoder: Encoder, value: never, depth: number) => void;

const CASES = new Map<ValueClass, Case>([
  [GodotFloat, (e, v: GodotFloat) => e.float(v.value, v.bits)],
  [Int64, (e, v: Int64) => e.int(asBigInt(e, v.value), true)],
  [
    DoublePrecision,
    (e, v: DoublePrecision) => {
      const layout = MATH_LAYOUTS.get((v.value as object).constructor as ValueClass);
      if (layout === undefined || !layout.real) return e.fail('DoublePrecision holds a real_t math value (Vector2, Transform3D, ...)');
      e.math(layout, v.value, true);
    },
  ],
  [
    StringName,
    (e, v: StringName) => {
      e.header('STRING_NAME');
      e.string(v.name);
    },
  ],
  [NodePath, (e, v: NodePath) => nodePath(e, v)],
  [
    RID,
    (e, v: RID) => {
      e.header('RID');
      // Godot 3 writes the type alone; its RIDs are never meaningful to another process.
      if (e.generation === 4) e.out.u64(unsigned64(e, v.id));
    },
  ],
  [
    ObjectId,
    (e, v: ObjectId) => {
      e.header('OBJECT', HEADER_FLAG_OBJECT_AS_ID);
      e.out.u64(unsigned64(e, v.id));
    },
  ],
  [GodotObject, (e, v: GodotObject, depth) => fullObject(e, v, depth)],
  [Callable, (e) => e.header('CALLABLE')],
  [
    Signal,
    (e, v: Signal) => {
      e.header('SIGNAL');
      e.string(v.name);
      e.out.u64(unsigned64(e, v.objectId));
    },
  ],
  [
    TypedArray,
    (e, v: TypedArray, depth) =>
      e.container(v, depth, () => {
        e.header('ARRAY', typeKind(v.elementType) << TYPED_ARRAY_SHIFT);
        within('.elementType', () => containerType(e, v.elementType));
        within('.items', () => e.items(v.items, depth));
      }),
  ],
  [
    TypedDictionary,
    (e, v: TypedDictionary, depth) =>
      e.container(v, depth, () => {
        e.header('DICTIONARY', (typeKind(v.keyType) << TYPED_DICTIONARY_KEY_SHIFT) | (typeKind(v.valueType) << TYPED_DICTIONARY_VALUE_SHIFT));
        within('.keyType', () => containerType(e, v.keyType));
        within('.valueType', () => containerType(e, v.valueType));
        within('.entries', () => e.entries(v.entries, v.entries.size, depth));
      }),
  ],
  [
    PackedStringArray,
    (e, v: PackedStringArray) => {
      e.header('PACKED_STRING_ARRAY');
      e.out.u32(v.values.length);
      // Godot counts and writes each element's terminating NUL (marshalls.cpp, PACKED_STRING_ARRAY).
      v.values.forEach((text, i) => within(`[${i}]`, () => e.string(text, true)));
    },
  ],
  [PackedVector2Array, (e, v: PackedVector2Array) => packedVectors(e, 'PACKED_VECTOR2_ARRAY', 2, v.data)],
  [PackedVector3Array, (e, v: PackedVector3Array) => packedVectors(e, 'PACKED_VECTOR3_ARRAY', 3, v.data)],
  [PackedVector4Array, (e, v: PackedVector4Array) => packedVectors(e, 'PACKED_VECTOR4_ARRAY', 4, v.data)],
  [
    PackedColorArray,
    (e, v: PackedColorArray) => {
      if (!(v.data instanceof Float32Array)) e.fail('PackedColorArray data must be a Float32Array (colors are always single precision)');
      packedVectors(e, 'PACKED_COLOR_ARRAY', 4, v.data);
    },
  ],
]);

/** Writes `value` if it is one of the cases here; false when it is not. */
export function encodeOther(encoder: Encoder, value: object, depth: number): boolean {
  const encode = CASES.get(value.constructor as ValueClass);
  if (encode !== undefined) {
    encode(encoder, value as never, depth);
    return true;
  }
  if (!ArrayBuffer.isView(value)) return false;
  const out = encoder.out;
  if (value instanceof Uint8Array) {
    encoder.header('PACKED_BYTE_ARRAY');
    out.u32(value.length);
    out.raw(value);
    out.pad();
  } else if (value instanceof Int32Array) {
    encoder.header('PACKED_INT32_ARRAY');
    out.u32(value.length);
    out.elements(value);
  } else if (value instanceof BigInt64Array) {
    encoder.header('PACKED_INT64_ARRAY');
    out.u32(value.length);
    out.elements(value);
  } else if (value instanceof Float32Array) {
    encoder.header('PACKED_FLOAT32_ARRAY');
    out.u32(value.length);
    out.elements(value);
  } else if (value instanceof Float64Array) {
    encoder.header('PACKED_FLOAT64_ARRAY');
    out.u32(value.length);
    out.elements(value);
  } else {
    encoder.fail(`${value.constructor.name} has no Godot packed array (use Uint8Array, Int32Array, BigInt64Array, Float32Array or Float64Array)`);
  }
  return true;
}

function asBigInt(encoder: Encoder, value: unknown): bigint {
  if (typeof value !== 'bigint') encoder.fail(`Int64 holds a bigint, not ${typeof value}`);
  return value;
}

function unsigned64(encoder: Encoder, value: unknown): bigint {
  if (typeof value !== 'bigint' || value < 0n || value > UINT64_MAX) encoder.fail(`id ${String(value)} is not a bigint in 0 .. 2^64-1`);
  return value;
}

function nodePath(encoder: Encoder, path: NodePath): void {
  encoder.header('NODE_PATH');
  // The high bit marks the "new" (Godot 3+) format; the old one was a plain string.
  encoder.out.u32((path.names.length | 0x80000000) >>> 0);
  encoder.out.u32(path.subnames.length);
  encoder.out.u32(path.absolute ? 1 : 0);
  path.names.forEach((name, i) => within(`.names[${i}]`, () => encoder.string(name)));
  path.subnames.forEach((name, i) => within(`.subnames[${i}]`, () => encoder.string(name)));
}

function fullObject(encoder: Encoder, object: GodotObject, depth: number): void {
  if (!encoder.fullObjects) {
    encoder.fail('a GodotObject is sent whole only with fullObjects: true (send an ObjectId otherwise)', GodotError.ERR_UNAUTHORIZED);
  }
  encoder.container(object, depth, () => {
    encoder.header('OBJECT');
    encoder.string(object.className);
    if (object.className === '') return; // a null object: Godot writes no property count
    encoder.out.u32(object.properties.size);
    for (const [name, value] of object.properties) {
      within(`.properties.get(${JSON.stringify(name)})`, () => {
        encoder.string(name);
        encoder.value(value, depth + 1);
      });
    }
  });
}

function typeKind(type: ContainerType | null): number {
  if (type === null) return ContainerTypeKind.NONE;
  if ('builtin' in type) return ContainerTypeKind.BUILTIN;
  return 'className' in type ? ContainerTypeKind.CLASS_NAME : ContainerTypeKind.SCRIPT;
}

function containerType(encoder: Encoder, type: ContainerType | null): void {
  if (encoder.generation === 3) encoder.fail('Godot 3 has no typed containers');
  if (type === null) return;
  if ('builtin' in type) {
    if (!Number.isInteger(type.builtin) || type.builtin < 0 || type.builtin >= VARIANT_MAX[4]) {
      encoder.fail(`container element type ${type.builtin} is not a Godot 4 type id`);
    }
    encoder.out.u32(type.builtin);
  } else encoder.string('className' in type ? type.className : type.script);
}

function packedVectors(encoder: Encoder, kind: VariantKind, width: number, data: unknown): void {
  const double = data instanceof Float64Array;
  if (!double && !(data instanceof Float32Array)) encoder.fail(`${kind} data must be a Float32Array or a Float64Array`);
  if (double && encoder.generation === 3) encoder.fail(`Godot 3 has no double-precision ${kind}`);
  if (data.length % width !== 0) encoder.fail(`${kind} data length ${data.length} is not a multiple of ${width}`);
  encoder.header(kind, double ? HEADER_FLAG_64 : 0);
  encoder.out.u32(data.length / width);
  encoder.out.elements(data);
}
