/** Which Godot multiplayer protocol a room speaks. */
export type RoomKind = 'godot4' | 'godot3';

/**
 * What a room gives its link: the way in for members and packets that live
 * in other processes. Calls may come at any time after `attach` and before
 * `detach`; the room applies them in the order they are made.
 */
export interface RoomEndpoint {
  /** The room's name (as in `attach`). */
  readonly room: string;
  readonly kind: RoomKind;
  /**
   * A member joined the room in another process: local members are told
   * (Godot 4 ADD_PEER, Godot 3 SYS_ADD) in the next announcement batch, and
   * it becomes a relay target. An id already known is ignored.
   */
  remoteJoined(id: number): void;
  /** A member in another process left (or its process died): local members are told; unknown ids are ignored. */
  remoteLeft(id: number): void;
  /**
   * A packet from a member in another process (`fromId`), forwarded there
   * with `forward`: `toId > 1` one local member, `0` every local member but
   * `fromId`, `-x` every local member but `fromId` and `x`. `payload` is what
   * `forward` was given: for Godot 4 the packet inside the RELAY envelope
   * (the room wraps it again for each receiver), for Godot 3 the whole
   * gd_mp_api packet (sent as it is). Targets that are not local members are
   * skipped; the server (id 1) is never a target here, as packets for the
   * server stay in the process their sender is connected to.
   */
  deliver(fromId: number, toId: number, payload: Uint8Array): void;
}

/**
 * Makes a room span processes (implemented by a backplane, e.g. on Redis).
 * Without a link a room is the single-process relay it always was: ids are
 * drawn locally and packets stay in the process.
 *
 * Order of calls for one room: `attach` (awaited when it returns a promise,
 * before the first `reserveId`), then for each local connection
 * `reserveId` → `localJoined` → ... → `localLeft`, `forward` for each packet
 * whose target is (or may be) elsewhere, and `detach` once the room has no
 * local member left. A connection that closes after `reserveId` resolved but
 * before it joined gets `localLeft` without `localJoined`: the id is free
 * again.
 */
export interface RoomLink {
  /**
   * The room opened in this process (its first local connection is coming).
   * The link may call `endpoint.remoteJoined` for the members already present
   * elsewhere, before the returned promise resolves, so the first local
   * member is introduced to them.
   */
  attach(room: string, endpoint: RoomEndpoint): void | Promise<void>;
  /** The room has no local member any more and is closed here; forget its endpoint. */
  detach(room: string): void;
  /**
   * An id for a new local member that no other member of the room has in any
   * process: a positive 31-bit integer above 1, as Godot draws them. Rejects
   * when none can be had (the connection is then closed with 1011).
   */
  reserveId(room: string): Promise<number>;
  /** Local member `id` was greeted with its id and announced here. */
  localJoined(room: string, id: number): void;
  /** Local member `id` left (or never joined after `reserveId`). */
  localLeft(room: string, id: number): void;
  /**
   * A packet from local member `fromId` for `targetId` (a remote member, `0`
   * everyone, `-x` everyone but x): the link hands it to the other processes'
   * endpoints (`deliver`), in order per sender. Local receivers have been
   * served already. `packet` is not written to again and may be kept.
   */
  forward(room: string, fromId: number, targetId: number, packet: Uint8Array): void;
}

/** A room's state, as MultiplayerRooms reports it. */
export interface RoomInfo {
  readonly name: string;
  readonly kind: RoomKind;
  /** Members connected to this process. */
  readonly localPeers: number;
  /** Members connected to other processes (known through the link). */
  readonly remotePeers: number;
}

/** Where a connection goes: a room by name and kind, or a refusal. */
export type RoomChoice = { room: string; kind: RoomKind } | { refuse: true; status?: number; reason?: string };

/** Events of MultiplayerRooms. */
export interface MultiplayerRoomsEvents {
  /** A room got its first local member's connection (it is created on demand). */
  roomOpened: [room: string, kind: RoomKind];
  /** A room's last local member left; it is gone from this process. */
  roomClosed: [room: string, kind: RoomKind];
  /** A local member was greeted and announced. */
  peerJoined: [room: string, id: number];
  /** A local member left. */
  peerLeft: [room: string, id: number];
}
