// fast-check arbitraries of canonical values (the form bytesToVar returns) of every
// type, per generation: for these decode(encode(v)) must deep-equal v.

import fc from 'fast-check';
import {
  AABB,
  Basis,
  Callable,
  Color,
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
  Plane,
  Projection,
  Quaternion,
  Rect2,
  Rect2i,
  RID,
  Signal,
  StringName,
  Transform2D,
  Transform3D,
  TypedArray,
  TypedDictionary,
  Vector2,
  Vector2i,
  Vector3,
  Vector3i,
  Vector4,
  Vector4i,
} from '../../../src/variant/index.js';
import type { ContainerType, GodotGeneration, RealMath, Variant } from '../../../src/variant/index.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** What an int decodes to: a number when safe, else a bigint. */
const canonicalInt = (value: bigint): number | bigint => (Number.isSafeInteger(Number(value)) && BigInt(Number(value)) === value ? Number(value) : value);

export const intArbitrary: fc.Arbitrary<Variant> = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 2147483647, -2147483648, 2147483648, -2147483649, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
  fc.bigInt(INT64_MIN, INT64_MAX).map(canonicalInt),
  fc.constantFrom(INT64_MIN, INT64_MAX, 2n ** 53n + 1n),
  fc.bigInt(-(2n ** 31n), 2n ** 31n - 1n).map((value) => new Int64(value)),
);

/** What a float decodes to: the number itself unless a plain number would be sent as an int. */
const canonicalFloat = (value: number): number | GodotFloat => (Number.isSafeInteger(value) && !Object.is(value, -0) ? new GodotFloat(value) : value);

export const floatArbitrary: fc.Arbitrary<Variant> = fc.oneof(
  fc.double().map(canonicalFloat),
  fc.float().map(canonicalFloat),
  fc.constantFrom(0.5, -0, NaN, Infinity, -Infinity, 3, 16777217).map(canonicalFloat),
  // Widths Godot would not pick: a float32 value sent as a double, a NaN sent as a float.
  fc.float({ noNaN: true }).map((value) => new GodotFloat(value, 64)),
  fc.constant(new GodotFloat(NaN, 32)),
);

export const stringArbitrary = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 12 }));

const f32 = fc.float();
const f64 = fc.double();
const i32 = fc.integer();
const u64 = fc.bigInt(0n, 2n ** 64n - 1n);

/** One arbitrary per real_t math type, by Godot 4 kind name. */
function realMath(real: fc.Arbitrary<number>): Record<string, fc.Arbitrary<RealMath>> {
  const v2 = fc.tuple(real, real).map(([x, y]) => new Vector2(x, y));
  const v3 = fc.tuple(real, real, real).map(([x, y, z]) => new Vector3(x, y, z));
  const v4 = fc.tuple(real, real, real, real).map(([x, y, z, w]) => new Vector4(x, y, z, w));
  const basis = fc.tuple(v3, v3, v3).map(([x, y, z]) => new Basis(x, y, z));
  return {
    VECTOR2: v2,
    VECTOR3: v3,
    VECTOR4: v4,
    RECT2: fc.tuple(v2, v2).map(([p, s]) => new Rect2(p, s)),
    TRANSFORM2D: fc.tuple(v2, v2, v2).map(([x, y, o]) => new Transform2D(x, y, o)),
    PLANE: fc.tuple(v3, real).map(([n, d]) => new Plane(n, d)),
    QUATERNION: fc.tuple(real, real, real, real).map(([x, y, z, w]) => new Quaternion(x, y, z, w)),
    AABB: fc.tuple(v3, v3).map(([p, s]) => new AABB(p, s)),
    BASIS: basis,
    TRANSFORM3D: fc.tuple(basis, v3).map(([b, o]) => new Transform3D(b, o)),
    PROJECTION: fc.tuple(v4, v4, v4, v4).map(([x, y, z, w]) => new Projection(x, y, z, w)),
  };
}

const GODOT3_MATH = ['VECTOR2', 'VECTOR3', 'RECT2', 'TRANSFORM2D', 'PLANE', 'QUATERNION', 'AABB', 'BASIS', 'TRANSFORM3D'];

function intMath(): fc.Arbitrary<Variant> {
  const v2i = fc.tuple(i32, i32).map(([x, y]) => new Vector2i(x, y));
  return fc.oneof(
    v2i,
    fc.tuple(v2i, v2i).map(([p, s]) => new Rect2i(p, s)),
    fc.tuple(i32, i32, i32).map(([x, y, z]) => new Vector3i(x, y, z)),
    fc.tuple(i32, i32, i32, i32).map(([x, y, z, w]) => new Vector4i(x, y, z, w)),
  );
}

const flat = (width: number, element: fc.Arbitrary<number>) =>
  fc.array(fc.array(element, { minLength: width, maxLength: width }), { maxLength: 6 }).map((items) => items.flat());

/** Elements that survive: Godot's terminating NUL is stripped on the way back, so none may end in one. */
const packedString = stringArbitrary.filter((text) => !text.endsWith('\0'));

