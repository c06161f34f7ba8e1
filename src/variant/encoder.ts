/**
 * encode_variant: value → bytes. The JavaScript type of a value decides its
 * Godot type (the rules are in codec.ts); classes of the model are looked up by constructor.
 * Containers are checked for cycles and for nesting deeper than
 * MAX_RECURSION_DEPTH before anything inside them is written.
 */

import { GodotError } from '../godot-error.js';
import { ByteWriter } from './byte-writer.js';
import { EncodeFailure } from './encode-failure.js';
import { encodeOther } from './encode-other.js';
import { MATH_LAYOUTS, type ValueClass } from './math-codec.js';
import type { MathLayout } from './math-codec.js';
import { HEADER_FLAG_64, MAX_RECURSION_DEPTH, kindName, typeIdOf } from './types.js';
import type { GodotGeneration, VariantKind } from './types.js';

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export class Encoder {
  readonly out = new ByteWriter();
  /** Containers on the path from the root to the value being written: meeting one again is a cycle. */
  private readonly open = new Set<object>();

  constructor(
    readonly generation: GodotGeneration,
    readonly fullObjects: boolean,
  ) {}

  fail(message: string, code: GodotError = GodotError.ERR_INVALID_PARAMETER): never {
    throw new EncodeFailure(code, message);
  }

  /** Writes the 32-bit header of `kind`, refusing kinds the generation does not have. */
  header(kind: VariantKind, flags = 0): void {
    const id = typeIdOf(kind, this.generation);
    if (id === undefined) this.fail(`${kind} does not exist in Godot ${this.generation}`);
    this.out.u32(id | flags);
  }

  value(value: unknown, depth: number): void {
    switch (typeof value) {
      case 'boolean':
        this.header('BOOL');
        this.out.u32(value ? 1 : 0);
        return;
      case 'number':
        if ((value | 0) === value && !Object.is(value, -0)) {
          this.header('INT');
          this.out.i32(value);
        } else if (Number.isSafeInteger(value) && !Object.is(value, -0)) this.int(BigInt(value), false);
        else this.float(value, undefined);
        return;
      case 'bigint':
        this.int(value, false);
        return;
      case 'string':
        this.header('STRING');
        this.string(value);
        return;
      case 'object':
        if (value === null) this.header('NIL');
        else this.object(value, depth);
        return;
      default:
        this.fail(`a ${typeof value} has no Godot type`);
    }
  }

  int(value: bigint, force64: boolean): void {
    if (value < INT64_MIN || value > INT64_MAX) this.fail(`int ${value} does not fit in Godot's 64-bit int`);
    // Godot writes 64 bits only when the value does not fit in 32 (marshalls.cpp, INT).
    const wide = force64 || value < INT32_MIN || value > INT32_MAX;
    this.header('INT', wide ? HEADER_FLAG_64 : 0);
    if (wide) this.out.i64(value);
    else this.out.i32(Number(value));
  }

  float(value: unknown, bits: 32 | 64 | undefined): void {
    if (typeof value !== 'number') this.fail(`a float's value must be a number, not ${typeof value}`);
    if (bits !== undefined && bits !== 32 && bits !== 64) this.fail(`a float is 32 or 64 bits wide, not ${String(bits)}`);
    // Godot writes a double only when float32 would change the value; NaN != NaN, so NaN is a double too.
    const wide = (bits ?? (Math.fround(value) === value ? 32 : 64)) === 64;
    this.header('FLOAT', wide ? HEADER_FLAG_64 : 0);
    if (wide) this.out.f64(value);
    else this.out.f32(value);
  }

  string(text: unknown, terminated = false): void {
    if (typeof text !== 'string') this.fail(`expected a string, not ${typeof text}`);
    if (!isWellFormed(text)) this.fail('string has a lone UTF-16 surrogate, which UTF-8 cannot carry');
    this.out.string(text, terminated);
  }

  math(layout: MathLayout, value: object, double: boolean): void {
    if (double && this.generation === 3) this.fail(`Godot 3 has no double-precision ${kindName(layout.kind, 3)}`);
    this.header(layout.kind, double ? HEADER_FLAG_64 : 0);
    for (const component of layout.flatten(value as never)) {
      if (typeof component !== 'number') this.fail(`${layout.kind} component must be a number, not ${typeof component}`);
      if (layout.int) {
        if (!Number.isInteger(component) || component < INT32_MIN || component > INT32_MAX) {
          this.fail(`${layout.kind} component ${component} is not an int32`);
        }
        this.out.i32(component);
      } else if (double) this.out.f64(component);
      else this.out.f32(component);
    }
  }

  /** Enters a container: refuses cycles and excess depth, runs `body`, leaves. */
  container(value: object, depth: number, body: () => void): void {
    if (depth > MAX_RECURSION_DEPTH) this.fail(`nested deeper than Godot's MAX_RECURSION_DEPTH (${MAX_RECURSION_DEPTH})`, GodotError.ERR_OUT_OF_MEMORY);
    if (this.open.has(value)) this.fail('contains itself; Godot cannot encode a cycle', GodotError.ERR_OUT_OF_MEMORY);
    this.open.add(value);
    try {
      body();
    } finally {
      this.open.delete(value);
    }
  }

  items(items: readonly unknown[], depth: number): void {
    this.out.u32(items.length);
    for (let i = 0; i < items.length; i++) {
      try {
        this.value(items[i], depth + 1);
      } catch (error) {
        throw located(error, `[${i}]`);
      }
    }
  }

  entries(entries: Iterable<readonly [unknown, unknown]>, size: number, depth: number): void {
    this.out.u32(size);
    for (const [key, item] of entries) {
      try {
        this.value(key, depth + 1);
      } catch (error) {
        throw located(error, '.keys()');
      }
      try {
        this.value(item, depth + 1);
      } catch (error) {
        throw located(error, `.get(${describeKey(key)})`);
      }
    }
  }

  private object(value: object, depth: number): void {
    if (Array.isArray(value)) {
      this.container(value, depth, () => {
        this.header('ARRAY');
        this.items(value, depth);
      });
      return;
    }
    if (value instanceof Map) {
      this.container(value, depth, () => {
        this.header('DICTIONARY');
        this.entries(value, value.size, depth);
      });
      return;
    }
    const layout = MATH_LAYOUTS.get(value.constructor as ValueClass);
    if (layout !== undefined) {
      this.math(layout, value, false);
      return;
    }
    if (encodeOther(this, value, depth)) return;
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype === Object.prototype || prototype === null) {
      const record = Object.entries(value);
      this.container(value, depth, () => {
        this.header('DICTIONARY');
        this.entries(record, record.length, depth);
      });
      return;
    }
    this.fail(`${value.constructor?.name ?? 'this object'} has no Godot type`);
  }
}

/** The failure with one more step of its location, the way within() does it, without a closure per element. */
function located(error: unknown, step: string): unknown {
  if (error instanceof EncodeFailure) error.steps.unshift(step);
  return error;
}

const nativeIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

function isWellFormed(text: string): boolean {
  return nativeIsWellFormed !== undefined ? nativeIsWellFormed.call(text) : !LONE_SURROGATE.test(text);
}

function describeKey(key: unknown): string {
  if (typeof key === 'string') return JSON.stringify(key);
  if (typeof key === 'number' || typeof key === 'bigint' || typeof key === 'boolean' || key === null) return String(key);
  return 'key';
}
