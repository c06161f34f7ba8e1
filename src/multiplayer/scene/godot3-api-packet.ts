/**
 * Godot 3's MultiplayerAPI packets (core/io/multiplayer_api.cpp, 3.2), the
 * payload of `gd_mp_api` data packets after their 9-byte header. Pure
 * encode/decode; Godot3MultiplayerServer (godot3-multiplayer-server.ts) uses it.
 *
 * | command          | layout                                                                  |
 * | ---------------- | ----------------------------------------------------------------------- |
 * | 0 REMOTE_CALL    | 00, node uint32, method name UTF-8 + NUL, argc, Godot 3 Variants, [path NUL] |
 * | 1 REMOTE_SET     | 01, node uint32, property name UTF-8 + NUL, one Godot 3 Variant, [path NUL]  |
 * | 2 SIMPLIFY_PATH  | 02, cache id uint32, path UTF-8 + NUL                                   |
 * | 3 CONFIRM_PATH   | 03, path UTF-8 + NUL                                                    |
 * | 4 RAW            | 04, the bytes                                                           |
 *
 * The node field is a path-cache id, or with bit 31 set the offset of the
 * node path appended after the arguments (not cached yet), as in Godot 4.
 * Unlike Godot 4, methods travel by name and arguments are not compressed.
 */

import { GodotError } from '../../godot-error.js';
import { decodeVariant, varToBytes } from '../../variant/codec.js';
import { VariantDecodeError } from '../../variant/errors.js';
import type { EncodableVariant, Variant } from '../../variant/variant.js';
import { ScenePacketError } from './scene-arguments.js';

export const Godot3ApiCommand = {
  REMOTE_CALL: 0,
  REMOTE_SET: 1,
  SIMPLIFY_PATH: 2,
  CONFIRM_PATH: 3,
  RAW: 4,
} as const;

const PATH_FLAG = 0x80000000;

export type Godot3Node = { readonly id: number } | { readonly path: string };

export interface Godot3RemoteCall {
  readonly set: boolean;
  readonly node: Godot3Node;
  /** Method name (REMOTE_CALL) or property name (REMOTE_SET). */
  readonly name: string;
  /** REMOTE_SET: exactly one value. */
  readonly args: readonly Variant[];
}

/** A REMOTE_CALL, or with `set` a REMOTE_SET (one argument: the value). Throws VariantEncodeError / RangeError on bad input. */
export function encodeGodot3RemoteCall(call: { set?: boolean; node: Godot3Node; name: string; args: readonly EncodableVariant[] }, allowObjects = false): Buffer {
  const set = call.set ?? false;
  if (set && call.args.length !== 1) throw new RangeError('a remote set carries exactly one value');
  if (call.args.length > 255) throw new RangeError(`an rpc carries at most 255 arguments, got ${call.args.length}`);
  const values = call.args.map((arg) => varToBytes(arg, { godot: 3, fullObjects: allowObjects }));
  const parts: Uint8Array[] = [Uint8Array.of(set ? Godot3ApiCommand.REMOTE_SET : Godot3ApiCommand.REMOTE_CALL), new Uint8Array(4), Buffer.from(`${call.name}\0`, 'utf8')];
  if (!set) parts.push(Uint8Array.of(call.args.length));
  parts.push(...values);
  const body = Buffer.concat(parts);
  let nodeField: number;
  if ('id' in call.node) {
    if (!Number.isInteger(call.node.id) || call.node.id < 0 || call.node.id > 0x7fffffff) throw new RangeError(`node cache id must be 0..2^31-1, got ${call.node.id}`);
    nodeField = call.node.id;
  } else {
    nodeField = (PATH_FLAG | body.length) >>> 0;
  }
  body.writeUInt32LE(nodeField, 1);
  return 'path' in call.node ? Buffer.concat([body, Buffer.from(`${call.node.path}\0`, 'utf8')]) : body;
}

