import { GodotError } from '../../godot-error.js';
import type { EncodableVariant } from '../../variant/variant.js';
import { TransferMode } from '../transfer-mode.js';
import type { WebSocketMultiplayerPeer } from '../websocket-multiplayer-peer.js';
import type { ScenePathCache } from './path-cache.js';
import type { ResolvedRpcMethod } from './rpc-config.js';
import { encodeRemoteCall, encodeSimplifyPath } from './scene-packet.js';
import type { FailFn, NodeEntry } from './scene-server-types.js';

/**
 * The outbound side of SceneMultiplayerServer: resolves targets among the
 * admitted clients, announces node paths to the cache before using their ids,
 * and puts packets on the peer without disturbing the user's target peer.
 */
export class SceneRpcSender {
  constructor(
    private readonly peer: WebSocketMultiplayerPeer,
    private readonly connected: ReadonlySet<number>,
    private readonly cache: ScenePathCache,
    private readonly fail: FailFn,
  ) {}

  sendRpc(
    entry: NodeEntry,
    path: string,
    config: ResolvedRpcMethod,
    target: number,
    args: readonly EncodableVariant[],
    allowObjects: boolean,
  ): GodotError {
    const targets = this.targetsOf(target);
    if (targets === null) return this.fail(GodotError.ERR_INVALID_PARAMETER, `Attempt to call RPC with unknown peer ID: ${target}`);
    if (targets.length === 0) return GodotError.OK;
    const id = this.cache.idFor(path);
    // Encoded up front, all three forms, so a bad argument fails before anything (a SIMPLIFY_PATH included) is sent.
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
    // A peer that has not confirmed the cache id yet gets the full path instead.
    for (const peerId of targets) {
      const packet = allConfirmed ? byId : this.cache.isConfirmed(path, peerId) ? byWideId : byPath;
      this.sendTo(peerId, packet, config.transferMode, config.channel);
    }
    return GodotError.OK;
  }

  /** Admitted clients a target reaches; null for an unknown single peer (or an unknown excluded one, as Godot checks). */
  targetsOf(target: number): number[] | null {
    if (target !== 0 && !this.connected.has(Math.abs(target))) return null;
    if (target > 0) return [target];
    return [...this.connected].filter((id) => id !== -target);
  }

  /** One packet to one client; the peer's target is restored so the user's own `putPacket` calls are unaffected. */
  sendTo(peerId: number, packet: Uint8Array, mode: TransferMode, channel: number): GodotError {
    const previous = this.peer.getTargetPeer();
    this.peer.transferMode = mode;
    this.peer.transferChannel = channel;
    this.peer.setTargetPeer(peerId);
    const result = this.peer.putPacket(packet);
    this.peer.setTargetPeer(previous);
    if (result !== GodotError.OK) this.fail(result, this.peer.lastError?.message ?? `Could not send to peer ${peerId}`);
    return result;
  }
}
