import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ConnectionStatus } from '../client/connection-status.js';
import { GodotError } from '../godot-error.js';
import type { PeerOptions } from '../peer/peer-options.js';
import { WriteMode } from '../peer/ready-state.js';
import type { TLSOptions } from '../peer/tls-options.js';
import { WebSocketPeer, type PeerObserver } from '../peer/websocket-peer.js';
import { decodeIdGreeting, encodeIdGreeting } from './godot4-greeting.js';
import { MultiplayerPeerBase } from './multiplayer-peer-base.js';
import { randomPeerId, SERVER_PEER_ID } from './peer-id.js';
import { routeSceneRelay, serverTargets } from './relay-rules.js';
import { ServerTransport } from './server-transport.js';
import { decodeSceneSystemPacket, encodePeerNotice, encodeRelay, isSceneSystemPacket, SceneSystemCommand } from './scene-multiplayer-packet.js';

export interface WebSocketMultiplayerPeerEvents {
  /**
   * A client could not connect, or the server never sent a valid id within
   * `handshakeTimeout` (Godot's SceneMultiplayer reports `connection_failed`).
   */
  connectionFailed: [reason: string];
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
export class WebSocketMultiplayerPeer extends MultiplayerPeerBase<WebSocketMultiplayerPeerEvents> implements PeerObserver {
  /** Speak SceneMultiplayer's announcements and relay envelopes (Godot's `server_relay`, on by default). */
  serverRelay = true;
  /** Detail of the last call that returned an error. */
  lastError: { code: GodotError; message: string } | null = null;

  private status: ConnectionStatus = ConnectionStatus.DISCONNECTED;
  private server: ServerTransport | null = null;
  private client: WebSocketPeer | null = null;
  /** Server: the connected clients by id. Client: the server, as 1. */
  private readonly peers = new Map<number, WebSocketPeer>();
  /** Server: multiplayer id by the internal WebSocketServer's id for the same connection. */
  private readonly idsByConnection = new Map<number, number>();
  /** Client: the peers the server announced. */
  private readonly announcedPeers = new Set<number>();
  private greetingTimer: NodeJS.Timeout | null = null;
  private settleConnect: ((result: GodotError) => void) | null = null;

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
    if (this.status !== ConnectionStatus.DISCONNECTED) return this.fail(GodotError.ERR_ALREADY_IN_USE, 'Already a server or a client: call close() first');
    if (tlsOptions !== undefined && !tlsOptions.isServer()) {
      return this.fail(GodotError.ERR_INVALID_PARAMETER, 'A server needs TLSOptions.server(key, certificate)');
    }
    const server = this.startServer();
    this.status = ConnectionStatus.CONNECTING;
    const result = await server.listen({ port, bindIp: bindAddress, tls: tlsOptions });
    if (this.server !== server) {
      void server.stop();
      return this.fail(GodotError.ERR_CONNECTION_ERROR, 'close() was called while the server was starting');
    }
    if (result !== GodotError.OK) {
      this.reset();
      return this.fail(result, server.lastError?.message ?? `Cannot listen on ${bindAddress}:${port}`);
    }
    this.status = ConnectionStatus.CONNECTED;
    return GodotError.OK;
  }

  /**
   * Connects to a server. The status is CONNECTING at once and CONNECTED when
   * the server's id greeting arrives (then `peerConnected(1)`); resolves OK
   * then, or with the error that stopped it (`connectionFailed` fires too).
   */
  createClient(url: string, tlsOptions?: TLSOptions): Promise<GodotError> {
    if (this.status !== ConnectionStatus.DISCONNECTED) {
      return Promise.resolve(this.fail(GodotError.ERR_ALREADY_IN_USE, 'Already a server or a client: call close() first'));
    }
    if (tlsOptions !== undefined && tlsOptions.isServer()) {
      return Promise.resolve(this.fail(GodotError.ERR_INVALID_PARAMETER, 'A client needs TLSOptions.client() or TLSOptions.clientUnsafe()'));
    }
    this.reset();
    const peer = new WebSocketPeer(this.peerOptions);
    peer.observer = this;
    peer.tag = SERVER_PEER_ID;
    this.client = peer;
    this.peers.set(SERVER_PEER_ID, peer);
    this.status = ConnectionStatus.CONNECTING;
    const settled = new Promise<GodotError>((resolve) => {
      this.settleConnect = resolve;
    });
    // Godot counts the handshake timeout from create_client until the id arrives.
    const timeoutSeconds = this.handshakeTimeout;
    this.greetingTimer = setTimeout(() => {
      this.failClient(peer, GodotError.ERR_TIMEOUT, `No id from the server within ${timeoutSeconds} s (handshakeTimeout)`, -1);
    }, timeoutSeconds * 1000);
    this.greetingTimer.unref();
    void peer.connectToUrl(url, tlsOptions);
    return settled;
  }

