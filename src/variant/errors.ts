import { GodotError, GodotErrorException } from '../godot-error.js';

/**
 * The only error bytesToVar throws. `code` is the Godot error decode_variant
 * returns for the same bytes (ERR_INVALID_DATA, ERR_FILE_EOF for a string that
 * runs past the end, ERR_UNAUTHORIZED for an object without allowObjects,
 * ERR_OUT_OF_MEMORY for nesting deeper than MAX_RECURSION_DEPTH); `offset` is
 * where in the input the problem was found.
 */
export class VariantDecodeError extends GodotErrorException {
  constructor(
    code: GodotError,
    message: string,
    readonly offset: number,
  ) {
    super(code, `${message} (at byte ${offset})`);
    this.name = 'VariantDecodeError';
  }
}

/**
 * The only error varToBytes throws: the value has no Godot encoding in the chosen
 * generation (`code` ERR_INVALID_PARAMETER), needs fullObjects (ERR_UNAUTHORIZED),
 * or nests too deep or contains itself (ERR_OUT_OF_MEMORY, as Godot's encoder).
 * `path` locates the value, e.g. `$[2].get("pos")`.
 */
export class VariantEncodeError extends GodotErrorException {
  constructor(
    code: GodotError,
    message: string,
    readonly path: string,
  ) {
    super(code, `${message} (at ${path})`);
    this.name = 'VariantEncodeError';
  }
}

export { GodotError };
