/**
 * The messages processes exchange over Redis pub/sub, as compact binary: a kind byte, the
 * sending process's id (so a process skips its own messages, which Redis echoes back to it),
 * then the kind's fields. The topic or room is the channel, so it is not repeated here.
 */

export const enum WireKind {
  TOPIC = 1,
  JOINED = 2,
  LEFT = 3,
  PACKET = 4,
}

export type WireMessage =
  | { kind: WireKind.TOPIC; process: string; isText: boolean; payload: Buffer }
  | { kind: WireKind.JOINED | WireKind.LEFT; process: string; id: number }
  | { kind: WireKind.PACKET; process: string; from: number; target: number; payload: Buffer };

function header(kind: WireKind, process: string, extra: number): { bytes: Buffer; offset: number } {
  const name = Buffer.from(process, 'latin1');
  const bytes = Buffer.allocUnsafe(2 + name.length + extra);
  bytes[0] = kind;
  bytes[1] = name.length;
  name.copy(bytes, 2);
  return { bytes, offset: 2 + name.length };
}

export function encodeTopicMessage(process: string, isText: boolean, payload: Uint8Array): Buffer {
  const { bytes, offset } = header(WireKind.TOPIC, process, 1 + payload.length);
  bytes[offset] = isText ? 1 : 0;
  bytes.set(payload, offset + 1);
  return bytes;
}

export function encodeMemberNotice(kind: WireKind.JOINED | WireKind.LEFT, process: string, id: number): Buffer {
  const { bytes, offset } = header(kind, process, 4);
  bytes.writeInt32LE(id, offset);
  return bytes;
}

export function encodeRoomPacket(process: string, from: number, target: number, payload: Uint8Array): Buffer {
  const { bytes, offset } = header(WireKind.PACKET, process, 8 + payload.length);
  bytes.writeInt32LE(from, offset);
  bytes.writeInt32LE(target, offset + 4);
  bytes.set(payload, offset + 8);
  return bytes;
}

/** The message, or null when the bytes are not one (another program on the channel, or a newer format). */
export function decodeWireMessage(bytes: Buffer): WireMessage | null {
  if (bytes.length < 2) return null;
  const offset = 2 + bytes[1]!;
  if (bytes.length < offset) return null;
  const process = bytes.toString('latin1', 2, offset);
  const kind = bytes[0];
  if (kind === WireKind.TOPIC && bytes.length > offset) {
    return { kind, process, isText: bytes[offset] === 1, payload: bytes.subarray(offset + 1) };
  }
  if ((kind === WireKind.JOINED || kind === WireKind.LEFT) && bytes.length === offset + 4) {
    return { kind, process, id: bytes.readInt32LE(offset) };
  }
  if (kind === WireKind.PACKET && bytes.length >= offset + 8) {
    return { kind, process, from: bytes.readInt32LE(offset), target: bytes.readInt32LE(offset + 4), payload: bytes.subarray(offset + 8) };
  }
  return null;
}
