import { GodotError } from '../godot-error.js';
import { ConnectionStatus } from '../multiplayer/connection-status.js';
import { Godot3ClientProtocol, type Godot3ClientHost } from '../multiplayer/godot3-client-protocol.js';
import { MultiplayerPeerBase } from '../multiplayer/multiplayer-peer-base.js';
import { ReadyState } from '../peer/ready-state.js';
import type { CertificateSource } from '../peer/tls-material.js';
import { TLSOptions } from '../peer/tls-options.js';
import { WebSocketPeer, type PeerObserver } from '../peer/websocket-peer.js';
import { SERVER_PEER_ID } from '../server/peer-id.js';
import { applyGodot3Buffers, NOT_MULTIPLAYER } from './godot3-buffers.js';

export interface WebSocketClientEvents {
  connectionEstablished: [protocol: string];
  connectionClosed: [wasCleanClose: boolean];
  /** Godot's signal has no arguments; the reason is passed too, and kept in `lastError`. */
  connectionError: [reason: string];
  dataReceived: [];
  serverCloseRequest: [code: number, reason: string];
  /** gd_mp_api: the server introduced itself (SYS_ADD of peer 1): the client is in the game. */
  connectionSucceeded: [];
  /** gd_mp_api: the connection could not be opened, or ended (Godot 3.2 reports both this way). */
  connectionFailed: [];
}

/** The client signals of gd_mp_api mode (part of WebSocketClientEvents). */
export type Godot3ClientEvents = Pick<WebSocketClientEvents, 'connectionSucceeded' | 'connectionFailed'>;

/**
 * Godot 3's WebSocketClient: one WebSocketPeer to a ws:// or wss:// URL,
 * exposed as peer 1, and, with `gdMpApi`, Godot 3's multiplayer protocol
 * over it, which makes it a MultiplayerPeer.
 */
export class WebSocketClient extends MultiplayerPeerBase<WebSocketClientEvents> {
  /**
   * Verify the server's certificate chain and name on wss:// (Godot 3's `verify_ssl`).
   * false is UNSAFE, for testing only: the server's certificate is then not checked at all.
   */
  verifySsl = true;
  /** A certificate (or chain) to trust instead of the system roots on wss:// (pinning); X509Certificate or PEM. */
  trustedSslCertificate: CertificateSource | null = null;

  private multiplayer = false;
  private peer: WebSocketPeer | null = null;
  private readonly protocol: Godot3ClientProtocol;
  private readonly observer: PeerObserver;

  constructor() {
    super();
    this.variantIo.generation = 3; // Godot 3 API, Godot 3 Variant format unless told otherwise
    const host: Godot3ClientHost = {
      ...this.packetHost(),
      assignId: (id) => {
        this.uniqueId = id;
      },
      connectionSucceeded: () => this.emit('connectionSucceeded'),
    };
    this.protocol = new Godot3ClientProtocol(host);
    this.observer = {
      // With gdMpApi the client is connected once the server introduces itself (connectionSucceeded).
      peerEstablished: (_peer, protocol) => {
        if (!this.multiplayer) this.emit('connectionEstablished', protocol);
      },
      peerFailed: (peer, reason) => {
        this.lastError = peer.lastError;
        if (this.multiplayer) this.multiplayerSessionEnded(peer);
        else this.emit('connectionError', reason);
      },
      peerData: (peer) => (this.multiplayer ? this.takeMessages(peer) : this.emit('dataReceived')),
      peerCloseRequest: (_peer, code, reason) => this.emit('serverCloseRequest', code, reason),
      peerClosed: (peer, wasClean) => (this.multiplayer ? this.multiplayerSessionEnded(peer) : this.emit('connectionClosed', wasClean)),
    };
  }

  /** Godot's high-level multiplayer protocol (`gd_mp_api`), as `connectToUrl` sets it; it cannot change while connected. */
  get gdMpApi(): boolean {
    return this.multiplayer;
  }
  set gdMpApi(enabled: boolean) {
    if (enabled === this.multiplayer) return;
    if (this.getConnectionStatus() !== ConnectionStatus.DISCONNECTED) throw new Error('gdMpApi cannot change while connections are open');
    this.multiplayer = enabled;
    this.clearIncoming();
  }

