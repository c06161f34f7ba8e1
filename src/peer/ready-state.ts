/** Godot 4's `WebSocketPeer.State`. */
export const ReadyState = {
  CONNECTING: 0,
  OPEN: 1,
  CLOSING: 2,
  CLOSED: 3,
} as const;
export type ReadyState = (typeof ReadyState)[keyof typeof ReadyState];

/** Godot's `WebSocketPeer.WriteMode`: which opcode `putPacket` uses. */
export const WriteMode = {
  TEXT: 0,
  BINARY: 1,
} as const;
export type WriteMode = (typeof WriteMode)[keyof typeof WriteMode];
