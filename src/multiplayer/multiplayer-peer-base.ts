import type { EventEmitter } from 'node:events';
import type { ConnectionStatus } from './connection-status.js';
import { GodotError } from '../godot-error.js';
import { getVariant, PacketVariantIo, putVariant } from '../peer/packet-variant.js';
import { PeerConfig } from '../peer/peer-config.js';
import type { WebSocketPeer } from '../peer/websocket-peer.js';
import { IncomingPackets } from './incoming-packets.js';
import type { MultiplayerRoleHost } from './multiplayer-role-host.js';
import { isInt32, randomPeerId } from '../server/peer-id.js';
import { isTransferMode, TransferMode } from './transfer-mode.js';
import type { EncodableVariant, GodotGeneration, Variant } from '../variant/index.js';

type EventMap<T> = Record<keyof T, unknown[]>;

/** Godot's MultiplayerPeer signals, plus the packet events a Node program needs instead of polling. */
export interface MultiplayerPeerEvents {
  peerConnected: [id: number];
  peerDisconnected: [id: number];
  /** A packet from `source` is waiting: read it with `getPacket()` (Godot 3's `peer_packet`). */
  peerPacket: [source: number];
  /** A received packet broke the protocol's rules and was dropped; the connection stays open. */
  packetDropped: [source: number, reason: string];
}

const EMPTY = Buffer.alloc(0);

/**
 * Godot's MultiplayerPeer surface, shared by Godot 4's WebSocketMultiplayerPeer
 * and Godot 3's WebSocketServer/WebSocketClient in `gd_mp_api` mode: unique id,
 * target peer, the queue of received packets with their sources, transfer
 * mode and channel, refusing new connections, and the dropped-packet count.
 *
 * Received packets are taken from each connection only while this queue has
 * room (`maxQueuedPackets`); a connection left waiting stops reading from its
 * socket, so a slow reader applies TCP backpressure instead of losing data.
 */
export abstract class MultiplayerPeerBase<Events extends EventMap<Events>> extends PeerConfig<Events & MultiplayerPeerEvents> {
  protected uniqueId = 0;
  protected targetPeer = 0;
  private mode: TransferMode = TransferMode.RELIABLE;
  private channel = 0;
  private refusing = false;
  private packetError: GodotError = GodotError.OK;
  private droppedPackets = 0;
  private readonly incoming = new IncomingPackets();
  /** @internal putVar/getVar settings; the Godot 3 facades switch it to generation 3. */
  protected readonly variantIo = new PacketVariantIo(4);
  /** Connections with messages left unread because the queue was full. */
  private readonly stalled = new Set<WebSocketPeer>();

  abstract isServer(): boolean;
  abstract getConnectionStatus(): ConnectionStatus;
  /** Sends to the target peer set with `setTargetPeer`. */
  abstract putPacket(data: Uint8Array): GodotError;
  /** Handles one message taken from a connection; returns false to stop taking more from it. */
  protected abstract handlePeerMessage(peer: WebSocketPeer, message: Buffer): boolean;

  /** This side's id: 1 on a server, the id the server assigned on a client, 0 before that. */
  getUniqueId(): number {
    return this.uniqueId;
  }

  /** Where `putPacket` sends: `> 0` one peer, `0` everyone, `< 0` everyone except peer `-id`. */
  setTargetPeer(id: number): void {
    if (!isInt32(id)) throw new RangeError(`Target peer must be a 32-bit integer, got ${id}`);
    this.targetPeer = id;
  }

  getTargetPeer(): number {
    return this.targetPeer;
  }

  /** Id of the peer that sent the next packet (1 when there is none, as in Godot). */
  getPacketPeer(): number {
    return this.incoming.count > 0 ? this.incoming.peekSource() : 1;
  }

  getAvailablePacketCount(): number {
    return this.incoming.count;
  }

  /** The next packet; empty with `getPacketError()` ERR_UNAVAILABLE when none is waiting. */
  getPacket(): Buffer {
    if (this.incoming.count === 0) {
      this.packetError = GodotError.ERR_UNAVAILABLE;
      return EMPTY;
    }
    const packet = this.incoming.shift();
    this.packetError = GodotError.OK;
    if (this.stalled.size > 0) this.resumeStalled();
    return packet;
  }

  getPacketError(): GodotError {
    return this.packetError;
  }

  // ---- Godot values: PacketPeer put_var / get_var (src/peer/packet-variant.ts) ----

  /**
   * Which Godot's Variant format putVar/getVar speak: 4 for WebSocketMultiplayerPeer, 3 for
   * the Godot 3 WebSocketServer/WebSocketClient, which also give it to each connection
   * (`getPeer(id)`) as it opens.
   */
  get variantGeneration(): GodotGeneration {
    return this.variantIo.generation;
  }
  set variantGeneration(generation: GodotGeneration) {
    this.variantIo.generation = PacketVariantIo.checkGeneration(generation);
  }
  /** Largest value putVar sends, in bytes (Godot's `encode_buffer_max_size`, 8 MiB; set values round up to a power of two). */
  get encodeBufferMaxSize(): number {
    return this.variantIo.encodeBufferMaxSize;
  }
  set encodeBufferMaxSize(size: number) {
    this.variantIo.encodeBufferMaxSize = size;
  }
  /** Godot 3's `allow_object_decoding`: getVar accepts and putVar writes full objects even without `allowObjects` / `fullObjects`. */
  get allowObjectDecoding(): boolean {
    return this.variantIo.allowObjectDecoding;
  }
  set allowObjectDecoding(enabled: boolean) {
    this.variantIo.allowObjectDecoding = enabled;
  }

