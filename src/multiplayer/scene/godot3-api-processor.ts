import type { Variant } from '../../variant/variant.js';
import { SERVER_PEER_ID } from '../../server/peer-id.js';
import {
  decodeGodot3ConfirmPath,
  decodeGodot3Raw,
  decodeGodot3RemoteCall,
  decodeGodot3SimplifyPath,
  encodeGodot3ConfirmPath,
  Godot3ApiCommand,
} from './godot3-api-packet.js';
import type { Godot3ApiSender } from './godot3-api-sender.js';
import type { Godot3NodeEntry, Godot3ServerEvents } from './godot3-api-types.js';
import { Godot3PathCache } from './godot3-path-cache.js';
import { canCallMode } from './godot3-rpc-mode.js';
import { normalizeNodePath } from './rpc-config.js';
import { ScenePacketError } from './scene-arguments.js';

export interface Godot3ApiProcessorParts {
  readonly nodes: ReadonlyMap<string, Godot3NodeEntry>;
  readonly cache: Godot3PathCache;
  readonly sender: Godot3ApiSender;
  readonly events: Godot3ServerEvents;
  readonly allowObjects: () => boolean;
}

/**
 * The inbound side of Godot3MultiplayerServer: MultiplayerAPI::_process_packet
 * (3.2) for one packet from one client. Nothing throws and nothing closes a
 * connection; a refused packet is counted and reported as `packetDropped`.
 */
export class Godot3ApiProcessor {
  dropped = 0;
  /** The caller of the running handler, for `getRemoteSenderId`; 0 outside handlers. */
  remoteSender = 0;

  constructor(private readonly parts: Godot3ApiProcessorParts) {}

  process(from: number, packet: Buffer): void {
    if (packet.length === 0) return this.drop(from, 'empty packet');
    switch (packet[0]) {
      case Godot3ApiCommand.SIMPLIFY_PATH: {
        const simplify = decodeGodot3SimplifyPath(packet);
        if (simplify instanceof ScenePacketError) return this.drop(from, simplify.message);
        if (!this.parts.cache.remember(from, simplify.id, simplify.path)) return this.drop(from, `SIMPLIFY_PATH beyond ${Godot3PathCache.MAX_PATHS_PER_PEER} cached paths for this peer`);
        // Godot echoes the path as the client wrote it: the client looks its cache entry up by that path.
        this.parts.sender.sendTo(from, encodeGodot3ConfirmPath(simplify.path));
        return;
      }
      case Godot3ApiCommand.CONFIRM_PATH: {
        const confirm = decodeGodot3ConfirmPath(packet);
        if (confirm instanceof ScenePacketError) return this.drop(from, confirm.message);
        if (!this.parts.cache.confirm(from, confirm.path)) return this.drop(from, `CONFIRM_PATH for "${confirm.path}", which was never sent to this peer`);
        return;
      }
      case Godot3ApiCommand.REMOTE_CALL:
      case Godot3ApiCommand.REMOTE_SET:
        return this.processCall(from, packet);
      case Godot3ApiCommand.RAW: {
        const data = decodeGodot3Raw(packet);
        if (data instanceof ScenePacketError) return this.drop(from, data.message);
        this.parts.events.emit('peerPacket', from, Buffer.from(data));
        return;
      }
      default:
        return this.drop(from, `unknown command ${packet[0]}`);
    }
  }

  /** Runs `run` with `remoteSender` set; a throw becomes `handlerError`. Public: the facade's local calls use it too. */
  runHandler(sender: number, what: string, run: () => void): void {
    const previous = this.remoteSender;
    this.remoteSender = sender;
    try {
      run();
    } catch (error) {
      this.parts.events.emit('handlerError', error, sender, what);
    } finally {
      this.remoteSender = previous;
    }
  }

  /** Stores a property value and runs its handler (an rset from `sender`, or a local one with sender 1). */
  applySet(entry: Godot3NodeEntry, path: string, property: string, sender: number, value: Variant): void {
    entry.values.set(property, value);
    const handler = entry.properties.get(property)?.handler;
    if (handler !== undefined) this.runHandler(sender, `${path}:${property}`, () => handler(sender, value));
  }

  private processCall(from: number, packet: Buffer): void {
    const { nodes, cache } = this.parts;
    const call = decodeGodot3RemoteCall(packet, this.parts.allowObjects());
    const kind = packet[0] === Godot3ApiCommand.REMOTE_SET ? 'RSET' : 'RPC';
    if (call instanceof ScenePacketError) return this.drop(from, `invalid ${kind}: ${call.message}`);
    const path = 'id' in call.node ? cache.lookup(from, call.node.id) : normalizeNodePath(call.node.path);
    if (path === undefined) return this.drop(from, `${kind} for node cache id ${(call.node as { id: number }).id}, which peer ${from} never announced`);
    const entry = nodes.get(path);
    if (entry === undefined) return this.drop(from, `${kind} for node "${path}", which has nothing registered`);
    const member = call.set ? entry.properties.get(call.name) : entry.methods.get(call.name);
    const mode = member?.mode ?? 'disabled';
    if (!canCallMode(mode, SERVER_PEER_ID, entry.master, from)) {
      return this.drop(from, `${kind} '${call.name}' is not allowed on node ${path} from: ${from}. Mode is ${mode}, master is ${entry.master}.`);
    }
    if (call.set) return this.applySet(entry, path, call.name, from, call.args[0] ?? null);
    const handler = (member as { handler?: (sender: number, ...args: Variant[]) => void }).handler;
    if (handler !== undefined) this.runHandler(from, `${path}:${call.name}`, () => handler(from, ...call.args));
  }

  private drop(from: number, reason: string): void {
    this.dropped++;
    this.parts.events.emit('packetDropped', from, reason);
  }
}
