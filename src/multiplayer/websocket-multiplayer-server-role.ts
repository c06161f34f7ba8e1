import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GodotError } from '../godot-error.js';
import type { PeerOptions } from '../peer/peer-options.js';
import { WriteMode } from '../peer/ready-state.js';
import type { TLSOptions } from '../peer/tls-options.js';
import type { WebSocketPeer } from '../peer/websocket-peer.js';
import { encodeIdGreeting } from './godot4-greeting.js';
import { sendOrFail, type MultiplayerRoleHost } from './multiplayer-role-host.js';
import { PeerServer, type PeerServerObserver } from '../server/peer-server.js';
import { ConnectionStatus } from './connection-status.js';
import { routeSceneRelay, serverTargets } from './relay-rules.js';
import { PeerAnnouncer, type AnnouncementWords } from './peer-announcer.js';
import { arenaForFanOut, PreparedArena } from '../peer/prepared-arena.js';
import { PreparedDelivery, PreparedMessages } from '../peer/prepared-messages.js';
import { refusalReason } from './multiplayer-role-host.js';
import { CloseCode } from '../frame/index.js';
import type { RelayBridge } from './relay-bridge.js';
import { decodeSceneSystemPacket, encodePeerNotice, encodeRelay, isSceneSystemPacket, SceneSystemCommand } from './scene-multiplayer-packet.js';

/**
 * The server side of Godot 4's WebSocketMultiplayerPeer: greets each client
 * with a random id and, with relay on, plays SceneMultiplayer's server part:
 * announces arrivals and departures (ADD_PEER / DEL_PEER) and forwards RELAY
 * envelopes between clients.
 */
export class WebSocketMultiplayerServerRole implements PeerServerObserver {
  /** Adopting upgrades needs no listener, so CONNECTED at once; `listen` makes it CONNECTING until bound. */
  private state: ConnectionStatus = ConnectionStatus.CONNECTED;
  private readonly transport: PeerServer;
  /** The greeted clients, by the id the server gave their connection (random 31-bit, as Godot 4 draws them). */
  private readonly peers = new Map<number, WebSocketPeer>();
  /** Broadcasts and relayed packets are framed here, so a burst reaches each receiver as one write. */
  private readonly arena = new PreparedArena();
  /** Clients not admitted yet (authenticating): not announced, cannot relay, not relayed to. */
  private readonly held = new Set<number>();
  private detached = false;
  /** The room link's side of this relay when it spans processes (MultiplayerRooms); null alone. */
  private bridge: RelayBridge | null = null;
  /** Members connected to other processes, known through the bridge. */
  private readonly remote = new Set<number>();
  /** ADD_PEER / DEL_PEER in batches, once per turn (see PeerAnnouncer). */
  private readonly announcer = new PeerAnnouncer(SCENE_ANNOUNCEMENTS, (id, peer) => {
    this.host.dropPacket(id, 'peer announcements do not fit its outbound buffer: closing it (1013)');
    peer.close(CloseCode.TRY_AGAIN_LATER, 'Too slow: peer announcements did not fit the outbound buffer');
  });

  /** `options` is read as each connection opens. */
  constructor(
    private readonly host: MultiplayerRoleHost,
    options: () => Readonly<PeerOptions>,
    refuseNewConnections: boolean,
  ) {
    this.transport = new PeerServer(this, options);
    this.transport.refusing = refuseNewConnections;
  }

  get status(): ConnectionStatus {
    return this.state;
  }

  async listen(port: number, bindAddress: string, tlsOptions: TLSOptions | undefined): Promise<GodotError> {
    this.state = ConnectionStatus.CONNECTING;
    const result = await this.transport.listen({ port, bindIp: bindAddress, tls: tlsOptions ?? null });
    // Detached by close() while binding.
    if (this.status === ConnectionStatus.DISCONNECTED) {
      void this.transport.stop();
      return this.host.fail(GodotError.ERR_CONNECTION_ERROR, 'close() was called while the server was starting');
    }
    if (result !== GodotError.OK) return this.host.fail(result, this.transport.lastError?.message ?? `Cannot listen on ${bindAddress}:${port}`);
    this.state = ConnectionStatus.CONNECTED;
    return GodotError.OK;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.transport.handleUpgrade(request, socket, head);
  }

  handleStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    this.transport.handleStream(stream, headers);
  }

  refuseNewConnections(enabled: boolean): void {
    this.transport.refusing = enabled;
  }

  getListeningPort(): number {
    return this.transport.getListeningPort();
  }

  getPeer(id: number): WebSocketPeer | undefined {
    return this.peers.get(id);
  }

  getPeerIds(): number[] {
    return [...this.peers.keys()];
  }

  /**
   * Makes this relay one part of a room spanning processes: ids come from
   * the bridge, local joins and departures are reported to it, and packets
   * for members elsewhere are forwarded through it.
   */
  bridgeTo(bridge: RelayBridge): void {
    this.bridge = bridge;
    this.transport.idSource = { reserve: () => bridge.reserveId(), release: (id) => bridge.left(id) };
  }

  get remoteCount(): number {
    return this.remote.size;
  }

  /** A member joined in another process: announced here, and a relay target. */
  remoteJoined(id: number): void {
    if (this.peers.has(id) || this.remote.has(id)) return;
    this.remote.add(id);
    if (this.host.relayEnabled()) this.announcer.arrive(id, null);
  }

  remoteLeft(id: number): void {
    if (!this.remote.delete(id)) return;
    this.announcer.depart(id);
  }

  /** A packet from member `from` elsewhere for local members: `to > 1` one, `0` all, `-x` all but x. */
  deliverRemote(from: number, to: number, payload: Uint8Array): void {
    if (!this.remote.has(from) || payload.length === 0) return;
    this.announcer.flush();
    const envelope = PreparedMessages.of(encodeRelay(from, payload), false, to > 1 ? null : this.arena);
    if (to > 1) {
      if (!this.held.has(to)) this.peers.get(to)?.sendPrepared(envelope);
      return;
    }
    const excluded = -to;
    for (const [id, peer] of this.peers) if (id !== excluded && !this.held.has(id)) peer.sendPrepared(envelope);
  }

  /** To `target`: `> 0` one client, `0` all, `< 0` all but one. */
  send(target: number, data: Uint8Array): GodotError {
    const targets = serverTargets(target, this.peers);
    if (targets === null) return this.host.fail(GodotError.ERR_INVALID_PARAMETER, `Peer not found: ${target}`);
    this.announcer.flush();
    if (targets.length === 1) return sendOrFail(this.host, this.peers.get(targets[0]!)!, data);
    if (targets.length === 0) return GodotError.OK;
    // Framed once for everyone; as in Godot, a broadcast ignores individual failures.
    const prepared = PreparedMessages.of(data, false, arenaForFanOut(this.arena, targets.length, this.peers.size));
    for (const id of targets) this.peers.get(id)!.sendPrepared(prepared);
    return GodotError.OK;
  }

  /** Forgets client `id` at once, without `peerDisconnected`; with relay on the others still hear of the departure. */
  forget(id: number, peer: WebSocketPeer): void {
    this.peers.delete(id);
    this.transport.forget(id);
    this.host.forgetConnection(peer);
    // Its id is free again elsewhere, announced or not.
    this.bridge?.left(id);
    // A client that was never admitted was never announced.
    if (this.held.delete(id)) return;
    this.announcer.depart(id);
  }

  /** Ends the hold on client `id` (see `holdNewPeers`) and announces it; false when it is not held. */
  admit(id: number): boolean {
    const peer = this.peers.get(id);
    if (peer === undefined || !this.held.delete(id)) return false;
    if (this.host.relayEnabled()) this.announcer.arrive(id, peer);
    this.bridge?.joined(id);
    return true;
  }

  /** Stops reporting to the host; the connections are left as they are. */
  detach(): void {
    this.detached = true;
    this.state = ConnectionStatus.DISCONNECTED;
    this.announcer.clear();
  }

  /** Stops listening and closes every connection; resolves when the sockets are gone. */
  close(): Promise<void> {
    return this.transport.stop();
  }

  /** One message from a client; false when the connection is not a greeted client. */
  handleMessage(peer: WebSocketPeer, message: Buffer): boolean {
    const source = peer.tag;
    if (this.peers.get(source) !== peer) return false;
    if (message.length === 0) this.host.dropPacket(source, 'empty packet');
    else if (this.host.relayEnabled() && isSceneSystemPacket(message)) this.handleSystemPacket(source, message);
    else this.host.deliver(source, message);
    return true;
  }

  // ---- PeerServerObserver ------------------------------------------------

  peerJoined(id: number, peer: WebSocketPeer): void {
    if (this.detached) return;
    // The transport refuses at the handshake; Godot 4 also drops connections whose handshake finishes while it refuses.
    if (this.transport.refusing) {
      peer.close(-1);
      return;
    }
    if (peer.send(encodeIdGreeting(id), WriteMode.BINARY) !== GodotError.OK) {
      this.host.fail(GodotError.FAILED, `Could not send the id to a new client: ${peer.lastError?.message ?? 'send failed'}`);
      peer.close(-1);
      return;
    }
    this.peers.set(id, peer);
    if (this.host.holdNewPeers?.() === true) {
      this.held.add(id);
    } else {
      if (this.host.relayEnabled()) this.announcer.arrive(id, peer);
      this.bridge?.joined(id);
    }
    this.host.peerConnected(id);
  }

  peerData(id: number, peer: WebSocketPeer): void {
    if (!this.detached && this.peers.get(id) === peer) this.host.takeMessages(peer);
  }

  peerCloseRequest(): void {}

  peerLeft(id: number, peer: WebSocketPeer): void {
    if (this.detached || this.peers.get(id) !== peer) return;
    this.forget(id, peer);
    this.host.peerDisconnected(id);
  }

  handshakeFailed(reason: string, address: string): void {
    if (!this.detached) this.host.handshakeFailed?.(reason, address);
  }

  private handleSystemPacket(source: number, message: Buffer): void {
    const system = decodeSceneSystemPacket(message);
    if (system === null) {
      this.host.dropPacket(source, `system packet of ${message.length} bytes is too short`);
      return;
    }
    switch (system.command) {
      case SceneSystemCommand.AUTH:
        // Authentication is between the client and the server's application.
        this.host.deliver(source, message);
        return;
      case SceneSystemCommand.RELAY:
        this.relay(source, system.peer, system.payload);
        return;
      case SceneSystemCommand.ADD_PEER:
      case SceneSystemCommand.DEL_PEER:
        this.host.dropPacket(source, 'peer announcements (ADD_PEER/DEL_PEER) only come from the server');
        return;
      default:
        this.host.dropPacket(source, `unknown system command ${system.command}`);
    }
  }

  private relay(source: number, target: number, packet: Buffer): void {
    if (packet.length === 0) {
      this.host.dropPacket(source, 'relay envelope without a packet');
      return;
    }
    if (this.held.has(source)) {
      this.host.dropPacket(source, 'relay from a client that is not admitted yet (authenticating)');
      return;
    }
    // A packet never overtakes the announcement of its sender or of its receivers.
    this.announcer.flush();
    const admitted = this.held.size === 0 && this.remote.size === 0 ? this.peers : new Set([...[...this.peers.keys()].filter((id) => !this.held.has(id)), ...this.remote]);
    const route = routeSceneRelay(source, target, admitted);
    if ('dropReason' in route) {
      this.host.dropPacket(source, route.dropReason);
      return;
    }
    if (route.forwardTo.length > 0) {
      // The envelope is framed once and its bytes shared by every receiver.
      const envelope = PreparedMessages.of(encodeRelay(source, packet), false, arenaForFanOut(this.arena, route.forwardTo.length, this.peers.size));
      for (const id of route.forwardTo) {
        const peer = this.peers.get(id);
        // Not here: a member in another process, reached through the bridge below.
        if (peer === undefined) continue;
        const outcome = peer.sendPrepared(envelope);
        if (outcome !== PreparedDelivery.SENT) this.host.dropPacket(source, `could not relay to peer ${id}: ${refusalReason(outcome)}`);
      }
    }
    // Members elsewhere: one forward for a broadcast, the link fans it out there.
    const bridge = this.bridge;
    if (bridge !== null && this.remote.size > 0 && (target <= 0 || this.remote.has(target))) bridge.forward(source, target, packet);
    if (route.deliverToServer) this.host.deliver(source, packet);
  }
}

const SCENE_ANNOUNCEMENTS: AnnouncementWords = {
  arrival: (id) => encodePeerNotice(SceneSystemCommand.ADD_PEER, id),
  departure: (id) => encodePeerNotice(SceneSystemCommand.DEL_PEER, id),
  ascending: false,
};
