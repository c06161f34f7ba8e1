// Types shared by the parts of Godot3MultiplayerServer (facade, inbound processing, outbound sending).
import type { EventEmitter } from 'node:events';
import type { GodotError } from '../../godot-error.js';
import type { Variant } from '../../variant/variant.js';
import type { ConnectionStatus } from '../connection-status.js';
import type { Godot3RpcMode } from './godot3-rpc-mode.js';

/** What the server needs of its peer: gdws' Godot 3 `WebSocketServer` in `gd_mp_api` mode (any Godot 3 style server MultiplayerPeer). */
export interface Godot3ApiPeer {
  on(event: 'peerConnected' | 'peerDisconnected' | 'peerPacket', listener: (id: number) => void): unknown;
  off(event: 'peerConnected' | 'peerDisconnected' | 'peerPacket', listener: (id: number) => void): unknown;
  getAvailablePacketCount(): number;
  getPacketPeer(): number;
  getPacket(): Buffer;
  getTargetPeer(): number;
  setTargetPeer(id: number): void;
  putPacket(data: Uint8Array): GodotError;
  getPeerIds(): number[];
  disconnectPeer(id: number): GodotError;
  getConnectionStatus(): ConnectionStatus;
  isServer(): boolean;
  readonly lastError: { readonly message: string } | null;
  /** The peer's own allow_object_decoding; Godot 3 allows objects when either the API or the peer does. */
  readonly allowObjectDecoding?: boolean;
}

export type Godot3RpcHandler = (senderId: number, ...args: Variant[]) => void;
export type Godot3PropertyHandler = (senderId: number, value: Variant) => void;

export interface Godot3MultiplayerServerEvents {
  /** A client joined (MultiplayerAPI's `network_peer_connected`). */
  peerConnected: [id: number];
  /** A client left (`network_peer_disconnected`). */
  peerDisconnected: [id: number];
  /** Bytes a client sent with `get_tree().multiplayer.send_bytes()` (`network_peer_packet`). */
  peerPacket: [id: number, data: Buffer];
  /** A packet was refused (malformed, unknown node, method or property, not allowed by its mode); the connection stays. */
  packetDropped: [source: number, reason: string];
  /** A handler threw; the server carries on. */
  handlerError: [error: unknown, peer: number, what: string];
}

export type Godot3ServerEvents = EventEmitter<Godot3MultiplayerServerEvents>;
export type FailFn = (code: GodotError, message: string) => GodotError;

export interface Godot3Member<H> {
  mode: Godot3RpcMode;
  handler: H | undefined;
}

/** A node with registered rpc methods and rset properties, its property values, and its network master. */
export interface Godot3NodeEntry {
  readonly methods: Map<string, Godot3Member<Godot3RpcHandler>>;
  readonly properties: Map<string, Godot3Member<Godot3PropertyHandler>>;
  readonly values: Map<string, Variant>;
  master: number;
}
