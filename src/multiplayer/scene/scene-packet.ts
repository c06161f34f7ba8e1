/**
 * Godot 4 SceneMultiplayer packets (modules/multiplayer: scene_multiplayer,
 * scene_rpc_interface, scene_cache_interface), pure encode/decode. The low 3
 * bits of byte 0 are the command; the top 4 bits are flags of that command.
 * The system packets (SYS: AUTH, ADD_PEER, DEL_PEER, RELAY) are in
 * ../scene-multiplayer-packet.ts; AUTH is wrapped here too for convenience.
 *
 * | command          | layout                                                                 |
 * | ---------------- | ---------------------------------------------------------------------- |
 * | 0 REMOTE_CALL    | meta, node id (1/2/4 bytes), method id (1/2 bytes), [argc], args, [path NUL] |
 * | 1 SIMPLIFY_PATH  | 01, rpc md5 as 32 hex chars + NUL, cache id uint32, path UTF-8 + NUL   |
 * | 2 CONFIRM_PATH   | 02, checksum valid (0/1), cache id uint32 (exactly 6 bytes)            |
 * | 3 RAW            | 03, the bytes (at least one)                                           |
 * | 7 SYS AUTH       | 07 00, data (none = "authentication complete")                         |
 *
 * REMOTE_CALL meta byte: bits 0-2 command 0, bits 4-5 node id width (0/1/2 =
 * 8/16/32 bits), bit 6 method id width (0/1 = 8/16 bits), bit 7 "byte only or
 * no args". A node id with bit 31 set (32-bit form only) means "not cached":
 * its low 31 bits are the offset of the node's path (UTF-8, NUL-terminated)
 * at the end of the packet, and the arguments end there.
 */

import { GodotError } from '../../godot-error.js';
import type { EncodableVariant, Variant } from '../../variant/variant.js';
import { NETWORK_COMMAND_SYS, SceneSystemCommand } from '../scene-multiplayer-packet.js';
import { decodeArguments, encodeArguments, isByteOnly, ScenePacketError } from './scene-arguments.js';

export { ScenePacketError };

export const SceneCommand = {
  REMOTE_CALL: 0,
  SIMPLIFY_PATH: 1,
  CONFIRM_PATH: 2,
  RAW: 3,
  SPAWN: 4,
  DESPAWN: 5,
  SYNC: 6,
  SYS: 7,
} as const;
export type SceneCommand = (typeof SceneCommand)[keyof typeof SceneCommand];

export const COMMAND_MASK = 0x07;
const NODE_ID_SHIFT = 4;
const NAME_ID_SHIFT = 6;
const BYTE_ONLY_FLAG = 0x80;
const PATH_FLAG = 0x80000000;
/** 1 + 33 (md5 hex + NUL) + 4: the shortest SIMPLIFY_PATH Godot accepts. */
export const SIMPLIFY_PATH_MIN_SIZE = 38;
export const CONFIRM_PATH_SIZE = 6;

export function commandOf(packet: Uint8Array): number {
  return packet.length > 0 ? packet[0]! & COMMAND_MASK : -1;
}

/** The node an rpc is for: a path-cache id the receiver was told with SIMPLIFY_PATH, or the path itself. */
export type RpcNode = { readonly id: number } | { readonly path: string };

export interface RemoteCall {
  readonly node: RpcNode;
  /** Index of the method among the node's rpc methods (see rpc-config.ts). */
  readonly methodId: number;
  readonly args: readonly Variant[];
}

export interface EncodeRemoteCallOptions {
  /** Width of a cached node id; default the smallest that holds it. Godot uses 32 when some targets have not confirmed the path. */
  readonly nodeIdBits?: 8 | 16 | 32;
  /** SceneMultiplayer's allow_object_decoding (full objects in arguments). */
  readonly allowObjects?: boolean;
}

