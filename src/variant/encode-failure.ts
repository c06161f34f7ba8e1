import type { GodotError } from '../godot-error.js';

/**
 * Thrown inside the encoder and caught by each container on the way out, which
 * prepends its step (`[3]`, `.get("hp")`) so the public error can say where the
 * bad value sits without the encoder tracking a path for every value it writes.
 */
export class EncodeFailure extends Error {
  readonly steps: string[] = [];

  constructor(
    readonly code: GodotError,
    message: string,
  ) {
    super(message);
  }
}

/** Runs one child's encoding, adding `step` to the location of any failure inside it. */
export function within<T>(step: string | (() => string), run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof EncodeFailure) error.steps.unshift(typeof step === 'string' ? step : step());
    throw error;
  }
}
