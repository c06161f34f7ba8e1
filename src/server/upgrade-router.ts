import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';
import type { Duplex } from 'node:stream';
import { buildRefusalResponse, HandshakeRefusal, requestPath } from '../handshake/index.js';
import { DEFAULT_PEER_OPTIONS } from '../peer/peer-options.js';

/** Anything that adopts node:http upgrades: WebSocketServer, WebSocketMultiplayerPeer, or your own. */
export interface UpgradeTarget {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): unknown;
}

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
  onError?: (error: unknown, request: IncomingMessage) => void;
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
export function routeUpgrades(httpServer: HttpServer, routes: Readonly<Record<string, UpgradeTarget>>, options: UpgradeRoutingOptions = {}): () => void {
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

  // Requests arrive on the TLS socket of an https server, not on the TCP socket under it.
  const connectionEvent = httpServer instanceof TlsServer ? 'secureConnection' : 'connection';
  httpServer.on('upgrade', onUpgrade);
  httpServer.on(connectionEvent, onConnection);
  httpServer.on('request', onRequest);
  return () => {
    httpServer.off('upgrade', onUpgrade);
    httpServer.off(connectionEvent, onConnection);
    httpServer.off('request', onRequest);
  };
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