  /** Sends a Godot value to the target peer as one packet (Godot's `put_var`). */
  putVar(value: EncodableVariant, fullObjects = false): GodotError {
    const outcome = putVariant(this.variantIo, this, value, fullObjects);
    return typeof outcome === 'number' ? outcome : this.recordError(outcome.code, outcome.message);
  }

  /** The next packet as a Godot value (Godot's `get_var`); null with `getPacketError()` and `lastError` saying why when there is none or it is not a valid Variant. */
  getVar(allowObjects = false): Variant {
    const outcome = getVariant(this.variantIo, this, allowObjects);
    if ('value' in outcome) return outcome.value;
    this.packetError = outcome.code;
    this.recordError(outcome.code, outcome.message);
    return null;
  }

  /** Channel the next packet arrived on: always 0 over WebSocket. */
  getPacketChannel(): number {
    return 0;
  }

  /** Mode the next packet arrived with: always RELIABLE over WebSocket. */
  getPacketMode(): TransferMode {
    return TransferMode.RELIABLE;
  }

  get transferMode(): TransferMode {
    return this.mode;
  }
  set transferMode(mode: TransferMode) {
    if (!isTransferMode(mode)) throw new RangeError(`Unknown transfer mode ${String(mode)}`);
    this.mode = mode;
  }
  setTransferMode(mode: TransferMode): void {
    this.transferMode = mode;
  }
  getTransferMode(): TransferMode {
    return this.mode;
  }

  get transferChannel(): number {
    return this.channel;
  }
  set transferChannel(channel: number) {
    if (!Number.isInteger(channel) || channel < 0) throw new RangeError(`Transfer channel must be an integer >= 0, got ${channel}`);
    this.channel = channel;
  }
  setTransferChannel(channel: number): void {
    this.transferChannel = channel;
  }
  getTransferChannel(): number {
    return this.channel;
  }

  /** While true a server takes no new clients; connected ones stay. */
  get refuseNewConnections(): boolean {
    return this.refusing;
  }
  set refuseNewConnections(enabled: boolean) {
    this.refusing = enabled;
    this.refusalChanged(enabled);
  }
  setRefuseNewConnections(enabled: boolean): void {
    this.refuseNewConnections = enabled;
  }
  isRefusingNewConnections(): boolean {
    return this.refusing;
  }

  /** A random id as Godot's `generate_unique_id()` draws it (31 bits, never 0 or 1). */
  generateUniqueId(): number {
    return randomPeerId();
  }

  /** How many received packets were dropped for breaking the protocol's rules (see `packetDropped`). */
  get droppedPacketCount(): number {
    return this.droppedPackets;
  }

  // ---- for the protocol implementations ---------------------------------

  protected get multiplayerEvents(): EventEmitter<MultiplayerPeerEvents> {
    return this as unknown as EventEmitter<MultiplayerPeerEvents>;
  }

  protected refusalChanged(_enabled: boolean): void {}

  /** What every protocol role is lent: this peer's packet queue, events and error record. */
  protected packetHost(relayEnabled: () => boolean = () => true): MultiplayerRoleHost {
    return {
      relayEnabled,
      deliver: (source, packet) => this.deliver(source, packet),
      dropPacket: (source, reason) => this.dropPacket(source, reason),
      takeMessages: (connection) => this.takeMessages(connection),
      forgetConnection: (connection) => this.forgetConnection(connection),
      fail: (code, message) => this.recordError(code, message),
      peerConnected: (id) => this.multiplayerEvents.emit('peerConnected', id),
      peerDisconnected: (id) => this.multiplayerEvents.emit('peerDisconnected', id),
    };
  }

  /** Queues a packet for the application. */
  protected deliver(source: number, packet: Buffer): void {
    this.incoming.push(source, packet);
    this.multiplayerEvents.emit('peerPacket', source);
  }

  /** Reports a packet that broke the rules; the connection stays open, as in Godot. */
  protected dropPacket(source: number, reason: string): void {
    this.droppedPackets++;
    this.multiplayerEvents.emit('packetDropped', source, reason);
  }

  /** Takes the connection's waiting messages while the queue has room. */
  protected takeMessages(peer: WebSocketPeer): void {
    while (peer.getAvailablePacketCount() > 0) {
      if (this.incoming.count >= this.maxQueuedPackets) {
        this.stalled.add(peer);
        return;
      }
      if (!this.handlePeerMessage(peer, peer.getPacket())) return;
    }
  }

  protected forgetConnection(peer: WebSocketPeer): void {
    this.stalled.delete(peer);
  }

  protected clearIncoming(): void {
    this.incoming.clear();
    this.stalled.clear();
  }

  private resumeStalled(): void {
    for (const peer of this.stalled) {
      if (this.incoming.count >= this.maxQueuedPackets) return;
      this.stalled.delete(peer);
      this.takeMessages(peer);
    }
  }
}
