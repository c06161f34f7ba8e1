/**
 * The wire's type ids, flags and limits, as Godot's core/io/marshalls.cpp and
 * core/variant/variant.h define them. Godot 3 and Godot 4 number their types
 * differently, so each kind of value is named once (with Godot 4's name) and each
 * generation maps the names it knows to its own ids.
 */

export type GodotGeneration = 3 | 4;

/** Godot 4's `Variant::Type` (4.3 and later: PACKED_VECTOR4_ARRAY is 38). */
export const VariantType = {
  NIL: 0,
  BOOL: 1,
  INT: 2,
  FLOAT: 3,
  STRING: 4,
  VECTOR2: 5,
  VECTOR2I: 6,
  RECT2: 7,
  RECT2I: 8,
  VECTOR3: 9,
  VECTOR3I: 10,
  TRANSFORM2D: 11,
  VECTOR4: 12,
  VECTOR4I: 13,
  PLANE: 14,
  QUATERNION: 15,
  AABB: 16,
  BASIS: 17,
  TRANSFORM3D: 18,
  PROJECTION: 19,
  COLOR: 20,
  STRING_NAME: 21,
  NODE_PATH: 22,
  RID: 23,
  OBJECT: 24,
  CALLABLE: 25,
  SIGNAL: 26,
  DICTIONARY: 27,
  ARRAY: 28,
  PACKED_BYTE_ARRAY: 29,
  PACKED_INT32_ARRAY: 30,
  PACKED_INT64_ARRAY: 31,
  PACKED_FLOAT32_ARRAY: 32,
  PACKED_FLOAT64_ARRAY: 33,
  PACKED_STRING_ARRAY: 34,
  PACKED_VECTOR2_ARRAY: 35,
  PACKED_VECTOR3_ARRAY: 36,
  PACKED_COLOR_ARRAY: 37,
  PACKED_VECTOR4_ARRAY: 38,
} as const;

export type VariantKind = keyof typeof VariantType;

/** Godot 3's `Variant::Type`, keyed by the Godot 4 name of the same kind (REAL is FLOAT, QUAT is QUATERNION, POOL_* are PACKED_*). */
export const Godot3VariantType: Partial<Record<VariantKind, number>> = {
  NIL: 0,
  BOOL: 1,
  INT: 2,
  FLOAT: 3,
  STRING: 4,
  VECTOR2: 5,
  RECT2: 6,
  VECTOR3: 7,
  TRANSFORM2D: 8,
  PLANE: 9,
  QUATERNION: 10,
  AABB: 11,
  BASIS: 12,
  TRANSFORM3D: 13,
  COLOR: 14,
  NODE_PATH: 15,
  RID: 16,
  OBJECT: 17,
  DICTIONARY: 18,
  ARRAY: 19,
  PACKED_BYTE_ARRAY: 20,
  PACKED_INT32_ARRAY: 21,
  PACKED_FLOAT32_ARRAY: 22,
  PACKED_STRING_ARRAY: 23,
  PACKED_VECTOR2_ARRAY: 24,
  PACKED_VECTOR3_ARRAY: 25,
  PACKED_COLOR_ARRAY: 26,
};

/** Godot 3's names for the kinds it calls differently, for error messages a Godot 3 user recognises. */
const GODOT3_NAMES: Partial<Record<VariantKind, string>> = {
  FLOAT: 'REAL',
  QUATERNION: 'QUAT',
  TRANSFORM3D: 'TRANSFORM',
  RID: '_RID',
  PACKED_BYTE_ARRAY: 'POOL_BYTE_ARRAY',
  PACKED_INT32_ARRAY: 'POOL_INT_ARRAY',
  PACKED_FLOAT32_ARRAY: 'POOL_REAL_ARRAY',
  PACKED_STRING_ARRAY: 'POOL_STRING_ARRAY',
  PACKED_VECTOR2_ARRAY: 'POOL_VECTOR2_ARRAY',
  PACKED_VECTOR3_ARRAY: 'POOL_VECTOR3_ARRAY',
  PACKED_COLOR_ARRAY: 'POOL_COLOR_ARRAY',
};

const KINDS_BY_ID: Record<GodotGeneration, (VariantKind | undefined)[]> = { 3: [], 4: [] };
for (const [kind, id] of Object.entries(VariantType)) KINDS_BY_ID[4][id] = kind as VariantKind;
for (const [kind, id] of Object.entries(Godot3VariantType)) KINDS_BY_ID[3][id] = kind as VariantKind;

/** Number of type ids of each generation (Godot's VARIANT_MAX). */
export const VARIANT_MAX: Record<GodotGeneration, number> = { 3: 27, 4: 39 };

export function typeIdOf(kind: VariantKind, generation: GodotGeneration): number | undefined {
  return generation === 4 ? VariantType[kind] : Godot3VariantType[kind];
}

export function kindOfTypeId(id: number, generation: GodotGeneration): VariantKind | undefined {
  return KINDS_BY_ID[generation][id];
}

export function kindName(kind: VariantKind, generation: GodotGeneration): string {
  return generation === 3 ? (GODOT3_NAMES[kind] ?? kind) : kind;
}

/** The low byte of the 32-bit header is the type id; the flags live in bits 16 and up. */
export const HEADER_TYPE_MASK = 0xff;
/** INT, FLOAT, the real_t math types and packed vector arrays: the payload is 64-bit. */
export const HEADER_FLAG_64 = 1 << 16;
/** OBJECT: the payload is an 8-byte instance id rather than a class name and properties. */
export const HEADER_FLAG_OBJECT_AS_ID = 1 << 16;
/** Godot 4 typed ARRAY: the element type's kind sits in bits 16-17. */
export const TYPED_ARRAY_SHIFT = 16;
/** Godot 4 typed DICTIONARY: key type kind in bits 16-17, value type kind in bits 18-19. */
export const TYPED_DICTIONARY_KEY_SHIFT = 16;
export const TYPED_DICTIONARY_VALUE_SHIFT = 18;

/** How a typed container names its element type (marshalls.cpp `ContainerTypeKind`). */
export const ContainerTypeKind = { NONE: 0, BUILTIN: 1, CLASS_NAME: 2, SCRIPT: 3 } as const;

/**
 * Variant::MAX_RECURSION_DEPTH: decode_variant and encode_variant give up when a
 * nested value sits deeper than this (the outermost value is depth 0). Godot 3.2.3
 * has no limit at all; gdws applies this one to both generations so hostile input
 * cannot exhaust the stack.
 */
export const MAX_RECURSION_DEPTH = 1024;
