import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GodotError } from '../godot-error.js';
import { buildRefusalResponse } from '../handshake/index.js';
import type { WebSocketServer } from '../godot3/websocket-server.js';
import type { WebSocketMultiplayerPeer } from '../multiplayer/websocket-multiplayer-peer.js';
import { routeUpgrades } from '../server/upgrade-router.js';
import { HostedRoom, type RoomHost } from './hosted-room.js';
import type { MultiplayerRoomsApi } from './multiplayer-rooms-api.js';
import type { MultiplayerRoomsOptions, RoomChooser } from './multiplayer-rooms-options.js';
import { roomByPath } from './room-by-path.js';
import type { MultiplayerRoomsEvents, RoomChoice, RoomInfo, RoomKind, RoomLink } from './room-link.js';

/**
 * Many independent Godot multiplayer sessions on one server: each room is a
 * Godot 4 relay (WebSocketMultiplayerPeer) or a Godot 3 gd_mp_api server with
 * its own ids, created when its first connection arrives and closed when its
 * last member leaves. Connections are placed by `chooseRoom` (by default
 * `/room/NAME` and `/room3/NAME`) before their handshake. Use it behind
 * node:http (`routeUpgrades(http, {}, { fallback: rooms })`, or call
 * `handleUpgrade`) or on its own port (`listen`).
 *
 * Configure a room as it opens, in a `roomOpened` listener (it runs before
 * the room's first handshake): `rooms.getMultiplayerPeer(name)` is its
 * WebSocketMultiplayerPeer or WebSocketServer, for limits, deflate, or a
 * SceneMultiplayerServer of its own.
 */
export class MultiplayerRooms extends EventEmitter<MultiplayerRoomsEvents> implements MultiplayerRoomsApi, RoomHost {
  private readonly rooms = new Map<string, HostedRoom>();
  private readonly chooseRoom: RoomChooser;
  private readonly serverRelay: boolean;
  private readonly maxPeersPerRoom: number;
  private link: RoomLink | null;
  private http: Server | null = null;
  private stopRouting: (() => void) | null = null;

  constructor(options: MultiplayerRoomsOptions = {}) {
    super();
    this.chooseRoom = options.chooseRoom ?? roomByPath;
    this.link = options.link ?? null;
    this.serverRelay = options.serverRelay ?? true;
    this.maxPeersPerRoom = options.maxPeersPerRoom ?? Infinity;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    let choice: RoomChoice | null | Promise<RoomChoice | null>;
    try {
      choice = this.chooseRoom(request);
    } catch (error) {
      refuse(socket, 500, `the room chooser failed: ${errorText(error)}`);
      return;
    }
    if (choice instanceof Promise) {
      choice.then(
        (settled) => this.place(settled, request, socket, head),
        (error: unknown) => refuse(socket, 500, `the room chooser failed: ${errorText(error)}`),
      );
    } else {
      this.place(choice, request, socket, head);
    }
  }

  async listen(port: number, bindAddress = '127.0.0.1'): Promise<GodotError> {
    if (this.http !== null) return GodotError.ERR_ALREADY_IN_USE;
    const http = createServer((_request, response) => {
      response.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket rooms: upgrade to /room/NAME or /room3/NAME\n');
    });
    this.stopRouting = routeUpgrades(http, {}, { fallback: this });
    this.http = http;
    return new Promise((resolve) => {
      http.once('error', () => {
        this.http = null;
        resolve(GodotError.ERR_CANT_CREATE);
      });
      http.listen(port, bindAddress === '*' ? undefined : bindAddress, () => resolve(GodotError.OK));
    });
  }

  getListeningPort(): number {
    const address = this.http?.address();
    return address !== null && typeof address === 'object' ? address.port : 0;
  }

  attachLink(link: RoomLink | null): void {
    this.link = link;
  }

  roomList(): RoomInfo[] {
    return [...this.rooms.values()].map((room) => room.info);
  }

  getRoom(name: string): RoomInfo | null {
    return this.rooms.get(name)?.info ?? null;
  }

  /** The room's own multiplayer peer: a WebSocketMultiplayerPeer (Godot 4) or a gd_mp_api WebSocketServer (Godot 3). */
  getMultiplayerPeer(name: string): WebSocketMultiplayerPeer | WebSocketServer | null {
    return this.rooms.get(name)?.multiplayer ?? null;
  }

  /**
   * Opens room `name` ahead of its first connection (or returns it when
   * open) and gives its multiplayer peer, to configure or attach a server
   * application to. Null when the name is taken by a room of the other kind.
   * Like any room it closes once members have come and the last has left.
   */
  openRoom(name: string, kind: RoomKind): WebSocketMultiplayerPeer | WebSocketServer | null {
    const room = this.rooms.get(name) ?? this.createRoom(name, kind);
    return room.kind === kind ? room.multiplayer : null;
  }

  peerCount(): number {
    let count = 0;
    for (const room of this.rooms.values()) count += room.localPeers;
    return count;
  }

  async close(): Promise<void> {
    const rooms = [...this.rooms.values()];
    this.rooms.clear();
    this.stopRouting?.();
    const http = this.http;
    this.http = null;
    await Promise.all(rooms.map((room) => room.close()));
    for (const room of rooms) this.emit('roomClosed', room.name, room.kind);
    if (http !== null) await new Promise((resolve) => http.close(resolve));
  }

  // ---- RoomHost ----------------------------------------------------------

  memberJoined(room: HostedRoom, id: number): void {
    this.emit('peerJoined', room.name, id);
  }

  memberLeft(room: HostedRoom, id: number): void {
    this.emit('peerLeft', room.name, id);
  }

  emptied(room: HostedRoom): void {
    if (this.rooms.get(room.name) !== room) return;
    this.rooms.delete(room.name);
    void room.close();
    this.emit('roomClosed', room.name, room.kind);
  }

  // ---- internals --------------------------------------------------------

  private createRoom(name: string, kind: RoomKind): HostedRoom {
    const room = new HostedRoom(name, kind, this, this.serverRelay, this.link);
    this.rooms.set(name, room);
    this.emit('roomOpened', name, kind);
    return room;
  }

  private place(choice: RoomChoice | null, request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (socket.destroyed) return;
    if (choice === null) {
      refuse(socket, 404, 'no room at this path');
      return;
    }
    if ('refuse' in choice) {
      refuse(socket, choice.status ?? 403, choice.reason ?? 'refused by the room chooser');
      return;
    }
    let room = this.rooms.get(choice.room);
    if (room !== undefined && room.kind !== choice.kind) {
      refuse(socket, 409, `room ${choice.room} is a ${room.kind} room`);
      return;
    }
    if (room === undefined) {
      room = this.createRoom(choice.room, choice.kind);
    } else if (room.localPeers >= this.maxPeersPerRoom) {
      refuse(socket, 503, `room ${choice.room} is full`);
      return;
    }
    room.accept(request, socket, head);
  }
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.on('error', () => {});
  let response: Buffer;
  try {
    response = buildRefusalResponse(status, reason);
  } catch {
    // A refusal with a status outside 300-599 is the chooser's bug, not the client's.
    response = buildRefusalResponse(500, 'the room chooser gave an unusable refusal');
  }
  socket.end(response);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
