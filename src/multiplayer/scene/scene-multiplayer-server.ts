import { EventEmitter } from 'node:events';
import { GodotError } from '../../godot-error.js';
import { SERVER_PEER_ID } from '../../server/peer-id.js';
import type { EncodableVariant } from '../../variant/variant.js';
import { ConnectionStatus } from '../connection-status.js';
import { TransferMode } from '../transfer-mode.js';
import type { WebSocketMultiplayerPeer } from '../websocket-multiplayer-peer.js';
import { ScenePathCache } from './path-cache.js';
import { PeerSessions } from './peer-sessions.js';
import { NodeRpcTable, normalizeNodePath, type RpcConfig } from './rpc-config.js';
import { encodeAuth, encodeRaw } from './scene-packet.js';
import { ScenePacketProcessor } from './scene-packet-processor.js';
import { SceneRpcSender } from './scene-rpc-sender.js';
import type { AuthCallback, NodeEntry, RpcHandler, SceneMultiplayerServerEvents } from './scene-server-types.js';
import { PacketDrain } from './packet-drain.js';

// Re-exported so the public names keep coming from this module (index.ts and users' deep imports).
export type { AuthCallback, RpcHandler, SceneMultiplayerServerEvents } from './scene-server-types.js';

export interface SceneMultiplayerServerOptions {
  authCallback?: AuthCallback | null;
  /** Seconds a client may take to authenticate; 0 = no limit. Godot's default is 3. */
  authTimeout?: number;
  /** SceneMultiplayer's allow_object_decoding: full objects in rpc arguments. Default false. */
  allowObjectDecoding?: boolean;
}

/**
 * The server side of Godot 4's SceneMultiplayer, for a Node process that is
 * the authority of a Godot game: it consumes every packet of a gdws
 * `WebSocketMultiplayerPeer` in server role, answers the node path cache,
 * runs registered rpc handlers with decoded arguments, calls rpcs on clients,
 * exchanges raw packets and runs the authentication step. It reads every
 * packet the peer receives (do not call `getPacket` yourself) and sends with
 * `setTargetPeer`/`putPacket`, restoring the target afterwards.
 *
 * Method ids: Godot numbers the rpc methods of a node by sorting their names
 * (rpc-config.ts), so register every `@rpc` function the GDScript side
 * declares on that node (a handler may ignore calls), with the same
 * `mode`/`callLocal` as the `@rpc` annotation.
 */
export class SceneMultiplayerServer extends EventEmitter<SceneMultiplayerServerEvents> {
  allowObjectDecoding: boolean;
  lastError: { code: GodotError; message: string } | null = null;

  private readonly nodes = new Map<string, NodeEntry>();
  private readonly cache = new ScenePathCache();
  // The three parts this facade composes; built in the constructor because they need `peer`.
  private readonly sessions: PeerSessions;
  private readonly sender: SceneRpcSender;
  private readonly processor: ScenePacketProcessor;
  private readonly drainer: PacketDrain;
  private attached = true;

  private readonly onPeerConnected = (id: number): void => this.sessions.add(id);
  private readonly onPeerDisconnected = (id: number): void => this.sessions.remove(id);
  private readonly onPeerPacket = (): void => this.drain();

  constructor(
    readonly peer: WebSocketMultiplayerPeer,
    options: SceneMultiplayerServerOptions = {},
  ) {
    super();
    this.sessions = new PeerSessions(peer, this.cache, this);
    this.sender = new SceneRpcSender(peer, this.sessions.connected, this.cache, (code, message) => this.fail(code, message));
    this.processor = new ScenePacketProcessor({
      sessions: this.sessions,
      nodes: this.nodes,
      cache: this.cache,
      sender: this.sender,
      events: this,
      allowObjects: () => this.allowObjectDecoding,
    });
    this.drainer = new PacketDrain(peer, (from, packet) => this.processor.process(from, packet));
    this.allowObjectDecoding = options.allowObjectDecoding ?? false;
    if (options.authTimeout !== undefined) this.authTimeout = options.authTimeout;
    this.authCallback = options.authCallback ?? null;
    // Clients already there count as admitted.
    for (const id of peer.getPeerIds()) this.sessions.connected.add(id);
    peer.on('peerConnected', this.onPeerConnected);
    peer.on('peerDisconnected', this.onPeerDisconnected);
    peer.on('peerPacket', this.onPeerPacket);
    this.drain();
  }

