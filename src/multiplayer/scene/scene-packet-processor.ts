import type { Variant } from '../../variant/variant.js';
import { SceneSystemCommand } from '../scene-multiplayer-packet.js';
import { TransferMode } from '../transfer-mode.js';
import type { PeerSessions } from './peer-sessions.js';
import type { ScenePathCache } from './path-cache.js';
import { normalizeNodePath, type ResolvedRpcMethod } from './rpc-config.js';
import {
  decodeAuth,
  decodeConfirmPath,
  decodeRaw,
  decodeRemoteCall,
  decodeSimplifyPath,
  encodeConfirmPath,
  SceneCommand,
  ScenePacketError,
} from './scene-packet.js';
import type { SceneRpcSender } from './scene-rpc-sender.js';
import type { NodeEntry, PendingPeer, SceneServerEvents } from './scene-server-types.js';

/** What the inbound side reads and answers with; the facade owns all of it. */
export interface ScenePacketProcessorParts {
  readonly sessions: PeerSessions;
  readonly nodes: ReadonlyMap<string, NodeEntry>;
  readonly cache: ScenePathCache;
  readonly sender: SceneRpcSender;
  readonly events: SceneServerEvents;
  /** Read per packet, because `allowObjectDecoding` is a public property the user may change at any time. */
  readonly allowObjects: () => boolean;
}

/**
 * The inbound side of SceneMultiplayerServer: one packet from one client at a
 * time, dispatched by command (auth, path cache, rpc, raw). Nothing here closes
 * a connection; a bad packet is counted and reported as `packetDropped`.
 */
export class ScenePacketProcessor {
  dropped = 0;
  /** The caller of the running rpc handler, for `getRemoteSenderId`; 0 outside handlers. */
  remoteSender = 0;

  constructor(private readonly parts: ScenePacketProcessorParts) {}

  process(from: number, packet: Buffer): void {
    const { sessions, events } = this.parts;
    const pending = sessions.pending.get(from);
    if (pending !== undefined) {
      if (pending.local) {
        // Godot admits a peer whose authentication this side completed at its first packet.
        sessions.admit(from);
      } else {
        this.processAuth(from, pending, packet);
        return;
      }
    }
    if (!sessions.connected.has(from)) return this.drop(from, 'packet from a peer that is not connected');
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
        events.emit('peerPacket', from, Buffer.from(data));
        return;
      }
      default:
        return this.drop(from, `replication command ${command} (SPAWN/DESPAWN/SYNC) is not supported by this server`);
    }
  }

  /**
   * Runs a registered handler with `remoteSender` set for its duration. Public
   * because the facade's `rpc` with `callLocal` runs handlers the same way.
   */
  callHandler(entry: NodeEntry, path: string, config: ResolvedRpcMethod, sender: number, args: readonly Variant[]): void {
    const handler = entry.handlers.get(config.name);
    if (handler === undefined) return;
    const previous = this.remoteSender;
    this.remoteSender = sender;
    try {
      handler(sender, ...args);
    } catch (error) {
      this.parts.events.emit('handlerError', error, sender, `${path}:${config.name}`);
    } finally {
      this.remoteSender = previous;
    }
  }

  private processAuth(from: number, pending: PendingPeer, packet: Buffer): void {
    const data = decodeAuth(packet);
    if (data instanceof ScenePacketError) return this.drop(from, 'only authentication packets are accepted before the peer is authenticated');
    // An empty AUTH packet is the client's complete_auth.
    if (data.length === 0) {
      pending.remote = true;
      if (pending.local) this.parts.sessions.admit(from);
      return;
    }
    try {
      // Called with the facade (`events`) as `this`, as it was before the server was split into parts.
      this.parts.sessions.authCallback?.call(this.parts.events, from, Buffer.from(data));
    } catch (error) {
      this.parts.events.emit('handlerError', error, from, 'authCallback');
    }
  }

  private processSimplifyPath(from: number, packet: Buffer): void {
    const { nodes, cache, events, sender } = this.parts;
    const simplify = decodeSimplifyPath(packet);
    if (simplify instanceof ScenePacketError) return this.drop(from, simplify.message);
    const path = normalizeNodePath(simplify.path);
    const entry = nodes.get(path);
    if (entry === undefined) return this.drop(from, `SIMPLIFY_PATH for node "${simplify.path}", which has no registered rpc methods`);
    if (!cache.remember(from, simplify.id, path)) return this.drop(from, `duplicate remote cache id ${simplify.id}`);
    const valid = entry.table.checksum() === simplify.checksum;
    if (!valid) events.emit('checksumMismatch', from, path);
    sender.sendTo(from, encodeConfirmPath({ valid, id: simplify.id }), TransferMode.RELIABLE, 0);
  }

  private processConfirmPath(from: number, packet: Buffer): void {
    const { cache, events } = this.parts;
    const confirm = decodeConfirmPath(packet);
    if (confirm instanceof ScenePacketError) return this.drop(from, confirm.message);
    const outcome = cache.confirm(from, confirm.id);
    if (outcome === 'not-requested') return this.drop(from, `CONFIRM_PATH for cache id ${confirm.id}, which was never sent to this peer`);
    if (outcome === 'confirmed' && !confirm.valid) events.emit('checksumMismatch', from, cache.pathOf(confirm.id) ?? '');
  }

  private processRpc(from: number, packet: Buffer): void {
    const { nodes, cache } = this.parts;
    const call = decodeRemoteCall(packet, { allowObjects: this.parts.allowObjects() });
    if (call instanceof ScenePacketError) return this.drop(from, `invalid rpc: ${call.message}`);
    const path = 'id' in call.node ? cache.lookup(from, call.node.id) : normalizeNodePath(call.node.path);
    if (path === undefined) return this.drop(from, `rpc for node cache id ${(call.node as { id: number }).id}, which peer ${from} never announced`);
    const entry = nodes.get(path);
    if (entry === undefined) return this.drop(from, `rpc for node "${path}", which has no registered rpc methods`);
    const config = entry.table.method(call.methodId);
    if (config === undefined) return this.drop(from, `rpc method id ${call.methodId} does not exist on node "${path}"`);
    const allowed = config.mode === 'any_peer' || (config.mode === 'authority' && from === entry.authority);
    if (!allowed) {
      return this.drop(from, `RPC '${config.name}' is not allowed on node ${path} from: ${from}. Mode is "${config.mode}", authority is ${entry.authority}.`);
    }
    this.callHandler(entry, path, config, from, call.args);
  }

  private drop(from: number, reason: string): void {
    this.dropped++;
    this.parts.events.emit('packetDropped', from, reason);
  }
}
