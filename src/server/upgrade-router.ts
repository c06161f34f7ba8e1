import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import { Server as TlsServer, type TLSSocket } from 'node:tls';
import { Server as HttpsServer } from 'node:https';
import { Server as PlainHttpServer } from 'node:http';
import { constants as http2Constants, type Http2SecureServer, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import { respondRefusal } from '../peer/http2-server-handshake.js';
import type { Duplex } from 'node:stream';
import { buildRefusalResponse, HandshakeRefusal, requestPath } from '../handshake/index.js';
import { refuse as refuseWith } from '../handshake/refusal-response.js';
import { DEFAULT_PEER_OPTIONS } from '../peer/peer-options.js';

/** Anything that adopts node:http upgrades: WebSocketServer, WebSocketMultiplayerPeer, or your own. */
export interface UpgradeTarget {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): unknown;
  /** WebSockets over HTTP/2 (RFC 8441); without it, extended CONNECTs to this target get 501. */
  handleStream?(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): unknown;
}

/** The servers routeUpgrades serves: node:http(s), and node:http2 (h2c, or TLS with `allowHTTP1` for both kinds on one port). */
export type RoutableServer = HttpServer | Http2Server | Http2SecureServer;

export interface UpgradeRoutingOptions {
  /** Where upgrades to any other path go; without one they get 404. */
  fallback?: UpgradeTarget;
  /**
   * Milliseconds a connection may take to send a complete request head
   * (Godot's handshake timeout, 3 s, by default): node:http alone waits up to
   * a minute, so slow heads could hold connections that long. On an https
   * server it counts from the end of the TLS handshake: give
   * `https.createServer` a `handshakeTimeout` for that stage.
   */
  handshakeTimeoutMs?: number;
  /** Told when a target throws on an upgrade; that connection is dropped either way. */
  /** `request` is null for an HTTP/2 stream. */
  onError?: (error: unknown, request: IncomingMessage | null) => void;
}

const HEAD_TIMER = Symbol('gdws.headTimer');
type TimedSocket = Socket & { [HEAD_TIMER]?: NodeJS.Timeout };

/**
 * Routes WebSocket upgrades of a node:http(s) server by path (the query is
 * ignored): `routeUpgrades(httpServer, { '/godot4': mp, '/chat': chat }, {
 * fallback: echo })`. Whatever the request target, it never throws: a
 * malformed one gets 400 on that connection only. It also drops connections
 * whose request head is not complete within the handshake timeout. Returns
 * a function that removes the routing.
 */
export function routeUpgrades(httpServer: RoutableServer, routes: Readonly<Record<string, UpgradeTarget>>, options: UpgradeRoutingOptions = {}): () => void {
  const table = new Map(Object.entries(routes));
  const timeoutMs = options.handshakeTimeoutMs ?? DEFAULT_PEER_OPTIONS.handshakeTimeoutMs;

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    stopHeadTimer(socket as TimedSocket);
    let path: string;
    try {
      path = pathOnly(requestPath(request.url ?? ''));
    } catch (error) {
      refuse(socket, error instanceof HandshakeRefusal ? error.response : buildRefusalResponse(400, 'malformed request target'));
      return;
    }
    const target = table.get(path) ?? options.fallback;
    if (target === undefined) {
      refuse(socket, buildRefusalResponse(404, `no WebSocket endpoint at ${path}`));
      return;
    }
    try {
      target.handleUpgrade(request, socket, head);
    } catch (error) {
      socket.destroy();
      options.onError?.(error, request);
    }
  };
  const onConnection = (socket: TimedSocket): void => startHeadTimer(socket, timeoutMs);
  // A keep-alive connection waits for its next head under the same timeout.
  const onRequest = (request: IncomingMessage, response: { once(event: 'finish', listener: () => void): unknown }): void => {
    const socket = request.socket as TimedSocket;
    stopHeadTimer(socket);
    response.once('finish', () => {
      if (!socket.destroyed) startHeadTimer(socket, timeoutMs);
    });
  };

  const onStream = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void => {
    // Only CONNECT streams are ours; other requests belong to the server's own handlers.
    if (headers[':method'] !== 'CONNECT') return;
    const refuseStream = (status: number, reason: string): void => respondRefusal(stream, refuseWith(status, reason));
    // nghttp2 has checked :path's form; the target's validateExtendedConnect checks the rest.
    const path = pathOnly(headers[':path'] ?? '/');
    const target = table.get(path) ?? options.fallback;
    if (target === undefined) {
      refuseStream(404, `no WebSocket endpoint at ${path}`);
      return;
    }
    if (target.handleStream === undefined) {
      refuseStream(501, `the endpoint at ${path} takes HTTP/1.1 upgrades only`);
      return;
    }
    try {
      target.handleStream(stream, headers);
    } catch (error) {
      if (!stream.closed) stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
      options.onError?.(error, null);
    }
  };
  // node:http2's compatibility layer answers CONNECT with 405 unless someone takes its 'connect' event: the 'stream' listener above does.
  const onCompatConnect = (): void => {};

  const server = httpServer as HttpServer;
  const http2 = isHttp2Server(httpServer);
  // Requests arrive on the TLS socket of an https server, not on the TCP socket under it.
  const connectionEvent = httpServer instanceof TlsServer ? 'secureConnection' : 'connection';
  // An HTTP/2 connection has no request head to wait for (and an h2c server no HTTP/1.1 at all): only HTTP/1.1 connections are timed.
  const onAnyConnection = (socket: TimedSocket): void => {
    if (http2) {
      // WebSocket frames on HTTP/2 streams want no Nagle delay either; the session forbids touching its socket later.
      socket.setNoDelay(true);
      const alpn = (socket as TLSSocket).alpnProtocol;
      if (!(httpServer instanceof TlsServer) || (alpn !== 'http/1.1' && alpn !== false)) return;
    }
    onConnection(socket);
  };
  server.on('upgrade', onUpgrade);
  server.on(connectionEvent, onAnyConnection);
  server.on('request', onRequest);
  if (http2) {
    server.on('stream', onStream);
    server.on('connect', onCompatConnect);
  }
  return () => {
    server.off('upgrade', onUpgrade);
    server.off(connectionEvent, onAnyConnection);
    server.off('request', onRequest);
    server.off('stream', onStream);
    server.off('connect', onCompatConnect);
  };
}

function isHttp2Server(server: RoutableServer): boolean {
  return !(server instanceof PlainHttpServer) && !(server instanceof HttpsServer);
}

function pathOnly(pathAndQuery: string): string {
  const query = pathAndQuery.indexOf('?');
  return query < 0 ? pathAndQuery : pathAndQuery.slice(0, query);
}

function refuse(socket: Duplex, response: Buffer): void {
  socket.on('error', () => {});
  socket.end(response);
}

function startHeadTimer(socket: TimedSocket, timeoutMs: number): void {
  stopHeadTimer(socket);
  const timer = setTimeout(() => socket.destroy(), timeoutMs);
  timer.unref();
  socket[HEAD_TIMER] = timer;
}

function stopHeadTimer(socket: TimedSocket): void {
  const timer = socket[HEAD_TIMER];
  if (timer !== undefined) {
    clearTimeout(timer);
    delete socket[HEAD_TIMER];
  }
}
