/**
 * What the backplane plugs into: a topic hub that reports its subscriptions and publications
 * (src/server/topic-backplane.ts), and rooms that ask a link for ids and tell it about their
 * members and packets (src/rooms/room-link.ts). Only the parts the backplane calls are named here.
 */
import type { RoomEndpoint, RoomLink } from '../rooms/room-link.js';
import type { TopicBackplane } from '../server/topic-backplane.js';

export type { RoomEndpoint, RoomLink, TopicBackplane };

export interface TopicHubLike {
  attachBackplane(backplane: TopicBackplane | null): void;
  deliverRemote(topic: string, data: Uint8Array, isText: boolean): unknown;
}

export interface RoomsLike {
  attachLink(link: RoomLink | null): void;
}