  /**
   * Adopts an upgrade request from a node:http(s) server:
   * `httpServer.on('upgrade', (req, socket, head) => peer.handleUpgrade(req, socket, head))`.
   * A peer that is neither server nor client becomes a server without a listener of its own.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): GodotError {
    if (this.client !== null) {
      socket.destroy();
      return this.fail(GodotError.ERR_ALREADY_IN_USE, 'This multiplayer peer is a client; it cannot adopt upgrades');
    }
    let server = this.server;
    if (server === null) {
      server = this.startServer();
      this.status = ConnectionStatus.CONNECTED;
    }
    server.handleUpgrade(request, socket, head);
    return GodotError.OK;
  }

  // ---- MultiplayerPeer --------------------------------------------------

  getConnectionStatus(): ConnectionStatus {
    return this.status;
  }

  isServer(): boolean {
    return this.server !== null;
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
    if (this.status !== ConnectionStatus.CONNECTED) {
      return this.fail(GodotError.ERR_UNCONFIGURED, 'Not connected: createServer() or createClient() first, and wait for it');
    }
    if (this.server !== null) return this.sendFromServer(data);
    const target = this.targetPeer;
    const message = this.serverRelay && target !== SERVER_PEER_ID ? encodeRelay(target, data) : data;
    return this.sendOn(this.client!, message);
  }

  /** Godot's per-frame poll; Node's event loop does the work. */
  poll(): void {}

  /**
   * Closes the connection to `id` (code 1000). With `force` the peer is
   * forgotten at once and `peerDisconnected` is not emitted for it, as in Godot;
   * other clients still hear of the departure when `serverRelay` is on.
   */
  disconnectPeer(id: number, force = false): GodotError {
    const peer = this.peers.get(id);
    if (peer === undefined) return this.fail(GodotError.ERR_DOES_NOT_EXIST, `No peer with id ${id}`);
    peer.close();
    if (!force) return GodotError.OK;
    if (this.server !== null) this.removeClient(id, peer);
    else this.reset();
    return GodotError.OK;
  }

  /**
   * Drops every connection and stops listening, back to DISCONNECTED, without
   * `peerDisconnected` events (Godot's `close`). Resolves when the sockets are gone.
   */
  async close(): Promise<void> {
    const server = this.server;
    const client = this.client;
    this.reset();
    client?.close();
    if (server !== null) await server.stop();
  }

  // ---- WebSocketMultiplayerPeer ----------------------------------------

  getPeer(id: number): WebSocketPeer | null {
    return this.peers.get(id) ?? null;
  }

  getPeerAddress(id: number): string {
    return this.peers.get(id)?.getConnectedHost() ?? '';
  }

  getPeerPort(id: number): number {
    return this.peers.get(id)?.getConnectedPort() ?? 0;
  }

  /** Server: the connected clients' ids. Client: [1] while connected. */
  getPeerIds(): number[] {
    return [...this.peers.keys()];
  }

  /** Client: the ids the server announced (other clients), when `serverRelay` is on. */
  getAnnouncedPeers(): number[] {
    return [...this.announcedPeers];
  }

  /** The bound port of `createServer`, or 0. */
  getListeningPort(): number {
    return this.server?.getListeningPort() ?? 0;
  }

  // ---- PeerObserver (the client connection) -----------------------------

  peerEstablished(): void {
    // Connected only once the id greeting arrives.
  }

  peerFailed(peer: WebSocketPeer, reason: string): void {
    this.failClient(peer, peer.lastError?.code ?? GodotError.ERR_CONNECTION_ERROR, reason, null);
  }

  peerData(peer: WebSocketPeer): void {
    if (peer === this.client) this.takeMessages(peer);
  }

  peerCloseRequest(): void {}

  peerClosed(peer: WebSocketPeer): void {
    if (peer !== this.client) return;
    if (this.status === ConnectionStatus.CONNECTING) {
      this.failClient(peer, GodotError.ERR_CONNECTION_ERROR, 'The server closed the connection before sending an id', null);
      return;
    }
    this.reset();
    this.emit('peerDisconnected', SERVER_PEER_ID);
  }

  // ---- internals --------------------------------------------------------

  protected override setOption<K extends keyof PeerOptions>(key: K, value: PeerOptions[K]): void {
    super.setOption(key, value);
    this.server?.useOptions(this.peerOptions);
  }

  protected override refusalChanged(enabled: boolean): void {
    if (this.server !== null) this.server.refuseNewConnections = enabled;
  }

  protected handlePeerMessage(peer: WebSocketPeer, message: Buffer): boolean {
    if (this.server !== null) return this.handleClientMessage(peer, message);
    if (peer === this.client) return this.handleServerMessage(peer, message);
    return false;
  }

