/**
 * Wire layout of the math types: which kind each class is, how many components
 * it has, and the order they travel in. Real components are float32 unless the
 * header has flag 64 (a double-precision build); int components are int32.
 */

import { AABB, Basis, Color, Plane, Projection, Quaternion, Rect2, Rect2i, Transform2D, Transform3D, Vector2, Vector2i, Vector3, Vector3i, Vector4, Vector4i } from './math-values.js';
import type { VariantKind } from './types.js';

type Components = readonly number[];

export interface MathLayout {
  readonly kind: VariantKind;
  /** real_t components (flag 64 can widen them); false for Color and the int vectors. */
  readonly real: boolean;
  readonly int: boolean;
  readonly count: number;
  readonly flatten: (value: never) => Components;
  readonly build: (c: Components) => object;
}

function layout<T extends object>(
  kind: VariantKind,
  type: 'real' | 'int' | 'float32',
  count: number,
  flatten: (value: T) => Components,
  build: (c: Components) => T,
): MathLayout {
  return { kind, real: type === 'real', int: type === 'int', count, flatten, build };
}

const v2 = (c: Components, i: number) => new Vector2(c[i]!, c[i + 1]!);
const v3 = (c: Components, i: number) => new Vector3(c[i]!, c[i + 1]!, c[i + 2]!);
const v4 = (c: Components, i: number) => new Vector4(c[i]!, c[i + 1]!, c[i + 2]!, c[i + 3]!);
const v2i = (c: Components, i: number) => new Vector2i(c[i]!, c[i + 1]!);

/** Basis travels as rows (row r = x[r], y[r], z[r]), its class holds columns. */
const basisRows = (b: Basis): Components => [b.x.x, b.y.x, b.z.x, b.x.y, b.y.y, b.z.y, b.x.z, b.y.z, b.z.z];
const basisFromRows = (c: Components): Basis =>
  new Basis(new Vector3(c[0]!, c[3]!, c[6]!), new Vector3(c[1]!, c[4]!, c[7]!), new Vector3(c[2]!, c[5]!, c[8]!));

/** A value class, as `value.constructor` finds it. */
export type ValueClass = abstract new (...args: never[]) => unknown;

export const MATH_LAYOUTS = new Map<ValueClass, MathLayout>([
  [Vector2, layout<Vector2>('VECTOR2', 'real', 2, (v) => [v.x, v.y], (c) => v2(c, 0))],
  [Vector2i, layout<Vector2i>('VECTOR2I', 'int', 2, (v) => [v.x, v.y], (c) => v2i(c, 0))],
  [Rect2, layout<Rect2>('RECT2', 'real', 4, (r) => [r.position.x, r.position.y, r.size.x, r.size.y], (c) => new Rect2(v2(c, 0), v2(c, 2)))],
  [
    Rect2i,
    layout<Rect2i>('RECT2I', 'int', 4, (r) => [r.position.x, r.position.y, r.size.x, r.size.y], (c) => new Rect2i(v2i(c, 0), v2i(c, 2))),
  ],
  [Vector3, layout<Vector3>('VECTOR3', 'real', 3, (v) => [v.x, v.y, v.z], (c) => v3(c, 0))],
  [Vector3i, layout<Vector3i>('VECTOR3I', 'int', 3, (v) => [v.x, v.y, v.z], (c) => new Vector3i(c[0]!, c[1]!, c[2]!))],
  [
    Transform2D,
    layout<Transform2D>(
      'TRANSFORM2D',
      'real',
      6,
      (t) => [t.x.x, t.x.y, t.y.x, t.y.y, t.origin.x, t.origin.y],
      (c) => new Transform2D(v2(c, 0), v2(c, 2), v2(c, 4)),
    ),
  ],
  [Vector4, layout<Vector4>('VECTOR4', 'real', 4, (v) => [v.x, v.y, v.z, v.w], (c) => v4(c, 0))],
  [Vector4i, layout<Vector4i>('VECTOR4I', 'int', 4, (v) => [v.x, v.y, v.z, v.w], (c) => new Vector4i(c[0]!, c[1]!, c[2]!, c[3]!))],
  [Plane, layout<Plane>('PLANE', 'real', 4, (p) => [p.normal.x, p.normal.y, p.normal.z, p.d], (c) => new Plane(v3(c, 0), c[3]!))],
  [Quaternion, layout<Quaternion>('QUATERNION', 'real', 4, (q) => [q.x, q.y, q.z, q.w], (c) => new Quaternion(c[0]!, c[1]!, c[2]!, c[3]!))],
  [AABB, layout<AABB>('AABB', 'real', 6, (a) => [a.position.x, a.position.y, a.position.z, a.size.x, a.size.y, a.size.z], (c) => new AABB(v3(c, 0), v3(c, 3)))],
  [Basis, layout<Basis>('BASIS', 'real', 9, basisRows, basisFromRows)],
  [
    Transform3D,
    layout<Transform3D>(
      'TRANSFORM3D',
      'real',
      12,
      (t) => [...basisRows(t.basis), t.origin.x, t.origin.y, t.origin.z],
      (c) => new Transform3D(basisFromRows(c), v3(c, 9)),
    ),
  ],
  [
    Projection,
    layout<Projection>(
      'PROJECTION',
      'real',
      16,
      (p) => [p.x, p.y, p.z, p.w].flatMap((col) => [col.x, col.y, col.z, col.w]),
      (c) => new Projection(v4(c, 0), v4(c, 4), v4(c, 8), v4(c, 12)),
    ),
  ],
  [Color, layout<Color>('COLOR', 'float32', 4, (c) => [c.r, c.g, c.b, c.a], (c) => new Color(c[0]!, c[1]!, c[2]!, c[3]))],
]);

export const MATH_LAYOUTS_BY_KIND = new Map<VariantKind, MathLayout>([...MATH_LAYOUTS.values()].map((entry) => [entry.kind, entry]));
