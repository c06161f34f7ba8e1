/** Arrays and dictionaries, typed (Godot 4 header bits 16-19) or not. */

import { GodotError } from '../godot-error.js';
import type { Decoder } from './decoder.js';
import { TypedArray, TypedDictionary } from './other-values.js';
import type { ContainerType } from './other-values.js';
import { ContainerTypeKind, TYPED_ARRAY_SHIFT, TYPED_DICTIONARY_KEY_SHIFT, TYPED_DICTIONARY_VALUE_SHIFT, VARIANT_MAX } from './types.js';
import type { Variant } from './variant.js';

/** Every element is at least a 4-byte header; a dictionary entry is two. */
const MIN_ELEMENT_SIZE = 4;

export function decodeContainer(decoder: Decoder, kind: 'ARRAY' | 'DICTIONARY', header: number, depth: number): Variant {
  const r = decoder.reader;
  const typed = decoder.generation === 4;
  if (kind === 'ARRAY') {
    const elementType = typed ? containerType(decoder, (header >>> TYPED_ARRAY_SHIFT) & 3) : null;
    // Bit 31 once meant "shared"; Godot masks it off.
    const count = r.count('Array size', MIN_ELEMENT_SIZE, r.u32('Array size') & 0x7fffffff);
    const items: Variant[] = [];
    for (let i = 0; i < count; i++) items.push(decoder.value(depth + 1));
    return elementType === null ? items : new TypedArray(elementType, items);
  }
  const keyType = typed ? containerType(decoder, (header >>> TYPED_DICTIONARY_KEY_SHIFT) & 3) : null;
  const valueType = typed ? containerType(decoder, (header >>> TYPED_DICTIONARY_VALUE_SHIFT) & 3) : null;
  const count = r.count('Dictionary size', 2 * MIN_ELEMENT_SIZE, r.u32('Dictionary size') & 0x7fffffff);
  const entries = new Map<Variant, Variant>();
  for (let i = 0; i < count; i++) {
    const key = decoder.value(depth + 1);
    entries.set(key, decoder.value(depth + 1));
  }
  return keyType === null && valueType === null ? entries : new TypedDictionary(keyType, valueType, entries);
}

function containerType(decoder: Decoder, kind: number): ContainerType | null {
  const r = decoder.reader;
  switch (kind) {
    case ContainerTypeKind.NONE:
      return null;
    case ContainerTypeKind.BUILTIN: {
      const builtin = r.i32('container element type');
      if (builtin < 0 || builtin >= VARIANT_MAX[4]) r.fail(`container element type ${builtin} is not a Godot 4 type id`, GodotError.ERR_INVALID_DATA, r.pos - 4);
      return { builtin };
    }
    case ContainerTypeKind.CLASS_NAME:
      return { className: r.string('container element class name') };
    default:
      return { script: r.string('container element script path') };
  }
}