  private startServer(): ServerTransport {
    this.reset();
    const server = new ServerTransport();
    server.useOptions(this.peerOptions);
    server.refuseNewConnections = this.refuseNewConnections;
    server.on('clientConnected', this.onClientConnected);
    server.on('dataReceived', this.onClientData);
    server.on('clientDisconnected', this.onClientDisconnected);
    this.server = server;
    this.uniqueId = SERVER_PEER_ID;
    return server;
  }

  /** Back to DISCONNECTED: forgets every connection (without closing them) and the queued packets. */
  private reset(): void {
    const server = this.server;
    if (server !== null) {
      server.off('clientConnected', this.onClientConnected);
      server.off('dataReceived', this.onClientData);
      server.off('clientDisconnected', this.onClientDisconnected);
    }
    if (this.client !== null) this.client.observer = null;
    if (this.greetingTimer !== null) clearTimeout(this.greetingTimer);
    this.greetingTimer = null;
    this.server = null;
    this.client = null;
    this.peers.clear();
    this.idsByConnection.clear();
    this.announcedPeers.clear();
    this.clearIncoming();
    this.status = ConnectionStatus.DISCONNECTED;
    this.uniqueId = 0;
    this.settle(GodotError.ERR_CONNECTION_ERROR);
  }

  private settle(result: GodotError): void {
    const settle = this.settleConnect;
    this.settleConnect = null;
    settle?.(result);
  }

  private fail(code: GodotError, message: string): GodotError {
    this.lastError = { code, message };
    return code;
  }

  private sendOn(peer: WebSocketPeer, message: Uint8Array): GodotError {
    const result = peer.send(message, WriteMode.BINARY);
    if (result !== GodotError.OK) this.fail(result, peer.lastError?.message ?? 'Send failed');
    return result;
  }

  // ---- server role ------------------------------------------------------

  private readonly onClientConnected = (connection: number): void => {
    const peer = this.server?.getPeer(connection);
    if (peer === undefined) return;
    // Godot 4 drops connections that finish their handshake while it refuses new ones.
    if (this.refuseNewConnections) {
      peer.close(-1);
      return;
    }
    const id = randomPeerId((candidate) => this.peers.has(candidate));
    if (peer.send(encodeIdGreeting(id), WriteMode.BINARY) !== GodotError.OK) {
      this.fail(GodotError.FAILED, `Could not send the id to a new client: ${peer.lastError?.message ?? 'send failed'}`);
      peer.close(-1);
      return;
    }
    this.peers.set(id, peer);
    this.idsByConnection.set(connection, id);
    if (this.serverRelay) this.announceArrival(id, peer);
    this.emit('peerConnected', id);
  };

  private readonly onClientData = (connection: number): void => {
    if (!this.idsByConnection.has(connection)) return;
    const peer = this.server?.getPeer(connection);
    if (peer !== undefined) this.takeMessages(peer);
  };

  private readonly onClientDisconnected = (connection: number): void => {
    const id = this.idsByConnection.get(connection);
    const peer = id === undefined ? undefined : this.peers.get(id);
    if (id === undefined || peer === undefined) return;
    this.removeClient(id, peer);
    this.emit('peerDisconnected', id);
  };

  /** SceneMultiplayer's order: for each client already here, tell it about the newcomer, then the newcomer about it. */
  private announceArrival(id: number, newcomer: WebSocketPeer): void {
    const arrival = encodePeerNotice(SceneSystemCommand.ADD_PEER, id);
    for (const [other, peer] of this.peers) {
      if (other === id) continue;
      peer.send(arrival, WriteMode.BINARY);
      newcomer.send(encodePeerNotice(SceneSystemCommand.ADD_PEER, other), WriteMode.BINARY);
    }
  }

  private removeClient(id: number, peer: WebSocketPeer): void {
    this.peers.delete(id);
    this.idsByConnection.delete(peer.tag);
    this.forgetConnection(peer);
    if (!this.serverRelay) return;
    const departure = encodePeerNotice(SceneSystemCommand.DEL_PEER, id);
    for (const other of this.peers.values()) other.send(departure, WriteMode.BINARY);
  }

  private sendFromServer(data: Uint8Array): GodotError {
    const targets = serverTargets(this.targetPeer, this.peers);
    if (targets === null) return this.fail(GodotError.ERR_INVALID_PARAMETER, `Peer not found: ${this.targetPeer}`);
    if (targets.length === 1) return this.sendOn(this.peers.get(targets[0]!)!, data);
    // As in Godot, a broadcast ignores individual failures.
    for (const id of targets) this.peers.get(id)!.send(data, WriteMode.BINARY);
    return GodotError.OK;
  }

