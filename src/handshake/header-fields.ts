import { invalidParameter } from './errors.js';
import { isFieldValue, isToken, trimOptionalWhitespace } from './http-grammar.js';

export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

/**
 * Headers the handshake writes itself. Letting a caller set them would break the
 * upgrade (Upgrade, Connection, Sec-WebSocket-*), contradict the URL (Host), or
 * make the peer read WebSocket frames as an HTTP body (Content-Length,
 * Transfer-Encoding).
 */
export const HANDSHAKE_OWNED_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'upgrade',
  'connection',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-accept',
  'sec-websocket-protocol',
  'sec-websocket-extensions',
  'content-length',
  'transfer-encoding',
]);

/**
 * Checks one caller-supplied header line in Godot's `"Name: value"` form and
 * splits it. Throws HandshakeError (ERR_INVALID_PARAMETER) so that nothing is
 * ever sent with a header that could inject extra lines.
 */
export function parseHeaderLine(line: string, reservedNames: ReadonlySet<string> = HANDSHAKE_OWNED_HEADERS): HeaderField {
  if (typeof line !== 'string') throw invalidParameter(`header lines must be strings, got ${typeof line}`);
  const colon = line.indexOf(':');
  if (colon === -1) throw invalidParameter(`header ${JSON.stringify(line)} must look like "Name: value"`);
  const name = line.slice(0, colon);
  if (!isToken(name)) {
    throw invalidParameter(
      `header name ${JSON.stringify(name)} is not an HTTP token (letters, digits and !#$%&'*+-.^_\`|~ only, no spaces)`,
    );
  }
  if (reservedNames.has(name.toLowerCase())) {
    throw invalidParameter(`header ${name} cannot be set by hand: the WebSocket handshake writes it itself`);
  }
  const value = trimOptionalWhitespace(line.slice(colon + 1));
  if (!isFieldValue(value)) {
    throw invalidParameter(
      `value of header ${name} contains a control character (such as CR, LF or NUL) or a character above U+00FF: ${JSON.stringify(value)}`,
    );
  }
  return { name, value };
}

export function parseHeaderLines(lines: readonly string[] | undefined, reservedNames?: ReadonlySet<string>): HeaderField[] {
  if (lines === undefined) return [];
  // Callers from JavaScript may pass anything: check, then read the elements as what they may be.
  if (!Array.isArray(lines)) throw invalidParameter('headers must be an array of "Name: value" strings');
  return (lines as readonly unknown[]).map((line) => parseHeaderLine(line as string, reservedNames));
}

/** Renders fields as CRLF-terminated lines, ready to sit between the start line and the blank line. */
export function formatHeaderFields(fields: readonly HeaderField[]): string {
  let text = '';
  for (const field of fields) text += `${field.name}: ${field.value}\r\n`;
  return text;
}
