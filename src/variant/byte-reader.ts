/**
 * A bounds-checked little-endian cursor over untrusted bytes. Every read first
 * checks what is left and fails with VariantDecodeError, so no RangeError from
 * DataView can escape, and every count is checked against the bytes left before
 * anything is allocated for it.
 */

import { GodotError, VariantDecodeError } from './errors.js';
import type { GodotError as GodotErrorCode } from './errors.js';
import { LITTLE_ENDIAN_HOST } from './byte-writer.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class ByteReader {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  pos: number;

  constructor(input: Uint8Array, start = 0) {
    // A plain Uint8Array over the same memory: Buffer's slice() would return a view, not a copy.
    this.bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
    this.pos = start;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  fail(message: string, code?: GodotErrorCode, at = this.pos): never {
    throw new VariantDecodeError(code ?? GodotError.ERR_INVALID_DATA, message, at);
  }

  need(count: number, what: string): void {
    if (count > this.bytes.length - this.pos) this.fail(`${what} needs ${count} bytes but only ${this.remaining} are left`);
  }

  u32(what: string): number {
    this.need(4, what);
    const value = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }

  i32(what: string): number {
    this.need(4, what);
    const value = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return value;
  }

  i64(what: string): bigint {
    this.need(8, what);
    const value = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return value;
  }

  u64(what: string): bigint {
    this.need(8, what);
    const value = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return value;
  }

  f32(what: string): number {
    this.need(4, what);
    const value = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return value;
  }

  f64(what: string): number {
    this.need(8, what);
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /**
   * A count of things that take at least `minSize` bytes each: refused when
   * negative as Godot's int32 or when the bytes left could not hold that many.
   */
  count(what: string, minSize: number, value: number): number {
    if (value < 0 || value > 0x7fffffff) this.fail(`${what} ${value} is negative`, GodotError.ERR_INVALID_DATA, this.pos - 4);
    if (value * minSize > this.remaining) {
      this.fail(`${what} ${value} needs at least ${value * minSize} bytes but only ${this.remaining} are left`, GodotError.ERR_INVALID_DATA, this.pos - 4);
    }
    return value;
  }

  /** Godot's _decode_string: length, UTF-8 bytes, padding to 4; invalid UTF-8 is refused as Godot does. */
  string(what: string): string {
    const length = this.i32(`${what} length`);
    const padded = length + ((4 - (length % 4)) % 4);
    if (length < 0 || padded > this.remaining) {
      this.fail(`${what} of ${length} bytes runs past the end (${this.remaining} left)`, GodotError.ERR_FILE_EOF, this.pos - 4);
    }
    const text = this.utf8(this.bytes.subarray(this.pos, this.pos + length), what);
    this.pos += padded;
    return text;
  }

  utf8(slice: Uint8Array, what: string): string {
    // Short ASCII strings (names, keys) are most of a game packet: skip TextDecoder for them.
    if (slice.length <= 32) {
      let text = '';
      for (let i = 0; i < slice.length; i++) {
        const byte = slice[i]!;
        if (byte >= 0x80) return this.utf8Slow(slice, what);
        text += String.fromCharCode(byte);
      }
      return text;
    }
    return this.utf8Slow(slice, what);
  }

  private utf8Slow(slice: Uint8Array, what: string): string {
    try {
      return strictUtf8.decode(slice);
    } catch {
      return this.fail(`${what} is not valid UTF-8`);
    }
  }

  /** `count` bytes, copied so the result does not pin or alias the input. */
  take(count: number): Uint8Array {
    const copy = this.bytes.slice(this.pos, this.pos + count);
    this.pos += count;
    return copy;
  }

  /** `count` little-endian elements as a fresh typed array (the caller has checked them against `remaining`). */
  elements<K extends keyof ElementArrays>(count: number, kind: K): ElementArrays[K] {
    const size = ELEMENT_SIZES[kind];
    const start = this.pos;
    this.pos += count * size;
    if (LITTLE_ENDIAN_HOST) {
      const buffer = this.bytes.slice(start, this.pos).buffer;
      return new ELEMENT_CONSTRUCTORS[kind](buffer) as ElementArrays[K];
    }
    const out = new ELEMENT_CONSTRUCTORS[kind](count) as ElementArrays[K];
    for (let i = 0; i < count; i++) {
      const at = start + i * size;
      if (out instanceof BigInt64Array) out[i] = this.view.getBigInt64(at, true);
      else if (out instanceof Int32Array) out[i] = this.view.getInt32(at, true);
      else if (out instanceof Float32Array) out[i] = this.view.getFloat32(at, true);
      else out[i] = this.view.getFloat64(at, true);
    }
    return out;
  }
}

export interface ElementArrays {
  i32: Int32Array;
  i64: BigInt64Array;
  f32: Float32Array;
  f64: Float64Array;
}

const ELEMENT_SIZES: Record<keyof ElementArrays, number> = { i32: 4, i64: 8, f32: 4, f64: 8 };
const ELEMENT_CONSTRUCTORS = { i32: Int32Array, i64: BigInt64Array, f32: Float32Array, f64: Float64Array };
