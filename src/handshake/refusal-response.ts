import { STATUS_CODES } from 'node:http';
import { HandshakeRefusal, invalidParameter } from './errors.js';
import { formatHeaderFields, parseHeaderLines } from './header-fields.js';

/** Headers a refusal response sets itself, because its framing depends on them. */
const REFUSAL_OWNED_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'content-length',
  'content-type',
  'transfer-encoding',
]);

/**
 * A complete HTTP/1.1 refusal: status line, `Connection: close`, and a short
 * text/plain body saying why, so that whoever reads it (a browser's network tab,
 * curl, a Godot log) learns the reason. `extraHeaders` are "Name: value" lines.
 */
export function buildRefusalResponse(status: number, reason: string, extraHeaders?: readonly string[]): Buffer {
  if (!Number.isInteger(status) || status < 300 || status > 599) {
    throw invalidParameter(`refusal status must be an integer from 300 to 599, got ${status}`);
  }
  const fields = parseHeaderLines(extraHeaders, REFUSAL_OWNED_HEADERS);
  const body = Buffer.from(`${String(reason)}\n`, 'utf8');
  // RFC 9110 section 7.8: a response carrying Upgrade (as a 426 must) also lists it in Connection.
  const announcesUpgrade = fields.some((field) => field.name.toLowerCase() === 'upgrade');
  const head =
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Refused'}\r\n` +
    `Connection: ${announcesUpgrade ? 'Upgrade, close' : 'close'}\r\n` +
    'Content-Type: text/plain; charset=utf-8\r\n' +
    `Content-Length: ${body.length}\r\n` +
    formatHeaderFields(fields) +
    '\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** A HandshakeRefusal carrying its ready-to-write response. */
export function refuse(status: number, reason: string, extraHeaders?: readonly string[]): HandshakeRefusal {
  return new HandshakeRefusal(status, reason, buildRefusalResponse(status, reason, extraHeaders), extraHeaders);
}
