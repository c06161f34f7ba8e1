import { acceptDeflateOffer, formatDeflateOffer, PERMESSAGE_DEFLATE, readDeflateResponse } from '../handshake/index.js';
import type { NegotiatedDeflate } from './deflate-session.js';
import type { PeerOptions } from './peer-options.js';

/**
 * permessage-deflate's part of the opening handshake, between a peer's
 * options and the pure negotiation rules of src/handshake.
 */

/** Client: the Sec-WebSocket-Extensions value to send ('' when deflate is off). */
export function clientExtensionOffer(options: PeerOptions): string {
  return options.deflate === null ? '' : formatDeflateOffer(options.deflate);
}

/** Client: names the server may enable in its answer. */
export function offeredExtensionNames(options: PeerOptions): string[] {
  return options.deflate === null ? [] : [PERMESSAGE_DEFLATE];
}

/** Client: reads the server's answer; throws HandshakeError when it cannot be accepted. */
export function clientNegotiatedDeflate(options: PeerOptions, responseExtensions: string): NegotiatedDeflate | null {
  if (options.deflate === null) return null;
  const parameters = readDeflateResponse(responseExtensions, options.deflate);
  return parameters === null ? null : { parameters, settings: options.deflate, header: responseExtensions };
}

/** Server: accepts the client's first acceptable offer, or none (never a refusal). */
export function serverNegotiatedDeflate(options: PeerOptions, requestExtensions: string): NegotiatedDeflate | null {
  if (options.deflate === null || requestExtensions === '') return null;
  const accepted = acceptDeflateOffer(requestExtensions, options.deflate);
  return accepted === null ? null : { parameters: accepted.parameters, settings: options.deflate, header: accepted.response };
}
