import fc from 'fast-check';
import { HANDSHAKE_OWNED_HEADERS } from '../../src/handshake/index.js';

const TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

export const token = fc
  .array(fc.constantFrom(...TOKEN_CHARS), { minLength: 1, maxLength: 12 })
  .map((chars) => chars.join(''));

/** Subprotocol lists as a caller may give them: unique tokens. */
export const protocolList = fc.uniqueArray(token, { maxLength: 4 });

/** Field values as received: no leading/trailing whitespace, visible ASCII, spaces, tabs inside, latin1 obs-text. */
export const fieldValue = fc
  .array(fc.oneof(fc.integer({ min: 0x21, max: 0x7e }), fc.constantFrom(0x20, 0x09), fc.integer({ min: 0x80, max: 0xff })), {
    maxLength: 30,
  })
  .map((codes) => String.fromCharCode(...codes).replace(/^[\t ]+|[\t ]+$/g, ''));

export const headerName = token.filter((name) => !HANDSHAKE_OWNED_HEADERS.has(name.toLowerCase()));

/** Godot-style "Name: value" lines. */
export const headerLines = fc.array(
  fc.tuple(headerName, fieldValue).map(([name, value]) => `${name}: ${value}`),
  { maxLength: 6 },
);

export const webSocketUrl = fc
  .record({
    secure: fc.boolean(),
    host: fc.constantFrom('localhost', '127.0.0.1', '[::1]', 'example.com', 'a-b.example'),
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    path: fc.array(fc.constantFrom('a', 'b', '/', '%20', '?', '=', '&', ' ', 'é', '~'), { maxLength: 12 }).map((parts) => parts.join('')),
  })
  .map(({ secure, host, port, path }) => `${secure ? 'wss' : 'ws'}://${host}${port === undefined ? '' : `:${port}`}/${path}`);

/** Sorted cut positions for splitting a buffer of up to `maxLength` bytes. */
export const cuts = fc.array(fc.nat({ max: 600 }), { maxLength: 12 });

/** Trailing bytes that belong to the WebSocket stream. */
export const streamBytes = fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes));

type Mutation =
  | { readonly kind: 'replace'; readonly at: number; readonly byte: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: string }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly at: number };

const interestingInsertions = fc.oneof(
  fc.constantFrom('\r', '\n', '\r\n', '\r\n\r\n', ':', ' ', '\t', '\0', ',', '"', ';', 'HTTP/1.1 ', 'GET ', '\xff', 'a'.repeat(300)),
  fc.uint8Array({ minLength: 1, maxLength: 8 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: interestingInsertions }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

export const mutations = fc.array(mutation, { minLength: 1, maxLength: 5 });

/** Applies mutations at positions taken modulo the current length, so every mutation lands somewhere. */
export function mutate(original: Buffer, changes: readonly Mutation[]): Buffer {
  let bytes = Buffer.from(original);
  for (const change of changes) {
    const at = bytes.length === 0 ? 0 : change.at % (bytes.length + 1);
    switch (change.kind) {
      case 'replace':
        if (at < bytes.length) bytes[at] = change.byte;
        break;
      case 'insert':
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(change.bytes, 'latin1'), bytes.subarray(at)]);
        break;
      case 'delete':
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + change.length)]);
        break;
      case 'truncate':
        bytes = bytes.subarray(0, at);
        break;
    }
  }
  return bytes;
}

/** Bytes that look a little like HTTP, so random input reaches deeper than the first line. */
export const httpishBytes = fc
  .array(
    fc.oneof(
      fc.constantFrom('GET ', 'HTTP/1.1', 'HTTP/1.1 101 ', '/', '\r\n', '\n', ': ', 'Host', 'Upgrade', 'websocket', 'Connection', ', ', ' ', '\0'),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => Buffer.from(parts.join(''), 'latin1'));

export const randomBytes = fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes));

/** A Sec-WebSocket-Key drawn by fast-check (not crypto), so failing cases replay exactly. */
export const webSocketKey = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => Buffer.from(bytes).toString('base64'));
