import type { IncomingMessage } from 'node:http';
import type { RoomChoice, RoomLink } from './room-link.js';

/**
 * How MultiplayerRooms picks the room of a connection, before its handshake:
 * from the upgrade request (path, query, headers, e.g. a token). May be
 * async; null (or a refusal) answers the upgrade with an HTTP error.
 * The default is `roomByPath`: `/room/NAME` is Godot 4 room NAME, `/room3/NAME` Godot 3 room NAME.
 */
export type RoomChooser = (request: IncomingMessage) => RoomChoice | null | Promise<RoomChoice | null>;

export interface MultiplayerRoomsOptions {
  /** Picks each connection's room; `roomByPath` by default. */
  chooseRoom?: RoomChooser;
  /** Makes rooms span processes (a backplane); without one every room lives in this process only. */
  link?: RoomLink | null;
  /** Godot 4 rooms speak SceneMultiplayer's relay (`serverRelay`, on by default as in Godot). */
  serverRelay?: boolean;
  /** Most local members one room may have; further connections are refused with 503. Unlimited by default. */
  maxPeersPerRoom?: number;
}
