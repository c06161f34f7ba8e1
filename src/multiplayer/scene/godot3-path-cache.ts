import { normalizeNodePath } from './rpc-config.js';

/**
 * Godot 3 MultiplayerAPI's node path cache (3.2), both ways, without I/O.
 *
 * Incoming: SIMPLIFY_PATH(id, path) from a peer records (or replaces, as
 * Godot does) its id for a node; the receiver echoes the path in CONFIRM_PATH.
 *
 * Outgoing: each node path this side sends rpcs for gets an id (1, 2, ...),
 * announced to each target once with SIMPLIFY_PATH. Godot 3 confirms by
 * path. Until every target confirmed, each target gets its own packet: the id
 * if it confirmed, the full path otherwise; then one packet for all.
 */
export class Godot3PathCache {
  /** Paths one peer may announce; Godot sets no limit, but a hostile client must not grow the server's memory without end. */
  static readonly MAX_PATHS_PER_PEER = 4096;
  private readonly received = new Map<number, Map<number, string>>();
  private nextId = 1;
  private readonly ids = new Map<string, number>();
  /** Per path: peers it was announced to, and whether they confirmed. */
  private readonly sent = new Map<string, Map<number, boolean>>();

  /** Records (or replaces) a SIMPLIFY_PATH; false when the peer already announced MAX_PATHS_PER_PEER other ids. */
  remember(peer: number, id: number, path: string): boolean {
    let table = this.received.get(peer);
    if (table === undefined) this.received.set(peer, (table = new Map<number, string>()));
    if (!table.has(id) && table.size >= Godot3PathCache.MAX_PATHS_PER_PEER) return false;
    table.set(id, normalizeNodePath(path));
    return true;
  }

  lookup(peer: number, id: number): string | undefined {
    return this.received.get(peer)?.get(id);
  }

  idFor(path: string): number {
    let id = this.ids.get(path);
    if (id === undefined) this.ids.set(path, (id = this.nextId++));
    return id;
  }

  /** Targets that still need a SIMPLIFY_PATH (now recorded as announced), and whether all targets confirmed already. */
  prepare(path: string, targets: readonly number[]): { announce: number[]; allConfirmed: boolean } {
    let peers = this.sent.get(path);
    if (peers === undefined) this.sent.set(path, (peers = new Map<number, boolean>()));
    const announce: number[] = [];
    let allConfirmed = true;
    for (const target of targets) {
      const state = peers.get(target);
      if (state === undefined) {
        announce.push(target);
        peers.set(target, false);
      }
      if (state !== true) allConfirmed = false;
    }
    return { announce, allConfirmed };
  }

  isConfirmed(path: string, peer: number): boolean {
    return this.sent.get(path)?.get(peer) === true;
  }

  /** A CONFIRM_PATH: false when that path was never announced to that peer (Godot: "Invalid packet received"). */
  confirm(peer: number, path: string): boolean {
    const peers = this.sent.get(normalizeNodePath(path));
    if (peers?.has(peer) !== true) return false;
    peers.set(peer, true);
    return true;
  }

  forgetPeer(peer: number): void {
    this.received.delete(peer);
    for (const peers of this.sent.values()) peers.delete(peer);
  }

  clear(): void {
    this.received.clear();
    this.ids.clear();
    this.sent.clear();
    this.nextId = 1;
  }
}
