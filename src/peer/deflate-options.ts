import { constants as zlibConstants } from 'node:zlib';
import { MAX_WINDOW_BITS, MIN_WINDOW_BITS, type DeflateNegotiationOptions } from '../handshake/index.js';

/**
 * permessage-deflate (RFC 7692) as a user turns it on: `deflate = true` for
 * the defaults, or an object to tune it. The four RFC parameters mean the
 * same on both sides: a server requires them, a client offers them.
 */
export interface DeflateOptions {
  /** Messages smaller than this many bytes are sent uncompressed (default 1024). */
  threshold?: number;
  /** The server resets its compressor after every message: less memory, less compression. */
  serverNoContextTakeover?: boolean;
  /** The client resets its compressor after every message. */
  clientNoContextTakeover?: boolean;
  /** Largest LZ77 window (8-15 bits, default 15) the server compresses with. */
  serverMaxWindowBits?: number;
  /** Largest LZ77 window (8-15 bits, default 15) the client compresses with. */
  clientMaxWindowBits?: number;
  /** zlib compression level, 0-9 (default 6 as in zlib; lower is faster). */
  level?: number;
  /** zlib memLevel, 1-9 (default 8): compressor memory is about 2^(memLevel + 9) bytes plus the window. */
  memLevel?: number;
}

export interface DeflateSettings extends DeflateNegotiationOptions {
  readonly threshold: number;
  readonly level: number;
  readonly memLevel: number;
}

export const DEFAULT_DEFLATE_SETTINGS: Readonly<DeflateSettings> = Object.freeze({
  threshold: 1024,
  serverNoContextTakeover: false,
  clientNoContextTakeover: false,
  serverMaxWindowBits: MAX_WINDOW_BITS,
  clientMaxWindowBits: MAX_WINDOW_BITS,
  level: zlibConstants.Z_DEFAULT_LEVEL,
  memLevel: zlibConstants.Z_DEFAULT_MEMLEVEL,
});

/** Checks a `deflate` option; null (off) for false, null or undefined. Throws RangeError on a bad value. */
export function resolveDeflateOption(value: boolean | DeflateOptions | null | undefined): Readonly<DeflateSettings> | null {
  if (value === undefined || value === null || value === false) return null;
  if (value === true) return DEFAULT_DEFLATE_SETTINGS;
  if (typeof value !== 'object') throw new RangeError('deflate must be true, false or an options object');
  const settings: DeflateSettings = {
    threshold: integerIn(value.threshold, DEFAULT_DEFLATE_SETTINGS.threshold, 0, Number.MAX_SAFE_INTEGER, 'threshold'),
    serverNoContextTakeover: flag(value.serverNoContextTakeover, 'serverNoContextTakeover'),
    clientNoContextTakeover: flag(value.clientNoContextTakeover, 'clientNoContextTakeover'),
    serverMaxWindowBits: integerIn(value.serverMaxWindowBits, MAX_WINDOW_BITS, MIN_WINDOW_BITS, MAX_WINDOW_BITS, 'serverMaxWindowBits'),
    clientMaxWindowBits: integerIn(value.clientMaxWindowBits, MAX_WINDOW_BITS, MIN_WINDOW_BITS, MAX_WINDOW_BITS, 'clientMaxWindowBits'),
    level: integerIn(value.level, DEFAULT_DEFLATE_SETTINGS.level, 0, 9, 'level'),
    memLevel: integerIn(value.memLevel, DEFAULT_DEFLATE_SETTINGS.memLevel, 1, 9, 'memLevel'),
  };
  return Object.freeze(settings);
}

function integerIn(value: number | undefined, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`deflate.${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function flag(value: boolean | undefined, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new RangeError(`deflate.${name} must be true or false`);
  return value;
}
