/**
 * Godot 4's WebSocketMultiplayerPeer sends one message of its own: right after
 * the handshake the server tells the client its id as 4 bytes, int32 LE.
 */

export const GREETING_SIZE = 4;

export function encodeIdGreeting(id: number): Buffer {
  const greeting = Buffer.allocUnsafe(GREETING_SIZE);
  greeting.writeInt32LE(id, 0);
  return greeting;
}

/** The id, or null when the message is not a valid greeting (Godot's client then closes). */
export function decodeIdGreeting(message: Buffer): number | null {
  if (message.length !== GREETING_SIZE) return null;
  const id = message.readInt32LE(0);
  return id >= 2 ? id : null;
}
