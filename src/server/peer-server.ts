import type { IncomingMessage } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { GodotError, GodotErrorException } from '../godot-error.js';
import { HandshakeRefusal, validateUpgradeRequest } from '../handshake/index.js';
import type { PeerOptions } from '../peer/peer-options.js';
import type { CertificateSource } from '../peer/tls-material.js';
import type { TLSOptions } from '../peer/tls-options.js';
import { WebSocketPeer, type PeerError, type PeerObserver } from '../peer/websocket-peer.js';
import { headersFromIncomingMessage } from './incoming-headers.js';
import { randomPeerId } from './peer-id.js';
import { TlsListener } from './tls-listener.js';
import { TopicHub } from './topic-hub.js';
import { ReadyState } from '../peer/ready-state.js';
import { CloseCode } from '../frame/index.js';
import type { PeerTopics } from '../peer/peer-topics.js';

/**
 * Connections the kernel may hold completed but not yet accepted (capped by
 * net.core.somaxconn). Node's default, 511, overflows when a thousand
 * clients connect at once (a game's players after a server restart): the
 * rest wait a second for their SYN to be retried.
 */
export const LISTEN_BACKLOG = 4096;

/** Where ids come from when they must be unique beyond this server (a room spanning processes). */
export interface PeerIdSource {
  reserve(): Promise<number>;
  /** The id was reserved for a connection that closed before it joined. */
  release(id: number): void;
}

/** What a PeerServer tells its owner about its peers, by id. */
export interface PeerServerObserver {
  /** A handshake succeeded: `peer` is now known as `id`. */
  peerJoined(id: number, peer: WebSocketPeer, protocol: string): void;
  peerData(id: number, peer: WebSocketPeer): void;
  peerCloseRequest(id: number, code: number, reason: string): void;
  /** `id` is already forgotten. */
  peerLeft(id: number, peer: WebSocketPeer, wasClean: boolean): void;
  /** A connection that never became a peer (refused or timed-out handshake), with the reason. */
  handshakeFailed(reason: string, address: string): void;
}

export interface PeerServerListenOptions {
  port: number;
  /** "*" for every interface, or an address. */
  bindIp: string;
  tls: TLSOptions | null;
  /** Intermediate certificates for Godot 3's `ca_chain`, when `tls` came from its fields. */
  caChain?: CertificateSource | null;
}

/**
 * The plain WebSocket server: listens on TCP or TLS (or adopts node:http
 * upgrades), runs the handshake with a timeout, gives each peer a random
 * 31-bit id (as Godot draws them) and reports to one observer. It knows
 * nothing of Godot's multiplayer protocols: the Godot-named classes compose
 * it with whatever they speak on top.
 */
export class PeerServer implements PeerObserver, PeerTopics {
  /** While true, new connections are closed without a response (Godot's refuse_new_connections). */
  refusing = false;
  /** Detail of the last failed `listen`. */
  lastError: PeerError | null = null;
  private listener: Server | null = null;
  private tlsListener: TlsListener | null = null;
  private readonly peersById = new Map<number, WebSocketPeer>();
  private readonly pending = new Set<WebSocketPeer>();
  private topicHub: TopicHub | null = null;
  /** Ids from elsewhere (asynchronously) instead of drawn here; null draws them here. */
  idSource: PeerIdSource | null = null;

  /** `options` is read as each connection opens, so later changes apply to later connections. */
  constructor(
    private readonly observer: PeerServerObserver,
    private readonly options: () => Readonly<PeerOptions>,
  ) {}

  /** The established peers by id. */
  get peers(): ReadonlyMap<number, WebSocketPeer> {
    return this.peersById;
  }

  /** The topics this server's peers subscribe to and publish on; created on first use. Assign to share one hub between servers. */
  get topics(): TopicHub {
    return (this.topicHub ??= new TopicHub());
  }
  set topics(hub: TopicHub) {
    this.topicHub = hub;
  }

  // ---- PeerTopics: what `peer.subscribe(topic)` / `peer.publish(...)` reach --------

  subscribe(peer: WebSocketPeer, topic: string): boolean {
    return this.topics.subscribe(peer, topic);
  }

  unsubscribe(peer: WebSocketPeer, topic: string): boolean {
    return this.topicHub?.unsubscribe(peer, topic) ?? false;
  }

  publish(topic: string, data: Uint8Array | string, isText?: boolean, except?: WebSocketPeer | null): number {
    return this.topics.publish(topic, data, isText, except);
  }