  private handleClientMessage(peer: WebSocketPeer, message: Buffer): boolean {
    const source = this.idsByConnection.get(peer.tag);
    if (source === undefined) return false;
    if (message.length === 0) this.dropPacket(source, 'empty packet');
    else if (this.serverRelay && isSceneSystemPacket(message)) this.handleSystemFromClient(source, message);
    else this.deliver(source, message);
    return true;
  }

  private handleSystemFromClient(source: number, message: Buffer): void {
    const system = decodeSceneSystemPacket(message);
    if (system === null) {
      this.dropPacket(source, `system packet of ${message.length} bytes is too short`);
      return;
    }
    switch (system.command) {
      case SceneSystemCommand.AUTH:
        // Authentication is between the client and the server's application.
        this.deliver(source, message);
        return;
      case SceneSystemCommand.RELAY:
        this.relay(source, system.peer, system.payload);
        return;
      case SceneSystemCommand.ADD_PEER:
      case SceneSystemCommand.DEL_PEER:
        this.dropPacket(source, 'peer announcements (ADD_PEER/DEL_PEER) only come from the server');
        return;
      default:
        this.dropPacket(source, `unknown system command ${system.command}`);
    }
  }

  private relay(source: number, target: number, packet: Buffer): void {
    if (packet.length === 0) {
      this.dropPacket(source, 'relay envelope without a packet');
      return;
    }
    const route = routeSceneRelay(source, target, this.peers);
    if ('dropReason' in route) {
      this.dropPacket(source, route.dropReason);
      return;
    }
    if (route.forwardTo.length > 0) {
      const envelope = encodeRelay(source, packet);
      for (const id of route.forwardTo) {
        const peer = this.peers.get(id);
        if (peer !== undefined && peer.send(envelope, WriteMode.BINARY) !== GodotError.OK) {
          this.dropPacket(source, `could not relay to peer ${id}: ${peer.lastError?.message ?? 'send failed'}`);
        }
      }
    }
    if (route.deliverToServer) this.deliver(source, packet);
  }

  // ---- client role ------------------------------------------------------

  /** A connecting client gives up: `closeCode` null when the connection is already gone. */
  private failClient(peer: WebSocketPeer, code: GodotError, reason: string, closeCode: number | null): void {
    if (peer !== this.client || this.status !== ConnectionStatus.CONNECTING) return;
    const settle = this.settleConnect;
    this.settleConnect = null;
    this.reset();
    if (closeCode !== null) peer.close(closeCode);
    this.fail(code, reason);
    settle?.(code);
    this.emit('connectionFailed', reason);
  }

  private handleServerMessage(peer: WebSocketPeer, message: Buffer): boolean {
    if (this.status === ConnectionStatus.CONNECTING) {
      const id = decodeIdGreeting(message);
      if (id === null) {
        this.failClient(peer, GodotError.ERR_INVALID_DATA, `Invalid id from the server: ${message.length} bytes, expected a 4-byte id >= 2`, 1000);
        return false;
      }
      this.uniqueId = id;
      this.status = ConnectionStatus.CONNECTED;
      if (this.greetingTimer !== null) clearTimeout(this.greetingTimer);
      this.greetingTimer = null;
      this.emit('peerConnected', SERVER_PEER_ID);
      this.settle(GodotError.OK);
      return true;
    }
    if (this.status !== ConnectionStatus.CONNECTED) return false;
    if (message.length === 0) this.dropPacket(SERVER_PEER_ID, 'empty packet');
    else if (this.serverRelay && isSceneSystemPacket(message)) this.handleSystemFromServer(message);
    else this.deliver(SERVER_PEER_ID, message);
    return true;
  }

  private handleSystemFromServer(message: Buffer): void {
    const system = decodeSceneSystemPacket(message);
    if (system === null) {
      this.dropPacket(SERVER_PEER_ID, `system packet of ${message.length} bytes is too short`);
      return;
    }
    switch (system.command) {
      case SceneSystemCommand.AUTH:
        this.deliver(SERVER_PEER_ID, message);
        return;
      case SceneSystemCommand.ADD_PEER:
        if (this.announcedPeers.has(system.peer)) return;
        this.announcedPeers.add(system.peer);
        this.emit('peerConnected', system.peer);
        return;
      case SceneSystemCommand.DEL_PEER:
        if (this.announcedPeers.delete(system.peer)) this.emit('peerDisconnected', system.peer);
        return;
      case SceneSystemCommand.RELAY:
        if (system.payload.length === 0) this.dropPacket(SERVER_PEER_ID, 'relay envelope without a packet');
        else this.deliver(system.peer, system.payload);
        return;
      default:
        this.dropPacket(SERVER_PEER_ID, `unknown system command ${system.command}`);
    }
  }
}
