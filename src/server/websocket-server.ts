import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { GodotError, GodotErrorException } from '../godot-error.js';
import { HandshakeRefusal, validateUpgradeRequest } from '../handshake/index.js';
import { Godot3MultiplayerServer } from '../multiplayer/godot3-server.js';
import type { CertificateSource, KeySource } from '../peer/tls-material.js';
import { TLSOptions } from '../peer/tls-options.js';
import { WebSocketPeer, type PeerObserver } from '../peer/websocket-peer.js';
import { headersFromIncomingMessage } from './incoming-headers.js';
import { TlsListener } from './tls-listener.js';

export interface WebSocketServerEvents {
  clientConnected: [id: number, protocol: string];
  clientDisconnected: [id: number, wasCleanClose: boolean];
  clientCloseRequest: [id: number, code: number, reason: string];
  dataReceived: [id: number];
  /** A connection that never became a peer (refused or timed-out handshake), with the reason. */
  handshakeFailed: [reason: string, address: string];
}

export interface ListenOptions {
  port: number;
  /** "*" for every interface (Godot's default), or an address. */
  bindIp?: string;
  protocols?: string[];
  gdMpApi?: boolean;
  tls?: TLSOptions;
}

/**
 * Godot's WebSocketServer (3.x signals, 4.x-style peers): accepts TCP or TLS
 * connections, runs the handshake with a timeout, and owns the peers by id.
 * It can also adopt upgrades from an existing node:http(s) server.
 */
export class WebSocketServer extends Godot3MultiplayerServer<WebSocketServerEvents> {
  /** Address to listen on; "*" listens on every interface. */
  bindIp = '*';
  /** Godot 3 TLS material (CryptoKey / X509Certificate or PEM); with a key and certificate, `listen` serves wss://. */
  privateKey: KeySource | null = null;
  sslCertificate: CertificateSource | null = null;
  /** Intermediate certificates, served after `sslCertificate`. */
  caChain: CertificateSource | null = null;
  /** Godot 4 style: takes precedence over the Godot 3 fields. */
  tlsOptions: TLSOptions | null = null;

  private listener: Server | null = null;
  private tlsListener: TlsListener | null = null;
  protected readonly peers = new Map<number, WebSocketPeer>();
  private readonly pending = new Set<WebSocketPeer>();

  /** Extra header lines ("Name: value") added to every handshake response. */
  setExtraHeaders(headers: string[]): void {
    this.handshakeHeaders = headers;
  }

  /**
   * Starts listening (port 0 picks a free one: see `getListeningPort`).
   * Resolves OK, or ERR_ALREADY_IN_USE / ERR_CANT_CREATE with `lastError` saying why.
   */
  listen(port: number, protocols?: string[], gdMpApi?: boolean): Promise<GodotError>;
  listen(options: ListenOptions): Promise<GodotError>;
  listen(portOrOptions: number | ListenOptions, protocols: string[] = [], gdMpApi = false): Promise<GodotError> {
    const options: ListenOptions = typeof portOrOptions === 'number' ? { port: portOrOptions, protocols, gdMpApi } : portOrOptions;
    if (this.listener !== null) return Promise.resolve(this.recordError(GodotError.ERR_ALREADY_IN_USE, 'The server is already listening'));
    if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
      return Promise.resolve(this.recordError(GodotError.ERR_INVALID_PARAMETER, `Port must be 0-65535, got ${options.port}`));
    }
    if (options.gdMpApi !== undefined) this.gdMpApi = options.gdMpApi;
    if (options.protocols !== undefined) this.supportedProtocols = options.protocols;
    if (options.bindIp !== undefined) this.bindIp = options.bindIp;
    if (options.tls !== undefined) this.tlsOptions = options.tls;

