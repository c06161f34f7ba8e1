import type { EventEmitter } from 'node:events';
import { ConnectionStatus } from '../client/connection-status.js';
import { GodotError } from '../godot-error.js';
import { ReadyState, WriteMode } from '../peer/ready-state.js';
import type { WebSocketPeer } from '../peer/websocket-peer.js';
import { encodeGodot3Packet, godot3Payload, Godot3PacketType, readGodot3Header, readGodot3SystemId } from './godot3-packet.js';
import { Godot3MultiplayerPeer } from './godot3-multiplayer-peer.js';
import { SERVER_PEER_ID } from './peer-id.js';

type EventMap<T> = Record<keyof T, unknown[]>;

/** Godot 3's NetworkedMultiplayerPeer client signals. */
export interface Godot3ClientEvents {
  /** The server introduced itself (SYS_ADD of peer 1): the client is in the game. */
  connectionSucceeded: [];
  /** The connection could not be opened, or ended (Godot 3.2 reports both this way). */
  connectionFailed: [];
}

/**
 * The client half of Godot 3's `gd_mp_api`, as the base of WebSocketClient:
 * learns its id from SYS_ID, hears about the other peers from SYS_ADD /
 * SYS_DEL, and wraps what it sends in the 9-byte header.
 */
export abstract class Godot3MultiplayerClient<Events extends EventMap<Events>> extends Godot3MultiplayerPeer<Events & Godot3ClientEvents> {
  private readonly announcedPeers = new Set<number>();

  abstract getPeer(id?: number): WebSocketPeer | null;

  isServer(): boolean {
    return false;
  }

  protected hasOpenConnections(): boolean {
    return this.getConnectionStatus() !== ConnectionStatus.DISCONNECTED;
  }

  /** Ids the server has announced and not yet removed, the server (1) included. */
  getAnnouncedPeers(): number[] {
    return [...this.announcedPeers];
  }

  /** Sends to the server, which relays by the target peer; needs `gdMpApi`. */
  putPacket(data: Uint8Array): GodotError {
    if (!this.requireMultiplayer()) return GodotError.ERR_UNCONFIGURED;
    const peer = this.getPeer(SERVER_PEER_ID);
    if (peer === null || peer.getReadyState() !== ReadyState.OPEN) return this.recordError(GodotError.FAILED, 'Not connected to a server');
    const sent = peer.send(encodeGodot3Packet(Godot3PacketType.SYS_NONE, this.uniqueId, this.targetPeer, data), WriteMode.BINARY);
    if (sent !== GodotError.OK) this.recordError(sent, peer.lastError?.message ?? 'Send failed');
    return sent;
  }

  // ---- hooks for WebSocketClient ----------------------------------------

  protected beginMultiplayerSession(enabled: boolean): void {
    this.gdMpApi = enabled;
    this.uniqueId = 0;
    this.announcedPeers.clear();
    this.clearIncoming();
  }

  protected multiplayerPeerData(peer: WebSocketPeer): void {
    this.takeMessages(peer);
  }

  /** The connection failed or ended; Godot 3.2 emits `connection_failed` either way. */
  protected multiplayerConnectionEnded(peer: WebSocketPeer): void {
    this.forgetConnection(peer);
    this.uniqueId = 0;
    this.announcedPeers.clear();
    this.clientEvents.emit('connectionFailed');
  }

  protected handlePeerMessage(peer: WebSocketPeer, message: Buffer): boolean {
    if (peer !== this.getPeer(SERVER_PEER_ID)) return false;
    const header = readGodot3Header(message);
    if (header === null) {
      this.dropPacket(SERVER_PEER_ID, `packet of ${message.length} bytes is shorter than the 9-byte header`);
      return true;
    }
    if (header.type === Godot3PacketType.SYS_NONE) {
      this.deliver(header.from, godot3Payload(message));
      return true;
    }
    const id = readGodot3SystemId(message);
    if (id === null) {
      this.dropPacket(SERVER_PEER_ID, `system message (type ${header.type}) without a peer id`);
      return true;
    }
    switch (header.type) {
      case Godot3PacketType.SYS_ID:
        this.uniqueId = id;
        break;
      case Godot3PacketType.SYS_ADD:
        this.announcedPeers.add(id);
        this.multiplayerEvents.emit('peerConnected', id);
        if (id === SERVER_PEER_ID) this.clientEvents.emit('connectionSucceeded');
        break;
      case Godot3PacketType.SYS_DEL:
        this.announcedPeers.delete(id);
        this.multiplayerEvents.emit('peerDisconnected', id);
        break;
      default:
        this.dropPacket(SERVER_PEER_ID, `unknown message type ${header.type}`);
    }
    return true;
  }

  private get clientEvents(): EventEmitter<Godot3ClientEvents> {
    return this as unknown as EventEmitter<Godot3ClientEvents>;
  }
}
