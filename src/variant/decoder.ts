/**
 * decode_variant: bytes → value, with Godot's checks and a few more (every count
 * is checked against the bytes left before anything is allocated, and nesting is
 * bounded in both generations). Values come back in the canonical form of the
 * model, the one that encodes back to the same bytes Godot wrote.
 */

import { GodotError } from '../godot-error.js';
import { ByteReader } from './byte-reader.js';
import { decodeContainer } from './decode-containers.js';
import { decodePacked } from './decode-packed.js';
import { MATH_LAYOUTS_BY_KIND } from './math-codec.js';
import type { MathLayout } from './math-codec.js';
import { Callable, DoublePrecision, GodotFloat, GodotObject, Int64, NodePath, ObjectId, RID, Signal, StringName } from './other-values.js';
import type { RealMath } from './math-values.js';
import { HEADER_FLAG_64, HEADER_FLAG_OBJECT_AS_ID, HEADER_TYPE_MASK, MAX_RECURSION_DEPTH, kindOfTypeId } from './types.js';
import type { GodotGeneration } from './types.js';
import type { Variant } from './variant.js';

// Module-local copies of the constants the per-value path reads.
const MAX_DEPTH = MAX_RECURSION_DEPTH;
const TYPE_MASK = HEADER_TYPE_MASK;
const FLAG_64 = HEADER_FLAG_64;
const FLAG_OBJECT_AS_ID = HEADER_FLAG_OBJECT_AS_ID;

const INT32_MIN = -0x80000000n;
const INT32_MAX = 0x7fffffffn;

export class Decoder {
  constructor(
    readonly reader: ByteReader,
    readonly generation: GodotGeneration,
    readonly allowObjects: boolean,
  ) {}

  value(depth: number): Variant {
    const r = this.reader;
    if (depth > MAX_DEPTH) r.fail(`values nest deeper than MAX_RECURSION_DEPTH (${MAX_RECURSION_DEPTH})`, GodotError.ERR_OUT_OF_MEMORY);
    const start = r.pos;
    const header = r.u32('type header');
    const kind = kindOfTypeId(header & TYPE_MASK, this.generation);
    if (kind === undefined) return r.fail(`type id ${header & TYPE_MASK} is not a Godot ${this.generation} type`, GodotError.ERR_INVALID_DATA, start);
    const wide = (header & FLAG_64) !== 0;
    switch (kind) {
      case 'NIL':
        return null;
      case 'BOOL':
        return r.u32('bool') !== 0;
      case 'INT':
        return wide ? int64(r.i64('64-bit int')) : r.i32('int');
      case 'FLOAT':
        return wide ? float(r.f64('64-bit float'), 64) : float(r.f32('float'), 32);
      case 'STRING':
        return r.string('String');
      case 'STRING_NAME':
        return new StringName(r.string('StringName'));
      case 'NODE_PATH':
        return this.nodePath();
      case 'RID':
        return this.generation === 4 ? new RID(r.u64('RID')) : new RID();
      case 'OBJECT':
        return (header & FLAG_OBJECT_AS_ID) !== 0 ? new ObjectId(r.u64('object id')) : this.fullObject(start, depth);
      case 'CALLABLE':
        return new Callable();
      case 'SIGNAL':
        return new Signal(r.string('Signal name'), r.u64('Signal object id'));
      case 'ARRAY':
      case 'DICTIONARY':
        return decodeContainer(this, kind, header, depth);
      default: {
        const layout = MATH_LAYOUTS_BY_KIND.get(kind);
        if (layout !== undefined) return this.math(layout, wide);
        return decodePacked(this, kind, wide);
      }
    }
  }

  private math(layout: MathLayout, wide: boolean): Variant {
    const r = this.reader;
    // Godot 3 has no double builds and ignores the flag; Color and the int vectors never carry it.
    const double = wide && layout.real && this.generation === 4;
    const size = double ? 8 : 4;
    r.need(layout.count * size, layout.kind);
    const components: number[] = [];
    for (let i = 0; i < layout.count; i++) {
      components.push(layout.int ? r.i32(layout.kind) : double ? r.f64(layout.kind) : r.f32(layout.kind));
    }
    const value = layout.build(components) as Variant;
    return double ? new DoublePrecision(value as RealMath) : value;
  }

  private nodePath(): NodePath {
    const r = this.reader;
    const first = r.u32('NodePath name count');
    // Without the high bit it would be the pre-3.0 format (one string), which Godot refuses too.
    if ((first & 0x80000000) === 0) r.fail('NodePath in the obsolete string format', GodotError.ERR_INVALID_DATA, r.pos - 4);
    const nameCount = first & 0x7fffffff;
    let subnameCount = r.u32('NodePath subname count');
    const flags = r.u32('NodePath flags');
    if ((flags & 2) !== 0) subnameCount++; // obsolete format: the property is one more subname
    const total = nameCount + subnameCount;
    if (total * 4 > r.remaining) r.fail(`NodePath of ${total} names needs at least ${total * 4} bytes but only ${r.remaining} are left`);
    const names: string[] = [];
    const subnames: string[] = [];
    for (let i = 0; i < total; i++) (i < nameCount ? names : subnames).push(r.string('NodePath name'));
    return new NodePath(names, subnames, (flags & 1) !== 0);
  }

  private fullObject(start: number, depth: number): GodotObject {
    const r = this.reader;
    if (!this.allowObjects) {
      r.fail('a full object (class name and properties) arrived but allowObjects is false, as Godot refuses it', GodotError.ERR_UNAUTHORIZED, start);
    }
    const className = r.string('object class name');
    const properties = new Map<string, Variant>();
    if (className === '') return new GodotObject('', properties);
    const count = r.count('object property count', 8, r.i32('object property count'));
    for (let i = 0; i < count; i++) {
      const name = r.string('object property name');
      properties.set(name, this.value(depth + 1));
    }
    return new GodotObject(className, properties);
  }
}

/**
 * A 64-bit int: a number when it is a safe integer, else a bigint. Godot only
 * uses 64 bits for values outside int32, so one inside comes back as Int64 to
 * be written the same way again.
 */
function int64(value: bigint): number | bigint | Int64 {
  if (value >= INT32_MIN && value <= INT32_MAX) return new Int64(value);
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value;
}

/** A float: a plain number when a number would encode to these very bytes, else a GodotFloat saying what differs. */
function float(value: number, bits: 32 | 64): number | GodotFloat {
  const godotBits = Math.fround(value) === value ? 32 : 64;
  const numberWouldBeInt = Number.isSafeInteger(value) && !Object.is(value, -0);
  if (bits !== godotBits) return new GodotFloat(value, bits);
  return numberWouldBeInt ? new GodotFloat(value) : value;
}
