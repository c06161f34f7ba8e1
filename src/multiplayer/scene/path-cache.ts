/**
 * SceneMultiplayer's node path cache (scene_cache_interface.cpp), both ways,
 * without I/O.
 *
 * Incoming: a peer announces `SIMPLIFY_PATH(id, path)` once per node; its
 * later rpcs name the node by that id. The receiver answers CONFIRM_PATH.
 *
 * Outgoing: the first time this side sends an rpc for a node to a peer, it
 * gives the node a cache id (1, 2, ... per session, shared by all peers),
 * announces it to that peer with SIMPLIFY_PATH and, until the peer confirms,
 * sends the rpc with the full path. Once every target has confirmed, rpcs use
 * the id, in 8/16/32 bits as it fits; for a mix, the id in 32 bits to those
 * that confirmed and the path to the others.
 */

export type ConfirmOutcome = 'confirmed' | 'unknown-id' | 'not-requested';

export class ScenePathCache {
  /** Paths each peer announced: peer -> (its id -> path). */
  private readonly received = new Map<number, Map<number, string>>();
  private nextId = 1;
  private readonly ids = new Map<string, number>();
  private readonly paths = new Map<number, string>();
  /** Per local path: peers it was announced to, and whether they confirmed. */
  private readonly sent = new Map<string, Map<number, boolean>>();

  // ---- incoming ----------------------------------------------------------

  /** Records a SIMPLIFY_PATH; false when that peer already used the id (Godot rejects duplicates). */
  remember(peer: number, id: number, path: string): boolean {
    let table = this.received.get(peer);
    if (table === undefined) this.received.set(peer, (table = new Map<number, string>()));
    if (table.has(id)) return false;
    table.set(id, path);
    return true;
  }

  /** The path `peer` announced under `id`. */
  lookup(peer: number, id: number): string | undefined {
    return this.received.get(peer)?.get(id);
  }

  // ---- outgoing ----------------------------------------------------------

  /** This side's cache id for `path`, assigned on first use. */
  idFor(path: string): number {
    let id = this.ids.get(path);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(path, id);
      this.paths.set(id, path);
    }
    return id;
  }

  /**
   * Before sending an rpc for `path` to `targets`: which targets must first
   * get a SIMPLIFY_PATH (they are then recorded as announced, unconfirmed),
   * and whether every target has confirmed already.
   */
  prepare(path: string, targets: readonly number[]): { id: number; announce: number[]; allConfirmed: boolean } {
    const id = this.idFor(path);
    let peers = this.sent.get(path);
    if (peers === undefined) this.sent.set(path, (peers = new Map<number, boolean>()));
    const announce: number[] = [];
    let allConfirmed = true;
    for (const target of targets) {
      const state = peers.get(target);
      if (state === undefined) {
        announce.push(target);
        peers.set(target, false);
        allConfirmed = false;
      } else if (!state) {
        allConfirmed = false;
      }
    }
    return { id, announce, allConfirmed };
  }

  isConfirmed(path: string, peer: number): boolean {
    return this.sent.get(path)?.get(peer) === true;
  }

  /** A CONFIRM_PATH from `peer` for our `id`. */
  confirm(peer: number, id: number): ConfirmOutcome {
    const path = this.paths.get(id);
    // Godot ignores it quietly: the node may have been removed.
    if (path === undefined) return 'unknown-id';
    const peers = this.sent.get(path);
    if (peers?.has(peer) !== true) return 'not-requested';
    peers.set(peer, true);
    return 'confirmed';
  }

  pathOf(id: number): string | undefined {
    return this.paths.get(id);
  }

  // ---- lifecycle ---------------------------------------------------------

  /** The peer left: forget what it announced and what it confirmed. */
  forgetPeer(peer: number): void {
    this.received.delete(peer);
    for (const peers of this.sent.values()) peers.delete(peer);
  }

  clear(): void {
    this.received.clear();
    this.ids.clear();
    this.paths.clear();
    this.sent.clear();
    this.nextId = 1;
  }
}
