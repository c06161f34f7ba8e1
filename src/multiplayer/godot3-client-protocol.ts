import { GodotError } from '../godot-error.js';
import { ReadyState, WriteMode } from '../peer/ready-state.js';
import type { WebSocketPeer } from '../peer/websocket-peer.js';
import { SERVER_PEER_ID } from '../server/peer-id.js';
import { encodeGodot3Packet, godot3Payload, Godot3PacketType, readGodot3Header, readGodot3SystemId } from './godot3-packet.js';
import type { MultiplayerRoleHost } from './multiplayer-role-host.js';

/** What the client half of `gd_mp_api` tells its owner beyond packets and peers. */
export interface Godot3ClientHost extends MultiplayerRoleHost {
  /** SYS_ID: the server told this client its id. */
  assignId(id: number): void;
  /** SYS_ADD of the server (peer 1): the client is in the game. */
  connectionSucceeded(): void;
}

/**
 * The client half of Godot 3's `gd_mp_api`, attached to the one connection
 * to the server: learns its id from SYS_ID, hears about the other peers from
 * SYS_ADD / SYS_DEL, and wraps what it sends in the 9-byte header.
 */
export class Godot3ClientProtocol {
  private readonly announced = new Set<number>();

  constructor(private readonly host: Godot3ClientHost) {}

  /** Ids the server has announced and not yet removed, the server (1) included. */
  get announcedPeers(): number[] {
    return [...this.announced];
  }

  /** A new session (or none): nobody is announced. */
  reset(): void {
    this.announced.clear();
  }

  /** From this client (`from`) to `target`, through the server. */
  send(connection: WebSocketPeer | null, from: number, target: number, data: Uint8Array): GodotError {
    if (connection === null || connection.getReadyState() !== ReadyState.OPEN) return this.host.fail(GodotError.FAILED, 'Not connected to a server');
    const sent = connection.send(encodeGodot3Packet(Godot3PacketType.SYS_NONE, from, target, data), WriteMode.BINARY);
    if (sent !== GodotError.OK) this.host.fail(sent, connection.lastError?.message ?? 'Send failed');
    return sent;
  }

  /** One message from the server. */
  handleMessage(message: Buffer): void {
    const header = readGodot3Header(message);
    if (header === null) {
      this.host.dropPacket(SERVER_PEER_ID, `packet of ${message.length} bytes is shorter than the 9-byte header`);
      return;
    }
    if (header.type === Godot3PacketType.SYS_NONE) {
      this.host.deliver(header.from, godot3Payload(message));
      return;
    }
    const id = readGodot3SystemId(message);
    if (id === null) {
      this.host.dropPacket(SERVER_PEER_ID, `system message (type ${header.type}) without a peer id`);
      return;
    }
    switch (header.type) {
      case Godot3PacketType.SYS_ID:
        this.host.assignId(id);
        break;
      case Godot3PacketType.SYS_ADD:
        this.announced.add(id);
        this.host.peerConnected(id);
        if (id === SERVER_PEER_ID) this.host.connectionSucceeded();
        break;
      case Godot3PacketType.SYS_DEL:
        this.announced.delete(id);
        this.host.peerDisconnected(id);
        break;
      default:
        this.host.dropPacket(SERVER_PEER_ID, `unknown message type ${header.type}`);
    }
  }
}
