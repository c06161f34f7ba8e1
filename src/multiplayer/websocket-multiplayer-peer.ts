import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ConnectionStatus } from './connection-status.js';
import { GodotError } from '../godot-error.js';
import type { TLSOptions } from '../peer/tls-options.js';
import type { WebSocketPeer } from '../peer/websocket-peer.js';
import type { ClientRoleHost } from './multiplayer-role-host.js';
import type { RelayMembers } from './relay-bridge.js';
import { MultiplayerPeerBase } from './multiplayer-peer-base.js';
import { SERVER_PEER_ID } from '../server/peer-id.js';
import { WebSocketMultiplayerClientRole } from './websocket-multiplayer-client-role.js';
import { WebSocketMultiplayerServerRole } from './websocket-multiplayer-server-role.js';

export interface WebSocketMultiplayerPeerEvents {
  /**
   * A client could not connect, or the server never sent a valid id within
   * `handshakeTimeout` (Godot's SceneMultiplayer reports `connection_failed`).
   */
  connectionFailed: [reason: string];
  /** Server: a connection that never became a peer (refused or timed-out handshake), with the reason. */
  handshakeFailed: [reason: string, address: string];
}

/** Godot 4's default for WebSocketMultiplayerPeer.max_queued_packets. */
const DEFAULT_MAX_QUEUED_PACKETS = 4096;

/**
 * Godot 4's WebSocketMultiplayerPeer: a MultiplayerPeer over WebSocket, as a
 * server (`createServer`, or `handleUpgrade` behind node:http) or a client
 * (`createClient`). The server greets each client with its random id (one
 * 4-byte message); after that every message is a MultiplayerAPI packet.
 *
 * With `serverRelay` on (the default, like SceneMultiplayer's `server_relay`)
 * it also speaks SceneMultiplayer's system layer, so Godot 4 clients see and
 * reach each other through a gdws server as through a Godot one: the server
 * announces arrivals and departures (ADD_PEER / DEL_PEER) and forwards RELAY
 * envelopes; a client reports announced peers with `peerConnected` /
 * `peerDisconnected`, unwraps relayed packets (their source is the original
 * sender) and wraps packets for targets other than the server.
 */
export class WebSocketMultiplayerPeer extends MultiplayerPeerBase<WebSocketMultiplayerPeerEvents> {
  /** Speak SceneMultiplayer's announcements and relay envelopes (Godot's `server_relay`, on by default). */
  serverRelay = true;
  /**
   * Server: while true, a new client is held back (SceneMultiplayer's pending
   * authentication): it is not announced to the others nor they to it, and it
   * cannot relay, until `admitPeer(id)`. SceneMultiplayerServer sets it while
   * an auth callback is set.
   */
  holdNewPeers = false;
  /** Detail of the last call that returned an error. */

  /** The side this peer plays; null while DISCONNECTED. */
  private role: WebSocketMultiplayerServerRole | WebSocketMultiplayerClientRole | null = null;
  private readonly roleHost: ClientRoleHost = {
    ...this.packetHost(() => this.serverRelay),
    holdNewPeers: () => this.holdNewPeers,
    assignId: (id) => {
      this.uniqueId = id;
    },
    leave: () => this.reset(),
    connectionFailed: (reason) => this.emit('connectionFailed', reason),
    handshakeFailed: (reason, address) => this.emit('handshakeFailed', reason, address),
  };

  constructor() {
    super();
    this.maxQueuedPackets = DEFAULT_MAX_QUEUED_PACKETS;
  }

  // ---- starting ---------------------------------------------------------

  /**
   * Listens on `port` (0 picks a free one: `getListeningPort()`), on every
   * interface for "*"; serves wss:// with `TLSOptions.server(...)`.
   */
  async createServer(port: number, bindAddress = '*', tlsOptions?: TLSOptions): Promise<GodotError> {
    if (this.role !== null) return this.recordError(GodotError.ERR_ALREADY_IN_USE, 'Already a server or a client: call close() first');
    if (tlsOptions !== undefined && !tlsOptions.isServer()) {
      return this.recordError(GodotError.ERR_INVALID_PARAMETER, 'A server needs TLSOptions.server(key, certificate)');
    }
    const server = this.becomeServer();
    const result = await server.listen(port, bindAddress, tlsOptions);
    if (result !== GodotError.OK && this.role === server) this.reset();
    return result;
  }

  /**
   * Connects to a server. The status is CONNECTING at once and CONNECTED when
   * the server's id greeting arrives (then `peerConnected(1)`); resolves OK
   * then, or with the error that stopped it (`connectionFailed` fires too).
   */
  createClient(url: string, tlsOptions?: TLSOptions): Promise<GodotError> {
    if (this.role !== null) {
      return Promise.resolve(this.recordError(GodotError.ERR_ALREADY_IN_USE, 'Already a server or a client: call close() first'));
    }
    if (tlsOptions !== undefined && tlsOptions.isServer()) {
      return Promise.resolve(this.recordError(GodotError.ERR_INVALID_PARAMETER, 'A client needs TLSOptions.client() or TLSOptions.clientUnsafe()'));
    }
    const client = new WebSocketMultiplayerClientRole(this.roleHost, this.peerOptions);
    this.role = client;
    return client.connect(url, tlsOptions, this.handshakeTimeout);
  }

