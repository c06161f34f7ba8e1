import type { ClientHttp2Stream } from 'node:http2';
import type { ConnectionOptions } from 'node:tls';
import { GodotError, GodotErrorException } from '../godot-error.js';
import { buildExtendedConnectRequest, checkExtendedConnectResponse, HandshakeError, parseWebSocketUrl, type WebSocketUrl } from '../handshake/index.js';
import { dropStream, type ByteStream } from './byte-stream.js';
import { clientExtensionOffer, clientNegotiatedDeflate, offeredExtensionNames } from './deflate-handshake.js';
import { describeSocketError, errorCodeFor, failure, type HandshakeOutcome } from './handshake-runner.js';
import type { Http2SessionPool, PooledSession } from './http2-sessions.js';
import type { PeerOptions } from './peer-options.js';
import { TLSOptions } from './tls-options.js';

const EMPTY = Buffer.alloc(0);

/**
 * The client's half of an RFC 8441 handshake: takes (or opens) the pooled
 * HTTP/2 connection to the URL's origin, checks that the server announced
 * SETTINGS_ENABLE_CONNECT_PROTOCOL, sends the extended CONNECT on a new
 * stream and checks the answer. The stream returns the connection to the
 * pool when it closes. `onStream` learns the stream as soon as it exists, so
 * the caller can drop it if it gives up.
 */
export function runHttp2ClientHandshake(
  options: PeerOptions,
  url: string,
  tlsOptions: TLSOptions | undefined,
  pool: Http2SessionPool,
  onStream: (stream: ByteStream) => void,
): Promise<HandshakeOutcome> {
  let target: WebSocketUrl;
  let block: Record<string, string>;
  let secureOptions: ConnectionOptions | null = null;
  try {
    target = parseWebSocketUrl(url);
    block = buildExtendedConnectRequest({ url: target, protocols: options.supportedProtocols, headers: options.handshakeHeaders, extensions: clientExtensionOffer(options) });
    if (tlsOptions !== undefined && tlsOptions.isServer()) {
      return Promise.resolve(failure(GodotError.ERR_INVALID_PARAMETER, 'A client needs TLSOptions.client() or TLSOptions.clientUnsafe(), not TLSOptions.server()'));
    }
    if (target.secure) secureOptions = { ...(tlsOptions ?? TLSOptions.client()).toClientConnectionOptions(target.host), ALPNProtocols: ['h2'] };
  } catch (error) {
    if (error instanceof HandshakeError) return Promise.resolve(failure(error.godotError, error.message));
    if (error instanceof GodotErrorException) return Promise.resolve(failure(error.code, error.message));
    throw error;
  }
  const entry = pool.acquire(target, tlsOptions, secureOptions);
  return new Promise((resolve) => {
    let settled = false;
    let stream: ClientHttp2Stream | null = null;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      pool.release(entry);
    };
    const settle = (outcome: HandshakeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!outcome.ok) {
        if (stream !== null) dropStream(stream);
        else release();
      }
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      settle(failure(GodotError.ERR_TIMEOUT, `No WebSocket handshake with ${target.href} over HTTP/2 within ${options.handshakeTimeoutMs} ms`));
    }, options.handshakeTimeoutMs);
    void entry.ready.then((ready) => {
      if (settled) return;
      if (ready !== true) {
        settle(failure(errorCodeFor(ready), describeSocketError(ready)));
        return;
      }
      if (entry.session.remoteSettings.enableConnectProtocol !== true) {
        settle(
          failure(
            GodotError.ERR_CANT_CONNECT,
            `${target.href}: the server does not take WebSockets over HTTP/2 (it did not send SETTINGS_ENABLE_CONNECT_PROTOCOL, RFC 8441); connect without the http2 option`,
          ),
        );
        return;
      }
      startStream(entry);
    });

    const startStream = (pooled: PooledSession): void => {
      let opened: ClientHttp2Stream;
      try {
        opened = pooled.session.request(block, { endStream: false });
      } catch (error) {
        settle(failure(GodotError.ERR_CONNECTION_ERROR, `${target.href}: cannot open an HTTP/2 stream: ${(error as Error).message}`));
        return;
      }
      stream = opened;
      onStream(opened);
      opened.once('close', release);
      opened.on('error', ignore);
      opened.once('close', () => settle(failure(GodotError.ERR_CONNECTION_ERROR, closedBeforeAnswer(target, opened))));
      opened.once('response', (headers) => {
        try {
          const response = checkExtendedConnectResponse(headers, { protocols: options.supportedProtocols, offeredExtensions: offeredExtensionNames(options) });
          const deflate = clientNegotiatedDeflate(options, response.extensions);
          opened.pause();
          settle({ ok: true, socket: opened, protocol: response.protocol, requestedUrl: target.href, headers: response.headers, rest: EMPTY, deflate });
        } catch (error) {
          if (!(error instanceof HandshakeError)) throw error;
          settle(failure(error.godotError, error.message));
        }
      });
    };
  });
}

function closedBeforeAnswer(target: WebSocketUrl, stream: ClientHttp2Stream): string {
  const code = stream.rstCode;
  return code === undefined || code === 0
    ? `${target.href} closed the HTTP/2 stream during the handshake`
    : `${target.href} reset the HTTP/2 stream during the handshake (error code ${code})`;
}

function ignore(): void {}
