import { ConnectionStatus } from '../client/connection-status.js';
import { GodotError } from '../godot-error.js';
import { WriteMode } from '../peer/ready-state.js';
import type { WebSocketPeer } from '../peer/websocket-peer.js';
import { encodeGodot3Packet, encodeGodot3System, godot3Payload, Godot3PacketType, readGodot3Header } from './godot3-packet.js';
import { Godot3MultiplayerPeer } from './godot3-multiplayer-peer.js';
import { randomPeerId, SERVER_PEER_ID } from './peer-id.js';
import { routeGodot3Packet } from './relay-rules.js';

type EventMap<T> = Record<keyof T, unknown[]>;

/**
 * The server half of Godot 3's `gd_mp_api`, as the base of WebSocketServer:
 * random client ids, the SYS_ID / SYS_ADD / SYS_DEL announcements in Godot's
 * order, and relaying of client packets by their header's `to`.
 */
export abstract class Godot3MultiplayerServer<Events extends EventMap<Events>> extends Godot3MultiplayerPeer<Events> {
  /** The established connections by id (owned by WebSocketServer). */
  protected abstract readonly peers: Map<number, WebSocketPeer>;
  abstract isListening(): boolean;

  constructor() {
    super();
    this.uniqueId = SERVER_PEER_ID;
  }

  isServer(): boolean {
    return true;
  }

  protected hasOpenConnections(): boolean {
    return this.peers.size > 0;
  }

  /** CONNECTED while listening or serving connections (e.g. adopted from node:http). */
  getConnectionStatus(): ConnectionStatus {
    return this.isListening() || this.peers.size > 0 ? ConnectionStatus.CONNECTED : ConnectionStatus.DISCONNECTED;
  }

  /** Sends from the server (from = 1) to the target peer; needs `gdMpApi`. */
  putPacket(data: Uint8Array): GodotError {
    if (!this.requireMultiplayer()) return GodotError.ERR_UNCONFIGURED;
    const route = routeGodot3Packet(SERVER_PEER_ID, this.targetPeer, this.peers);
    if ('dropReason' in route) return this.recordError(GodotError.FAILED, `Cannot send: ${route.dropReason}`);
    const packet = encodeGodot3Packet(Godot3PacketType.SYS_NONE, SERVER_PEER_ID, this.targetPeer, data);
    let result: GodotError = GodotError.OK;
    for (const id of route.forwardTo) {
      const peer = this.peers.get(id)!;
      const sent = peer.send(packet, WriteMode.BINARY);
      // As in Godot, a broadcast ignores individual failures; a single target reports its own.
      if (sent !== GodotError.OK && route.forwardTo.length === 1) {
        result = this.recordError(sent, peer.lastError?.message ?? `Could not send to peer ${id}`);
      }
    }
    return result;
  }

  // ---- hooks for WebSocketServer ----------------------------------------

  /** A random id not in use (Godot 3 draws every client id this way, raw mode included). */
  protected newPeerId(): number {
    return randomPeerId((id) => this.peers.has(id));
  }

  /** `peer` is already in `peers` under `id`: tell it its id and introduce everyone, in Godot's order. */
  protected multiplayerPeerJoined(id: number, peer: WebSocketPeer): void {
    sendSystem(peer, Godot3PacketType.SYS_ID, id);
    sendSystem(peer, Godot3PacketType.SYS_ADD, SERVER_PEER_ID);
    // Godot 3 keeps its peers in an ordered map, so the others come in ascending id order.
    const others = [...this.peers.keys()].filter((other) => other !== id).sort((a, b) => a - b);
    for (const other of others) {
      sendSystem(this.peers.get(other)!, Godot3PacketType.SYS_ADD, id);
      sendSystem(peer, Godot3PacketType.SYS_ADD, other);
    }
    this.multiplayerEvents.emit('peerConnected', id);
  }

  protected multiplayerPeerData(peer: WebSocketPeer): void {
    this.takeMessages(peer);
  }

  /** `id` is no longer in `peers`. */
  protected multiplayerPeerLeft(id: number, peer: WebSocketPeer): void {
    this.forgetConnection(peer);
    const notice = encodeGodot3System(Godot3PacketType.SYS_DEL, id);
    for (const other of this.peers.values()) other.send(notice, WriteMode.BINARY);
    this.multiplayerEvents.emit('peerDisconnected', id);
  }

  protected handlePeerMessage(peer: WebSocketPeer, message: Buffer): boolean {
    const sender = peer.tag;
    if (this.peers.get(sender) !== peer) return false;
    const header = readGodot3Header(message);
    if (header === null) {
      this.dropPacket(sender, `packet of ${message.length} bytes is shorter than the 9-byte header`);
    } else if (header.type !== Godot3PacketType.SYS_NONE) {
      this.dropPacket(sender, `system message (type ${header.type}) from a client: only the server sends those`);
    } else if (header.from !== sender) {
      this.dropPacket(sender, `forged sender: the header says from ${header.from}`);
    } else {
      this.route(sender, header.to, message);
    }
    return true;
  }

  private route(sender: number, to: number, message: Buffer): void {
    const route = routeGodot3Packet(sender, to, this.peers);
    if ('dropReason' in route) {
      this.dropPacket(sender, route.dropReason);
      return;
    }
    if (route.deliverToServer) this.deliver(sender, godot3Payload(message));
    // Relayed byte for byte: the receiver reads the original sender from the header.
    for (const id of route.forwardTo) {
      const target = this.peers.get(id);
      if (target === undefined) continue;
      if (target.send(message, WriteMode.BINARY) !== GodotError.OK) {
        this.dropPacket(sender, `could not relay to peer ${id}: ${target.lastError?.message ?? 'send failed'}`);
      }
    }
  }
}

function sendSystem(peer: WebSocketPeer, type: typeof Godot3PacketType.SYS_ADD | typeof Godot3PacketType.SYS_DEL | typeof Godot3PacketType.SYS_ID, id: number): void {
  peer.send(encodeGodot3System(type, id), WriteMode.BINARY);
}
