/**
 * Godot's binary serialization of Variants (PacketPeer put_var/get_var,
 * var_to_bytes/bytes_to_var; Godot 3: var2bytes/bytes2var), both generations.
 *
 * ## Value model (what decoding returns, and what encoding writes back byte for byte)
 *
 * | Godot                          | JavaScript                                                        |
 * | ------------------------------ | ----------------------------------------------------------------- |
 * | null                           | `null`                                                            |
 * | bool                           | `boolean`                                                         |
 * | int                            | `number` (safe integer), `bigint` (outside ±2^53), `Int64`        |
 * | float                          | `number` (non-integral), `GodotFloat`                             |
 * | String / StringName            | `string` / `StringName`                                           |
 * | Vector2 ... Projection, Color  | the classes of math-values.ts; `DoublePrecision(v)` for flag 64   |
 * | NodePath, RID, Callable, Signal| `NodePath`, `RID`, `Callable`, `Signal`                           |
 * | Object                         | `ObjectId` (as id, the default) or `GodotObject` (full object)    |
 * | Dictionary / Array             | `Map` / JS array; `TypedDictionary` / `TypedArray` (Godot 4)      |
 * | PackedByte/Int32/Int64Array    | `Uint8Array` / `Int32Array` / `BigInt64Array`                     |
 * | PackedFloat32/Float64Array     | `Float32Array` / `Float64Array` (Godot 3 PoolRealArray: Float32)  |
 * | PackedStringArray              | `PackedStringArray` (a `string[]` is an Array of Strings)         |
 * | PackedVector2/3/4, ColorArray  | `PackedVector2Array` ... flat `Float32Array` (`Float64Array` = flag 64) |
 *
 * Numbers: a `number` that is a safe integer (and not -0) is an int, any other
 * number a float. Ints take 64 bits exactly when they do not fit in int32, as
 * Godot writes them; floats take 64 bits exactly when float32 would change them
 * (so NaN is a double), as Godot writes them. Decoding returns a plain number
 * whenever the number alone re-encodes to the same bytes, else the wrapper
 * that does: a float 3.0 comes back as `GodotFloat(3)` (-0 is a float already), a float written
 * with an unusual width as `GodotFloat(v, bits)`, a 64-bit int that fits in 32
 * bits as `Int64`, and an int beyond ±2^53 as a `bigint`. To force a type, use
 * the same wrappers (`new GodotFloat(2)`, `new Int64(5n)`). Floats and
 * single-precision math components travel as float32: a value survives
 * decode(encode(v)) exactly when its components are float32 values.
 *
 * Encoding also accepts, for convenience, a `bigint` in the safe range (sent as
 * an int, decoded as a number), a plain object (a Dictionary with String keys in
 * `Object.entries` order, decoded as a Map) and any `Uint8Array` such as a Buffer.
 * NaN payloads are not preserved, and PackedStringArray elements lose one
 * trailing NUL (Godot writes one after every element). Godot (3.2.3 seen, 4.x
 * same code) leaves the padding after NodePath names unwritten, so those bytes
 * can hold garbage that gdws reads past and writes back as zeros.
 *
 * Objects: by default an object is its id (ObjectId; id 0 is a null object).
 * `GodotObject` (class name + properties) is written only with `fullObjects: true`
 * and read only with `allowObjects: true`; otherwise encoding and decoding fail
 * with ERR_UNAUTHORIZED, because Godot instantiates the class when it reads one.
 *
 * Errors: decoding throws only VariantDecodeError and encoding only
 * VariantEncodeError. Decoding checks every count against the bytes that are
 * left before allocating, and both directions stop at MAX_RECURSION_DEPTH; the
 * encoder also refuses cycles. Like Godot, bytesToVar ignores bytes after the
 * value; decodeVariant reports how many it used.
 */

