/**
 * The argument block of Godot 4's rpc packets (MultiplayerAPI's
 * encode_and_compress_variants / decode_and_decompress_variants in
 * scene/main/multiplayer_api.cpp).
 *
 * Each argument starts with a meta byte: the Variant type in its low 6 bits
 * and an encoding mode in the top 2. Two types are compressed:
 * - bool: the single meta byte, value in bit 7 (`01` false, `81` true);
 * - int: meta byte (mode 0/1/2/3 = 8/16/32/64 bits) then the signed value, LE,
 *   in the smallest of those widths that holds it.
 * Every other type is the ordinary Godot 4 Variant encoding (its first byte is
 * the type already, so the meta byte is the header's first byte).
 *
 * The rpc packet sets its "byte only or no args" flag for zero arguments or
 * for exactly one PackedByteArray, which then travels as its raw bytes.
 */

import { GodotError } from '../../godot-error.js';
import { decodeVariant, varToBytes } from '../../variant/codec.js';
import { VariantDecodeError, VariantEncodeError } from '../../variant/errors.js';
import { VariantType } from '../../variant/types.js';
import type { EncodableVariant, Variant } from '../../variant/variant.js';

const TYPE_MASK = 0x3f;
const MODE_SHIFT = 6;
const BOOL_TRUE = 0x80;

/** A packet (or part of one) that does not follow SceneMultiplayer's rules; decoders return it instead of throwing. */
export class ScenePacketError {
  constructor(
    readonly code: GodotError,
    readonly message: string,
  ) {}
}

/** Whether Godot sends these arguments byte-only: none, or exactly one PackedByteArray (a Uint8Array in gdws' value model). */
export function isByteOnly(args: readonly EncodableVariant[]): boolean {
  return args.length === 0 || (args.length === 1 && isPackedByteArray(args[0]));
}

function isPackedByteArray(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

/** One argument, compressed as Godot does; throws VariantEncodeError when the value has no Godot 4 encoding. */
export function encodeCompressedVariant(value: EncodableVariant, allowObjects = false): Uint8Array {
  const plain = varToBytes(value, { godot: 4, fullObjects: allowObjects });
  const type = plain[0]!;
  const view = Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength);
  if (type === VariantType.BOOL) return Uint8Array.of((view.readUInt32LE(4) !== 0 ? BOOL_TRUE : 0) | VariantType.BOOL);
  if (type === VariantType.INT) {
    const int = plain.length >= 12 ? view.readBigInt64LE(4) : BigInt(view.readInt32LE(4));
    return compressInt(int);
  }
  return plain;
}

function compressInt(value: bigint): Uint8Array {
  if (value >= -0x80n && value <= 0x7fn) {
    const out = Buffer.allocUnsafe(2);
    out[0] = VariantType.INT;
    out.writeInt8(Number(value), 1);
    return out;
  }
  if (value >= -0x8000n && value <= 0x7fffn) {
    const out = Buffer.allocUnsafe(3);
    out[0] = (1 << MODE_SHIFT) | VariantType.INT;
    out.writeInt16LE(Number(value), 1);
    return out;
  }
  if (value >= -0x80000000n && value <= 0x7fffffffn) {
    const out = Buffer.allocUnsafe(5);
    out[0] = (2 << MODE_SHIFT) | VariantType.INT;
    out.writeInt32LE(Number(value), 1);
    return out;
  }
  const out = Buffer.allocUnsafe(9);
  out[0] = (3 << MODE_SHIFT) | VariantType.INT;
  out.writeBigInt64LE(value, 1);
  return out;
}

/**
 * The argument bytes of an rpc packet (without the count byte). For a
 * byte-only call this is the PackedByteArray's bytes, or nothing.
 */
export function encodeArguments(args: readonly EncodableVariant[], allowObjects = false): Uint8Array {
  if (args.length === 0) return new Uint8Array(0);
  if (args.length === 1 && isPackedByteArray(args[0])) return args[0];
  const parts = args.map((arg) => encodeCompressedVariant(arg, allowObjects));
  return Buffer.concat(parts);
}

/** One compressed argument at `offset`: its value and length, or why it cannot be read. */
export function decodeCompressedVariant(bytes: Uint8Array, offset: number, allowObjects = false): { value: Variant; length: number } | ScenePacketError {
  if (offset >= bytes.length) return new ScenePacketError(GodotError.ERR_INVALID_DATA, 'argument missing: the packet ends before it');
  const meta = bytes[offset]!;
  const type = meta & TYPE_MASK;
  const mode = meta >> MODE_SHIFT;
  if (type === VariantType.BOOL) return { value: (meta & BOOL_TRUE) !== 0, length: 1 };
  if (type === VariantType.INT) {
    const width = 1 << mode;
    if (offset + 1 + width > bytes.length) return new ScenePacketError(GodotError.ERR_INVALID_DATA, `int argument needs ${width} bytes after its meta byte`);
    const view = Buffer.from(bytes.buffer, bytes.byteOffset + offset + 1, width);
    let value: number | bigint;
    if (width === 1) value = view.readInt8(0);
    else if (width === 2) value = view.readInt16LE(0);
    else if (width === 4) value = view.readInt32LE(0);
    else {
      const big = view.readBigInt64LE(0);
      value = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    }
    return { value, length: 1 + width };
  }
  try {
    const decoded = decodeVariant(bytes, { godot: 4, allowObjects }, offset);
    return { value: decoded.value, length: decoded.length };
  } catch (error) {
    if (error instanceof VariantDecodeError) return new ScenePacketError(error.code, `argument cannot be decoded: ${error.message}`);
    return new ScenePacketError(GodotError.ERR_BUG, `argument cannot be decoded: ${String(error)}`);
  }
}

/**
 * The arguments in `bytes[offset, end)`. Byte-only: none when the range is
 * empty, else one PackedByteArray (a copy). Otherwise the first byte is the
 * count; bytes after the last argument are ignored, as Godot does.
 */
export function decodeArguments(bytes: Uint8Array, offset: number, end: number, byteOnly: boolean, allowObjects = false): Variant[] | ScenePacketError {
  // Like Godot, an empty PackedByteArray sent alone arrives as no argument at all.
  if (byteOnly) return offset < end ? [new Uint8Array(bytes.subarray(offset, end))] : [];
  if (offset >= end) return new ScenePacketError(GodotError.ERR_INVALID_DATA, 'argument count missing');
  const count = bytes[offset]!;
  let position = offset + 1;
  // Every argument takes at least one byte: refuse counts the packet cannot hold before allocating.
  if (count > end - position) return new ScenePacketError(GodotError.ERR_INVALID_DATA, `${count} arguments announced but only ${end - position} bytes follow`);
  const region = bytes.subarray(0, end);
  const args: Variant[] = [];
  for (let i = 0; i < count; i++) {
    const decoded = decodeCompressedVariant(region, position, allowObjects);
    if (decoded instanceof ScenePacketError) return new ScenePacketError(decoded.code, `argument ${i}: ${decoded.message}`);
    args.push(decoded.value);
    position += decoded.length;
  }
  return args;
}

export { VariantEncodeError };
