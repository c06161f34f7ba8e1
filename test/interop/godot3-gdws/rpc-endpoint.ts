import { encodeConfirmPath, encodeRpcCall, decodeMultiplayerPacket, type RpcArgument } from './godot3-rpc.js';

/** What a gdws gd_mp_api server or client offers: the MultiplayerPeer calls this helper needs. */
export interface MultiplayerPeerLike {
  on(event: 'peerPacket', listener: (source: number) => void): unknown;
  getPacketPeer(): number;
  getPacket(): Buffer;
  setTargetPeer(id: number): void;
  putPacket(data: Uint8Array): number;
}

export interface ReceivedRpc {
  readonly from: number;
  readonly path: string;
  readonly method: string;
  readonly args: RpcArgument[];
}

/**
 * A stand-in for Godot 3's MultiplayerAPI on top of a gdws multiplayer peer:
 * records the rpcs it receives, confirms node paths like Godot does, and
 * makes calls with the node path attached.
 */
export class RpcEndpoint {
  readonly rpcs: ReceivedRpc[] = [];
  readonly problems: string[] = [];
  private readonly pathCaches = new Map<number, Map<number, string>>();
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(
    private readonly peer: MultiplayerPeerLike,
    private readonly nodePath = 'Main/Peer',
  ) {
    peer.on('peerPacket', () => this.receive());
  }

  call(to: number, method: string, ...args: RpcArgument[]): void {
    this.peer.setTargetPeer(to);
    const result = this.peer.putPacket(encodeRpcCall(this.nodePath, method, args));
    if (result !== 0) this.problems.push(`putPacket to ${to} failed with ${result}`);
  }

  /** Resolves once `count` rpcs in total have arrived. */
  waitForRpcs(count: number): Promise<void> {
    if (this.rpcs.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  private receive(): void {
    const from = this.peer.getPacketPeer();
    const packet = this.peer.getPacket();
    const decoded = decodeMultiplayerPacket(packet);
    switch (decoded.kind) {
      case 'simplify': {
        const cache = this.pathCaches.get(from) ?? new Map<number, string>();
        cache.set(decoded.cacheId, decoded.path);
        this.pathCaches.set(from, cache);
        this.peer.setTargetPeer(from);
        this.peer.putPacket(encodeConfirmPath(decoded.path));
        return;
      }
      case 'call': {
        const path = decoded.path ?? this.pathCaches.get(from)?.get(decoded.cacheId!);
        if (path === undefined) {
          this.problems.push(`call from ${from} with unknown path cache id ${decoded.cacheId}`);
          return;
        }
        this.rpcs.push({ from, path, method: decoded.method, args: decoded.args });
        this.waiters = this.waiters.filter((waiter) => {
          if (this.rpcs.length < waiter.count) return true;
          waiter.resolve();
          return false;
        });
        return;
      }
      case 'confirm':
        return;
      default:
        this.problems.push(`unexpected MultiplayerAPI command ${decoded.command} from ${from}`);
    }
  }
}
