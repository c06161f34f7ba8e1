import { GodotError } from '../godot-error.js';
import { WriteMode } from '../peer/ready-state.js';
import type { WebSocketPeer } from '../peer/websocket-peer.js';
import { SERVER_PEER_ID } from '../server/peer-id.js';
import { encodeGodot3Packet, encodeGodot3System, godot3Payload, Godot3PacketType, readGodot3Header } from './godot3-packet.js';
import { refusalReason, type MultiplayerRoleHost } from './multiplayer-role-host.js';
import { PeerAnnouncer, type AnnouncementWords } from './peer-announcer.js';
import type { RelayBridge } from './relay-bridge.js';
import { arenaForFanOut, PreparedArena } from '../peer/prepared-arena.js';
import { PreparedDelivery, PreparedMessages } from '../peer/prepared-messages.js';
import { CloseCode } from '../frame/index.js';
import { routeGodot3Packet } from './relay-rules.js';

/**
 * The server half of Godot 3's `gd_mp_api`, attached to a plain server's
 * peers: the SYS_ID / SYS_ADD / SYS_DEL announcements in Godot's order, and
 * relaying of client packets by their header's `to`. Ids are the server's
 * own (random 31-bit, as Godot 3 draws them).
 */
export class Godot3ServerProtocol {
  /** SYS_ADD / SYS_DEL in batches, once per turn (see PeerAnnouncer). */
  private readonly announcer: PeerAnnouncer;
  /** The room link's side when the room spans processes; null alone. */
  private bridge: RelayBridge | null = null;
  /** Members connected to other processes. */
  private readonly remote = new Set<number>();
  /** Broadcasts and relayed packets are framed here, so a burst reaches each receiver as one write. */
  private readonly arena = new PreparedArena();

  constructor(
    private readonly host: MultiplayerRoleHost,
    private readonly peers: ReadonlyMap<number, WebSocketPeer>,
  ) {
    this.announcer = new PeerAnnouncer(GODOT3_ANNOUNCEMENTS, (id, peer) => {
      host.dropPacket(id, 'peer announcements do not fit its outbound buffer: closing it (1013)');
      peer.close(CloseCode.TRY_AGAIN_LATER, 'Too slow: peer announcements did not fit the outbound buffer');
    });
  }

  /** `peer` is already among the peers as `id`: tell it its id and introduce everyone, in Godot's order. */
  joined(id: number, peer: WebSocketPeer): void {
    sendSystem(peer, Godot3PacketType.SYS_ID, id);
    sendSystem(peer, Godot3PacketType.SYS_ADD, SERVER_PEER_ID);
    // The others (in ascending id order, as Godot 3's ordered map has them) and they of it: with the next batch.
    this.announcer.arrive(id, peer);
    this.bridge?.joined(id);
    this.host.peerConnected(id);
  }

  /** `id` is no longer among the peers. */
  left(id: number, peer: WebSocketPeer): void {
    this.host.forgetConnection(peer);
    this.bridge?.left(id);
    this.announcer.depart(id);
    this.host.peerDisconnected(id);
  }

  /** Joins a room spanning processes (ids come through the PeerServer's idSource, set by the owner). */
  bridgeTo(bridge: RelayBridge): void {
    this.bridge = bridge;
  }

  get remoteCount(): number {
    return this.remote.size;
  }

  remoteJoined(id: number): void {
    if (this.peers.has(id) || this.remote.has(id)) return;
    this.remote.add(id);
    this.announcer.arrive(id, null);
  }

  remoteLeft(id: number): void {
    if (this.remote.delete(id)) this.announcer.depart(id);
  }

  /** A whole gd_mp_api packet from member `from` elsewhere for local members (`to > 1` one, `0` all, `-x` all but x). */
  deliverRemote(from: number, to: number, message: Uint8Array): void {
    if (!this.remote.has(from)) return;
    this.announcer.flush();
    const prepared = PreparedMessages.of(message, false, to > SERVER_PEER_ID ? null : this.arena);
    if (to > SERVER_PEER_ID) {
      this.peers.get(to)?.sendPrepared(prepared);
      return;
    }
    for (const [id, peer] of this.peers) if (id !== -to) peer.sendPrepared(prepared);
  }

  /** From the server (from = 1) to `target`. */
  send(target: number, data: Uint8Array): GodotError {
    const route = routeGodot3Packet(SERVER_PEER_ID, target, this.peers);
    if ('dropReason' in route) return this.host.fail(GodotError.FAILED, `Cannot send: ${route.dropReason}`);
    this.announcer.flush();
    const packet = encodeGodot3Packet(Godot3PacketType.SYS_NONE, SERVER_PEER_ID, target, data);
    if (route.forwardTo.length === 1) {
      const peer = this.peers.get(route.forwardTo[0]!)!;
      const sent = peer.send(packet, WriteMode.BINARY);
      return sent === GodotError.OK ? sent : this.host.fail(sent, peer.lastError?.message ?? `Could not send to peer ${route.forwardTo[0]!}`);
    }
    // As in Godot, a broadcast ignores individual failures. Framed once for everyone.
    const prepared = PreparedMessages.of(packet, false, arenaForFanOut(this.arena, route.forwardTo.length, this.peers.size));
    for (const id of route.forwardTo) this.peers.get(id)!.sendPrepared(prepared);
    return GodotError.OK;
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
    const remote = this.remote;
    const route = routeGodot3Packet(sender, to, remote.size === 0 ? this.peers : new Set([...this.peers.keys(), ...remote]));
    if ('dropReason' in route) {
      this.host.dropPacket(sender, route.dropReason);
      return;
    }
    if (route.deliverToServer) this.host.deliver(sender, godot3Payload(message));
    // Members elsewhere: one forward, byte for byte; the link fans a broadcast out there.
    if (this.bridge !== null && remote.size > 0 && (to <= 0 || remote.has(to))) this.bridge.forward(sender, to, message);
    if (route.forwardTo.length === 0) return;
    // A packet never overtakes the announcement of its sender or of its receivers.
    this.announcer.flush();
    // Relayed byte for byte (the receiver reads the original sender from the header), framed once for every receiver.
    const prepared = PreparedMessages.of(message, false, arenaForFanOut(this.arena, route.forwardTo.length, this.peers.size));
    for (const id of route.forwardTo) {
      const target = this.peers.get(id);
      // Not here: a member elsewhere, reached through the bridge above.
      if (target === undefined) continue;
      const outcome = target.sendPrepared(prepared);
      if (outcome !== PreparedDelivery.SENT) this.host.dropPacket(sender, `could not relay to peer ${id}: ${refusalReason(outcome)}`);
    }
  }
}

function sendSystem(peer: WebSocketPeer, type: typeof Godot3PacketType.SYS_ADD | typeof Godot3PacketType.SYS_DEL | typeof Godot3PacketType.SYS_ID, id: number): void {
  peer.send(encodeGodot3System(type, id), WriteMode.BINARY);
}

const GODOT3_ANNOUNCEMENTS: AnnouncementWords = {
  arrival: (id) => encodeGodot3System(Godot3PacketType.SYS_ADD, id),
  departure: (id) => encodeGodot3System(Godot3PacketType.SYS_DEL, id),
  ascending: true,
};