/** A REMOTE_CALL packet. Throws RangeError for ids out of range and VariantEncodeError for arguments Godot cannot carry. */
export function encodeRemoteCall(call: { node: RpcNode; methodId: number; args: readonly EncodableVariant[] }, options: EncodeRemoteCallOptions = {}): Buffer {
  const { node, methodId, args } = call;
  if (!Number.isInteger(methodId) || methodId < 0 || methodId > 0xffff) throw new RangeError(`rpc method id must be 0..65535, got ${methodId}`);
  if (args.length > 255) throw new RangeError(`an rpc carries at most 255 arguments, got ${args.length}`);
  const byteOnly = isByteOnly(args);
  const argumentBytes = encodeArguments(args, options.allowObjects ?? false);

  let nodeIdBits: 8 | 16 | 32;
  let nodeField: number;
  if ('id' in node) {
    if (!Number.isInteger(node.id) || node.id < 0 || node.id > 0x7fffffff) throw new RangeError(`node cache id must be 0..2^31-1, got ${node.id}`);
    nodeIdBits = options.nodeIdBits ?? (node.id <= 0xff ? 8 : node.id <= 0xffff ? 16 : 32);
    if (node.id >= 2 ** nodeIdBits) throw new RangeError(`node cache id ${node.id} does not fit in ${nodeIdBits} bits`);
    nodeField = node.id;
  } else {
    nodeIdBits = 32;
    nodeField = 0; // set below, once the offset of the path is known
  }
  const nameIdBits = methodId <= 0xff ? 8 : 16;
  const header = 1 + nodeIdBits / 8 + nameIdBits / 8;
  const body = header + (byteOnly ? 0 : 1) + argumentBytes.length;
  const path = 'path' in node ? Buffer.from(`${node.path}\0`, 'utf8') : null;
  const packet = Buffer.allocUnsafe(body + (path?.length ?? 0));

  packet[0] =
    SceneCommand.REMOTE_CALL |
    ((nodeIdBits === 8 ? 0 : nodeIdBits === 16 ? 1 : 2) << NODE_ID_SHIFT) |
    ((nameIdBits === 8 ? 0 : 1) << NAME_ID_SHIFT) |
    (byteOnly ? BYTE_ONLY_FLAG : 0);
  if (path !== null) nodeField = (PATH_FLAG | body) >>> 0;
  let offset = 1;
  if (nodeIdBits === 8) packet[offset] = nodeField;
  else if (nodeIdBits === 16) packet.writeUInt16LE(nodeField, offset);
  else packet.writeUInt32LE(nodeField, offset);
  offset += nodeIdBits / 8;
  if (nameIdBits === 8) packet[offset] = methodId;
  else packet.writeUInt16LE(methodId, offset);
  offset += nameIdBits / 8;
  if (!byteOnly) packet[offset++] = args.length;
  packet.set(argumentBytes, offset);
  if (path !== null) packet.set(path, body);
  return packet;
}

/** Reads a REMOTE_CALL packet the way SceneRPCInterface::process_rpc does; a ScenePacketError says what is wrong. */
export function decodeRemoteCall(packet: Uint8Array, options: { allowObjects?: boolean } = {}): RemoteCall | ScenePacketError {
  if (packet.length < 1 || (packet[0]! & COMMAND_MASK) !== SceneCommand.REMOTE_CALL) return invalid('not a REMOTE_CALL packet');
  const meta = packet[0]!;
  const nodeIdMode = (meta >> NODE_ID_SHIFT) & 0x03;
  if (nodeIdMode === 3) return invalid('node id compression mode 3 does not exist');
  const nodeIdBytes = 1 << nodeIdMode;
  const nameIdBytes = (meta >> NAME_ID_SHIFT) & 0x01 ? 2 : 1;
  const header = 1 + nodeIdBytes + nameIdBytes;
  if (packet.length < header) return invalid(`${packet.length} bytes is shorter than the ${header}-byte rpc header`);
  const view = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);

  const nodeField = nodeIdBytes === 1 ? view[1]! : nodeIdBytes === 2 ? view.readUInt16LE(1) : view.readUInt32LE(1);
  const methodId = nameIdBytes === 1 ? view[1 + nodeIdBytes]! : view.readUInt16LE(1 + nodeIdBytes);

  let node: RpcNode;
  let end = packet.length;
  if (nodeIdBytes === 4 && nodeField >= PATH_FLAG) {
    const pathOffset = nodeField - PATH_FLAG;
    if (pathOffset >= packet.length) return invalid(`node path offset ${pathOffset} is past the end of the ${packet.length}-byte packet`);
    if (pathOffset < header) return invalid(`node path offset ${pathOffset} points into the rpc header`);
    node = { path: readCString(view, pathOffset, packet.length) };
    end = pathOffset;
  } else {
    node = { id: nodeField };
  }
  const args = decodeArguments(packet, header, end, (meta & BYTE_ONLY_FLAG) !== 0, options.allowObjects ?? false);
  if (args instanceof ScenePacketError) return args;
  return { node, methodId, args };
}

export interface SimplifyPath {
  /** MD5 (32 lowercase hex chars) of the node's rpc method names in id order: see rpc-config.ts. */
  readonly checksum: string;
  /** The sender's cache id for this node. */
  readonly id: number;
  /** Node path relative to the multiplayer root (`/root`), e.g. `Main/Player`. */
  readonly path: string;
}

