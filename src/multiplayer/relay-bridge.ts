/**
 * What a relay (Godot 4 or Godot 3) that is one part of a room spanning
 * processes reports to the room's link, with the room's name bound
 * (src/rooms adapts a RoomLink to it).
 */
export interface RelayBridge {
  /** An id no member of the room has in any process. */
  reserveId(): Promise<number>;
  /** Local member `id` joined (was greeted and announced here). */
  joined(id: number): void;
  /** Local member `id` left, or never joined after its id was reserved. */
  left(id: number): void;
  /** A packet from local member `from` for a member elsewhere (`target > 1`) or for everyone (`0`, `-x`). */
  forward(from: number, target: number, packet: Uint8Array): void;
}

/** The relay's side, for the link to call. */
export interface RelayMembers {
  bridgeTo(bridge: RelayBridge): void;
  remoteJoined(id: number): void;
  remoteLeft(id: number): void;
  deliverRemote(from: number, to: number, payload: Uint8Array): void;
  readonly remoteCount: number;
}
