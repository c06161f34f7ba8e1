import { EventEmitter } from 'node:events';
import { GodotError } from '../../godot-error.js';
import { SERVER_PEER_ID } from '../../server/peer-id.js';
import type { EncodableVariant, Variant } from '../../variant/variant.js';
import { ConnectionStatus } from '../connection-status.js';
import { SceneSystemCommand } from '../scene-multiplayer-packet.js';
import { TransferMode } from '../transfer-mode.js';
import type { WebSocketMultiplayerPeer } from '../websocket-multiplayer-peer.js';
import { ScenePathCache } from './path-cache.js';
import { NodeRpcTable, normalizeNodePath, type ResolvedRpcMethod, type RpcConfig } from './rpc-config.js';
import {
  decodeAuth,
  decodeConfirmPath,
  decodeRaw,
  decodeRemoteCall,
  decodeSimplifyPath,
  encodeAuth,
  encodeConfirmPath,
  encodeRaw,
  encodeRemoteCall,
  encodeSimplifyPath,
  SceneCommand,
  ScenePacketError,
} from './scene-packet.js';

export type RpcHandler = (senderId: number, ...args: Variant[]) => void;
export type AuthCallback = (peerId: number, data: Buffer) => void;

export interface SceneMultiplayerServerEvents {
  /** A client was admitted (after authentication, when an auth callback is set): SceneMultiplayer's `peer_connected`. */
  peerConnected: [id: number];
  /** An admitted client left. */
  peerDisconnected: [id: number];
  /** A client connected and waits for authentication (`peer_authenticating`). */
  peerAuthenticating: [id: number];
  /** A client left, or timed out, before its authentication completed (`peer_authentication_failed`). */
  peerAuthenticationFailed: [id: number];
  /** Bytes a client sent with `multiplayer.send_bytes()` (`peer_packet`). */
  peerPacket: [id: number, data: Buffer];
  /** A packet was refused (malformed, unknown node or method, not allowed, before authentication); the connection stays. */
  packetDropped: [source: number, reason: string];
  /** The two sides list different rpc methods for a node (Godot prints "The rpc node checksum failed"). */
  checksumMismatch: [peer: number, nodePath: string];
  /** An rpc handler or the auth callback threw; the server carries on. */
  handlerError: [error: unknown, peer: number, what: string];
}

export interface SceneMultiplayerServerOptions {
  authCallback?: AuthCallback | null;
  /** Seconds a client may take to authenticate; 0 = no limit. Godot's default is 3. */
  authTimeout?: number;
  /** SceneMultiplayer's allow_object_decoding: full objects in rpc arguments. Default false. */
  allowObjectDecoding?: boolean;
}

interface NodeEntry {
  readonly table: NodeRpcTable;
  readonly handlers: Map<string, RpcHandler>;
  authority: number;
}

interface PendingPeer {
  local: boolean;
  remote: boolean;
  timer: NodeJS.Timeout | null;
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

  private auth: AuthCallback | null = null;
  private authTimeoutMs = 3000;
  private readonly nodes = new Map<string, NodeEntry>();
  private readonly connected = new Set<number>();
  private readonly pending = new Map<number, PendingPeer>();
  private readonly cache = new ScenePathCache();
  private remoteSender = 0;
  private dropped = 0;
  private draining = false;
  private attached = true;

  private readonly onPeerConnected = (id: number): void => this.addPeer(id);
  private readonly onPeerDisconnected = (id: number): void => this.removePeer(id);
  private readonly onPeerPacket = (): void => this.drain();

  constructor(
    readonly peer: WebSocketMultiplayerPeer,
    options: SceneMultiplayerServerOptions = {},
  ) {
    super();
    this.allowObjectDecoding = options.allowObjectDecoding ?? false;
    if (options.authTimeout !== undefined) this.authTimeout = options.authTimeout;
    this.authCallback = options.authCallback ?? null;
    // Clients already there count as admitted.
    for (const id of peer.getPeerIds()) this.connected.add(id);
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
    return this.auth;
  }
  set authCallback(callback: AuthCallback | null) {
    this.auth = callback;
    this.peer.holdNewPeers = callback !== null;
  }

  /** Seconds (0 = none); a client still authenticating after it is disconnected and `peerAuthenticationFailed` fires. */
  get authTimeout(): number {
    return this.authTimeoutMs / 1000;
  }
  set authTimeout(seconds: number) {
    if (!(seconds >= 0) || !Number.isFinite(seconds)) throw new RangeError(`authTimeout must be >= 0 seconds, got ${seconds}`);
    this.authTimeoutMs = Math.round(seconds * 1000);
  }