  // ---- configuration -----------------------------------------------------

  /**
   * Declares rpc method `method` of the node at `nodePath` (`/root/Main` or
   * `Main`) and the handler for calls from clients. `config` mirrors GDScript's
   * `@rpc`: mode `authority` (default) or `any_peer`, `callLocal`,
   * `transferMode`, `channel`. Register all of the node's rpc methods, the ones
   * only the server calls too (handler optional), so the ids match Godot's.
   */
  registerRpc(nodePath: string, method: string, config: RpcConfig = {}, handler?: RpcHandler): this {
    const path = normalizeNodePath(nodePath);
    let entry = this.nodes.get(path);
    if (entry === undefined) {
      entry = { table: new NodeRpcTable(), handlers: new Map(), authority: SERVER_PEER_ID };
      this.nodes.set(path, entry);
    }
    entry.table.set(method, config);
    if (handler !== undefined) entry.handlers.set(method, handler);
    else entry.handlers.delete(method);
    return this;
  }

  /** The peer whose calls `authority` rpcs of this node accept (Godot's `set_multiplayer_authority`); the server (1) by default. */
  setMultiplayerAuthority(nodePath: string, peerId: number): void {
    const entry = this.nodes.get(normalizeNodePath(nodePath));
    if (entry === undefined) throw new RangeError(`No rpc methods registered for node ${nodePath}`);
    entry.authority = peerId;
  }

  getMultiplayerAuthority(nodePath: string): number {
    return this.nodes.get(normalizeNodePath(nodePath))?.authority ?? SERVER_PEER_ID;
  }

  /**
   * Godot's `auth_callback`: while set, each new client is held (not
   * announced, its packets other than AUTH refused) until both sides called
   * complete auth; called with each AUTH data packet the client sends.
   */
  get authCallback(): AuthCallback | null {
    return this.sessions.authCallback;
  }
  set authCallback(callback: AuthCallback | null) {
    this.sessions.authCallback = callback;
  }

  /** Seconds (0 = none); a client still authenticating after it is disconnected and `peerAuthenticationFailed` fires. */
  get authTimeout(): number {
    return this.sessions.timeoutMs / 1000;
  }
  set authTimeout(seconds: number) {
    if (!(seconds >= 0) || !Number.isFinite(seconds)) throw new RangeError(`authTimeout must be >= 0 seconds, got ${seconds}`);
    this.sessions.timeoutMs = Math.round(seconds * 1000);
  }

  // ---- state -------------------------------------------------------------

  /** During an rpc handler: the id of the peer that called it (1 for a local call); 0 otherwise. */
  getRemoteSenderId(): number {
    return this.processor.remoteSender;
  }

  /** The admitted clients. */
  getPeers(): number[] {
    return [...this.sessions.connected];
  }

  getAuthenticatingPeers(): number[] {
    return [...this.sessions.pending.keys()];
  }

  get droppedPacketCount(): number {
    return this.processor.dropped;
  }

  // ---- sending -----------------------------------------------------------

  /**
   * Calls `method` of `nodePath` on `target`: a client id, 0 for every
   * admitted client, `-id` for all but one. With `callLocal` the handler also
   * runs here (sender 1) when the target includes the server.
   */
  rpc(target: number, nodePath: string, method: string, ...args: EncodableVariant[]): GodotError {
    if (!this.isActive()) return this.fail(GodotError.ERR_UNCONFIGURED, 'The multiplayer peer is not a connected server');
    const path = normalizeNodePath(nodePath);
    const entry = this.nodes.get(path);
    const config = entry?.table.methodNamed(method);
    if (entry === undefined || config === undefined) {
      return this.fail(GodotError.ERR_INVALID_PARAMETER, `No rpc method "${method}" registered for node ${nodePath}`);
    }
    if (target === SERVER_PEER_ID && !config.callLocal) return this.fail(GodotError.ERR_INVALID_PARAMETER, `RPC '${method}' on yourself is not allowed by its mode (no callLocal)`);
    const callLocal = config.callLocal && (target === 0 || target === SERVER_PEER_ID || (target < 0 && target !== -SERVER_PEER_ID));
    if (target !== SERVER_PEER_ID) {
      const result = this.sender.sendRpc(entry, path, config, target, args, this.allowObjectDecoding);
      if (result !== GodotError.OK) return result;
    }
    if (callLocal) this.processor.callHandler(entry, path, config, SERVER_PEER_ID, args);
    return GodotError.OK;
  }