function leaves(generation: GodotGeneration): fc.Arbitrary<Variant> {
  const common: fc.Arbitrary<Variant>[] = [
    fc.constant(null),
    fc.boolean(),
    intArbitrary,
    floatArbitrary,
    stringArbitrary,
    fc.tuple(f32, f32, f32, f32).map(([r, g, b, a]) => new Color(r, g, b, a)),
    fc
      .tuple(fc.array(stringArbitrary, { maxLength: 3 }), fc.array(stringArbitrary, { maxLength: 3 }), fc.boolean())
      .map(([names, subnames, absolute]) => new NodePath(names, subnames, absolute)),
    u64.map((id) => new ObjectId(id)),
    fc.uint8Array({ maxLength: 20 }),
    fc.int32Array({ maxLength: 8 }),
    fc.float32Array({ maxLength: 8 }),
    fc.array(packedString, { maxLength: 4 }).map((values) => new PackedStringArray(values)),
    flat(2, f32).map((data) => new PackedVector2Array(new Float32Array(data))),
    flat(3, f32).map((data) => new PackedVector3Array(new Float32Array(data))),
    flat(4, f32).map((data) => new PackedColorArray(new Float32Array(data))),
  ];
  const single = realMath(f32);
  if (generation === 3) {
    return fc.oneof(...common, ...GODOT3_MATH.map((kind) => single[kind]!), fc.constant(new RID()));
  }
  return fc.oneof(
    ...common,
    ...Object.values(single),
    fc.oneof(...Object.values(realMath(f64))).map((value) => new DoublePrecision(value)),
    intMath(),
    stringArbitrary.map((name) => new StringName(name)),
    u64.map((id) => new RID(id)),
    fc.constant(new Callable()),
    fc.tuple(stringArbitrary, u64).map(([name, id]) => new Signal(name, id)),
    fc.bigInt64Array({ maxLength: 6 }),
    fc.float64Array({ maxLength: 6 }),
    flat(2, f64).map((data) => new PackedVector2Array(new Float64Array(data))),
    flat(3, f64).map((data) => new PackedVector3Array(new Float64Array(data))),
    flat(4, f32).map((data) => new PackedVector4Array(new Float32Array(data))),
    flat(4, f64).map((data) => new PackedVector4Array(new Float64Array(data))),
  );
}

/** Keys whose Map identity survives: no -0 (a Map turns it into 0) and no NaN (all NaNs are one key). */
const keyArbitrary: fc.Arbitrary<Variant> = fc.oneof(stringArbitrary, fc.integer(), stringArbitrary.map((name) => new StringName(name)), fc.constant(null));

export const containerTypeArbitrary: fc.Arbitrary<ContainerType> = fc.oneof(
  fc.integer({ min: 0, max: 38 }).map((builtin) => ({ builtin })),
  stringArbitrary.map((className) => ({ className })),
  stringArbitrary.map((script) => ({ script })),
);

export interface VariantArbitraryOptions {
  readonly generation: GodotGeneration;
  /** Include GodotObject values (they need fullObjects and allowObjects). */
  readonly objects?: boolean;
}

/** Any canonical value of the generation, nested up to a few levels. */
export function variantArbitrary({ generation, objects = false }: VariantArbitraryOptions): fc.Arbitrary<Variant> {
  const keyGen = generation === 3 ? fc.oneof(stringArbitrary, fc.integer(), fc.constant(null)) : keyArbitrary;
  const { value } = fc.letrec<{ value: Variant }>((tie) => {
    const child = tie('value');
    const containers: fc.Arbitrary<Variant>[] = [
      fc.array(child, { maxLength: 4 }),
      fc.array(fc.tuple(keyGen, child), { maxLength: 4 }).map((entries) => new Map(entries)),
    ];
    if (generation === 4) {
      const optionalType = fc.option(containerTypeArbitrary, { nil: null });
      containers.push(fc.tuple(containerTypeArbitrary, fc.array(child, { maxLength: 3 })).map(([type, items]) => new TypedArray(type, items)));
      containers.push(
        fc
          .tuple(optionalType, optionalType, fc.array(fc.tuple(keyGen, child), { maxLength: 3 }))
          .filter(([k, v]) => k !== null || v !== null)
          .map(([k, v, entries]) => new TypedDictionary(k, v, new Map(entries))),
      );
    }
    if (objects) {
      containers.push(
        fc
          .tuple(stringArbitrary.filter((name) => name !== ''), fc.array(fc.tuple(stringArbitrary, child), { maxLength: 3 }))
          .map(([className, properties]) => new GodotObject(className, new Map(properties))),
        fc.constant(new GodotObject('')),
      );
    }
    // Leaves weigh as much as all containers together, so every leaf type shows up often.
    const leaf = { arbitrary: leaves(generation), weight: containers.length * 2 };
    return { value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, ...containers.map((arbitrary) => ({ arbitrary, weight: 1 }))) };
  });
  return value;
}
