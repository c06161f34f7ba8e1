import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from '../godot3/websocket-server.js';
import { WebSocketMultiplayerPeer } from '../multiplayer/websocket-multiplayer-peer.js';
import type { RelayMembers } from '../multiplayer/relay-bridge.js';
import type { RoomEndpoint, RoomInfo, RoomKind, RoomLink } from './room-link.js';

/** What a room tells the MultiplayerRooms that hosts it. */
export interface RoomHost {
  memberJoined(room: HostedRoom, id: number): void;
  memberLeft(room: HostedRoom, id: number): void;
  /** Nothing local is left in the room (no member, no handshake under way). */
  emptied(room: HostedRoom): void;
}

/**
 * One room: its own Godot 4 WebSocketMultiplayerPeer (relay) or Godot 3
 * WebSocketServer (gd_mp_api), serving upgrades handed to it, with its own
 * ids. Packets addressed to the server itself are read and dropped unless
 * the application listens for them on `multiplayer` (a full queue would
 * otherwise stop reading from their senders).
 */
export class HostedRoom {
  readonly multiplayer: WebSocketMultiplayerPeer | WebSocketServer;
  /** Upgrades handed over whose handshake has not ended yet. */
  private connecting = 0;
  closed = false;
  /** The relay's remote side while the room spans processes through a link. */
  private members: RelayMembers | null = null;
  private link: RoomLink | null = null;

  constructor(
    readonly name: string,
    readonly kind: RoomKind,
    private readonly host: RoomHost,
    serverRelay: boolean,
    link: RoomLink | null,
  ) {
    if (kind === 'godot4') {
      const peer = new WebSocketMultiplayerPeer();
      peer.serverRelay = serverRelay;
      peer.on('handshakeFailed', () => this.settled());
      this.multiplayer = peer;
    } else {
      const server = new WebSocketServer();
      server.gdMpApi = true;
      server.on('handshakeFailed', () => this.settled());
      this.multiplayer = server;
    }
    const multiplayer = this.multiplayer as WebSocketMultiplayerPeer;
    multiplayer.on('peerConnected', (id) => {
      this.connecting--;
      host.memberJoined(this, id);
    });
    multiplayer.on('peerDisconnected', (id) => {
      host.memberLeft(this, id);
      this.checkEmpty();
    });
    multiplayer.on('peerPacket', () => {
      if (multiplayer.listenerCount('peerPacket') > 1) return;
      while (multiplayer.getAvailablePacketCount() > 0) multiplayer.getPacket();
    });
    if (link !== null) this.bridge(link);
  }

  /** Joins the room's relay to the link: ids, members and packets across processes. */
  private bridge(link: RoomLink): void {
    const members = this.multiplayer.serveRoom();
    const name = this.name;
    const endpoint: RoomEndpoint = {
      room: name,
      kind: this.kind,
      remoteJoined: (id) => members.remoteJoined(id),
      remoteLeft: (id) => members.remoteLeft(id),
      deliver: (from, to, payload) => members.deliverRemote(from, to, payload),
    };
    // The first reserveId waits for attach: the link may introduce the members already elsewhere meanwhile.
    const attached = Promise.resolve(link.attach(name, endpoint));
    members.bridgeTo({
      reserveId: () => attached.then(() => link.reserveId(name)),
      joined: (id) => link.localJoined(name, id),
      left: (id) => link.localLeft(name, id),
      forward: (from, target, packet) => link.forward(name, from, target, packet),
    });
    this.members = members;
    this.link = link;
  }

  get localPeers(): number {
    return this.multiplayer.getPeerIds().length;
  }

  get info(): RoomInfo {
    return { name: this.name, kind: this.kind, localPeers: this.localPeers, remotePeers: this.members?.remoteCount ?? 0 };
  }

  accept(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.connecting++;
    this.multiplayer.handleUpgrade(request, socket, head);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.link?.detach(this.name);
    const multiplayer = this.multiplayer;
    await (multiplayer instanceof WebSocketServer ? multiplayer.stop() : multiplayer.close());
  }

  private settled(): void {
    this.connecting--;
    this.checkEmpty();
  }

  private checkEmpty(): void {
    if (!this.closed && this.connecting === 0 && this.localPeers === 0) this.host.emptied(this);
  }
}
