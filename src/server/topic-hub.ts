import { EventEmitter } from 'node:events';
import { CloseCode } from '../frame/index.js';
import { outgoingBytes } from '../peer/outgoing-message.js';
import type { PeerTopics } from '../peer/peer-topics.js';
import { PreparedArena } from '../peer/prepared-arena.js';
import { PreparedDelivery, PreparedMessages } from '../peer/prepared-messages.js';
import { ReadyState } from '../peer/ready-state.js';
import type { WebSocketPeer } from '../peer/websocket-peer.js';
import type { TopicBackplane } from './topic-backplane.js';

export interface TopicHubEvents {
  /**
   * A subscriber could not take a published message within its outbound
   * limits (`outboundBufferSize`, `maxQueuedPackets`): it is being closed
   * with 1013 (try again later) and has left every topic.
   */
  receiverDropped: [peer: WebSocketPeer, topic: string];
}

/** The close reason a too-slow subscriber gets. */
export const SLOW_RECEIVER_REASON = 'Too slow: a published message did not fit the outbound buffer';

/**
 * Topics with publish/subscribe, as in uWebSockets: peers subscribe to
 * named topics, and `publish` frames a message once and hands the same bytes
 * to every subscriber's write (see PreparedMessages); receivers that
 * negotiated permessage-deflate compress it themselves.
 *
 * Slow receivers are never queued for without bound and never silently
 * skipped: a subscriber whose outbound limits the message would pass is
 * closed with 1013 and reported (`receiverDropped`). Raise a peer's
 * `outboundBufferSize` to give it more slack.
 *
 * A backplane (`attachBackplane`) carries publishes to other processes and
 * brings theirs back through `deliverRemote`.
 */
export class TopicHub extends EventEmitter<TopicHubEvents> implements PeerTopics {
  private readonly subscribers = new Map<string, Set<WebSocketPeer>>();
  private readonly peerTopics = new Map<WebSocketPeer, Set<string>>();
  /** Where each topic with subscribers frames its messages, so a burst reaches each receiver as one write. */
  private readonly arenas = new Map<string, PreparedArena>();
  private backplane: TopicBackplane | null = null;

  /** Adds `peer` to `topic`; false when it was subscribed already. */
  subscribe(peer: WebSocketPeer, topic: string): boolean {
    if (typeof topic !== 'string') throw new TypeError('A topic is a string');
    let members = this.subscribers.get(topic);
    if (members === undefined) {
      members = new Set();
      this.subscribers.set(topic, members);
    } else if (members.has(peer)) {
      return false;
    }
    members.add(peer);
    let topics = this.peerTopics.get(peer);
    if (topics === undefined) {
      topics = new Set();
      this.peerTopics.set(peer, topics);
      peer.topics ??= this;
    }
    topics.add(topic);
    if (members.size === 1) this.backplane?.topicSubscribed(topic);
    return true;
  }

  /** Removes `peer` from `topic`; false when it was not subscribed. */
  unsubscribe(peer: WebSocketPeer, topic: string): boolean {
    const topics = this.peerTopics.get(peer);
    if (topics === undefined || !topics.delete(topic)) return false;
    if (topics.size === 0) this.peerTopics.delete(peer);
    this.leave(peer, topic);
    return true;
  }

  /** Removes `peer` from every topic (its server calls this when it closes). */
  unsubscribeAll(peer: WebSocketPeer): void {
    const topics = this.peerTopics.get(peer);
    if (topics === undefined) return;
    this.peerTopics.delete(peer);
    for (const topic of topics) this.leave(peer, topic);
  }

  isSubscribed(peer: WebSocketPeer, topic: string): boolean {
    return this.subscribers.get(topic)?.has(peer) === true;
  }

  /** The topics `peer` is subscribed to. */
  topicsOf(peer: WebSocketPeer): string[] {
    return [...(this.peerTopics.get(peer) ?? [])];
  }

  /** Local subscribers of `topic`. */
  subscriberCount(topic: string): number {
    return this.subscribers.get(topic)?.size ?? 0;
  }

  /** Topics with at least one local subscriber. */
  topics(): string[] {
    return [...this.subscribers.keys()];
  }

  /**
   * Sends one message to every local subscriber of `topic` (but `except`,
   * for a peer publishing to the others) and to the backplane. Without
   * `isText`, a string goes as text and bytes as binary. Returns how many
   * local subscribers took it. Throws TypeError for data that is neither
   * bytes nor a string, or text that is not UTF-8.
   */
  publish(topic: string, data: Uint8Array | string, isText = typeof data === 'string', except: WebSocketPeer | null = null): number {
    const bytes = outgoingBytes(data, isText, undefined);
    if (typeof bytes === 'string') throw new TypeError(bytes);
    const members = this.subscribers.get(topic);
    if (members === undefined) {
      // The backplane may keep the bytes: it gets its own copy of a caller's buffer.
      this.backplane?.published(topic, typeof data === 'string' ? bytes : Buffer.from(bytes), isText);
      return 0;
    }
    const prepared = PreparedMessages.of(bytes, isText, this.arenaOf(topic));
    this.backplane?.published(topic, prepared.payloads[0]!, isText);
    return this.fanOut(topic, members, prepared, except);
  }

  /**
   * A message published in another process, from the backplane: reaches the
   * local subscribers only (it is not handed back to the backplane).
   */
  deliverRemote(topic: string, data: Uint8Array, isText: boolean): number {
    const members = this.subscribers.get(topic);
    if (members === undefined) return 0;
    const bytes = outgoingBytes(data, isText, undefined);
    if (typeof bytes === 'string') throw new TypeError(bytes);
    return this.fanOut(topic, members, PreparedMessages.of(bytes, isText, this.arenaOf(topic)), null);
  }

  /**
   * Attaches the backplane (null detaches it). It hears at once of every
   * topic that has local subscribers.
   */
  attachBackplane(backplane: TopicBackplane | null): void {
    this.backplane = backplane;
    if (backplane !== null) for (const topic of this.subscribers.keys()) backplane.topicSubscribed(topic);
  }

  private arenaOf(topic: string): PreparedArena {
    let arena = this.arenas.get(topic);
    if (arena === undefined) {
      arena = new PreparedArena();
      this.arenas.set(topic, arena);
    }
    return arena;
  }

  private fanOut(topic: string, members: Set<WebSocketPeer>, prepared: PreparedMessages, except: WebSocketPeer | null): number {
    let reached = 0;
    for (const peer of members) {
      if (peer === except) continue;
      const outcome = peer.sendPrepared(prepared);
      if (outcome === PreparedDelivery.SENT) reached++;
      else if (outcome === PreparedDelivery.OVER_LIMIT) this.dropSlowReceiver(peer, topic);
      else if (peer.getReadyState() === ReadyState.CLOSED) this.unsubscribeAll(peer);
    }
    return reached;
  }

  private dropSlowReceiver(peer: WebSocketPeer, topic: string): void {
    this.unsubscribeAll(peer);
    peer.close(CloseCode.TRY_AGAIN_LATER, SLOW_RECEIVER_REASON);
    this.emit('receiverDropped', peer, topic);
  }

  private leave(peer: WebSocketPeer, topic: string): void {
    const members = this.subscribers.get(topic)!;
    members.delete(peer);
    if (members.size > 0) return;
    this.subscribers.delete(topic);
    this.arenas.delete(topic);
    this.backplane?.topicUnsubscribed(topic);
  }
}
