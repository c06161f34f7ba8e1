import { invalidParameter } from './errors.js';
import { formatHeaderFields, parseHeaderLines } from './header-fields.js';
import { isFieldValue, isToken, trimOptionalWhitespace } from './http-grammar.js';
import { computeAccept, isValidKey } from './key.js';
import { refuse } from './refusal-response.js';
import { describeProtocolList } from './subprotocols.js';

export { buildRefusalResponse } from './refusal-response.js';

/**
 * Godot's subprotocol choice: walk the client's list in the client's order and
 * take the first one the server supports. '' when neither side has any. Where
 * Godot refuses by closing the connection silently (client offered some and none
 * match, including when the server supports none; server requires some and the
 * client offered none), this throws HandshakeRefusal with a 400 naming both
 * lists, so a person can see why.
 */
export function selectProtocol(offered: readonly string[], supported: readonly string[]): string {
  if (offered.length === 0 && supported.length === 0) return '';
  for (const protocol of offered) {
    if (supported.includes(protocol)) return protocol;
  }
  throw refuse(
    400,
    `no common subprotocol: the client offered ${describeProtocolList(offered)}; the server supports ${describeProtocolList(supported)}`,
  );
}

export interface AcceptResponseOptions {
  /** The client's Sec-WebSocket-Key. */
  readonly key: string;
  /** The chosen subprotocol; the header is left out when empty. */
  readonly protocol?: string;
  /** Value for Sec-WebSocket-Extensions; the header is left out when empty. */
  readonly extensions?: string;
  /** The server's extra handshake headers, "Name: value" lines, checked like a client's custom headers. */
  readonly extraHeaders?: readonly string[];
}

/** The 101 Switching Protocols response, laid out as Godot's server sends it. Throws HandshakeError on bad options. */
export function buildAcceptResponse(options: AcceptResponseOptions): Buffer {
  if (!isValidKey(options.key)) throw invalidParameter(`Sec-WebSocket-Key ${JSON.stringify(options.key)} is not base64 of 16 bytes`);
  const protocol = options.protocol ?? '';
  if (protocol !== '' && !isToken(protocol)) throw invalidParameter(`subprotocol ${JSON.stringify(protocol)} is not a valid name`);
  const extensions = trimOptionalWhitespace(options.extensions ?? '');
  if (!isFieldValue(extensions)) {
    throw invalidParameter(`Sec-WebSocket-Extensions value contains a control character: ${JSON.stringify(extensions)}`);
  }
  const extraFields = parseHeaderLines(options.extraHeaders);

  let head =
    'HTTP/1.1 101 Switching Protocols\r\n' +
    'Upgrade: websocket\r\n' +
    'Connection: Upgrade\r\n' +
    `Sec-WebSocket-Accept: ${computeAccept(options.key)}\r\n`;
  if (protocol !== '') head += `Sec-WebSocket-Protocol: ${protocol}\r\n`;
  if (extensions !== '') head += `Sec-WebSocket-Extensions: ${extensions}\r\n`;
  head += formatHeaderFields(extraFields);
  head += '\r\n';
  return Buffer.from(head, 'latin1');
}
