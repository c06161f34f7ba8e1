/**
 * The non-math values of the model: wrappers that pin down how a number or a
 * math value is written, Godot's reference-like types, typed containers and the
 * packed arrays that have no JavaScript typed array of their own.
 */

import type { RealMath } from './math-values.js';
import type { Variant } from './variant.js';

/**
 * A Godot float whose JavaScript number alone would not say so: an integral value
 * (3.0, -0.0) that a plain number would send as an int, or a width other than the
 * one Godot picks (Godot writes a float as 32-bit when float32 holds it exactly,
 * else as 64-bit). `bits` undefined means "Godot's choice".
 */
export class GodotFloat {
  constructor(
    readonly value: number,
    readonly bits: 32 | 64 | undefined = undefined,
  ) {}
}

/** An int written in 64 bits even though it fits in 32 (Godot itself only does so when it does not fit). */
export class Int64 {
  constructor(readonly value: bigint) {}
}

/**
 * A math value written as a double-precision (REAL_T_IS_DOUBLE) build writes it:
 * header flag 64 and every real_t component as a double (Godot 4 only).
 */
export class DoublePrecision<T extends RealMath = RealMath> {
  constructor(readonly value: T) {}
}

/** Godot 4's StringName; on the wire it is a string with its own type id. */
export class StringName {
  constructor(readonly name: string) {}
}

/** A NodePath as Godot stores it: node names, then property subnames, and whether it starts at the root. */
export class NodePath {
  constructor(
    readonly names: readonly string[],
    readonly subnames: readonly string[] = [],
    readonly absolute: boolean = false,
  ) {}

  /** Splits `/root/Player:position:x` as Godot's NodePath(String) does for plain paths. */
  static parse(path: string): NodePath {
    const absolute = path.startsWith('/');
    const [nodes = '', ...subnames] = path.split(':');
    const names = nodes.split('/').filter((name) => name !== '');
    return new NodePath(names, subnames.filter((name) => name !== ''), absolute);
  }

  toString(): string {
    const nodes = (this.absolute ? '/' : '') + this.names.join('/');
    return this.subnames.length === 0 ? nodes : `${nodes}:${this.subnames.join(':')}`;
  }
}

/** A server resource id. Godot 3 sends no id at all (it always arrives as 0). */
export class RID {
  constructor(readonly id: bigint = 0n) {}
}

/** An object sent as its instance id (Godot's EncodedObjectAsID); id 0 is a null object. */
export class ObjectId {
  constructor(readonly id: bigint) {}
}

/**
 * An object sent whole: its class name and its stored properties in Godot's
 * order. Only sent with `fullObjects` and only accepted with `allowObjects`,
 * because Godot instantiates the class and sets the properties on receipt. An
 * empty class name is a null object and carries no properties.
 */
export class GodotObject {
  constructor(
    readonly className: string,
    readonly properties: ReadonlyMap<string, Variant> = new Map(),
  ) {}
}

/** Godot 4 sends a Callable as its type id alone and receives an empty Callable. */
export class Callable {}

/** Godot 4's Signal: a signal name on an object id. */
export class Signal {
  constructor(
    readonly name: string,
    readonly objectId: bigint,
  ) {}
}

/**
 * The element type of a Godot 4 typed container: a built-in type id (Godot 4
 * VariantType), a native class name, or a script path. A script only goes out
 * with full objects; otherwise Godot writes a class name instead.
 */
export type ContainerType = { readonly builtin: number } | { readonly className: string } | { readonly script: string };

/** Godot 4's `Array[T]`. Element values are not checked against T. */
export class TypedArray {
  constructor(
    readonly elementType: ContainerType,
    readonly items: readonly Variant[],
  ) {}
}

/** Godot 4's `Dictionary[K, V]`; null is an untyped side. Entries are not checked against K and V. */
export class TypedDictionary {
  constructor(
    readonly keyType: ContainerType | null,
    readonly valueType: ContainerType | null,
    readonly entries: ReadonlyMap<Variant, Variant>,
  ) {}
}

/** PackedStringArray (Godot 3 PoolStringArray); a plain string[] is an Array of Strings. */
export class PackedStringArray {
  constructor(readonly values: readonly string[]) {}
}

/**
 * Packed vector arrays keep their components flat (x0, y0, x1, y1, ...). A
 * Float64Array is a double-precision build's array (header flag 64, Godot 4 only).
 */
export class PackedVector2Array {
  constructor(readonly data: Float32Array | Float64Array) {}
}

export class PackedVector3Array {
  constructor(readonly data: Float32Array | Float64Array) {}
}

/** Godot 4.3+. */
export class PackedVector4Array {
  constructor(readonly data: Float32Array | Float64Array) {}
}

/** Flat r, g, b, a floats; always single precision. */
export class PackedColorArray {
  constructor(readonly data: Float32Array) {}
}
