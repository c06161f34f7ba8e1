import { GodotError } from '../../godot-error.js';
import type { EncodableVariant } from '../../variant/variant.js';
import { encodeGodot3RemoteCall, encodeGodot3SimplifyPath } from './godot3-api-packet.js';
import type { Godot3PathCache } from './godot3-path-cache.js';
import type { FailFn, Godot3ApiPeer } from './godot3-api-types.js';

/**
 * The outbound side of Godot3MultiplayerServer, as MultiplayerAPI::_send_rpc
 * (3.2) does it: SIMPLIFY_PATH to targets that never saw the node, then one
 * packet by cache id when every target confirmed, otherwise one packet per
 * target (id or full path). The user's target peer is restored afterwards.
 */
export class Godot3ApiSender {
  constructor(
    private readonly peer: Godot3ApiPeer,
    private readonly connected: ReadonlySet<number>,
    private readonly cache: Godot3PathCache,
    private readonly fail: FailFn,
  ) {}

  /** A REMOTE_CALL (or with `set` a REMOTE_SET) of `name` on node `path` to `target`. */
  sendCall(target: number, path: string, set: boolean, name: string, args: readonly EncodableVariant[], allowObjects: boolean): GodotError {
    const targets = this.targetsOf(target);
    if (targets === null) return this.fail(GodotError.ERR_INVALID_PARAMETER, `Attempt to remote call unexisting ID: ${target}`);
    if (targets.length === 0) return GodotError.OK;
    const id = this.cache.idFor(path);
    let byId: Buffer;
    let byPath: Buffer;
    try {
      byId = encodeGodot3RemoteCall({ set, node: { id }, name, args }, allowObjects);
      byPath = encodeGodot3RemoteCall({ set, node: { path }, name, args }, allowObjects);
    } catch (error) {
      return this.fail(GodotError.ERR_INVALID_PARAMETER, `Unable to encode ${set ? 'RSET value' : 'RPC arguments'}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { announce, allConfirmed } = this.cache.prepare(path, targets);
    if (announce.length > 0) {
      const simplify = encodeGodot3SimplifyPath(id, path);
      for (const peerId of announce) this.sendTo(peerId, simplify);
    }
    if (allConfirmed) return this.sendTo(target, byId);
    for (const peerId of targets) this.sendTo(peerId, this.cache.isConfirmed(path, peerId) ? byId : byPath);
    return GodotError.OK;
  }

  /** Connected clients a target reaches; null for an unknown single or excluded peer (Godot checks both). */
  targetsOf(target: number): number[] | null {
    if (target !== 0 && !this.connected.has(Math.abs(target))) return null;
    if (target > 0) return [target];
    return [...this.connected].filter((id) => id !== -target);
  }

  sendTo(target: number, packet: Uint8Array): GodotError {
    const previous = this.peer.getTargetPeer();
    this.peer.setTargetPeer(target);
    const result = this.peer.putPacket(packet);
    this.peer.setTargetPeer(previous);
    if (result !== GodotError.OK) this.fail(result, this.peer.lastError?.message ?? `Could not send to peer ${target}`);
    return result;
  }
}
