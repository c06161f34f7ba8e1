import type { DeflateParameters } from '../handshake/index.js';
import type { DeflateSettings } from './deflate-options.js';
import { InboundDecompression, type InboundMessageSink } from './inbound-decompression.js';
import { MessageDeflater } from './message-deflater.js';
import { MessageInflater } from './message-inflater.js';
import { OutboundCompression } from './outbound-compression.js';
import type { OutboundBuffer } from './outbound-buffer.js';
import type { ProtocolError } from '../frame/index.js';

/** permessage-deflate as the opening handshake settled it for one connection. */
export interface NegotiatedDeflate {
  readonly parameters: DeflateParameters;
  /** This side's settings (threshold, zlib level and memLevel). */
  readonly settings: Readonly<DeflateSettings>;
  /** The Sec-WebSocket-Extensions value of the 101 response. */
  readonly header: string;
}

/** Messages this side receives were compressed by the other side, with the other side's parameters. */
export function createInboundDecompression(
  negotiated: NegotiatedDeflate,
  isServer: boolean,
  sink: InboundMessageSink,
  limit: () => number,
): InboundDecompression {
  const { parameters } = negotiated;
  const inflater = isServer
    ? new MessageInflater(parameters.clientMaxWindowBits, parameters.clientNoContextTakeover)
    : new MessageInflater(parameters.serverMaxWindowBits, parameters.serverNoContextTakeover);
  return new InboundDecompression(inflater, sink, limit);
}

export function createOutboundCompression(
  negotiated: NegotiatedDeflate,
  isServer: boolean,
  out: OutboundBuffer,
  onFailure: (error: ProtocolError) => void,
): OutboundCompression {
  const { parameters, settings } = negotiated;
  const windowBits = isServer ? parameters.serverMaxWindowBits : parameters.clientMaxWindowBits;
  const noContextTakeover = isServer ? parameters.serverNoContextTakeover : parameters.clientNoContextTakeover;
  const deflater = new MessageDeflater(windowBits, noContextTakeover, settings.level, settings.memLevel);
  return new OutboundCompression(deflater, out, settings.threshold, noContextTakeover, onFailure);
}
