// An independent, deliberately plain encoder for a subset of Godot 4 values, written
// from marshalls.cpp with Buffer's own writers and no code shared with src/variant:
// the oracle the property tests compare varToBytes against.

import { PackedStringArray, Vector2, Vector3 } from '../../../src/variant/index.js';

export type OracleValue = null | boolean | number | bigint | string | Vector2 | Vector3 | Uint8Array | Int32Array | Float32Array | PackedStringArray | OracleValue[] | Map<OracleValue, OracleValue>;

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value >>> 0);
  return out;
}

function padded(data: Buffer): Buffer {
  return Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
}

function godotString(text: string, withNul = false): Buffer {
  const utf8 = Buffer.concat([Buffer.from(text, 'utf8'), Buffer.alloc(withNul ? 1 : 0)]);
  return Buffer.concat([u32(utf8.length), padded(utf8)]);
}

function floats(values: ArrayLike<number>): Buffer {
  const out = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) out.writeFloatLE(values[i]!, i * 4);
  return out;
}

export function oracleEncode(value: OracleValue): Buffer {
  if (value === null) return u32(0);
  if (typeof value === 'boolean') return Buffer.concat([u32(1), u32(value ? 1 : 0)]);
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0))) {
    const big = BigInt(value);
    if (big >= -(2n ** 31n) && big < 2n ** 31n) {
      const out = Buffer.alloc(4);
      out.writeInt32LE(Number(big));
      return Buffer.concat([u32(2), out]);
    }
    const out = Buffer.alloc(8);
    out.writeBigInt64LE(big);
    return Buffer.concat([u32(2 | 0x10000), out]);
  }
  if (typeof value === 'number') {
    const single = Buffer.alloc(4);
    single.writeFloatLE(value);
    if (single.readFloatLE() === value) return Buffer.concat([u32(3), single]);
    const double = Buffer.alloc(8);
    double.writeDoubleLE(value);
    return Buffer.concat([u32(3 | 0x10000), double]);
  }
  if (typeof value === 'string') return Buffer.concat([u32(4), godotString(value)]);
  if (value instanceof Vector2) return Buffer.concat([u32(5), floats([value.x, value.y])]);
  if (value instanceof Vector3) return Buffer.concat([u32(9), floats([value.x, value.y, value.z])]);
  if (value instanceof Uint8Array) return Buffer.concat([u32(29), u32(value.length), padded(Buffer.from(value))]);
  if (value instanceof Int32Array) {
    const out = Buffer.alloc(value.length * 4);
    value.forEach((element, i) => out.writeInt32LE(element, i * 4));
    return Buffer.concat([u32(30), u32(value.length), out]);
  }
  if (value instanceof Float32Array) return Buffer.concat([u32(32), u32(value.length), floats(value)]);
  if (value instanceof PackedStringArray) return Buffer.concat([u32(34), u32(value.values.length), ...value.values.map((text) => godotString(text, true))]);
  if (Array.isArray(value)) return Buffer.concat([u32(28), u32(value.length), ...value.map(oracleEncode)]);
  return Buffer.concat([u32(27), u32(value.size), ...[...value].flatMap(([k, v]) => [oracleEncode(k), oracleEncode(v)])]);
}