/** Reads a REMOTE_CALL or REMOTE_SET as MultiplayerAPI::_process_packet does. */
export function decodeGodot3RemoteCall(packet: Uint8Array, allowObjects = false): Godot3RemoteCall | ScenePacketError {
  const command = packet[0];
  if (command !== Godot3ApiCommand.REMOTE_CALL && command !== Godot3ApiCommand.REMOTE_SET) return invalid('not a REMOTE_CALL or REMOTE_SET packet');
  if (packet.length < 6) return invalid('packet shorter than 6 bytes');
  const view = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
  const nodeField = view.readUInt32LE(1);
  let end = packet.length;
  let node: Godot3Node;
  if (nodeField >= PATH_FLAG) {
    const offset = nodeField - PATH_FLAG;
    if (offset >= packet.length) return invalid(`node path offset ${offset} is past the end of the packet`);
    if (offset < 6) return invalid(`node path offset ${offset} points into the header`);
    const nul = view.indexOf(0, offset);
    node = { path: view.toString('utf8', offset, nul === -1 ? packet.length : nul) };
    end = offset;
  } else {
    node = { id: nodeField };
  }
  const nameEnd = view.indexOf(0, 5);
  if (nameEnd === -1 || nameEnd >= end) return invalid('method name is not NUL-terminated');
  const name = view.toString('utf8', 5, nameEnd);
  const region = packet.subarray(0, end);
  let position = nameEnd + 1;
  if (position >= end) return invalid('nothing after the name');
  const set = command === Godot3ApiCommand.REMOTE_SET;
  const count = set ? 1 : region[position++]!;
  // A Godot 3 Variant takes at least 4 bytes.
  if (count * 4 > end - position) return invalid(`${count} values announced but only ${end - position} bytes follow`);
  const args: Variant[] = [];
  for (let i = 0; i < count; i++) {
    try {
      const decoded = decodeVariant(region, { godot: 3, allowObjects }, position);
      args.push(decoded.value);
      position += decoded.length;
    } catch (error) {
      if (error instanceof VariantDecodeError) return new ScenePacketError(error.code, `value ${i} cannot be decoded: ${error.message}`);
      return new ScenePacketError(GodotError.ERR_BUG, String(error));
    }
  }
  return { set, node, name, args };
}

/** `02 id path NUL`. */
export function encodeGodot3SimplifyPath(id: number, path: string): Buffer {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw new RangeError(`path cache id must be a uint32, got ${id}`);
  const packet = Buffer.concat([Buffer.alloc(5), Buffer.from(`${path}\0`, 'utf8')]);
  packet[0] = Godot3ApiCommand.SIMPLIFY_PATH;
  packet.writeUInt32LE(id, 1);
  return packet;
}

export function decodeGodot3SimplifyPath(packet: Uint8Array): { id: number; path: string } | ScenePacketError {
  if (packet[0] !== Godot3ApiCommand.SIMPLIFY_PATH) return invalid('not a SIMPLIFY_PATH packet');
  if (packet.length < 5) return invalid('SIMPLIFY_PATH shorter than 5 bytes');
  const view = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
  return { id: view.readUInt32LE(1), path: cstring(view, 5) };
}

/** `03 path NUL`: Godot 3 confirms by path, not by id. */
export function encodeGodot3ConfirmPath(path: string): Buffer {
  return Buffer.concat([Uint8Array.of(Godot3ApiCommand.CONFIRM_PATH), Buffer.from(`${path}\0`, 'utf8')]);
}

export function decodeGodot3ConfirmPath(packet: Uint8Array): { path: string } | ScenePacketError {
  if (packet[0] !== Godot3ApiCommand.CONFIRM_PATH) return invalid('not a CONFIRM_PATH packet');
  if (packet.length < 2) return invalid('CONFIRM_PATH without a path');
  return { path: cstring(Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength), 1) };
}

/** `04 bytes` (send_bytes). */
export function encodeGodot3Raw(bytes: Uint8Array): Buffer {
  if (bytes.length === 0) throw new RangeError('a raw packet needs at least one byte');
  return Buffer.concat([Uint8Array.of(Godot3ApiCommand.RAW), bytes]);
}

export function decodeGodot3Raw(packet: Uint8Array): Buffer | ScenePacketError {
  if (packet[0] !== Godot3ApiCommand.RAW) return invalid('not a RAW packet');
  if (packet.length < 2) return invalid('RAW packet without data');
  return Buffer.from(packet.buffer, packet.byteOffset + 1, packet.byteLength - 1);
}

function cstring(view: Buffer, start: number): string {
  const nul = view.indexOf(0, start);
  return view.toString('utf8', start, nul === -1 ? view.length : nul);
}

function invalid(message: string): ScenePacketError {
  return new ScenePacketError(GodotError.ERR_INVALID_DATA, message);
}
