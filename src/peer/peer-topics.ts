import type { WebSocketPeer } from './websocket-peer.js';

/**
 * The topic registry a server-side peer belongs to (the server's TopicHub),
 * so `peer.subscribe(topic)` and `peer.publish(topic, data)` work on the
 * peer itself, as in uWebSockets. Defined here because src/peer may not
 * import the server layer that implements it.
 */
export interface PeerTopics {
  subscribe(peer: WebSocketPeer, topic: string): boolean;
  unsubscribe(peer: WebSocketPeer, topic: string): boolean;
  publish(topic: string, data: Uint8Array | string, isText?: boolean, except?: WebSocketPeer | null): number;
}