import { GodotError } from '../godot-error.js';
import { ByteReader } from './byte-reader.js';
import { Decoder } from './decoder.js';
import { EncodeFailure } from './encode-failure.js';
import { Encoder } from './encoder.js';
import { VariantDecodeError, VariantEncodeError } from './errors.js';
import type { GodotGeneration } from './types.js';
import type { EncodableVariant, Variant } from './variant.js';

export interface VarToBytesOptions {
  /** Which Godot's format to write (default 4 for varToBytes, 3 for var2bytes). */
  readonly godot?: GodotGeneration;
  /** Godot's full_objects: allow GodotObject values (class name and properties). Default false. */
  readonly fullObjects?: boolean;
}

export interface BytesToVarOptions {
  /** Which Godot's format to read (default 4 for bytesToVar, 3 for bytes2var). */
  readonly godot?: GodotGeneration;
  /** Godot's allow_objects: accept full objects (class name and properties). Default false. */
  readonly allowObjects?: boolean;
}

export interface DecodedVariant {
  readonly value: Variant;
  /** Bytes the value took from `offset` on (Godot's r_len). */
  readonly length: number;
}

/** var_to_bytes: the value in Godot's binary format (Godot 4 unless `godot: 3`). */
export function varToBytes(value: EncodableVariant, options: VarToBytesOptions = {}): Uint8Array {
  const encoder = new Encoder(options.godot ?? 4, options.fullObjects ?? false);
  try {
    encoder.value(value, 0);
  } catch (error) {
    if (error instanceof EncodeFailure) throw new VariantEncodeError(error.code, error.message, `$${error.steps.join('')}`);
    if (error instanceof RangeError) throw new VariantEncodeError(GodotError.ERR_OUT_OF_MEMORY, `value too large or deep to encode: ${error.message}`, '$');
    throw error;
  }
  return encoder.out.result();
}

/** decode_variant: one value starting at `offset`, and how many bytes it took. */
export function decodeVariant(bytes: Uint8Array | ArrayBuffer, options: BytesToVarOptions = {}, offset = 0): DecodedVariant {
  const input = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(input instanceof Uint8Array)) throw new VariantDecodeError(GodotError.ERR_INVALID_PARAMETER, 'input is not a Uint8Array or ArrayBuffer', 0);
  if (!Number.isInteger(offset) || offset < 0 || offset > input.length) {
    throw new VariantDecodeError(GodotError.ERR_INVALID_PARAMETER, `offset ${offset} is outside the ${input.length} input bytes`, 0);
  }
  const reader = new ByteReader(input, offset);
  const decoder = new Decoder(reader, options.godot ?? 4, options.allowObjects ?? false);
  try {
    const value = decoder.value(0);
    return { value, length: reader.pos - offset };
  } catch (error) {
    if (error instanceof VariantDecodeError) throw error;
    // Only a bug or an exhausted stack can land here; keep the promise of one error type.
    const detail = error instanceof Error ? error.message : String(error);
    throw new VariantDecodeError(GodotError.ERR_BUG, `unexpected failure while decoding: ${detail}`, reader.pos);
  }
}

/** bytes_to_var: the value at the start of `bytes` (Godot 4 unless `godot: 3`); trailing bytes are ignored, as Godot does. */
export function bytesToVar(bytes: Uint8Array | ArrayBuffer, options: BytesToVarOptions = {}): Variant {
  return decodeVariant(bytes, options).value;
}

/** Godot 3's var2bytes: varToBytes with `godot: 3` unless told otherwise. */
export function var2bytes(value: EncodableVariant, options: VarToBytesOptions = {}): Uint8Array {
  return varToBytes(value, { godot: 3, ...options });
}

/** Godot 3's bytes2var: bytesToVar with `godot: 3` unless told otherwise. */
export function bytes2var(bytes: Uint8Array | ArrayBuffer, options: BytesToVarOptions = {}): Variant {
  return bytesToVar(bytes, { godot: 3, ...options });
}
