import { GodotError, GodotErrorException } from '../godot-error.js';

/**
 * A handshake that failed on our side of the connection: a URL or header the
 * caller gave that cannot be sent, or a server response that does not complete
 * the upgrade. `godotError` is the code Godot's API reports for it; `status` and
 * `statusText` are set when the server answered with something other than 101.
 */
export class HandshakeError extends GodotErrorException {
  readonly godotError: GodotError;
  readonly status?: number;
  readonly statusText?: string;

  constructor(godotError: GodotError, message: string, status?: number, statusText?: string) {
    super(godotError, message);
    this.name = 'HandshakeError';
    this.godotError = godotError;
    if (status !== undefined) this.status = status;
    if (statusText !== undefined) this.statusText = statusText;
  }
}

/**
 * A server refusing a client's upgrade request. `response` is the complete HTTP
 * response to write before closing, so the client (or the person debugging it)
 * learns why instead of seeing a bare disconnect.
 */
export class HandshakeRefusal extends Error {
  readonly status: number;
  readonly response: Buffer;
  /** The extra "Name: value" lines `response` carries, so the refusal can be sent over HTTP/2 as well. */
  readonly headers: readonly string[];

  constructor(status: number, reason: string, response: Buffer, headers: readonly string[] = []) {
    super(reason);
    this.name = 'HandshakeRefusal';
    this.status = status;
    this.response = response;
    this.headers = headers;
  }
}

/** Shorthand for the many client-side failures caused by what the caller passed in. */
export function invalidParameter(message: string): HandshakeError {
  return new HandshakeError(GodotError.ERR_INVALID_PARAMETER, message);
}

/** Shorthand for a server response that does not complete the upgrade. */
export function badResponse(message: string, status?: number, statusText?: string): HandshakeError {
  return new HandshakeError(GodotError.ERR_CONNECTION_ERROR, message, status, statusText);
}