  // ---- state -------------------------------------------------------------

  /** During an rpc handler: the id of the peer that called it (1 for a local call); 0 otherwise. */
  getRemoteSenderId(): number {
    return this.remoteSender;
  }

  /** The admitted clients. */
  getPeers(): number[] {
    return [...this.connected];
  }

  getAuthenticatingPeers(): number[] {
    return [...this.pending.keys()];
  }

  get droppedPacketCount(): number {
    return this.dropped;
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
      const result = this.sendRpc(entry, path, config, target, args);
      if (result !== GodotError.OK) return result;
    }
    if (callLocal) this.callHandler(entry, path, config, SERVER_PEER_ID, args);
    return GodotError.OK;
  }

  /** Godot's `send_bytes`: a RAW packet to a client, 0 = every admitted client, -id = all but one. */
  sendBytes(target: number, bytes: Uint8Array, mode: TransferMode = TransferMode.RELIABLE, channel = 0): GodotError {
    if (bytes.length === 0) return this.fail(GodotError.ERR_INVALID_DATA, 'Trying to send an empty raw packet');
    if (!this.isActive()) return this.fail(GodotError.ERR_UNCONFIGURED, 'The multiplayer peer is not a connected server');
    const targets = this.targetsOf(target);
    if (targets === null) return this.fail(GodotError.ERR_INVALID_PARAMETER, `Unknown peer ${target}`);
    const packet = encodeRaw(bytes);
    for (const id of targets) this.sendTo(id, packet, mode, channel);
    return GodotError.OK;
  }

  /** Godot's `send_auth`: authentication data to a client that is authenticating. */
  sendAuth(peerId: number, data: Uint8Array): GodotError {
    const pending = this.pending.get(peerId);
    if (pending === undefined) return this.fail(GodotError.ERR_INVALID_PARAMETER, `Peer ${peerId} is not authenticating`);
    if (data.length === 0) return this.fail(GodotError.ERR_INVALID_PARAMETER, 'Authentication data must not be empty');
    if (pending.local) return this.fail(GodotError.ERR_FILE_CANT_WRITE, 'The authentication session was already marked as completed');
    if (pending.remote) return this.fail(GodotError.ERR_FILE_CANT_WRITE, 'The remote peer already completed the authentication session');
    return this.sendTo(peerId, encodeAuth(data), TransferMode.RELIABLE, 0);
  }

  /** Godot's `complete_auth`: this side accepts the client; it is admitted once the client completed too. */
  completeAuth(peerId: number): GodotError {
    const pending = this.pending.get(peerId);
    if (pending === undefined) return this.fail(GodotError.ERR_INVALID_PARAMETER, `Peer ${peerId} is not authenticating`);
    if (pending.local) return this.fail(GodotError.ERR_FILE_CANT_WRITE, 'The authentication session was already marked as completed');
    pending.local = true;
    const result = this.sendTo(peerId, encodeAuth(), TransferMode.RELIABLE, 0);
    if (pending.remote) this.admit(peerId);
    return result;
  }

  /** Disconnects a client (an authenticating one silently, as Godot's `disconnect_peer`). */
  disconnectPeer(peerId: number): GodotError {
    this.clearPending(peerId);
    return this.peer.disconnectPeer(peerId);
  }

  /** Stops listening to the peer and forgets the session (registrations stay). */
  detach(): void {
    if (!this.attached) return;
    this.attached = false;
    this.peer.off('peerConnected', this.onPeerConnected);
    this.peer.off('peerDisconnected', this.onPeerDisconnected);
    this.peer.off('peerPacket', this.onPeerPacket);
    for (const id of [...this.pending.keys()]) this.clearPending(id);
    this.peer.holdNewPeers = false;
    this.connected.clear();
    this.cache.clear();
  }

  // ---- peers -------------------------------------------------------------

  private addPeer(id: number): void {
    if (this.auth === null) {
      this.admit(id);
      return;
    }
    const pending: PendingPeer = { local: false, remote: false, timer: null };
    if (this.authTimeoutMs > 0) pending.timer = setTimeout(() => this.authTimedOut(id), this.authTimeoutMs);
    this.pending.set(id, pending);
    this.emit('peerAuthenticating', id);
  }

  private admit(id: number): void {
    if (this.pending.has(id)) {
      this.clearPending(id);
      this.peer.admitPeer(id);
    }
    this.connected.add(id);
    this.emit('peerConnected', id);
  }

  private removePeer(id: number): void {
    if (this.pending.has(id)) {
      this.clearPending(id);
      this.emit('peerAuthenticationFailed', id);
      return;
    }
    if (!this.connected.delete(id)) return;
    this.cache.forgetPeer(id);
    this.emit('peerDisconnected', id);
  }

  private authTimedOut(id: number): void {
    if (!this.pending.has(id)) return;
    this.clearPending(id);
    this.peer.disconnectPeer(id);
    this.emit('peerAuthenticationFailed', id);
  }

  private clearPending(id: number): void {
    const pending = this.pending.get(id);
    if (pending?.timer) clearTimeout(pending.timer);
    this.pending.delete(id);
  }

  // ---- receiving ---------------------------------------------------------

  private drain(): void {
    if (this.draining || !this.attached) return;
    this.draining = true;
    try {
      while (this.attached && this.peer.getAvailablePacketCount() > 0) {
        const from = this.peer.getPacketPeer();
        this.process(from, this.peer.getPacket());
      }
    } finally {
      this.draining = false;
    }
  }

  private process(from: number, packet: Buffer): void {
    const pending = this.pending.get(from);
    if (pending !== undefined) {
      if (pending.local) {
        // Godot admits a peer whose authentication this side completed at its first packet.
        this.admit(from);
      } else {
        this.processAuth(from, pending, packet);
        return;
      }
    }
    if (!this.connected.has(from)) return this.drop(from, 'packet from a peer that is not connected');
    if (packet.length === 0) return this.drop(from, 'empty packet');
    const command = packet[0]! & 0x07;
    if (command === SceneCommand.SYS) {
      // Relays and announcements are the peer's job; here only the late "auth complete" notice is expected.
      if (packet.length === 2 && packet[1] === SceneSystemCommand.AUTH) return;
      return this.drop(from, `unexpected system packet (command ${packet[1] ?? 'missing'})`);
    }
    switch (command) {
      case SceneCommand.REMOTE_CALL:
        return this.processRpc(from, packet);
      case SceneCommand.SIMPLIFY_PATH:
        return this.processSimplifyPath(from, packet);
      case SceneCommand.CONFIRM_PATH:
        return this.processConfirmPath(from, packet);
      case SceneCommand.RAW: {
        const data = decodeRaw(packet);
        if (data instanceof ScenePacketError) return this.drop(from, data.message);
        this.emit('peerPacket', from, Buffer.from(data));
        return;
      }
      default:
        return this.drop(from, `replication command ${command} (SPAWN/DESPAWN/SYNC) is not supported by this server`);
    }
  }

  private processAuth(from: number, pending: PendingPeer, packet: Buffer): void {
    const data = decodeAuth(packet);
    if (data instanceof ScenePacketError) return this.drop(from, 'only authentication packets are accepted before the peer is authenticated');
    if (data.length === 0) {
      pending.remote = true;
      if (pending.local) this.admit(from);
      return;
    }
    try {
      this.auth?.(from, Buffer.from(data));
    } catch (error) {
      this.emit('handlerError', error, from, 'authCallback');
    }
  }

  private processSimplifyPath(from: number, packet: Buffer): void {
    const simplify = decodeSimplifyPath(packet);
    if (simplify instanceof ScenePacketError) return this.drop(from, simplify.message);
    const path = normalizeNodePath(simplify.path);
    const entry = this.nodes.get(path);
    if (entry === undefined) return this.drop(from, `SIMPLIFY_PATH for node "${simplify.path}", which has no registered rpc methods`);
    if (!this.cache.remember(from, simplify.id, path)) return this.drop(from, `duplicate remote cache id ${simplify.id}`);
    const valid = entry.table.checksum() === simplify.checksum;
    if (!valid) this.emit('checksumMismatch', from, path);
    this.sendTo(from, encodeConfirmPath({ valid, id: simplify.id }), TransferMode.RELIABLE, 0);
  }

  private processConfirmPath(from: number, packet: Buffer): void {
    const confirm = decodeConfirmPath(packet);
    if (confirm instanceof ScenePacketError) return this.drop(from, confirm.message);
    const outcome = this.cache.confirm(from, confirm.id);
    if (outcome === 'not-requested') return this.drop(from, `CONFIRM_PATH for cache id ${confirm.id}, which was never sent to this peer`);
    if (outcome === 'confirmed' && !confirm.valid) this.emit('checksumMismatch', from, this.cache.pathOf(confirm.id) ?? '');
  }

  private processRpc(from: number, packet: Buffer): void {
    const call = decodeRemoteCall(packet, { allowObjects: this.allowObjectDecoding });
    if (call instanceof ScenePacketError) return this.drop(from, `invalid rpc: ${call.message}`);
    const path = 'id' in call.node ? this.cache.lookup(from, call.node.id) : normalizeNodePath(call.node.path);
    if (path === undefined) return this.drop(from, `rpc for node cache id ${(call.node as { id: number }).id}, which peer ${from} never announced`);
    const entry = this.nodes.get(path);
    if (entry === undefined) return this.drop(from, `rpc for node "${path}", which has no registered rpc methods`);
    const config = entry.table.method(call.methodId);
    if (config === undefined) return this.drop(from, `rpc method id ${call.methodId} does not exist on node "${path}"`);
    const allowed = config.mode === 'any_peer' || (config.mode === 'authority' && from === entry.authority);
    if (!allowed) {
      return this.drop(from, `RPC '${config.name}' is not allowed on node ${path} from: ${from}. Mode is "${config.mode}", authority is ${entry.authority}.`);
    }
    this.callHandler(entry, path, config, from, call.args);
  }

  private callHandler(entry: NodeEntry, path: string, config: ResolvedRpcMethod, sender: number, args: readonly Variant[]): void {
    const handler = entry.handlers.get(config.name);
    if (handler === undefined) return;
    const previous = this.remoteSender;
    this.remoteSender = sender;
    try {
      handler(sender, ...args);
    } catch (error) {
      this.emit('handlerError', error, sender, `${path}:${config.name}`);
    } finally {
      this.remoteSender = previous;
    }
  }

  private drop(from: number, reason: string): void {
    this.dropped++;
    this.emit('packetDropped', from, reason);
  }

  // ---- sending internals -------------------------------------------------

  private sendRpc(entry: NodeEntry, path: string, config: ResolvedRpcMethod, target: number, args: readonly EncodableVariant[]): GodotError {
    const targets = this.targetsOf(target);
    if (targets === null) return this.fail(GodotError.ERR_INVALID_PARAMETER, `Attempt to call RPC with unknown peer ID: ${target}`);
    if (targets.length === 0) return GodotError.OK;
    const id = this.cache.idFor(path);
    const allowObjects = this.allowObjectDecoding;
    let byId: Buffer;
    let byWideId: Buffer;
    let byPath: Buffer;
    try {
      byId = encodeRemoteCall({ node: { id }, methodId: config.id, args }, { allowObjects });
      byWideId = encodeRemoteCall({ node: { id }, methodId: config.id, args }, { allowObjects, nodeIdBits: 32 });
      byPath = encodeRemoteCall({ node: { path }, methodId: config.id, args }, { allowObjects });
    } catch (error) {
      return this.fail(GodotError.ERR_INVALID_PARAMETER, `Unable to encode RPC arguments: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { announce, allConfirmed } = this.cache.prepare(path, targets);
    if (announce.length > 0) {
      const simplify = encodeSimplifyPath({ checksum: entry.table.checksum(), id, path });
      for (const peerId of announce) this.sendTo(peerId, simplify, TransferMode.RELIABLE, 0);
    }
    for (const peerId of targets) {
      const packet = allConfirmed ? byId : this.cache.isConfirmed(path, peerId) ? byWideId : byPath;
      this.sendTo(peerId, packet, config.transferMode, config.channel);
    }
    return GodotError.OK;
  }

  /** Admitted clients a target reaches; null for an unknown single peer (or an unknown excluded one, as Godot checks). */
  private targetsOf(target: number): number[] | null {
    if (target !== 0 && !this.connected.has(Math.abs(target))) return null;
    if (target > 0) return [target];
    return [...this.connected].filter((id) => id !== -target);
  }

  private sendTo(peerId: number, packet: Uint8Array, mode: TransferMode, channel: number): GodotError {
    const previous = this.peer.getTargetPeer();
    this.peer.transferMode = mode;
    this.peer.transferChannel = channel;
    this.peer.setTargetPeer(peerId);
    const result = this.peer.putPacket(packet);
    this.peer.setTargetPeer(previous);
    if (result !== GodotError.OK) this.fail(result, this.peer.lastError?.message ?? `Could not send to peer ${peerId}`);
    return result;
  }

  private isActive(): boolean {
    return this.attached && this.peer.isServer() && this.peer.getConnectionStatus() === ConnectionStatus.CONNECTED;
  }

  private fail(code: GodotError, message: string): GodotError {
    this.lastError = { code, message };
    return code;
  }
}
