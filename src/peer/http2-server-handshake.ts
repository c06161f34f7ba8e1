import { constants as http2Constants, type ServerHttp2Stream } from 'node:http2';
import { GodotError } from '../godot-error.js';
import {
  buildExtendedConnectAccept,
  HandshakeError,
  HandshakeRefusal,
  refusalHeaders,
  selectProtocol,
  type ExtendedConnectRequest,
} from '../handshake/index.js';
import type { AdmissionRequest } from './admission.js';
import { dropStream, remoteAddressOf, remotePortOf } from './byte-stream.js';
import { serverNegotiatedDeflate } from './deflate-handshake.js';
import type { NegotiatedDeflate } from './deflate-session.js';
import { admitThen, awaitAnswer, failure, type HandshakeOutcome } from './handshake-runner.js';
import type { PeerOptions } from './peer-options.js';

const EMPTY = Buffer.alloc(0);
/** How long a refused stream stays open for the client to read the answer before it is reset. */
const REFUSAL_LINGER_MS = 1000;

/**
 * The server's half of an RFC 8441 handshake on an HTTP/2 stream whose
 * extended CONNECT request is already checked (validateExtendedConnect):
 * the same subprotocol choice, permessage-deflate negotiation and admission
 * check as an HTTP/1.1 upgrade, under the same timeout, answered with
 * `:status 200` instead of 101.
 */
export function runHttp2ServerHandshake(options: PeerOptions, stream: ServerHttp2Stream, request: ExtendedConnectRequest): Promise<HandshakeOutcome> {
  return awaitAnswer(stream, options, 'The client closed the stream during the handshake', answer(options, stream, request));
}

function answer(options: PeerOptions, stream: ServerHttp2Stream, request: ExtendedConnectRequest): HandshakeOutcome | Promise<HandshakeOutcome> {
  let protocol: string;
  let deflate: NegotiatedDeflate | null;
  let response: Record<string, string | number>;
  try {
    protocol = selectProtocol(request.protocols, options.supportedProtocols);
    deflate = serverNegotiatedDeflate(options, request.extensions);
    response = buildExtendedConnectAccept({ protocol, extensions: deflate?.header ?? '', extraHeaders: options.handshakeHeaders });
  } catch (error) {
    if (error instanceof HandshakeRefusal) return refuseStream(stream, error);
    if (error instanceof HandshakeError) {
      // Our own extra headers are invalid: a server bug, reported as such.
      dropStream(stream);
      return failure(error.godotError, error.message);
    }
    throw error;
  }
  const requestedUrl = `${request.scheme === 'https' ? 'wss' : 'ws'}://${request.host}${request.resource}`;
  const accepted = (admission: unknown): HandshakeOutcome => {
    stream.respond(response);
    return { ok: true, socket: stream, protocol, requestedUrl, headers: request.headers, rest: EMPTY, deflate, admission };
  };
  const admissionRequest = (): AdmissionRequest => ({
    url: requestedUrl,
    resource: request.resource,
    headers: request.headers,
    remoteAddress: remoteAddressOf(stream),
    remotePort: remotePortOf(stream),
    protocol,
  });
  return admitThen(options, stream, admissionRequest, accepted, (refusal) => refuseStream(stream, refusal), 'The stream closed during the admission check');
}

/** Answers a refused extended CONNECT with its status and reason, then ends the stream. */
export function refuseStream(stream: ServerHttp2Stream, refusal: HandshakeRefusal): HandshakeOutcome {
  respondRefusal(stream, refusal);
  return failure(GodotError.ERR_INVALID_DATA, `Handshake refused with ${refusal.status}: ${refusal.message}`, stream);
}

/** Writes the refusal (status, headers, plain-text reason) and resets the stream if the client keeps its side open. */
export function respondRefusal(stream: ServerHttp2Stream, refusal: HandshakeRefusal): void {
  stream.on('error', ignore);
  if (stream.destroyed || stream.headersSent) return;
  const { headers, body } = refusalHeaders(refusal);
  stream.respond(headers);
  stream.end(body);
  const linger = setTimeout(() => {
    if (!stream.closed) stream.close(http2Constants.NGHTTP2_NO_ERROR);
  }, REFUSAL_LINGER_MS);
  linger.unref();
  stream.once('close', () => clearTimeout(linger));
}

function ignore(): void {}