  /** Godot's `send_bytes`: a RAW packet to a client, 0 = every admitted client, -id = all but one. */
  sendBytes(target: number, bytes: Uint8Array, mode: TransferMode = TransferMode.RELIABLE, channel = 0): GodotError {
    if (bytes.length === 0) return this.fail(GodotError.ERR_INVALID_DATA, 'Trying to send an empty raw packet');
    if (!this.isActive()) return this.fail(GodotError.ERR_UNCONFIGURED, 'The multiplayer peer is not a connected server');
    const targets = this.sender.targetsOf(target);
    if (targets === null) return this.fail(GodotError.ERR_INVALID_PARAMETER, `Unknown peer ${target}`);
    const packet = encodeRaw(bytes);
    for (const id of targets) this.sender.sendTo(id, packet, mode, channel);
    return GodotError.OK;
  }

  /** Godot's `send_auth`: authentication data to a client that is authenticating. */
  sendAuth(peerId: number, data: Uint8Array): GodotError {
    const pending = this.sessions.pending.get(peerId);
    if (pending === undefined) return this.fail(GodotError.ERR_INVALID_PARAMETER, `Peer ${peerId} is not authenticating`);
    if (data.length === 0) return this.fail(GodotError.ERR_INVALID_PARAMETER, 'Authentication data must not be empty');
    if (pending.local) return this.fail(GodotError.ERR_FILE_CANT_WRITE, 'The authentication session was already marked as completed');
    if (pending.remote) return this.fail(GodotError.ERR_FILE_CANT_WRITE, 'The remote peer already completed the authentication session');
    return this.sender.sendTo(peerId, encodeAuth(data), TransferMode.RELIABLE, 0);
  }

  /** Godot's `complete_auth`: this side accepts the client; it is admitted once the client completed too. */
  completeAuth(peerId: number): GodotError {
    const pending = this.sessions.pending.get(peerId);
    if (pending === undefined) return this.fail(GodotError.ERR_INVALID_PARAMETER, `Peer ${peerId} is not authenticating`);
    if (pending.local) return this.fail(GodotError.ERR_FILE_CANT_WRITE, 'The authentication session was already marked as completed');
    pending.local = true;
    const result = this.sender.sendTo(peerId, encodeAuth(), TransferMode.RELIABLE, 0);
    if (pending.remote) this.sessions.admit(peerId);
    return result;
  }

  /** Disconnects a client (an authenticating one silently, as Godot's `disconnect_peer`). */
  disconnectPeer(peerId: number): GodotError {
    this.sessions.clearPending(peerId);
    return this.peer.disconnectPeer(peerId);
  }

  /** Stops listening to the peer and forgets the session (registrations stay). */
  detach(): void {
    if (!this.attached) return;
    this.attached = false;
    this.peer.off('peerConnected', this.onPeerConnected);
    this.peer.off('peerDisconnected', this.onPeerDisconnected);
    this.peer.off('peerPacket', this.onPeerPacket);
    this.sessions.clear();
    this.cache.clear();
  }

  /** Reads every packet the peer holds; re-entry (a handler that makes the peer poll) is ignored, the running loop picks the rest up. */
  private drain(): void {
    this.drainer.run(() => this.attached);
  }


  private isActive(): boolean {
    return this.attached && this.peer.isServer() && this.peer.getConnectionStatus() === ConnectionStatus.CONNECTED;
  }

  private fail(code: GodotError, message: string): GodotError {
    this.lastError = { code, message };
    return code;
  }
}
