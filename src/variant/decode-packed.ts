/** Packed arrays: a count, then fixed-size elements (strings for PackedStringArray), checked against the bytes left first. */

import type { Decoder } from './decoder.js';
import { PackedColorArray, PackedStringArray, PackedVector2Array, PackedVector3Array, PackedVector4Array } from './other-values.js';
import type { VariantKind } from './types.js';
import type { Variant } from './variant.js';

const VECTOR_ARRAYS = {
  PACKED_VECTOR2_ARRAY: { width: 2, make: (data: Float32Array | Float64Array) => new PackedVector2Array(data) },
  PACKED_VECTOR3_ARRAY: { width: 3, make: (data: Float32Array | Float64Array) => new PackedVector3Array(data) },
  PACKED_VECTOR4_ARRAY: { width: 4, make: (data: Float32Array | Float64Array) => new PackedVector4Array(data) },
} as const;

export function decodePacked(decoder: Decoder, kind: VariantKind, wide: boolean): Variant {
  const r = decoder.reader;
  const count = (size: number) => r.count(`${kind} size`, size, r.i32(`${kind} size`));
  switch (kind) {
    case 'PACKED_BYTE_ARRAY': {
      const bytes = r.take(count(1));
      // Godot does not check that the padding is there, only counts it; skip what exists.
      r.pos += Math.min((4 - (bytes.length % 4)) % 4, r.remaining);
      return bytes;
    }
    case 'PACKED_INT32_ARRAY':
      return r.elements(count(4), 'i32');
    case 'PACKED_INT64_ARRAY':
      return r.elements(count(8), 'i64');
    case 'PACKED_FLOAT32_ARRAY':
      return r.elements(count(4), 'f32');
    case 'PACKED_FLOAT64_ARRAY':
      return r.elements(count(8), 'f64');
    case 'PACKED_STRING_ARRAY': {
      const values: string[] = [];
      for (let i = count(4); i > 0; i--) {
        const text = r.string(`${kind} element`);
        // Godot writes each element with a terminating NUL, which is not part of the string.
        values.push(text.endsWith('\0') ? text.slice(0, -1) : text);
      }
      return new PackedStringArray(values);
    }
    case 'PACKED_COLOR_ARRAY':
      return new PackedColorArray(r.elements(count(16) * 4, 'f32'));
    case 'PACKED_VECTOR2_ARRAY':
    case 'PACKED_VECTOR3_ARRAY':
    case 'PACKED_VECTOR4_ARRAY': {
      const { width, make } = VECTOR_ARRAYS[kind];
      // A double-precision build sets flag 64 (Godot 4; Godot 3 ignores the bit).
      const double = wide && decoder.generation === 4;
      const n = count(width * (double ? 8 : 4));
      return make(double ? r.elements(n * width, 'f64') : r.elements(n * width, 'f32'));
    }
    default:
      return r.fail(`no decoder for ${kind}`);
  }
}