  /** Godot 3's buffer settings for connections opened from now on (see godot3BufferLimits). */
  setBuffers(inputBufferSizeKb: number, inputMaxPackets: number, outputBufferSizeKb: number, outputMaxPackets: number): GodotError {
    const failure = applyGodot3Buffers(this, inputBufferSizeKb, inputMaxPackets, outputBufferSizeKb, outputMaxPackets);
    return failure === null ? GodotError.OK : this.recordError(failure.error, failure.message);
  }

  /**
   * Connects. Resolves OK once the connection is open, or with the error that
   * stopped it (`connectionError` fires too). A bad URL or header is
   * ERR_INVALID_PARAMETER and nothing is sent.
   */
  connectToUrl(url: string, protocols: string[] = [], gdMpApi = false, customHeaders: string[] = [], tlsOptions?: TLSOptions): Promise<GodotError> {
    if (this.peer !== null && this.peer.getReadyState() !== ReadyState.CLOSED) {
      return Promise.resolve(this.recordError(GodotError.ERR_ALREADY_IN_USE, 'Already connected or connecting; call disconnectFromHost() first'));
    }
    this.gdMpApi = gdMpApi;
    this.uniqueId = 0;
    this.protocol.reset();
    this.clearIncoming();
    this.supportedProtocols = protocols;
    this.handshakeHeaders = customHeaders;
    const peer = new WebSocketPeer(this.peerOptions);
    peer.observer = this.observer;
    peer.tag = SERVER_PEER_ID;
    peer.variantGeneration = this.variantGeneration;
    this.peer = peer;
    return peer.connectToUrl(url, tlsOptions ?? this.tlsFromGodot3Fields()).then((result) => {
      if (result !== GodotError.OK) this.lastError = peer.lastError;
      return result;
    });
  }

  disconnectFromHost(code = 1000, reason = ''): void {
    this.peer?.close(code, reason);
  }

  /** The connection, as Godot's `get_peer(1)`. */
  getPeer(id = 1): WebSocketPeer | null {
    return id === SERVER_PEER_ID ? this.peer : null;
  }

  getConnectedHost(): string {
    return this.peer?.getConnectedHost() ?? '';
  }

  getConnectedPort(): number {
    return this.peer?.getConnectedPort() ?? 0;
  }

  getConnectionStatus(): ConnectionStatus {
    switch (this.peer?.getReadyState()) {
      case ReadyState.CONNECTING:
        return ConnectionStatus.CONNECTING;
      case ReadyState.OPEN:
        return ConnectionStatus.CONNECTED;
      default:
        return ConnectionStatus.DISCONNECTED;
    }
  }

  /** Godot's per-frame poll; Node's event loop does the work. */
  poll(): void {}

  // ---- MultiplayerPeer (gd_mp_api) ---------------------------------------

  isServer(): boolean {
    return false;
  }

  /** Ids the server has announced and not yet removed, the server (1) included. */
  getAnnouncedPeers(): number[] {
    return this.protocol.announcedPeers;
  }

  /** Sends to the server, which relays by the target peer; needs `gdMpApi`. */
  putPacket(data: Uint8Array): GodotError {
    if (!this.multiplayer) return this.recordError(GodotError.ERR_UNCONFIGURED, NOT_MULTIPLAYER);
    return this.protocol.send(this.peer, this.uniqueId, this.targetPeer, data);
  }

  protected handlePeerMessage(peer: WebSocketPeer, message: Buffer): boolean {
    if (peer !== this.peer) return false;
    this.protocol.handleMessage(message);
    return true;
  }

  /** The connection failed or ended; Godot 3.2 emits `connection_failed` either way. */
  private multiplayerSessionEnded(peer: WebSocketPeer): void {
    this.forgetConnection(peer);
    this.uniqueId = 0;
    this.protocol.reset();
    this.emit('connectionFailed');
  }

  private tlsFromGodot3Fields(): TLSOptions {
    // Godot 3 checks nothing at all when verify_ssl is off, trusted certificate or not.
    return this.verifySsl ? TLSOptions.client(this.trustedSslCertificate) : TLSOptions.clientUnsafe();
  }
}
