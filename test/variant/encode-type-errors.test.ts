// Values built from untyped JavaScript with the wrong kind of field: varToBytes
// refuses them with ERR_INVALID_PARAMETER and a path to the bad part, and the
// decoder's input checks; a RangeError while encoding (an exhausted stack) is
// ERR_OUT_OF_MEMORY; anything else is a caller's bug and is rethrown as is.

import { describe, expect, it } from 'vitest';
import { GodotError } from '../../src/godot-error.js';
import {
  bytesToVar,
  decodeVariant,
  GodotFloat,
  Int64,
  ObjectId,
  PackedVector2Array,
  RID,
  StringName,
  VariantDecodeError,
  VariantEncodeError,
  varToBytes,
} from '../../src/variant/index.js';

function encodeError(value: unknown): VariantEncodeError {
  try {
    varToBytes(value as never);
  } catch (error) {
    expect(error).toBeInstanceOf(VariantEncodeError);
    return error as VariantEncodeError;
  }
  throw new Error('expected a VariantEncodeError');
}

describe('wrongly typed fields', () => {
  it.each([
    ['a GodotFloat holding a string', new GodotFloat('1.5' as never), "a float's value must be a number, not string"],
    ['an Int64 holding a number', new Int64(5 as never), 'Int64 holds a bigint, not number'],
    ['a negative ObjectId', new ObjectId(-1n), 'id -1 is not a bigint in 0 .. 2^64-1'],
    ['a RID holding a number', new RID(5 as never), 'id 5 is not a bigint in 0 .. 2^64-1'],
    ['a PackedVector2Array over an Int32Array', new PackedVector2Array(new Int32Array(2) as never), 'PACKED_VECTOR2_ARRAY data must be a Float32Array or a Float64Array'],
    ['a StringName holding a number', new StringName(5 as never), 'expected a string, not number'],
  ])('%s is ERR_INVALID_PARAMETER', (_name, value, message) => {
    const error = encodeError(value);
    expect(error.code).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(error.message).toBe(`${message} (at $)`);
  });

  it('an object of no Godot type is named by its class, or as "this object" without one', () => {
    expect(encodeError(Object.create({})).message).toBe('Object has no Godot type (at $)');
    expect(encodeError(Object.create(Object.create(null))).message).toBe('this object has no Godot type (at $)');
  });
});

describe('the path to a bad dictionary value names its key', () => {
  it.each([
    [7, '$.get(7)'],
    [5n, '$.get(5)'],
    [true, '$.get(true)'],
    [null, '$.get(null)'],
    [[1], '$.get(key)'],
  ])('key %o', (key, path) => {
    const error = encodeError(new Map<unknown, unknown>([[key, Symbol('bad')]]));
    expect(error.message).toBe(`a symbol has no Godot type (at ${path})`);
    expect(error.path).toBe(path);
  });

  it('a bad key itself is located at .keys()', () => {
    expect(encodeError(new Map([[Symbol('k'), 1]])).path).toBe('$.keys()');
  });

  it('a plain object without a prototype is a dictionary too', () => {
    const record = Object.assign(Object.create(null) as object, { a: Symbol('x') });
    expect(encodeError(record).path).toBe('$.get("a")');
  });
});

describe('failures that are not about the value', () => {
  it('a RangeError while encoding (an exhausted stack) is ERR_OUT_OF_MEMORY', () => {
    const deep = new Proxy({}, {
      getPrototypeOf() {
        throw new RangeError('Maximum call stack size exceeded');
      },
    });
    const error = encodeError(deep);
    expect(error.code).toBe(GodotError.ERR_OUT_OF_MEMORY);
    expect(error.message).toBe('value too large or deep to encode: Maximum call stack size exceeded (at $)');
  });

  it("any other error is the caller's and is rethrown unchanged", () => {
    const trap = new TypeError('trap');
    const hostile = new Proxy({}, {
      getPrototypeOf() {
        throw trap;
      },
    });
    expect(() => varToBytes(hostile as never)).toThrow(trap);
  });
});

describe('decoder input checks', () => {
  it('takes an ArrayBuffer as well as a Uint8Array', () => {
    expect(bytesToVar(new Uint8Array(varToBytes(5)).buffer)).toBe(5);
  });

  it.each([99, -1, 1.5])('an offset outside the input (%d) is ERR_INVALID_PARAMETER', (offset) => {
    expect(() => decodeVariant(varToBytes(5), {}, offset)).toThrow(VariantDecodeError);
    expect(() => decodeVariant(varToBytes(5), {}, offset)).toThrow(`offset ${offset} is outside the 8 input bytes`);
  });

  it('input that is not bytes is ERR_INVALID_PARAMETER', () => {
    try {
      decodeVariant('abc' as never);
      throw new Error('expected a VariantDecodeError');
    } catch (error) {
      expect(error).toBeInstanceOf(VariantDecodeError);
      expect((error as VariantDecodeError).code).toBe(GodotError.ERR_INVALID_PARAMETER);
    }
  });
});