/** `01 md5hex NUL id path NUL`. */
export function encodeSimplifyPath({ checksum, id, path }: SimplifyPath): Buffer {
  if (!/^[0-9a-f]{32}$/.test(checksum)) throw new RangeError('checksum must be 32 lowercase hex characters (an MD5)');
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw new RangeError(`path cache id must be a uint32, got ${id}`);
  const pathBytes = Buffer.from(path, 'utf8');
  const packet = Buffer.alloc(SIMPLIFY_PATH_MIN_SIZE + pathBytes.length + 1);
  packet[0] = SceneCommand.SIMPLIFY_PATH;
  packet.write(checksum, 1, 'latin1');
  packet.writeUInt32LE(id, 34);
  pathBytes.copy(packet, SIMPLIFY_PATH_MIN_SIZE);
  return packet;
}

export function decodeSimplifyPath(packet: Uint8Array): SimplifyPath | ScenePacketError {
  if (packet.length < 1 || (packet[0]! & COMMAND_MASK) !== SceneCommand.SIMPLIFY_PATH) return invalid('not a SIMPLIFY_PATH packet');
  if (packet.length < SIMPLIFY_PATH_MIN_SIZE) return invalid(`SIMPLIFY_PATH of ${packet.length} bytes is shorter than ${SIMPLIFY_PATH_MIN_SIZE}`);
  const view = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
  const checksum = readCString(view, 1, 33);
  const id = view.readUInt32LE(34);
  const path = readCString(view, SIMPLIFY_PATH_MIN_SIZE, packet.length);
  return { checksum, id, path };
}

export interface ConfirmPath {
  /** Whether the receiver's rpc methods for the node had the same checksum. */
  readonly valid: boolean;
  readonly id: number;
}

/** `02 valid id`. */
export function encodeConfirmPath({ valid, id }: ConfirmPath): Buffer {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw new RangeError(`path cache id must be a uint32, got ${id}`);
  const packet = Buffer.allocUnsafe(CONFIRM_PATH_SIZE);
  packet[0] = SceneCommand.CONFIRM_PATH;
  packet[1] = valid ? 1 : 0;
  packet.writeUInt32LE(id, 2);
  return packet;
}

export function decodeConfirmPath(packet: Uint8Array): ConfirmPath | ScenePacketError {
  if (packet.length < 1 || (packet[0]! & COMMAND_MASK) !== SceneCommand.CONFIRM_PATH) return invalid('not a CONFIRM_PATH packet');
  if (packet.length !== CONFIRM_PATH_SIZE) return invalid(`CONFIRM_PATH must be ${CONFIRM_PATH_SIZE} bytes, got ${packet.length}`);
  const view = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
  return { valid: view[1] !== 0, id: view.readUInt32LE(2) };
}

/** `03 bytes` (SceneMultiplayer.send_bytes); Godot refuses to send an empty one. */
export function encodeRaw(bytes: Uint8Array): Buffer {
  if (bytes.length === 0) throw new RangeError('a raw packet needs at least one byte');
  const packet = Buffer.allocUnsafe(1 + bytes.length);
  packet[0] = SceneCommand.RAW;
  packet.set(bytes, 1);
  return packet;
}

/** The bytes of a RAW packet (a view); Godot drops one shorter than 2 bytes. */
export function decodeRaw(packet: Uint8Array): Buffer | ScenePacketError {
  if (packet.length < 1 || (packet[0]! & COMMAND_MASK) !== SceneCommand.RAW) return invalid('not a RAW packet');
  if (packet.length < 2) return invalid('RAW packet without data');
  return Buffer.from(packet.buffer, packet.byteOffset + 1, packet.byteLength - 1);
}

/** `07 00 data`: authentication data, or with no data the "authentication complete" notice. */
export function encodeAuth(data: Uint8Array = new Uint8Array(0)): Buffer {
  const packet = Buffer.allocUnsafe(2 + data.length);
  packet[0] = NETWORK_COMMAND_SYS;
  packet[1] = SceneSystemCommand.AUTH;
  packet.set(data, 2);
  return packet;
}

/** The data of an AUTH packet (a view; empty = complete). */
export function decodeAuth(packet: Uint8Array): Buffer | ScenePacketError {
  if (packet.length < 2 || (packet[0]! & COMMAND_MASK) !== NETWORK_COMMAND_SYS || packet[1] !== SceneSystemCommand.AUTH) return invalid('not a SYS AUTH packet');
  return Buffer.from(packet.buffer, packet.byteOffset + 2, packet.byteLength - 2);
}

/** UTF-8 up to the first NUL or `end`. */
function readCString(view: Buffer, start: number, end: number): string {
  const nul = view.indexOf(0, start);
  return view.toString('utf8', start, nul === -1 || nul > end ? end : nul);
}

function invalid(message: string): ScenePacketError {
  return new ScenePacketError(GodotError.ERR_INVALID_DATA, message);
}
