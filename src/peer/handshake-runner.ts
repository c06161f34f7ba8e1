import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { GodotError, GodotErrorException } from '../godot-error.js';
import {
  buildAcceptResponse,
  buildClientRequest,
  HandshakeError,
  HandshakeRefusal,
  parseWebSocketUrl,
  selectProtocol,
  ServerResponseParser,
  UpgradeRequestParser,
  type UpgradeRequest,
} from '../handshake/index.js';
import { clientExtensionOffer, clientNegotiatedDeflate, offeredExtensionNames, serverNegotiatedDeflate } from './deflate-handshake.js';
import { runAdmission, type AdmissionRequest } from './admission.js';
import type { NegotiatedDeflate } from './deflate-session.js';
import type { PeerOptions } from './peer-options.js';
import { describeTlsFailure } from './tls-failure.js';
import { TLSOptions } from './tls-options.js';
import { dropStream, type ByteStream } from './byte-stream.js';

export type HandshakeOutcome =
  | {
      ok: true;
      socket: ByteStream;
      protocol: string;
      requestedUrl: string;
      headers: Map<string, string>;
      rest: Buffer;
      deflate: NegotiatedDeflate | null;
      /** What the server's admission check attached (undefined without one, and on the client side). */
      admission?: unknown;
    }
  | { ok: false; error: GodotError; reason: string; socket: ByteStream | null };

/** How long a refused client gets to read our HTTP error before the socket is destroyed. */
const REFUSAL_LINGER_MS = 1000;

export function failure(error: GodotError, reason: string, socket: ByteStream | null = null): HandshakeOutcome {
  return { ok: false, error, reason, socket };
}

/**
 * Drives one side of the opening handshake over a socket: feeds its bytes to
 * the pure parsers of src/handshake until they produce a result, enforces the
 * handshake timeout, and leaves the socket paused for the peer to adopt.
 */
export function drive(
  socket: ByteStream,
  timeoutMs: number,
  timeoutReason: string,
  onData: (chunk: Buffer) => HandshakeOutcome | Promise<HandshakeOutcome> | null,
  onClose: () => HandshakeOutcome,
  /** An answer already under way (the request came parsed from node:http): no bytes are read then. */
  pending?: HandshakeOutcome | Promise<HandshakeOutcome>,
): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: HandshakeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('data', data);
      socket.off('close', close);
      socket.off('error', error);
      socket.on('error', ignore);
      if (outcome.ok) socket.pause();
      resolve(outcome);
    };
    const take = (outcome: HandshakeOutcome | Promise<HandshakeOutcome> | null): void => {
      if (outcome === null) return;
      if (!(outcome instanceof Promise)) {
        settle(outcome);
        return;
      }
      // An async admission check runs: read nothing more meanwhile; the timeout and a close still end it.
      socket.off('data', data);
      socket.pause();
      void outcome.then(settle);
    };
    const data = (chunk: Buffer): void => take(onData(chunk));
    const close = (): void => settle(onClose());
    const error = (cause: NodeJS.ErrnoException): void => {
      dropStream(socket);
      settle(failure(errorCodeFor(cause), describeSocketError(cause)));
    };
    const timer = setTimeout(() => {
      dropStream(socket);
      settle(failure(GodotError.ERR_TIMEOUT, timeoutReason));
    }, timeoutMs);
    socket.on('close', close);
    socket.on('error', error);
    if (pending === undefined) socket.on('data', data);
    else take(pending);
  });
}

/**
 * Waits for an answer already under way (the request came parsed, and an
 * admission check may still run) under the handshake timeout; the stream
 * closing meanwhile ends it with `closedReason`.
 */
export function awaitAnswer(stream: ByteStream, options: PeerOptions, closedReason: string, pending: HandshakeOutcome | Promise<HandshakeOutcome>): Promise<HandshakeOutcome> {
  return drive(
    stream,
    options.handshakeTimeoutMs,
    `The admission check did not answer within ${options.handshakeTimeoutMs} ms`,
    () => null,
    () => failure(GodotError.ERR_CONNECTION_ERROR, closedReason),
    pending,
  );
}

/** `onSocket` learns the socket as soon as it exists, so the caller can drop it if it gives up. */
export async function runClientHandshake(
  options: PeerOptions,
  url: string,
  tlsOptions: TLSOptions | undefined,
  onSocket: (socket: Socket) => void,
): Promise<HandshakeOutcome> {
  let target;
  let request: Buffer;
  let key: string;
  try {
    target = parseWebSocketUrl(url);
    ({ request, key } = buildClientRequest({
      url: target,
      protocols: options.supportedProtocols,
      headers: options.handshakeHeaders,
      extensions: clientExtensionOffer(options),
    }));
  } catch (error) {
    if (error instanceof HandshakeError) return failure(error.godotError, error.message);
    throw error;
  }
  if (tlsOptions !== undefined && tlsOptions.isServer()) {
    return failure(GodotError.ERR_INVALID_PARAMETER, 'A client needs TLSOptions.client() or TLSOptions.clientUnsafe(), not TLSOptions.server()');
  }
  const parser = new ServerResponseParser({
    key,
    protocols: options.supportedProtocols,
    offeredExtensions: offeredExtensionNames(options),
    maxHeadBytes: options.maxHandshakeHeadBytes,
  });
  let secureOptions: ConnectionOptions | null = null;
  if (target.secure) {
    try {
      secureOptions = (tlsOptions ?? TLSOptions.client()).toClientConnectionOptions(target.host);
    } catch (error) {
      if (error instanceof GodotErrorException) return failure(error.code, error.message);
      throw error;
    }
  }
  const socket: Socket =
    secureOptions !== null ? connectTls({ host: target.host, port: target.port, ...secureOptions }) : connectTcp({ host: target.host, port: target.port });
  onSocket(socket);
  socket.once(target.secure ? 'secureConnect' : 'connect', () => {
    socket.setNoDelay(true);
    socket.write(request);
  });
  return drive(
    socket,
    options.handshakeTimeoutMs,
    `No WebSocket handshake with ${target.href} within ${options.handshakeTimeoutMs} ms`,
    (chunk) => {
      try {
        const response = parser.push(chunk);
        if (response === null) return null;
        const deflate = clientNegotiatedDeflate(options, response.extensions);
        return { ok: true, socket, protocol: response.protocol, requestedUrl: target.href, headers: response.headers, rest: response.rest, deflate };
      } catch (error) {
        socket.destroy();
        if (error instanceof HandshakeError) return failure(error.godotError, error.message);
        throw error;
      }
    },
    () => failure(GodotError.ERR_CONNECTION_ERROR, `${target.href} closed the connection during the handshake`),
  );
}

