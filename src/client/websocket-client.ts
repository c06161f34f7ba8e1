import { GodotError } from '../godot-error.js';
import { Godot3MultiplayerClient } from '../multiplayer/godot3-client.js';
import { ReadyState } from '../peer/ready-state.js';
import type { CertificateSource } from '../peer/tls-material.js';
import { TLSOptions } from '../peer/tls-options.js';
import { WebSocketPeer, type PeerObserver } from '../peer/websocket-peer.js';
import { ConnectionStatus } from './connection-status.js';

export interface WebSocketClientEvents {
  connectionEstablished: [protocol: string];
  connectionClosed: [wasCleanClose: boolean];
  /** Godot's signal has no arguments; the reason is passed too, and kept in `lastError`. */
  connectionError: [reason: string];
  dataReceived: [];
  serverCloseRequest: [code: number, reason: string];
}

/**
 * Godot 3's WebSocketClient: connects to a ws:// or wss:// URL and exposes
 * the connection as peer 1.
 */
export class WebSocketClient extends Godot3MultiplayerClient<WebSocketClientEvents> {
  /**
   * Verify the server's certificate chain and name on wss:// (Godot 3's `verify_ssl`).
   * false is UNSAFE, for testing only: the server's certificate is then not checked at all.
   */
  verifySsl = true;
  /** A certificate (or chain) to trust instead of the system roots on wss:// (pinning); X509Certificate or PEM. */
  trustedSslCertificate: CertificateSource | null = null;

  private peer: WebSocketPeer | null = null;

  /**
   * Connects. Resolves OK once the connection is open, or with the error that
   * stopped it (`connectionError` fires too). A bad URL or header is
   * ERR_INVALID_PARAMETER and nothing is sent.
   */
  connectToUrl(url: string, protocols: string[] = [], gdMpApi = false, customHeaders: string[] = [], tlsOptions?: TLSOptions): Promise<GodotError> {
    if (this.peer !== null && this.peer.getReadyState() !== ReadyState.CLOSED) {
      return Promise.resolve(this.recordError(GodotError.ERR_ALREADY_IN_USE, 'Already connected or connecting; call disconnectFromHost() first'));
    }
    this.beginMultiplayerSession(gdMpApi);
    this.supportedProtocols = protocols;
    this.handshakeHeaders = customHeaders;
    const peer = new WebSocketPeer(this.peerOptions);
    peer.observer = this;
    peer.tag = 1;
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
    return id === 1 ? this.peer : null;
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

  // ---- PeerObserver -----------------------------------------------------

  /** @internal */
  peerEstablished(_peer: WebSocketPeer, protocol: string): void {
    // With gdMpApi the client is connected once the server introduces itself (connectionSucceeded).
    if (!this.gdMpApi) this.emit('connectionEstablished', protocol);
  }

  /** @internal */
  peerFailed(peer: WebSocketPeer, reason: string): void {
    this.lastError = peer.lastError;
    if (this.gdMpApi) this.multiplayerConnectionEnded(peer);
    else this.emit('connectionError', reason);
  }

  /** @internal */
  peerData(peer: WebSocketPeer): void {
    if (this.gdMpApi) this.multiplayerPeerData(peer);
    else this.emit('dataReceived');
  }

  /** @internal */
  peerCloseRequest(_peer: WebSocketPeer, code: number, reason: string): void {
    this.emit('serverCloseRequest', code, reason);
  }

  /** @internal */
  peerClosed(peer: WebSocketPeer, wasClean: boolean): void {
    if (this.gdMpApi) this.multiplayerConnectionEnded(peer);
    else this.emit('connectionClosed', wasClean);
  }

  private tlsFromGodot3Fields(): TLSOptions {
    // Godot 3 checks nothing at all when verify_ssl is off, trusted certificate or not.
    return this.verifySsl ? TLSOptions.client(this.trustedSslCertificate) : TLSOptions.clientUnsafe();
  }

}

// WebSocketClient serves its peers as their PeerObserver without an `implements` clause: the observer methods are
// @internal, and the package typings (stripInternal) would then fail to match the interface. This checks it instead.
type ObservesPeers<T extends PeerObserver> = T;
type _WebSocketClientObserves = ObservesPeers<WebSocketClient>;
