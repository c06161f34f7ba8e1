import { expect } from 'vitest';
import { HandshakeError, HandshakeRefusal } from '../../src/handshake/index.js';

/** The key and accept value printed in RFC 6455 section 1.3. */
export const RFC_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
export const RFC_ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';

export function requestHead(lines: readonly string[]): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

export const VALID_REQUEST_LINES: readonly string[] = [
  'GET /chat?room=1 HTTP/1.1',
  'Host: example.com:9080',
  'Upgrade: websocket',
  'Connection: Upgrade',
  `Sec-WebSocket-Key: ${RFC_KEY}`,
  'Sec-WebSocket-Version: 13',
];

/** The valid request with its header `name` replaced by `replacement` lines (none removes it). */
export function requestWith(name: string, ...replacement: string[]): Buffer {
  const prefix = `${name.toLowerCase()}:`;
  const kept = VALID_REQUEST_LINES.filter((line) => !line.toLowerCase().startsWith(prefix));
  return requestHead([...kept, ...replacement]);
}

export const VALID_RESPONSE_LINES: readonly string[] = [
  'HTTP/1.1 101 Switching Protocols',
  'Upgrade: websocket',
  'Connection: Upgrade',
  `Sec-WebSocket-Accept: ${RFC_ACCEPT}`,
];

export function responseWith(name: string, ...replacement: string[]): Buffer {
  const prefix = `${name.toLowerCase()}:`;
  const kept = VALID_RESPONSE_LINES.filter((line) => !line.toLowerCase().startsWith(prefix));
  return requestHead([...kept, ...replacement]);
}

/** Splits `bytes` at the given cut points (any order, duplicates and out-of-range ones allowed). */
export function splitAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => Math.min(Math.max(cut, 0), bytes.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

export type FeedOutcome<T> =
  | { readonly kind: 'result'; readonly value: T; readonly after: Buffer }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'incomplete' };

/**
 * Feeds chunks to a parser until it returns a result or throws. `after` is the
 * result's rest followed by every chunk not yet fed: what a caller would hand
 * on to the WebSocket stream.
 */
export function feed<T extends { rest: Buffer }>(push: (chunk: Buffer) => T | null, chunks: readonly Buffer[]): FeedOutcome<T> {
  for (let index = 0; index < chunks.length; index++) {
    let value: T | null;
    try {
      value = push(chunks[index]!);
    } catch (error) {
      return { kind: 'error', error };
    }
    if (value !== null) return { kind: 'result', value, after: Buffer.concat([value.rest, ...chunks.slice(index + 1)]) };
  }
  return { kind: 'incomplete' };
}

/** Reduces an outcome to plain data, so outcomes from different chunkings can be compared with toEqual. */
export function summarize<T extends { rest: Buffer }>(outcome: FeedOutcome<T>): unknown {
  switch (outcome.kind) {
    case 'incomplete':
      return outcome;
    case 'result': {
      const { rest: _rest, ...fields } = outcome.value;
      return { kind: 'result', fields, after: outcome.after.toString('hex') };
    }
    case 'error': {
      const error = outcome.error;
      if (error instanceof HandshakeRefusal) {
        return { kind: 'refusal', status: error.status, message: error.message, response: error.response.toString('latin1') };
      }
      if (error instanceof HandshakeError) {
        return { kind: 'handshake-error', code: error.godotError, message: error.message, status: error.status, statusText: error.statusText };
      }
      return { kind: 'unexpected', error: String(error) };
    }
  }
}

export function expectRefusal(action: () => unknown, status: number): HandshakeRefusal {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(HandshakeRefusal);
    expect((error as HandshakeRefusal).status).toBe(status);
    return error as HandshakeRefusal;
  }
  throw new Error(`expected a ${status} refusal, but nothing was thrown`);
}

export function expectHandshakeError(action: () => unknown, godotError: number, messagePart?: RegExp): HandshakeError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(HandshakeError);
    const handshakeError = error as HandshakeError;
    expect(handshakeError.godotError).toBe(godotError);
    if (messagePart !== undefined) expect(handshakeError.message).toMatch(messagePart);
    return handshakeError;
  }
  throw new Error('expected a HandshakeError, but nothing was thrown');
}
