import { EventEmitter } from 'node:events';
import { GodotError } from '../../godot-error.js';
import { SERVER_PEER_ID } from '../../server/peer-id.js';
import type { EncodableVariant, Variant } from '../../variant/variant.js';
import { ConnectionStatus } from '../connection-status.js';
import { encodeGodot3Raw } from './godot3-api-packet.js';
import { Godot3ApiProcessor } from './godot3-api-processor.js';
import { Godot3ApiSender } from './godot3-api-sender.js';
import type { Godot3ApiPeer, Godot3MultiplayerServerEvents, Godot3NodeEntry, Godot3PropertyHandler, Godot3RpcHandler } from './godot3-api-types.js';
import { Godot3PathCache } from './godot3-path-cache.js';
import { GODOT3_RPC_MODES, shouldCallLocal, type Godot3RpcMode } from './godot3-rpc-mode.js';
import { normalizeNodePath } from './rpc-config.js';
import { PacketDrain } from './packet-drain.js';

export type { Godot3ApiPeer, Godot3MultiplayerServerEvents, Godot3PropertyHandler, Godot3RpcHandler } from './godot3-api-types.js';
export type { Godot3RpcMode } from './godot3-rpc-mode.js';

export interface Godot3MultiplayerServerOptions {
  /** MultiplayerAPI's allow_object_decoding: full objects in rpc arguments and rset values (also on when the peer allows them). Default false. */
  allowObjectDecoding?: boolean;
}

/**
 * The server side of Godot 3's MultiplayerAPI (3.2), for a Node process that
 * is the authority of a Godot 3 game: attach it to gdws' Godot 3
 * `WebSocketServer` listening with `gd_mp_api`. It reads every packet the
 * server receives for peer 1 (do not call `getPacket` yourself), answers the
 * node path cache, runs handlers for the rpcs and rsets clients send (by
 * method and property NAME, with Godot 3's remote/master/puppet rules), calls
 * rpcs and rsets on clients, and exchanges `send_bytes` packets. Packets
 * between clients are relayed by the WebSocketServer itself.
 */
export class Godot3MultiplayerServer extends EventEmitter<Godot3MultiplayerServerEvents> {
  allowObjectDecoding: boolean;
  lastError: { code: GodotError; message: string } | null = null;

  private readonly nodes = new Map<string, Godot3NodeEntry>();
  private readonly connected = new Set<number>();
  private readonly cache = new Godot3PathCache();
  private readonly sender: Godot3ApiSender;
  private readonly processor: Godot3ApiProcessor;
  private readonly drainer: PacketDrain;
  private attached = true;

  private readonly onPeerConnected = (id: number): void => {
    this.connected.add(id);
    this.emit('peerConnected', id);
  };
  private readonly onPeerDisconnected = (id: number): void => {
    if (!this.connected.delete(id)) return;
    this.cache.forgetPeer(id);
    this.emit('peerDisconnected', id);
  };
  private readonly onPeerPacket = (): void => this.drain();

  constructor(
    readonly peer: Godot3ApiPeer,
    options: Godot3MultiplayerServerOptions = {},
  ) {
    super();
    this.allowObjectDecoding = options.allowObjectDecoding ?? false;
    this.sender = new Godot3ApiSender(peer, this.connected, this.cache, (code, message) => this.fail(code, message));
    this.processor = new Godot3ApiProcessor({
      nodes: this.nodes,
      cache: this.cache,
      sender: this.sender,
      events: this,
      allowObjects: () => this.objectsAllowed(),
    });
    this.drainer = new PacketDrain(peer, (from, packet) => this.processor.process(from, packet));
    for (const id of peer.getPeerIds()) this.connected.add(id);
    peer.on('peerConnected', this.onPeerConnected);
    peer.on('peerDisconnected', this.onPeerDisconnected);
    peer.on('peerPacket', this.onPeerPacket);
    this.drain();
  }

  // ---- configuration -----------------------------------------------------

  /**
   * Declares method `method` of the node at `nodePath` (`/root/Main` or
   * `Main`) with its GDScript keyword (`remote func`, `master func`, ...) and
   * the handler for calls from clients. Calls for undeclared methods are
   * refused, as Godot refuses a function without a keyword.
   */
  registerRpc(nodePath: string, method: string, mode: Godot3RpcMode, handler?: Godot3RpcHandler): this {
    this.entry(nodePath).methods.set(method, { mode: checkMode(mode), handler });
    return this;
  }

  /** Declares property `property` (`remote var`, `puppet var`, ...): clients' rsets of it are stored (`getProperty`) and passed to the handler. */
  registerProperty(nodePath: string, property: string, mode: Godot3RpcMode, handler?: Godot3PropertyHandler): this {
    this.entry(nodePath).properties.set(property, { mode: checkMode(mode), handler });
    return this;
  }

  /** The last value set by a client's rset or a local one (`undefined` before any). */
  getProperty(nodePath: string, property: string): Variant | undefined {
    return this.nodes.get(normalizeNodePath(nodePath))?.values.get(property);
  }

  /** Godot 3's `set_network_master`: whose calls `puppet` members accept and whether this server is the master (`master` members). The server (1) by default. */
  setNetworkMaster(nodePath: string, peerId: number): void {
    this.entry(nodePath).master = peerId;
  }

  getNetworkMaster(nodePath: string): number {
    return this.nodes.get(normalizeNodePath(nodePath))?.master ?? SERVER_PEER_ID;
  }

  // ---- state -------------------------------------------------------------

  /** During a handler: the peer that made the call (1 for a local one); 0 otherwise (`get_rpc_sender_id`). */
  getRemoteSenderId(): number {
    return this.processor.remoteSender;
  }

