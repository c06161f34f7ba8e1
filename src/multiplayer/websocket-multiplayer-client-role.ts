import { ConnectionStatus } from './connection-status.js';
import { GodotError } from '../godot-error.js';
import type { PeerOptions } from '../peer/peer-options.js';
import type { TLSOptions } from '../peer/tls-options.js';
import { WebSocketPeer, type PeerObserver } from '../peer/websocket-peer.js';
import { decodeIdGreeting } from './godot4-greeting.js';
import { sendOrFail, type ClientRoleHost } from './multiplayer-role-host.js';
import { SERVER_PEER_ID } from '../server/peer-id.js';
import { decodeSceneSystemPacket, encodeRelay, isSceneSystemPacket, SceneSystemCommand } from './scene-multiplayer-packet.js';

/**
 * The client side of Godot 4's WebSocketMultiplayerPeer: one connection to
 * the server (peer 1), CONNECTING until the server's id greeting. With relay
 * on it plays SceneMultiplayer's client part: reports the peers the server
 * announces, unwraps relayed packets (their source is the original sender)
 * and wraps packets for targets other than the server.
 */
export class WebSocketMultiplayerClientRole implements PeerObserver {
  private state: ConnectionStatus = ConnectionStatus.CONNECTING;
  private readonly connection: WebSocketPeer;
  /** The other clients the server announced. */
  private readonly announcedPeers = new Set<number>();
  private greetingTimer: NodeJS.Timeout | null = null;
  private settleConnect: ((result: GodotError) => void) | null = null;

  constructor(
    private readonly host: ClientRoleHost,
    options: Readonly<PeerOptions>,
  ) {
    this.connection = new WebSocketPeer(options);
    this.connection.observer = this;
    this.connection.tag = SERVER_PEER_ID;
  }

  get status(): ConnectionStatus {
    return this.state;
  }

  /** Resolves OK when the id greeting arrives, or with the error that stopped it. */
  connect(url: string, tlsOptions: TLSOptions | undefined, timeoutSeconds: number): Promise<GodotError> {
    const settled = new Promise<GodotError>((resolve) => {
      this.settleConnect = resolve;
    });
    // Godot counts the handshake timeout from create_client until the id arrives.
    this.greetingTimer = setTimeout(() => {
      this.giveUp(GodotError.ERR_TIMEOUT, `No id from the server within ${timeoutSeconds} s (handshakeTimeout)`, -1);
    }, timeoutSeconds * 1000);
    this.greetingTimer.unref();
    void this.connection.connectToUrl(url, tlsOptions);
    return settled;
  }

  getPeer(id: number): WebSocketPeer | undefined {
    return id === SERVER_PEER_ID ? this.connection : undefined;
  }

  getPeerIds(): number[] {
    return [SERVER_PEER_ID];
  }

  getAnnouncedPeers(): number[] {
    return [...this.announcedPeers];
  }

  /** To the server, wrapped in a RELAY envelope for any other target when relay is on. */
  send(target: number, data: Uint8Array): GodotError {
    const message = this.host.relayEnabled() && target !== SERVER_PEER_ID ? encodeRelay(target, data) : data;
    return sendOrFail(this.host, this.connection, message);
  }

  /** The server is the only peer: forgetting it ends the session. */
  forget(): void {
    this.host.leave();
  }

  /** Stops reporting to the host and settles a pending connect with ERR_CONNECTION_ERROR; the connection is left as it is. */
  detach(): void {
    this.connection.observer = null;
    this.stopGreetingTimer();
    this.state = ConnectionStatus.DISCONNECTED;
    this.settle(GodotError.ERR_CONNECTION_ERROR);
  }

  close(): void {
    this.connection.close();
  }

  /** One message from the server: the id greeting first, then MultiplayerAPI and system packets. */
  handleMessage(peer: WebSocketPeer, message: Buffer): boolean {
    if (peer !== this.connection) return false;
    if (this.state === ConnectionStatus.CONNECTING) return this.acceptGreeting(message);
    if (this.state !== ConnectionStatus.CONNECTED) return false;
    if (message.length === 0) this.host.dropPacket(SERVER_PEER_ID, 'empty packet');
    else if (this.host.relayEnabled() && isSceneSystemPacket(message)) this.handleSystemPacket(message);
    else this.host.deliver(SERVER_PEER_ID, message);
    return true;
  }

  // ---- PeerObserver (the connection to the server) ----------------------

  peerEstablished(): void {
    // Connected only once the id greeting arrives.
  }

  peerFailed(peer: WebSocketPeer, reason: string): void {
    this.giveUp(peer.lastError?.code ?? GodotError.ERR_CONNECTION_ERROR, reason, null);
  }

  peerData(peer: WebSocketPeer): void {
    this.host.takeMessages(peer);
  }

  peerCloseRequest(): void {}

  peerClosed(): void {
    if (this.state === ConnectionStatus.CONNECTING) {
      this.giveUp(GodotError.ERR_CONNECTION_ERROR, 'The server closed the connection before sending an id', null);
      return;
    }
    this.host.leave();
    this.host.peerDisconnected(SERVER_PEER_ID);
  }

  // ---- internals --------------------------------------------------------

  private acceptGreeting(message: Buffer): boolean {
    const id = decodeIdGreeting(message);
    if (id === null) {
      this.giveUp(GodotError.ERR_INVALID_DATA, `Invalid id from the server: ${message.length} bytes, expected a 4-byte id >= 2`, 1000);
      return false;
    }
    this.state = ConnectionStatus.CONNECTED;
    this.stopGreetingTimer();
    this.host.assignId(id);
    this.host.peerConnected(SERVER_PEER_ID);
    this.settle(GodotError.OK);
    return true;
  }

  /** Connecting failed: `closeCode` null when the connection is already gone. */
  private giveUp(code: GodotError, reason: string, closeCode: number | null): void {
    if (this.state !== ConnectionStatus.CONNECTING) return;
    // Taken before leaving, which would settle it with ERR_CONNECTION_ERROR instead of `code`.
    const settle = this.settleConnect;
    this.settleConnect = null;
    this.host.leave();
    if (closeCode !== null) this.connection.close(closeCode);
    this.host.fail(code, reason);
    settle?.(code);
    this.host.connectionFailed(reason);
  }

  private handleSystemPacket(message: Buffer): void {
    const system = decodeSceneSystemPacket(message);
    if (system === null) {
      this.host.dropPacket(SERVER_PEER_ID, `system packet of ${message.length} bytes is too short`);
      return;
    }
    switch (system.command) {
      case SceneSystemCommand.AUTH:
        this.host.deliver(SERVER_PEER_ID, message);
        return;
      case SceneSystemCommand.ADD_PEER:
        if (this.announcedPeers.has(system.peer)) return;
        this.announcedPeers.add(system.peer);
        this.host.peerConnected(system.peer);
        return;
      case SceneSystemCommand.DEL_PEER:
        if (this.announcedPeers.delete(system.peer)) this.host.peerDisconnected(system.peer);
        return;
      case SceneSystemCommand.RELAY:
        if (system.payload.length === 0) this.host.dropPacket(SERVER_PEER_ID, 'relay envelope without a packet');
        else this.host.deliver(system.peer, system.payload);
        return;
      default:
        this.host.dropPacket(SERVER_PEER_ID, `unknown system command ${system.command}`);
    }
  }

  private stopGreetingTimer(): void {
    if (this.greetingTimer !== null) clearTimeout(this.greetingTimer);
    this.greetingTimer = null;
  }

  private settle(result: GodotError): void {
    const settle = this.settleConnect;
    this.settleConnect = null;
    settle?.(result);
  }
}
