import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GodotError } from '../godot-error.js';
import type { RoomInfo, RoomLink } from './room-link.js';

/**
 * The public shape of MultiplayerRooms (src/rooms/multiplayer-rooms.ts):
 * one server hosting many independent Godot 4 and Godot 3 multiplayer
 * sessions, each with its own ids and relay, a room per name, created when
 * its first connection arrives and closed when its last local member leaves.
 * Events: MultiplayerRoomsEvents.
 */
export interface MultiplayerRoomsApi {
  /** Adopts an upgrade from node:http (an UpgradeTarget for routeUpgrades): picks its room, then runs the handshake there. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Listens on its own node:http server (port 0 picks a free one). */
  listen(port: number, bindAddress?: string): Promise<GodotError>;
  getListeningPort(): number;
  /**
   * Sets the link that makes rooms span processes (null: rooms opened from
   * now on are local). Rooms opened from now on use it; rooms already open
   * keep what they had until they close, so attach it before connections
   * arrive (or pass it as the `link` option).
   */
  attachLink(link: RoomLink | null): void;
  /** Every open room with its counts. */
  roomList(): RoomInfo[];
  getRoom(name: string): RoomInfo | null;
  /** Local members over all rooms. */
  peerCount(): number;
  /** Closes every room's connections (1001) and stops listening. */
  close(): Promise<void>;
}