export async function runServerHandshake(
  options: PeerOptions,
  socket: Socket,
  parsed: Omit<UpgradeRequest, 'rest'> | null,
  head: Buffer,
): Promise<HandshakeOutcome> {
  if (parsed !== null) {
    // node:http has read the request: only an admission check can still take time, under the same timeout.
    return awaitAnswer(socket, options, 'The client closed the connection during the handshake', answer(options, socket, parsed, head));
  }
  const parser = new UpgradeRequestParser({ maxHeadBytes: options.maxHandshakeHeadBytes });
  return drive(
    socket,
    options.handshakeTimeoutMs,
    `Client sent no complete WebSocket handshake within ${options.handshakeTimeoutMs} ms`,
    (chunk) => {
      let request: UpgradeRequest | null;
      try {
        request = parser.push(chunk);
      } catch (error) {
        if (error instanceof HandshakeRefusal) return refuse(socket, error);
        throw error;
      }
      return request === null ? null : answer(options, socket, request, request.rest);
    },
    () => failure(GodotError.ERR_CONNECTION_ERROR, 'The client closed the connection during the handshake'),
  );
}

function answer(options: PeerOptions, socket: Socket, request: Omit<UpgradeRequest, 'rest'>, rest: Buffer): HandshakeOutcome | Promise<HandshakeOutcome> {
  let response: Buffer;
  let protocol: string;
  let deflate: NegotiatedDeflate | null;
  try {
    protocol = selectProtocol(request.protocols, options.supportedProtocols);
    deflate = serverNegotiatedDeflate(options, request.extensions);
    response = buildAcceptResponse({ key: request.key, protocol, extensions: deflate?.header ?? '', extraHeaders: options.handshakeHeaders });
  } catch (error) {
    if (error instanceof HandshakeRefusal) return refuse(socket, error);
    if (error instanceof HandshakeError) {
      // Our own extra headers are invalid: a server bug, reported as such.
      socket.destroy();
      return failure(error.godotError, error.message);
    }
    throw error;
  }
  const scheme = (socket as TLSSocket).encrypted === true ? 'wss' : 'ws';
  const requestedUrl = `${scheme}://${request.host}${request.resource}`;
  const accepted = (admission: unknown): HandshakeOutcome => {
    socket.write(response);
    return { ok: true, socket, protocol, requestedUrl, headers: request.headers, rest, deflate, admission };
  };
  const admissionRequest = (): AdmissionRequest => ({
    url: requestedUrl,
    resource: request.resource,
    headers: request.headers,
    remoteAddress: socket.remoteAddress ?? '',
    remotePort: socket.remotePort ?? 0,
    protocol,
  });
  return admitThen(options, socket, admissionRequest, accepted, (refusal) => refuse(socket, refusal), 'The connection closed during the admission check');
}

/**
 * Runs the owner's admission check, if there is one, on an upgrade that
 * passed every protocol check: `accepted` answers it, `refused` sends the
 * refusal, and a stream that closes meanwhile fails the handshake with
 * `closedReason`. Without a check it is accepted at once.
 */
export function admitThen(
  options: PeerOptions,
  stream: ByteStream,
  describe: () => AdmissionRequest,
  accepted: (data: unknown) => HandshakeOutcome,
  refused: (refusal: HandshakeRefusal) => HandshakeOutcome,
  closedReason: string,
): HandshakeOutcome | Promise<HandshakeOutcome> {
  const check = options.admit;
  if (check === null || check === undefined) return accepted(undefined);
  return runAdmission(check, describe()).then((outcome) => {
    if (stream.destroyed) return failure(GodotError.ERR_CONNECTION_ERROR, closedReason);
    return outcome.admitted ? accepted(outcome.data) : refused(outcome.refusal);
  });
}

function refuse(socket: Socket, refusal: HandshakeRefusal): HandshakeOutcome {
  socket.end(refusal.response);
  const linger = setTimeout(() => socket.destroy(), REFUSAL_LINGER_MS);
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
  return failure(GodotError.ERR_INVALID_DATA, `Handshake refused with ${refusal.status}: ${refusal.message}`, socket);
}

export function errorCodeFor(cause: NodeJS.ErrnoException): GodotError {
  switch (cause.code) {
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return GodotError.ERR_CANT_CONNECT;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return GodotError.ERR_CANT_RESOLVE;
    default:
      return GodotError.ERR_CONNECTION_ERROR;
  }
}

export function describeSocketError(cause: NodeJS.ErrnoException): string {
  const tlsFailure = describeTlsFailure(cause);
  if (tlsFailure !== null) return tlsFailure;
  return cause.code !== undefined && !cause.message.includes(cause.code) ? `${cause.code}: ${cause.message}` : cause.message;
}

function ignore(): void {}
