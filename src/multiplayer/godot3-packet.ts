/**
 * Godot 3's `gd_mp_api` framing: every message starts with a 9-byte header
 * (type, from, to; int32 little-endian), followed by MultiplayerAPI bytes or,
 * for system messages, one int32 peer id.
 */

export const GODOT3_HEADER_SIZE = 9;

/** Godot 3's `WebSocketMultiplayerPeer::SYS_*` message types. */
export const Godot3PacketType = {
  SYS_NONE: 0,
  SYS_ADD: 1,
  SYS_DEL: 2,
  SYS_ID: 3,
} as const;
export type Godot3PacketType = (typeof Godot3PacketType)[keyof typeof Godot3PacketType];

export interface Godot3Header {
  type: number;
  from: number;
  to: number;
}

export function encodeGodot3Packet(type: Godot3PacketType, from: number, to: number, payload: Uint8Array): Buffer {
  const packet = Buffer.allocUnsafe(GODOT3_HEADER_SIZE + payload.length);
  packet[0] = type;
  packet.writeInt32LE(from, 1);
  packet.writeInt32LE(to, 5);
  packet.set(payload, GODOT3_HEADER_SIZE);
  return packet;
}

/** The header, or null when the packet is shorter than one. */
export function readGodot3Header(packet: Buffer): Godot3Header | null {
  if (packet.length < GODOT3_HEADER_SIZE) return null;
  return { type: packet[0]!, from: packet.readInt32LE(1), to: packet.readInt32LE(5) };
}

/** A server system message: always from the server (1) to everyone (0), with one peer id. */
export function encodeGodot3System(type: Exclude<Godot3PacketType, 0>, peerId: number): Buffer {
  const packet = Buffer.allocUnsafe(GODOT3_HEADER_SIZE + 4);
  packet[0] = type;
  packet.writeInt32LE(1, 1);
  packet.writeInt32LE(0, 5);
  packet.writeInt32LE(peerId, GODOT3_HEADER_SIZE);
  return packet;
}

/** The peer id a system message carries, or null when its payload is too short. */
export function readGodot3SystemId(packet: Buffer): number | null {
  return packet.length < GODOT3_HEADER_SIZE + 4 ? null : packet.readInt32LE(GODOT3_HEADER_SIZE);
}

/** The MultiplayerAPI bytes after the header (a view, not a copy). */
export function godot3Payload(packet: Buffer): Buffer {
  return packet.subarray(GODOT3_HEADER_SIZE);
}
