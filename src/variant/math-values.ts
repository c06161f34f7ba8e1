/**
 * Godot's math types as small immutable classes. Field names follow GDScript
 * (Basis, Transform2D and Projection are stored as their columns, as
 * `basis.x` / `transform.origin` read them); the wire order is the codec's
 * business (math-codec.ts). Components are plain numbers: a value that went
 * through a single-precision build holds float32 values (Math.fround).
 */

export class Vector2 {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

export class Vector3 {
  constructor(
    readonly x: number,
    readonly y: number,
    readonly z: number,
  ) {}
}

export class Vector4 {
  constructor(
    readonly x: number,
    readonly y: number,
    readonly z: number,
    readonly w: number,
  ) {}
}

/** Components are int32 (Godot 4 only). */
export class Vector2i {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

export class Vector3i {
  constructor(
    readonly x: number,
    readonly y: number,
    readonly z: number,
  ) {}
}

export class Vector4i {
  constructor(
    readonly x: number,
    readonly y: number,
    readonly z: number,
    readonly w: number,
  ) {}
}

export class Rect2 {
  constructor(
    readonly position: Vector2,
    readonly size: Vector2,
  ) {}
}

export class Rect2i {
  constructor(
    readonly position: Vector2i,
    readonly size: Vector2i,
  ) {}
}

/** Columns x, y and origin, as `Transform2D(x_axis, y_axis, origin)` in GDScript. */
export class Transform2D {
  constructor(
    readonly x: Vector2,
    readonly y: Vector2,
    readonly origin: Vector2,
  ) {}
}

export class Plane {
  constructor(
    readonly normal: Vector3,
    readonly d: number,
  ) {}
}

/** Godot 3 calls it Quat. */
export class Quaternion {
  constructor(
    readonly x: number,
    readonly y: number,
    readonly z: number,
    readonly w: number,
  ) {}
}

export class AABB {
  constructor(
    readonly position: Vector3,
    readonly size: Vector3,
  ) {}
}

/** Columns x, y, z, as `Basis(x_axis, y_axis, z_axis)` in GDScript; the wire carries rows. */
export class Basis {
  constructor(
    readonly x: Vector3,
    readonly y: Vector3,
    readonly z: Vector3,
  ) {}
}

/** Godot 3 calls it Transform. */
export class Transform3D {
  constructor(
    readonly basis: Basis,
    readonly origin: Vector3,
  ) {}
}

/** Columns x, y, z, w, as `Projection(x, y, z, w)` in GDScript (Godot 4 only). */
export class Projection {
  constructor(
    readonly x: Vector4,
    readonly y: Vector4,
    readonly z: Vector4,
    readonly w: Vector4,
  ) {}
}

/** Always single precision on the wire, in both generations and in double builds. */
export class Color {
  constructor(
    readonly r: number,
    readonly g: number,
    readonly b: number,
    readonly a: number = 1,
  ) {}
}

/** The math types whose components are real_t, which a double-precision build writes as doubles. */
export type RealMath = Vector2 | Vector3 | Vector4 | Rect2 | Transform2D | Plane | Quaternion | AABB | Basis | Transform3D | Projection;
