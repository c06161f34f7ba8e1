import { invalidParameter } from './errors.js';
import { formatHeaderFields, parseHeaderLines } from './header-fields.js';
import { isFieldValue, trimOptionalWhitespace } from './http-grammar.js';
import { generateKey, isValidKey } from './key.js';
import { validateProtocolList } from './subprotocols.js';
import type { WebSocketUrl } from './url.js';

export interface ClientRequestOptions {
  readonly url: WebSocketUrl;
  /** Subprotocols to offer, in order of preference. */
  readonly protocols?: readonly string[];
  /** Godot's custom_headers / handshake_headers: whole "Name: value" lines, sent in order. */
  readonly headers?: readonly string[];
  /** Value for Sec-WebSocket-Extensions; the header is left out when empty. */
  readonly extensions?: string;
  /** A fixed key, for tests; a fresh random one is generated otherwise. */
  readonly key?: string;
}

const REQUEST_TARGET = /^\/[\x21-\x7e]*$/;
const HOST_HEADER = /^[\x21-\x2b\x2d-\x7e]+$/;

/**
 * Builds the opening handshake request of RFC 6455 section 4.1, laid out as
 * Godot sends it. Every input is checked first, so a bad one throws
 * HandshakeError (ERR_INVALID_PARAMETER) before a single byte could be sent.
 */
export function buildClientRequest(options: ClientRequestOptions): { request: Buffer; key: string } {
  const { url } = options;
  if (typeof url?.resource !== 'string' || !REQUEST_TARGET.test(url.resource)) {
    throw invalidParameter(`request path must start with "/" and hold only visible ASCII: ${JSON.stringify(url?.resource)}`);
  }
  if (typeof url.hostHeader !== 'string' || !HOST_HEADER.test(url.hostHeader)) {
    throw invalidParameter(`Host header value ${JSON.stringify(url.hostHeader)} is empty or holds spaces, commas or control characters`);
  }
  const protocols = validateProtocolList(options.protocols, 'requested');
  const extensions = trimOptionalWhitespace(options.extensions ?? '');
  if (!isFieldValue(extensions)) {
    throw invalidParameter(`Sec-WebSocket-Extensions value contains a control character: ${JSON.stringify(extensions)}`);
  }
  const customHeaders = parseHeaderLines(options.headers);
  const key = options.key ?? generateKey();
  if (!isValidKey(key)) throw invalidParameter(`Sec-WebSocket-Key ${JSON.stringify(key)} is not base64 of 16 bytes`);

  let head =
    `GET ${url.resource} HTTP/1.1\r\n` +
    `Host: ${url.hostHeader}\r\n` +
    'Upgrade: websocket\r\n' +
    'Connection: Upgrade\r\n' +
    `Sec-WebSocket-Key: ${key}\r\n` +
    'Sec-WebSocket-Version: 13\r\n';
  // Godot joins the list with "," and no space; servers split on commas either way.
  if (protocols.length > 0) head += `Sec-WebSocket-Protocol: ${protocols.join(',')}\r\n`;
  if (extensions !== '') head += `Sec-WebSocket-Extensions: ${extensions}\r\n`;
  head += formatHeaderFields(customHeaders);
  head += '\r\n';
  return { request: Buffer.from(head, 'latin1'), key };
}
