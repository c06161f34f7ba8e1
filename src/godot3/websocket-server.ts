import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { GodotError } from '../godot-error.js';
import { ConnectionStatus } from '../multiplayer/connection-status.js';
import { Godot3ServerProtocol } from '../multiplayer/godot3-server-protocol.js';
import { MultiplayerPeerBase } from '../multiplayer/multiplayer-peer-base.js';
import type { CertificateSource, KeySource } from '../peer/tls-material.js';
import { TLSOptions } from '../peer/tls-options.js';
import type { WebSocketPeer } from '../peer/websocket-peer.js';
import { SERVER_PEER_ID } from '../server/peer-id.js';
import { PeerServer, type PeerServerObserver } from '../server/peer-server.js';
import type { TopicHub } from '../server/topic-hub.js';
import type { RelayMembers } from '../multiplayer/relay-bridge.js';
import { applyGodot3Buffers, NOT_MULTIPLAYER } from './godot3-buffers.js';

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
 * Godot 3's WebSocketServer (3.x signals, 4.x-style peers): a plain
 * PeerServer (listening, handshakes, peers by id) and, with `gdMpApi`, Godot
 * 3's multiplayer protocol over it, which makes it a MultiplayerPeer.
 */
export class WebSocketServer extends MultiplayerPeerBase<WebSocketServerEvents> {
  /** Address to listen on; "*" listens on every interface. */
  bindIp = '*';
  /** Godot 3 TLS material (CryptoKey / X509Certificate or PEM); with a key and certificate, `listen` serves wss://. */
  get privateKey(): KeySource | null {
    return this.#privateKey;
  }
  set privateKey(key: KeySource | null) {
    this.#privateKey = key;
  }
  /** A true private field, so `console.log(server)` never shows key material given as PEM text. */
  #privateKey: KeySource | null = null;
  sslCertificate: CertificateSource | null = null;
  /** Intermediate certificates, served after `sslCertificate`. */
  caChain: CertificateSource | null = null;
  /** Godot 4 style: takes precedence over the Godot 3 fields. */
  tlsOptions: TLSOptions | null = null;

  private multiplayer = false;
  private readonly server: PeerServer;
  private readonly protocol: Godot3ServerProtocol;

  constructor() {
    super();
    this.uniqueId = SERVER_PEER_ID;
    this.variantIo.generation = 3; // Godot 3 API, Godot 3 Variant format unless told otherwise
    const host = this.packetHost();
    const observer: PeerServerObserver = {
      peerJoined: (id, peer, protocol) => {
        peer.variantGeneration = this.variantGeneration;
        if (this.multiplayer) this.protocol.joined(id, peer);
        else this.emit('clientConnected', id, protocol);
      },
      peerData: (id, peer) => (this.multiplayer ? this.takeMessages(peer) : this.emit('dataReceived', id)),
      peerCloseRequest: (id, code, reason) => this.emit('clientCloseRequest', id, code, reason),
      peerLeft: (id, peer, wasClean) => (this.multiplayer ? this.protocol.left(id, peer) : this.emit('clientDisconnected', id, wasClean)),
      handshakeFailed: (reason, address) => this.emit('handshakeFailed', reason, address),
    };
    this.server = new PeerServer(observer, () => this.peerOptions);
    this.protocol = new Godot3ServerProtocol(host, this.server.peers);
  }

  /**
   * Godot's high-level multiplayer protocol (`gd_mp_api`). `listen` sets it;
   * set it yourself only to serve upgrades from node:http (`handleUpgrade`)
   * without listening. It cannot change while peers are connected.
   */
  get gdMpApi(): boolean {
    return this.multiplayer;
  }
  set gdMpApi(enabled: boolean) {
    if (enabled === this.multiplayer) return;
    if (this.server.peers.size > 0) throw new Error('gdMpApi cannot change while connections are open');
    this.multiplayer = enabled;
    this.clearIncoming();
  }

  /**
   * Publish/subscribe over this server's peers: `server.topics.subscribe(peer, 'news')`
   * (or `peer.subscribe('news')`), then `server.publish('news', data)`.
   * Assign a TopicHub to share one between servers.
   */
  get topics(): TopicHub {
    return this.server.topics;
  }
  set topics(hub: TopicHub) {
    this.server.topics = hub;
  }

  /** Sends one message, framed once, to every subscriber of `topic`; returns how many took it (see TopicHub.publish). */
  publish(topic: string, data: Uint8Array | string, isText = typeof data === 'string'): number {
    return this.server.topics.publish(topic, data, isText);
  }

  /** Extra header lines ("Name: value") added to every handshake response. */
  setExtraHeaders(headers: string[]): void {
    this.handshakeHeaders = headers;
  }