  /**
   * Adopts an upgrade request from a node:http(s) server:
   * `httpServer.on('upgrade', (req, socket, head) => peer.handleUpgrade(req, socket, head))`.
   * A peer that is neither server nor client becomes a server without a listener of its own.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): GodotError {
    if (this.role instanceof WebSocketMultiplayerClientRole) {
      socket.destroy();
      return this.recordError(GodotError.ERR_ALREADY_IN_USE, 'This multiplayer peer is a client; it cannot adopt upgrades');
    }
    const server = this.role ?? this.becomeServer();
    server.handleUpgrade(request, socket, head);
    return GodotError.OK;
  }

  // ---- MultiplayerPeer --------------------------------------------------

  getConnectionStatus(): ConnectionStatus {
    return this.role?.status ?? ConnectionStatus.DISCONNECTED;
  }

  isServer(): boolean {
    return this.role instanceof WebSocketMultiplayerServerRole;
  }

  /** Godot's WebSocketMultiplayerPeer lets SceneMultiplayer relay through the server. */
  isServerRelaySupported(): boolean {
    return true;
  }

  /**
   * Server: to the target peer (`> 0` one client, `0` all, `< 0` all but one).
   * Client: to the server, wrapped in a RELAY envelope for any other target when `serverRelay` is on.
   */
  putPacket(data: Uint8Array): GodotError {
    const role = this.role;
    if (role?.status !== ConnectionStatus.CONNECTED) {
      return this.recordError(GodotError.ERR_UNCONFIGURED, 'Not connected: createServer() or createClient() first, and wait for it');
    }
    return role.send(this.targetPeer, data);
  }

  /** Godot's per-frame poll; Node's event loop does the work. */
  poll(): void {}

  /**
   * Closes the connection to `id` (code 1000). With `force` the peer is
   * forgotten at once and `peerDisconnected` is not emitted for it, as in Godot;
   * other clients still hear of the departure when `serverRelay` is on.
   */
  disconnectPeer(id: number, force = false): GodotError {
    const peer = this.role?.getPeer(id);
    if (peer === undefined) return this.recordError(GodotError.ERR_DOES_NOT_EXIST, `No peer with id ${id}`);
    peer.close();
    if (force) this.role?.forget(id, peer);
    return GodotError.OK;
  }

  /**
   * Drops every connection and stops listening, back to DISCONNECTED, without
   * `peerDisconnected` events (Godot's `close`). Resolves when the sockets are gone.
   */
  async close(): Promise<void> {
    const role = this.role;
    this.reset();
    await role?.close();
  }

  // ---- WebSocketMultiplayerPeer ----------------------------------------

  getPeer(id: number): WebSocketPeer | null {
    return this.role?.getPeer(id) ?? null;
  }

  getPeerAddress(id: number): string {
    return this.role?.getPeer(id)?.getConnectedHost() ?? '';
  }

  getPeerPort(id: number): number {
    return this.role?.getPeer(id)?.getConnectedPort() ?? 0;
  }

  /** Server: the connected clients' ids. Client: [1] while connected. */
  getPeerIds(): number[] {
    return this.role?.getPeerIds() ?? [];
  }

  /** Server: admits a client held by `holdNewPeers` (announces it with relay on); ERR_DOES_NOT_EXIST if it is not held. */
  admitPeer(id: number): GodotError {
    if (!(this.role instanceof WebSocketMultiplayerServerRole) || !this.role.admit(id)) {
      return this.recordError(GodotError.ERR_DOES_NOT_EXIST, `No client waiting for admission with id ${id}`);
    }
    return GodotError.OK;
  }

  /** Client: the ids the server announced (other clients), when `serverRelay` is on. */
  getAnnouncedPeers(): number[] {
    return this.role instanceof WebSocketMultiplayerClientRole ? this.role.getAnnouncedPeers() : [];
  }

  /** The bound port of `createServer`, or 0. */
  getListeningPort(): number {
    return this.role instanceof WebSocketMultiplayerServerRole ? this.role.getListeningPort() : 0;
  }

  /** @internal A server whose relay spans processes (a MultiplayerRooms room with a link): its remote side. */
  serveRoom(): RelayMembers {
    if (this.role instanceof WebSocketMultiplayerClientRole) throw new Error('A client cannot serve a room');
    return this.role ?? this.becomeServer();
  }

  // ---- internals --------------------------------------------------------

  protected override refusalChanged(enabled: boolean): void {
    if (this.role instanceof WebSocketMultiplayerServerRole) this.role.refuseNewConnections(enabled);
  }

  protected handlePeerMessage(peer: WebSocketPeer, message: Buffer): boolean {
    return this.role?.handleMessage(peer, message) ?? false;
  }

  private becomeServer(): WebSocketMultiplayerServerRole {
    const server = new WebSocketMultiplayerServerRole(this.roleHost, () => this.peerOptions, this.refuseNewConnections);
    this.role = server;
    this.uniqueId = SERVER_PEER_ID;
    return server;
  }

  /** Back to DISCONNECTED: forgets every connection (without closing them) and the queued packets. */
  private reset(): void {
    const role = this.role;
    this.role = null;
    role?.detach();
    this.clearIncoming();
    this.uniqueId = 0;
  }
}
