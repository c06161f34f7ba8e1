import { badResponse } from './errors.js';
import { isToken, splitCommaList, trimOptionalWhitespace } from './http-grammar.js';
import { quoteForMessage } from './received-headers.js';
import { describeProtocolList } from './subprotocols.js';

/**
 * The checks a client makes on the server's choices, whatever carried the
 * answer (an HTTP/1.1 101 or an HTTP/2 200): the subprotocol must be one it
 * offered, and the extensions ones it offered.
 */

/** The chosen subprotocol ('' for none); throws HandshakeError when the client cannot accept it. */
export function checkChosenProtocol(value: string | undefined, offered: readonly string[]): string {
  const protocol = value ?? '';
  if (protocol === '') {
    // Godot (and browsers) fail here too: the application asked for a subprotocol and would not know what it got.
    if (offered.length > 0) throw badResponse(`server chose none of the offered subprotocols (${describeProtocolList(offered)})`);
    return '';
  }
  if (!offered.includes(protocol)) {
    throw badResponse(`server chose subprotocol ${quoteForMessage(protocol)}, which was not offered (offered: ${describeProtocolList(offered)})`);
  }
  return protocol;
}

/** The Sec-WebSocket-Extensions value ('' for none); throws HandshakeError for an extension that was not offered. */
export function checkEnabledExtensions(value: string | undefined, offeredNames: ReadonlySet<string>): string {
  const extensions = value ?? '';
  for (const element of splitCommaList(extensions)) {
    const semicolon = element.indexOf(';');
    const name = trimOptionalWhitespace(semicolon === -1 ? element : element.slice(0, semicolon));
    if (!isToken(name)) throw badResponse(`malformed Sec-WebSocket-Extensions value ${quoteForMessage(extensions)}`);
    if (!offeredNames.has(name.toLowerCase())) throw badResponse(`server enabled extension "${name}", which was not offered`);
  }
  return extensions;
}