  /** Godot 3's buffer settings for connections opened from now on (see godot3BufferLimits). */
  setBuffers(inputBufferSizeKb: number, inputMaxPackets: number, outputBufferSizeKb: number, outputMaxPackets: number): GodotError {
    const failure = applyGodot3Buffers(this, inputBufferSizeKb, inputMaxPackets, outputBufferSizeKb, outputMaxPackets);
    return failure === null ? GodotError.OK : this.recordError(failure.error, failure.message);
  }

  /**
   * Starts listening (port 0 picks a free one: see `getListeningPort`).
   * Resolves OK, or ERR_ALREADY_IN_USE / ERR_CANT_CREATE with `lastError` saying why.
   */
  listen(port: number, protocols?: string[], gdMpApi?: boolean): Promise<GodotError>;
  listen(options: ListenOptions): Promise<GodotError>;
  async listen(portOrOptions: number | ListenOptions, protocols: string[] = [], gdMpApi = false): Promise<GodotError> {
    const options: ListenOptions = typeof portOrOptions === 'number' ? { port: portOrOptions, protocols, gdMpApi } : portOrOptions;
    if (this.server.isListening()) return this.recordError(GodotError.ERR_ALREADY_IN_USE, 'The server is already listening');
    if (options.gdMpApi !== undefined) this.gdMpApi = options.gdMpApi;
    if (options.protocols !== undefined) this.supportedProtocols = options.protocols;
    if (options.bindIp !== undefined) this.bindIp = options.bindIp;
    if (options.tls !== undefined) this.tlsOptions = options.tls;
    const fromGodot3Fields = this.tlsOptions === null && this.privateKey !== null && this.sslCertificate !== null;
    let tls: TLSOptions | null;
    try {
      tls = fromGodot3Fields ? TLSOptions.server(this.privateKey!, this.sslCertificate!) : this.tlsOptions;
    } catch (error) {
      return this.recordError(GodotError.ERR_INVALID_PARAMETER, (error as Error).message);
    }
    const result = await this.server.listen({ port: options.port, bindIp: this.bindIp, tls, caChain: fromGodot3Fields ? this.caChain : null });
    if (result !== GodotError.OK) this.lastError = this.server.lastError;
    return result;
  }

  /** The bound port, or 0 when not listening. */
  getListeningPort(): number {
    return this.server.getListeningPort();
  }

  isListening(): boolean {
    return this.server.isListening();
  }

  /** Stops listening and closes every peer (code 1001, going away). Resolves when all sockets are gone. */
  stop(): Promise<void> {
    return this.server.stop();
  }

  hasPeer(id: number): boolean {
    return this.server.peers.has(id);
  }

  getPeer(id: number): WebSocketPeer | undefined {
    return this.server.peers.get(id);
  }

  getPeerIds(): number[] {
    return [...this.server.peers.keys()];
  }

  getPeerAddress(id: number): string {
    return this.server.peers.get(id)?.getConnectedHost() ?? '';
  }

  getPeerPort(id: number): number {
    return this.server.peers.get(id)?.getConnectedPort() ?? 0;
  }

  disconnectPeer(id: number, code = 1000, reason = ''): GodotError {
    const peer = this.server.peers.get(id);
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
    this.server.handleUpgrade(request, stream, head);
  }

  /** Adopts a raw accepted socket (what `listen` does for each connection). */
  acceptSocket(socket: Socket): void {
    this.server.acceptSocket(socket);
  }

  /** @internal A gd_mp_api server whose relay spans processes (a MultiplayerRooms room with a link): its remote side. */
  serveRoom(): RelayMembers {
    const protocol = this.protocol;
    const server = this.server;
    return {
      bridgeTo: (bridge) => {
        server.idSource = { reserve: () => bridge.reserveId(), release: (id) => bridge.left(id) };
        protocol.bridgeTo(bridge);
      },
      remoteJoined: (id) => protocol.remoteJoined(id),
      remoteLeft: (id) => protocol.remoteLeft(id),
      deliverRemote: (from, to, payload) => protocol.deliverRemote(from, to, payload),
      get remoteCount() {
        return protocol.remoteCount;
      },
    };
  }

  // ---- MultiplayerPeer (gd_mp_api) ---------------------------------------

  isServer(): boolean {
    return true;
  }

  /** CONNECTED while listening or serving connections (e.g. adopted from node:http). */
  getConnectionStatus(): ConnectionStatus {
    return this.server.isListening() || this.server.peers.size > 0 ? ConnectionStatus.CONNECTED : ConnectionStatus.DISCONNECTED;
  }

  /** Sends from the server (from = 1) to the target peer; needs `gdMpApi`. */
  putPacket(data: Uint8Array): GodotError {
    if (!this.multiplayer) return this.recordError(GodotError.ERR_UNCONFIGURED, NOT_MULTIPLAYER);
    return this.protocol.send(this.targetPeer, data);
  }

  protected override refusalChanged(enabled: boolean): void {
    this.server.refusing = enabled;
  }

  protected handlePeerMessage(peer: WebSocketPeer, message: Buffer): boolean {
    return this.protocol.handleMessage(peer, message);
  }
}
