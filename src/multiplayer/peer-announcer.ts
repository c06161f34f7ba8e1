import { PreparedDelivery, PreparedMessages } from '../peer/prepared-messages.js';
import type { WebSocketPeer } from '../peer/websocket-peer.js';

/** How one protocol words its announcements (Godot 4 ADD_PEER/DEL_PEER, Godot 3 SYS_ADD/SYS_DEL). */
export interface AnnouncementWords {
  arrival(id: number): Uint8Array;
  departure(id: number): Uint8Array;
  /** Godot 3 introduces the others to a newcomer in ascending id order; Godot 4 in arrival order. */
  readonly ascending: boolean;
}

/**
 * Least time between two batches: ANNOUNCE_INTERVAL_MS plus
 * ANNOUNCE_MS_PER_MEMBER for each member. Each batch costs one write per
 * member, so a burst of joins announced every turn costs members × turns
 * writes (a thousand joins took seconds that way, the accept queue
 * overflowing meanwhile); spacing batches by the room's size keeps that
 * work a small share of the loop (about 100 ms for 1,000 members). A lone
 * join after a quiet spell is still announced on the next turn.
 */
export const ANNOUNCE_INTERVAL_MS = 20;
export const ANNOUNCE_MS_PER_MEMBER = 0.08;

/** Told when a member's announcements would pass its outbound limits (it cannot keep an exact view of the room). */
export type AnnouncementRefused = (id: number, peer: WebSocketPeer) => void;

/**
 * Announces arrivals and departures in batches, at most one per
 * ANNOUNCE_INTERVAL_MS (the next turn when the last was longer ago): a thousand clients joining at once cost each member one write of the
 * batch, framed once and shared by all (PreparedMessages), instead of one
 * message per pair and per send. Every member hears of every other exactly
 * once; one that leaves before its arrival was announced is never announced.
 * Callers `flush()` before relaying, so a packet never overtakes the
 * announcement of its sender.
 *
 * Members are local (a connection) or remote (another process, null): remote
 * ones are announced to the local members and receive nothing from here.
 */
export class PeerAnnouncer {
  /** Announced members, in arrival order. */
  private readonly announced = new Map<number, WebSocketPeer | null>();
  private arrivals = new Map<number, WebSocketPeer | null>();
  private departures: number[] = [];
  private scheduled = false;
  private lastBatchAt = -Infinity;

  constructor(
    private readonly words: AnnouncementWords,
    private readonly refused: AnnouncementRefused,
  ) {}

  /** Announced members (flush first for an exact answer). */
  get members(): ReadonlyMap<number, WebSocketPeer | null> {
    return this.announced;
  }

  isAnnounced(id: number): boolean {
    return this.announced.has(id);
  }

  /** `id` joined (`peer` null: in another process); announced with the next batch. */
  arrive(id: number, peer: WebSocketPeer | null): void {
    if (this.announced.has(id) || this.arrivals.has(id)) return;
    this.arrivals.set(id, peer);
    this.schedule();
  }

  /** `id` left: its departure goes out with the next batch, or nothing at all if its arrival had not yet. */
  depart(id: number): void {
    if (this.arrivals.delete(id)) return;
    if (!this.announced.delete(id)) return;
    this.departures.push(id);
    this.schedule();
  }

  /** Forgets everything (the server closed) without announcing. */
  clear(): void {
    this.announced.clear();
    this.arrivals.clear();
    this.departures = [];
  }

  /** Sends what is pending now. */
  flush(): void {
    const arrivals = this.arrivals;
    const departures = this.departures;
    if (arrivals.size === 0 && departures.length === 0) return;
    this.arrivals = new Map();
    this.departures = [];
    this.lastBatchAt = performance.now();
    const words = this.words;
    const arrivingIds = [...arrivals.keys()];
    // Members already here: departures first (an id may leave and come back), then arrivals.
    if (this.announced.size > 0) {
      const notices = departures.map((id) => words.departure(id));
      for (const id of arrivingIds) notices.push(words.arrival(id));
      const prepared = PreparedMessages.ofAll(notices, false);
      for (const [id, peer] of this.announced) {
        if (peer !== null && peer.sendPrepared(prepared) === PreparedDelivery.OVER_LIMIT) this.refused(id, peer);
      }
    }
    this.introduceNewcomers(arrivals, arrivingIds);
    for (const [id, peer] of arrivals) this.announced.set(id, peer);
  }

  /**
   * Each local newcomer hears of every member and every other newcomer. Its
   * roster is bounded by the room's size, so it is queued whatever the
   * outbound limits say.
   */
  private introduceNewcomers(arrivals: Map<number, WebSocketPeer | null>, arrivingIds: number[]): void {
    let anyLocal = false;
    for (const peer of arrivals.values()) if (peer !== null) anyLocal = true;
    if (!anyLocal) return;
    const words = this.words;
    if (words.ascending) {
      const everyone = [...this.announced.keys(), ...arrivingIds].sort((a, b) => a - b);
      const block = PreparedMessages.ofAll(everyone.map((id) => words.arrival(id)), false);
      for (const [id, peer] of arrivals) {
        if (peer === null) continue;
        const at = binarySearch(everyone, id);
        sendAll(peer, block.slice(0, at), block.slice(at + 1));
      }
      return;
    }
    const roster = this.announced.size === 0 ? null : PreparedMessages.ofAll([...this.announced.keys()].map((id) => words.arrival(id)), false);
    const newcomers = PreparedMessages.ofAll(arrivingIds.map((id) => words.arrival(id)), false);
    let index = 0;
    for (const peer of arrivals.values()) {
      if (peer !== null) {
        if (roster !== null) peer.sendPrepared(roster, false);
        sendAll(peer, newcomers.slice(0, index), newcomers.slice(index + 1));
      }
      index++;
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastBatchAt + ANNOUNCE_INTERVAL_MS + ANNOUNCE_MS_PER_MEMBER * this.announced.size - performance.now();
    if (wait <= 0) setImmediate(this.flushLater);
    else setTimeout(this.flushLater, wait).unref();
  }

  private readonly flushLater = (): void => {
    this.scheduled = false;
    this.flush();
  };
}

function sendAll(peer: WebSocketPeer, first: PreparedMessages, second: PreparedMessages): void {
  if (first.messageCount > 0) peer.sendPrepared(first, false);
  if (second.messageCount > 0) peer.sendPrepared(second, false);
}

function binarySearch(sorted: number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
