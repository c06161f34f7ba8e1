/**
 * Godot 4's SceneMultiplayer system packets, which it sends through any
 * MultiplayerPeer: byte 0 is NETWORK_COMMAND_SYS (low 3 bits = 7), byte 1 the
 * system command, then (except for AUTH) an int32 LE peer id and a payload.
 */

export const NETWORK_COMMAND_SYS = 7;
/** SceneMultiplayer reads the command from the low 3 bits of byte 0. */
export const NETWORK_COMMAND_MASK = 0x07;
/** Command byte, system command byte, int32 peer id. */
export const SYS_COMMAND_SIZE = 6;

export const SceneSystemCommand = {
  AUTH: 0,
  ADD_PEER: 1,
  DEL_PEER: 2,
  RELAY: 3,
} as const;
export type SceneSystemCommand = (typeof SceneSystemCommand)[keyof typeof SceneSystemCommand];

export interface SceneSystemPacket {
  command: number;
  /** ADD_PEER/DEL_PEER: the peer; RELAY: target (client to server) or source (server to client); AUTH: 0. */
  peer: number;
  /** RELAY: the wrapped packet; AUTH: the authentication data; otherwise empty. A view, not a copy. */
  payload: Buffer;
}

export function isSceneSystemPacket(packet: Uint8Array): boolean {
  return packet.length > 0 && (packet[0]! & NETWORK_COMMAND_MASK) === NETWORK_COMMAND_SYS;
}

/** `07 01 id` (a peer joined) or `07 02 id` (a peer left). */
export function encodePeerNotice(command: typeof SceneSystemCommand.ADD_PEER | typeof SceneSystemCommand.DEL_PEER, peerId: number): Buffer {
  const packet = Buffer.allocUnsafe(SYS_COMMAND_SIZE);
  packet[0] = NETWORK_COMMAND_SYS;
  packet[1] = command;
  packet.writeInt32LE(peerId, 2);
  return packet;
}

/** `07 03 peer packet…`: peer is the target on the way to the server and the source on the way out. */
export function encodeRelay(peerId: number, packet: Uint8Array): Buffer {
  const envelope = Buffer.allocUnsafe(SYS_COMMAND_SIZE + packet.length);
  envelope[0] = NETWORK_COMMAND_SYS;
  envelope[1] = SceneSystemCommand.RELAY;
  envelope.writeInt32LE(peerId, 2);
  envelope.set(packet, SYS_COMMAND_SIZE);
  return envelope;
}

/** Splits a system packet; null when it is too short for its command. */
export function decodeSceneSystemPacket(packet: Buffer): SceneSystemPacket | null {
  if (packet.length < 2) return null;
  const command = packet[1]!;
  if (command === SceneSystemCommand.AUTH) return { command, peer: 0, payload: packet.subarray(2) };
  if (packet.length < SYS_COMMAND_SIZE) return null;
  return { command, peer: packet.readInt32LE(2), payload: packet.subarray(SYS_COMMAND_SIZE) };
}
