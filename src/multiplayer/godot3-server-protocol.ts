import { GodotError } from '../godot-error.js';
import { WriteMode } from '../peer/ready-state.js';
import type { WebSocketPeer } from '../peer/websocket-peer.js';
import { SERVER_PEER_ID } from '../server/peer-id.js';
import { encodeGodot3Packet, encodeGodot3System, godot3Payload, Godot3PacketType, readGodot3Header } from './godot3-packet.js';
import type { MultiplayerRoleHost } from './multiplayer-role-host.js';
import { routeGodot3Packet } from './relay-rules.js';

/**
 * The server half of Godot 3's `gd_mp_api`, attached to a plain server's
 * peers: the SYS_ID / SYS_ADD / SYS_DEL announcements in Godot's order, and
 * relaying of client packets by their header's `to`. Ids are the server's
 * own (random 31-bit, as Godot 3 draws them).
 */
export class Godot3ServerProtocol {
  constructor(
    private readonly host: MultiplayerRoleHost,
    private readonly peers: ReadonlyMap<number, WebSocketPeer>,
  ) {}

  /** `peer` is already among the peers as `id`: tell it its id and introduce everyone, in Godot's order. */
  joined(id: number, peer: WebSocketPeer): void {
    sendSystem(peer, Godot3PacketType.SYS_ID, id);
    sendSystem(peer, Godot3PacketType.SYS_ADD, SERVER_PEER_ID);
    // Godot 3 keeps its peers in an ordered map, so the others come in ascending id order.
    const others = [...this.peers.keys()].filter((other) => other !== id).sort((a, b) => a - b);
    for (const other of others) {
      sendSystem(this.peers.get(other)!, Godot3PacketType.SYS_ADD, id);
      sendSystem(peer, Godot3PacketType.SYS_ADD, other);
    }
    this.host.peerConnected(id);
  }

  /** `id` is no longer among the peers. */
  left(id: number, peer: WebSocketPeer): void {
    this.host.forgetConnection(peer);
    const notice = encodeGodot3System(Godot3PacketType.SYS_DEL, id);
    for (const other of this.peers.values()) other.send(notice, WriteMode.BINARY);
    this.host.peerDisconnected(id);
  }

  /** From the server (from = 1) to `target`. */
  send(target: number, data: Uint8Array): GodotError {
    const route = routeGodot3Packet(SERVER_PEER_ID, target, this.peers);
    if ('dropReason' in route) return this.host.fail(GodotError.FAILED, `Cannot send: ${route.dropReason}`);
    const packet = encodeGodot3Packet(Godot3PacketType.SYS_NONE, SERVER_PEER_ID, target, data);
    let result: GodotError = GodotError.OK;
    for (const id of route.forwardTo) {
      const peer = this.peers.get(id)!;
      const sent = peer.send(packet, WriteMode.BINARY);
      // As in Godot, a broadcast ignores individual failures; a single target reports its own.
      if (sent !== GodotError.OK && route.forwardTo.length === 1) {
        result = this.host.fail(sent, peer.lastError?.message ?? `Could not send to peer ${id}`);
      }
    }
    return result;
  }

  /** One message from a client; false when the connection is not one of the peers. */
  handleMessage(peer: WebSocketPeer, message: Buffer): boolean {
    const sender = peer.tag;
    if (this.peers.get(sender) !== peer) return false;
    const header = readGodot3Header(message);
    if (header === null) {
      this.host.dropPacket(sender, `packet of ${message.length} bytes is shorter than the 9-byte header`);
    } else if (header.type !== Godot3PacketType.SYS_NONE) {
      this.host.dropPacket(sender, `system message (type ${header.type}) from a client: only the server sends those`);
    } else if (header.from !== sender) {
      this.host.dropPacket(sender, `forged sender: the header says from ${header.from}`);
    } else {
      this.route(sender, header.to, message);
    }
    return true;
  }

  private route(sender: number, to: number, message: Buffer): void {
    const route = routeGodot3Packet(sender, to, this.peers);
    if ('dropReason' in route) {
      this.host.dropPacket(sender, route.dropReason);
      return;
    }
    if (route.deliverToServer) this.host.deliver(sender, godot3Payload(message));
    // Relayed byte for byte: the receiver reads the original sender from the header.
    for (const id of route.forwardTo) {
      const target = this.peers.get(id);
      if (target === undefined) continue;
      if (target.send(message, WriteMode.BINARY) !== GodotError.OK) {
        this.host.dropPacket(sender, `could not relay to peer ${id}: ${target.lastError?.message ?? 'send failed'}`);
      }
    }
  }
}

function sendSystem(peer: WebSocketPeer, type: typeof Godot3PacketType.SYS_ADD | typeof Godot3PacketType.SYS_DEL | typeof Godot3PacketType.SYS_ID, id: number): void {
  peer.send(encodeGodot3System(type, id), WriteMode.BINARY);
}
