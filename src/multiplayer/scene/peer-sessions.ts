import type { WebSocketMultiplayerPeer } from '../websocket-multiplayer-peer.js';
import type { ScenePathCache } from './path-cache.js';
import type { AuthCallback, PendingPeer, SceneServerEvents } from './scene-server-types.js';

/**
 * Which clients SceneMultiplayerServer knows and in what stage: authenticating
 * (held by the peer, with a timeout) or admitted. It owns the auth callback and
 * timeout because they decide how a new client starts; sending AUTH packets
 * stays with the facade, which holds the sender.
 */
export class PeerSessions {
  /** Admitted clients: the only ones rpcs and raw packets go to or are accepted from. */
  readonly connected = new Set<number>();
  readonly pending = new Map<number, PendingPeer>();
  timeoutMs = 3000;
  private auth: AuthCallback | null = null;

  constructor(
    private readonly peer: WebSocketMultiplayerPeer,
    private readonly cache: ScenePathCache,
    private readonly events: SceneServerEvents,
  ) {}

  get authCallback(): AuthCallback | null {
    return this.auth;
  }
  set authCallback(callback: AuthCallback | null) {
    this.auth = callback;
    // The peer must not announce new clients to the others until they are authenticated.
    this.peer.holdNewPeers = callback !== null;
  }

  /** A client connected: admitted at once without an auth callback, otherwise held until both sides complete. */
  add(id: number): void {
    if (this.auth === null) {
      this.admit(id);
      return;
    }
    const pending: PendingPeer = { local: false, remote: false, timer: null };
    if (this.timeoutMs > 0) pending.timer = setTimeout(() => this.timedOut(id), this.timeoutMs);
    this.pending.set(id, pending);
    this.events.emit('peerAuthenticating', id);
  }

  admit(id: number): void {
    if (this.pending.has(id)) {
      this.clearPending(id);
      this.peer.admitPeer(id);
    }
    this.connected.add(id);
    this.events.emit('peerConnected', id);
  }

  /** A client left: a failed authentication if it was still pending, a disconnection if it was admitted. */
  remove(id: number): void {
    if (this.pending.has(id)) {
      this.clearPending(id);
      this.events.emit('peerAuthenticationFailed', id);
      return;
    }
    if (!this.connected.delete(id)) return;
    this.cache.forgetPeer(id);
    this.events.emit('peerDisconnected', id);
  }

  clearPending(id: number): void {
    const pending = this.pending.get(id);
    if (pending?.timer) clearTimeout(pending.timer);
    this.pending.delete(id);
  }

  /** Forgets every client (on detach): timers stop and the peer no longer holds new clients. */
  clear(): void {
    for (const id of [...this.pending.keys()]) this.clearPending(id);
    this.peer.holdNewPeers = false;
    this.connected.clear();
  }

  private timedOut(id: number): void {
    if (!this.pending.has(id)) return;
    this.clearPending(id);
    this.peer.disconnectPeer(id);
    this.events.emit('peerAuthenticationFailed', id);
  }
}