  getPeers(): number[] {
    return [...this.connected];
  }

  get droppedPacketCount(): number {
    return this.processor.dropped;
  }

  // ---- sending -----------------------------------------------------------

  /**
   * Godot 3's `rpc_id(target, method, ...)` on the node at `nodePath`:
   * `target` a client id, 0 every client (`rpc`), `-id` all but one. As in
   * Godot, `*sync` modes (and `master` on the master, `puppet` elsewhere) also
   * run the handler here with sender 1; `target` 1 only runs it here.
   */
  rpc(target: number, nodePath: string, method: string, ...args: EncodableVariant[]): GodotError {
    const path = normalizeNodePath(nodePath);
    const entry = this.nodes.get(path);
    const member = entry?.methods.get(method);
    const result = this.send(target, path, false, method, args, member?.mode ?? 'disabled');
    if (result.callLocal && entry !== undefined && member?.handler !== undefined) {
      const handler = member.handler;
      this.processor.runHandler(SERVER_PEER_ID, `${path}:${method}`, () => handler(SERVER_PEER_ID, ...(args as Variant[])));
    }
    return result.code;
  }

  /** Godot 3's `rset_id(target, property, value)`; `*sync` modes also store the value here (and run its handler). */
  rset(target: number, nodePath: string, property: string, value: EncodableVariant): GodotError {
    const path = normalizeNodePath(nodePath);
    const entry = this.nodes.get(path);
    const result = this.send(target, path, true, property, [value], entry?.properties.get(property)?.mode ?? 'disabled');
    if (result.callLocal && entry !== undefined) this.processor.applySet(entry, path, property, SERVER_PEER_ID, value);
    return result.code;
  }

  /** `send_bytes`: a RAW packet to a client, 0 every client, -id all but one. */
  sendBytes(target: number, bytes: Uint8Array): GodotError {
    if (bytes.length === 0) return this.fail(GodotError.ERR_INVALID_DATA, 'Trying to send an empty raw packet.');
    if (!this.isActive()) return this.fail(GodotError.ERR_UNCONFIGURED, 'Trying to send a raw packet via a network peer which is not connected.');
    return this.sender.sendTo(target, encodeGodot3Raw(bytes));
  }

  disconnectPeer(peerId: number): GodotError {
    return this.peer.disconnectPeer(peerId);
  }

  /** Stops listening to the peer and forgets the session (registrations stay). */
  detach(): void {
    if (!this.attached) return;
    this.attached = false;
    this.peer.off('peerConnected', this.onPeerConnected);
    this.peer.off('peerDisconnected', this.onPeerDisconnected);
    this.peer.off('peerPacket', this.onPeerPacket);
    this.connected.clear();
    this.cache.clear();
  }

  /** MultiplayerAPI::rpcp / rsetp: local call decision, then the network send unless skipped. */
  private send(target: number, path: string, set: boolean, name: string, args: readonly EncodableVariant[], mode: Godot3RpcMode): { code: GodotError; callLocal: boolean } {
    const what = set ? 'RSET' : 'RPC';
    if (!this.isActive()) return { code: this.fail(GodotError.ERR_UNCONFIGURED, `Trying to call an ${what} via a network peer which is not connected.`), callLocal: false };
    if (path === '') return { code: this.fail(GodotError.ERR_INVALID_PARAMETER, 'Empty node path'), callLocal: false };
    let skip = target === SERVER_PEER_ID;
    let callLocal = false;
    if (target === 0 || target === SERVER_PEER_ID || (target < 0 && target !== -SERVER_PEER_ID)) {
      const local = shouldCallLocal(mode, this.getNetworkMaster(path) === SERVER_PEER_ID);
      callLocal = local.callLocal;
      skip ||= local.skipSend;
    }
    if (skip && !callLocal) return { code: this.fail(GodotError.ERR_INVALID_PARAMETER, `${what} '${name}' on yourself is not allowed by selected mode.`), callLocal };
    if (!skip) {
      const code = this.sender.sendCall(target, path, set, name, args, this.objectsAllowed());
      if (code !== GodotError.OK) return { code, callLocal: false };
    }
    return { code: GodotError.OK, callLocal };
  }

  private entry(nodePath: string): Godot3NodeEntry {
    const path = normalizeNodePath(nodePath);
    if (path === '') throw new RangeError(`Not a node path: "${nodePath}"`);
    let entry = this.nodes.get(path);
    if (entry === undefined) this.nodes.set(path, (entry = { methods: new Map(), properties: new Map(), values: new Map(), master: SERVER_PEER_ID }));
    return entry;
  }

  /** Reads every waiting packet; re-entry from a handler is ignored, the running loop picks the rest up. */
  private drain(): void {
    this.drainer.run(() => this.attached);
  }


  /** `allow_object_decoding || network_peer->is_object_decoding_allowed()`, as MultiplayerAPI checks it. */
  private objectsAllowed(): boolean {
    return this.allowObjectDecoding || this.peer.allowObjectDecoding === true;
  }

  private isActive(): boolean {
    return this.attached && this.peer.isServer() && this.peer.getConnectionStatus() === ConnectionStatus.CONNECTED;
  }

  private fail(code: GodotError, message: string): GodotError {
    this.lastError = { code, message };
    return code;
  }
}

function checkMode(mode: Godot3RpcMode): Godot3RpcMode {
  if (!GODOT3_RPC_MODES.includes(mode)) throw new RangeError(`Unknown Godot 3 rpc mode "${String(mode)}" (one of ${GODOT3_RPC_MODES.join(', ')})`);
  return mode;
}
