// Just enough of Godot 3.2's MultiplayerAPI wire format (core/io/multiplayer_api.cpp,
// core/io/marshalls.cpp) for a Node program to take part in the interop projects' rpcs:
// calls with String/int arguments, and the node path cache handshake.

/** Godot 3.2's MultiplayerAPI command byte. */
export const MultiplayerCommand = {
  REMOTE_CALL: 0,
  REMOTE_SET: 1,
  SIMPLIFY_PATH: 2,
  CONFIRM_PATH: 3,
  RAW: 4,
} as const;

/** The flag in a call's target field saying "the node path follows at this offset". */
const FULL_PATH_FLAG = 0x80000000;
const VARIANT_INT = 2;
const VARIANT_STRING = 4;
const ENCODE_FLAG_64 = 1 << 16;

export type RpcArgument = string | number;

export type MultiplayerPacket =
  | { readonly kind: 'call'; readonly path: string | null; readonly cacheId: number | null; readonly method: string; readonly args: RpcArgument[] }
  | { readonly kind: 'simplify'; readonly cacheId: number; readonly path: string }
  | { readonly kind: 'confirm'; readonly path: string }
  | { readonly kind: 'other'; readonly command: number };

function cstring(text: string): Buffer {
  return Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0])]);
}

function encodeVariant(value: RpcArgument): Buffer {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) throw new RangeError(`Only int32 ints are encoded here, got ${value}`);
    const bytes = Buffer.alloc(8);
    bytes.writeUInt32LE(VARIANT_INT, 0);
    bytes.writeInt32LE(value, 4);
    return bytes;
  }
  const text = Buffer.from(value, 'utf8');
  const padded = Math.ceil(text.length / 4) * 4;
  const bytes = Buffer.alloc(8 + padded);
  bytes.writeUInt32LE(VARIANT_STRING, 0);
  bytes.writeUInt32LE(text.length, 4);
  text.copy(bytes, 8);
  return bytes;
}

function decodeVariant(packet: Buffer, offset: number): { value: RpcArgument; next: number } {
  const header = packet.readUInt32LE(offset);
  const type = header & 0xffff;
  if (type === VARIANT_INT) {
    if ((header & ENCODE_FLAG_64) !== 0) return { value: Number(packet.readBigInt64LE(offset + 4)), next: offset + 12 };
    return { value: packet.readInt32LE(offset + 4), next: offset + 8 };
  }
  if (type === VARIANT_STRING) {
    const length = packet.readUInt32LE(offset + 4);
    const start = offset + 8;
    return { value: packet.toString('utf8', start, start + length), next: start + Math.ceil(length / 4) * 4 };
  }
  throw new Error(`Variant type ${type} is not decoded by this test helper`);
}

function readCString(packet: Buffer, offset: number): { text: string; next: number } {
  const end = packet.indexOf(0, offset);
  const stop = end === -1 ? packet.length : end;
  return { text: packet.toString('utf8', offset, stop), next: stop + 1 };
}

/** A remote call carrying its node path, as Godot sends to a peer that has not confirmed the path. */
export function encodeRpcCall(path: string, method: string, args: readonly RpcArgument[]): Buffer {
  const body = Buffer.concat([cstring(method), Buffer.from([args.length]), ...args.map(encodeVariant)]);
  const head = Buffer.alloc(5);
  head[0] = MultiplayerCommand.REMOTE_CALL;
  head.writeUInt32LE((FULL_PATH_FLAG | (head.length + body.length)) >>> 0, 1);
  return Buffer.concat([head, body, cstring(path)]);
}

/** The answer to SIMPLIFY_PATH: from now on the sender may use its cache id for this path. */
export function encodeConfirmPath(path: string): Buffer {
  return Buffer.concat([Buffer.from([MultiplayerCommand.CONFIRM_PATH]), cstring(path)]);
}

export function decodeMultiplayerPacket(packet: Buffer): MultiplayerPacket {
  const command = packet[0]!;
  switch (command) {
    case MultiplayerCommand.SIMPLIFY_PATH:
      return { kind: 'simplify', cacheId: packet.readUInt32LE(1), path: readCString(packet, 5).text };
    case MultiplayerCommand.CONFIRM_PATH:
      return { kind: 'confirm', path: readCString(packet, 1).text };
    case MultiplayerCommand.REMOTE_CALL: {
      const target = packet.readUInt32LE(1);
      const fullPath = (target & FULL_PATH_FLAG) !== 0;
      const method = readCString(packet, 5);
      const argc = packet[method.next]!;
      const args: RpcArgument[] = [];
      let offset = method.next + 1;
      for (let i = 0; i < argc; i++) {
        const decoded = decodeVariant(packet, offset);
        args.push(decoded.value);
        offset = decoded.next;
      }
      return {
        kind: 'call',
        path: fullPath ? readCString(packet, target & ~FULL_PATH_FLAG).text : null,
        cacheId: fullPath ? null : target,
        method: method.text,
        args,
      };
    }
    default:
      return { kind: 'other', command };
  }
}