    let server: Server;
    try {
      server = this.createListener();
    } catch (error) {
      const code = error instanceof GodotErrorException ? error.code : GodotError.ERR_INVALID_PARAMETER;
      return Promise.resolve(this.recordError(code, (error as Error).message));
    }
    return new Promise((resolve) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        this.listener = null;
        const code = error.code === 'EADDRINUSE' ? GodotError.ERR_ALREADY_IN_USE : GodotError.ERR_CANT_CREATE;
        resolve(this.recordError(code, `Cannot listen on ${this.bindIp}:${options.port}: ${error.message}`));
      };
      // stop() while still binding closes the server before 'listening' ever fires.
      const onClose = (): void => {
        server.off('error', onError);
        resolve(this.recordError(GodotError.ERR_CANT_CREATE, `Stopped before listening on ${this.bindIp}:${options.port}`));
      };
      server.once('error', onError);
      server.once('close', onClose);
      const host = this.bindIp === '*' ? undefined : this.bindIp;
      server.listen({ port: options.port, host }, () => {
        server.off('error', onError);
        server.off('close', onClose);
        server.on('error', () => {});
        resolve(GodotError.OK);
      });
      this.listener = server;
    });
  }

  /** The bound port, or 0 when not listening. */
  getListeningPort(): number {
    const address = this.listener?.address();
    return address !== null && typeof address === 'object' ? address.port : 0;
  }

  isListening(): boolean {
    return this.listener !== null && this.listener.listening;
  }

  /** Stops listening and closes every peer (code 1001, going away). Resolves when all sockets are gone. */
  async stop(): Promise<void> {
    const listener = this.listener;
    const tlsListener = this.tlsListener;
    this.listener = null;
    this.tlsListener = null;
    for (const peer of this.pending) peer.close(-1);
    this.pending.clear();
    const closing: Promise<unknown>[] = [];
    for (const peer of this.peers.values()) {
      closing.push(new Promise((resolve) => peer.once('connectionClosed', resolve)));
      peer.close(1001, 'Server stopping');
    }
    const listenerClosed = listener === null ? null : new Promise((resolve) => listener.close(resolve));
    await Promise.all(closing);
    // What is left is mid-TLS-handshake: no peer owns it, so nothing else would end it.
    tlsListener?.destroyRemainingConnections();
    await listenerClosed;
  }

  hasPeer(id: number): boolean {
    return this.peers.has(id);
  }

  getPeer(id: number): WebSocketPeer | undefined {
    return this.peers.get(id);
  }

  getPeerIds(): number[] {
    return [...this.peers.keys()];
  }

  getPeerAddress(id: number): string {
    return this.peers.get(id)?.getConnectedHost() ?? '';
  }

  getPeerPort(id: number): number {
    return this.peers.get(id)?.getConnectedPort() ?? 0;
  }

  disconnectPeer(id: number, code = 1000, reason = ''): GodotError {
    const peer = this.peers.get(id);
    if (peer === undefined) return this.recordError(GodotError.ERR_DOES_NOT_EXIST, `No peer with id ${id}`);
    return peer.close(code, reason);
  }

  /** Godot's per-frame poll; Node's event loop does the work. */
  poll(): void {}

  /**
   * Adopts an upgrade request from a node:http(s) server:
   * `httpServer.on('upgrade', (req, socket, head) => wsServer.handleUpgrade(req, socket, head))`.
   */
  handleUpgrade(request: IncomingMessage, stream: Duplex, head: Buffer): void {
    // node:http types the upgraded connection as a Duplex; it is the net/tls socket itself.
    const socket = stream as Socket;
    if (this.refuseIfRefusing(socket)) return;
    let parsed;
    try {
      parsed = validateUpgradeRequest(request.method ?? '', request.httpVersion, request.url ?? '/', headersFromIncomingMessage(request));
    } catch (error) {
      if (!(error instanceof HandshakeRefusal)) throw error;
      socket.on('error', () => {});
      socket.end(error.response);
      this.emit('handshakeFailed', error.message, socket.remoteAddress ?? '');
      return;
    }
    const peer = this.createPeer();
    void peer.acceptUpgrade(socket, parsed, head);
  }

  /** Adopts a raw accepted socket (what `listen` does for each connection). */
  acceptSocket(socket: Socket): void {
    if (this.refuseIfRefusing(socket)) return;
    const peer = this.createPeer();
    void peer.acceptStream(socket);
  }

  // ---- PeerObserver -----------------------------------------------------

  /** @internal */
  peerEstablished(peer: WebSocketPeer, protocol: string): void {
    this.pending.delete(peer);
    // Godot 3 gives every client a random id, in raw mode as in multiplayer mode.
    const id = this.newPeerId();
    peer.tag = id;
    this.peers.set(id, peer);
    if (this.gdMpApi) this.multiplayerPeerJoined(id, peer);
    else this.emit('clientConnected', id, protocol);
  }

  /** @internal */
  peerFailed(peer: WebSocketPeer, reason: string): void {
    this.pending.delete(peer);
    this.emit('handshakeFailed', reason, peer.getConnectedHost());
  }

  /** @internal */
  peerData(peer: WebSocketPeer): void {
    if (this.gdMpApi) this.multiplayerPeerData(peer);
    else this.emit('dataReceived', peer.tag);
  }

  /** @internal */
  peerCloseRequest(peer: WebSocketPeer, code: number, reason: string): void {
    this.emit('clientCloseRequest', peer.tag, code, reason);
  }

  /** @internal */
  peerClosed(peer: WebSocketPeer, wasClean: boolean): void {
    if (this.peers.get(peer.tag) !== peer) return;
    this.peers.delete(peer.tag);
    if (this.gdMpApi) this.multiplayerPeerLeft(peer.tag, peer);
    else this.emit('clientDisconnected', peer.tag, wasClean);
  }

  // ---- internals --------------------------------------------------------

  protected createPeer(): WebSocketPeer {
    const peer = new WebSocketPeer(this.peerOptions);
    peer.observer = this;
    this.pending.add(peer);
    return peer;
  }

  private createListener(): Server {
    const tls = this.effectiveTls();
    const onConnection = (socket: Socket): void => this.acceptSocket(socket);
    if (tls === null) return createTcpServer({ noDelay: true }, onConnection);
    const context = tls.toServerContextOptions(this.tlsOptions === null ? this.caChain : null);
    this.tlsListener = new TlsListener(context, this.peerOptions.handshakeTimeoutMs, onConnection, (reason, address) => this.emit('handshakeFailed', reason, address));
    return this.tlsListener.server;
  }

  private effectiveTls(): TLSOptions | null {
    if (this.tlsOptions !== null) return this.tlsOptions;
    if (this.privateKey !== null && this.sslCertificate !== null) return TLSOptions.server(this.privateKey, this.sslCertificate);
    return null;
  }

  /** Godot 3's refuse_new_connections: the TCP connection is closed with no HTTP response. */
  private refuseIfRefusing(socket: Socket): boolean {
    if (!this.isRefusingNewConnections()) return false;
    socket.on('error', () => {});
    socket.destroy();
    this.emit('handshakeFailed', 'Refusing new connections', socket.remoteAddress ?? '');
    return true;
  }

}

// WebSocketServer serves its peers as their PeerObserver without an `implements` clause: the observer methods are
// @internal, and the package typings (stripInternal) would then fail to match the interface. This checks it instead.
type ObservesPeers<T extends PeerObserver> = T;
type _WebSocketServerObserves = ObservesPeers<WebSocketServer>;