  /** Starts listening; resolves OK, or ERR_ALREADY_IN_USE / ERR_CANT_CREATE / ERR_INVALID_PARAMETER with `lastError`. */
  listen({ port, bindIp, tls, caChain }: PeerServerListenOptions): Promise<GodotError> {
    if (this.listener !== null) return Promise.resolve(this.fail(GodotError.ERR_ALREADY_IN_USE, 'The server is already listening'));
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      return Promise.resolve(this.fail(GodotError.ERR_INVALID_PARAMETER, `Port must be 0-65535, got ${port}`));
    }
    let server: Server;
    try {
      server = this.createListener(tls, caChain ?? null);
    } catch (error) {
      const code = error instanceof GodotErrorException ? error.code : GodotError.ERR_INVALID_PARAMETER;
      return Promise.resolve(this.fail(code, (error as Error).message));
    }
    return new Promise((resolve) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        this.listener = null;
        const code = error.code === 'EADDRINUSE' ? GodotError.ERR_ALREADY_IN_USE : GodotError.ERR_CANT_CREATE;
        resolve(this.fail(code, `Cannot listen on ${bindIp}:${port}: ${error.message}`));
      };
      // stop() while still binding closes the server before 'listening' ever fires.
      const onClose = (): void => {
        server.off('error', onError);
        resolve(this.fail(GodotError.ERR_CANT_CREATE, `Stopped before listening on ${bindIp}:${port}`));
      };
      server.once('error', onError);
      server.once('close', onClose);
      server.listen({ port, host: bindIp === '*' ? undefined : bindIp, backlog: LISTEN_BACKLOG }, () => {
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
    for (const peer of this.peersById.values()) {
      closing.push(new Promise((resolve) => peer.once('connectionClosed', resolve)));
      peer.close(1001, 'Server stopping');
    }
    const listenerClosed = listener === null ? null : new Promise((resolve) => listener.close(resolve));
    await Promise.all(closing);
    // What is left is mid-TLS-handshake: no peer owns it, so nothing else would end it.
    tlsListener?.destroyRemainingConnections();
    await listenerClosed;
  }

  /** Forgets `id` at once, without `peerLeft` (its connection is left to close on its own). */
  forget(id: number): void {
    this.peersById.delete(id);
  }

  /** Adopts an upgrade request from a node:http(s) server; a refused request gets its HTTP answer here. */
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
      this.observer.handshakeFailed(error.message, socket.remoteAddress ?? '');
      return;
    }
    void this.createPeer().acceptUpgrade(socket, parsed, head);
  }

  /** Adopts a raw accepted socket (what `listen` does for each connection). */
  acceptSocket(socket: Socket): void {
    if (this.refuseIfRefusing(socket)) return;
    void this.createPeer().acceptStream(socket);
  }

  // ---- PeerObserver (the peers report here) -------------------------------

  peerEstablished(peer: WebSocketPeer, protocol: string): void {
    const source = this.idSource;
    if (source === null) {
      this.pending.delete(peer);
      this.join(randomPeerId((candidate) => this.peersById.has(candidate)), peer, protocol);
      return;
    }
    // Still pending (stop() closes it) until its id comes.
    source.reserve().then(
      (id) => {
        if (!this.pending.delete(peer) || peer.getReadyState() !== ReadyState.OPEN) {
          source.release(id);
          return;
        }
        this.join(id, peer, protocol);
        // Messages that came while the id was on its way.
        if (peer.getAvailablePacketCount() > 0) this.peerData(peer);
      },
      (error: unknown) => {
        this.pending.delete(peer);
        peer.close(CloseCode.INTERNAL_ERROR, `No peer id: ${error instanceof Error ? error.message : String(error)}`.slice(0, 120));
      },
    );
  }

  private join(id: number, peer: WebSocketPeer, protocol: string): void {
    peer.tag = id;
    peer.topics = this;
    this.peersById.set(id, peer);
    this.observer.peerJoined(id, peer, protocol);
  }

  peerFailed(peer: WebSocketPeer, reason: string): void {
    this.pending.delete(peer);
    this.observer.handshakeFailed(reason, peer.getConnectedHost());
  }

  peerData(peer: WebSocketPeer): void {
    if (this.peersById.get(peer.tag) === peer) this.observer.peerData(peer.tag, peer);
  }

  peerCloseRequest(peer: WebSocketPeer, code: number, reason: string): void {
    if (this.peersById.get(peer.tag) === peer) this.observer.peerCloseRequest(peer.tag, code, reason);
  }

  peerClosed(peer: WebSocketPeer, wasClean: boolean): void {
    if (this.peersById.get(peer.tag) !== peer) return;
    this.peersById.delete(peer.tag);
    this.topicHub?.unsubscribeAll(peer);
    this.observer.peerLeft(peer.tag, peer, wasClean);
  }

  // ---- internals --------------------------------------------------------

  private fail(code: GodotError, message: string): GodotError {
    this.lastError = { code, message };
    return code;
  }

  private createPeer(): WebSocketPeer {
    const peer = new WebSocketPeer(this.options());
    peer.observer = this;
    this.pending.add(peer);
    return peer;
  }

  private createListener(tls: TLSOptions | null, caChain: CertificateSource | null): Server {
    const onConnection = (socket: Socket): void => this.acceptSocket(socket);
    if (tls === null) return createTcpServer({ noDelay: true }, onConnection);
    const context = tls.toServerContextOptions(caChain);
    this.tlsListener = new TlsListener(context, this.options().handshakeTimeoutMs, onConnection, (reason, address) => this.observer.handshakeFailed(reason, address));
    return this.tlsListener.server;
  }

  /** Godot 3's refuse_new_connections: the TCP connection is closed with no HTTP response. */
  private refuseIfRefusing(socket: Socket): boolean {
    if (!this.refusing) return false;
    socket.on('error', () => {});
    socket.destroy();
    this.observer.handshakeFailed('Refusing new connections', socket.remoteAddress ?? '');
    return true;
  }
}
