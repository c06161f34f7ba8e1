// Types shared by the parts of SceneMultiplayerServer (facade, peer sessions,
// inbound processing, outbound sending). They live apart from the facade so
// the parts can name them without importing the class that composes them.
import type { EventEmitter } from 'node:events';
import type { GodotError } from '../../godot-error.js';
import type { Variant } from '../../variant/variant.js';
import type { NodeRpcTable } from './rpc-config.js';

export type RpcHandler = (senderId: number, ...args: Variant[]) => void;
export type AuthCallback = (peerId: number, data: Buffer) => void;

export interface SceneMultiplayerServerEvents {
  /** A client was admitted (after authentication, when an auth callback is set): SceneMultiplayer's `peer_connected`. */
  peerConnected: [id: number];
  /** An admitted client left. */
  peerDisconnected: [id: number];
  /** A client connected and waits for authentication (`peer_authenticating`). */
  peerAuthenticating: [id: number];
  /** A client left, or timed out, before its authentication completed (`peer_authentication_failed`). */
  peerAuthenticationFailed: [id: number];
  /** Bytes a client sent with `multiplayer.send_bytes()` (`peer_packet`). */
  peerPacket: [id: number, data: Buffer];
  /** A packet was refused (malformed, unknown node or method, not allowed, before authentication); the connection stays. */
  packetDropped: [source: number, reason: string];
  /** The two sides list different rpc methods for a node (Godot prints "The rpc node checksum failed"). */
  checksumMismatch: [peer: number, nodePath: string];
  /** An rpc handler or the auth callback threw; the server carries on. */
  handlerError: [error: unknown, peer: number, what: string];
}

/** Where the parts announce what happened: the facade itself, so users listen in one place. */
export type SceneServerEvents = EventEmitter<SceneMultiplayerServerEvents>;

/** Records `lastError` on the facade and returns the code, so a part can `return fail(...)` like the facade does. */
export type FailFn = (code: GodotError, message: string) => GodotError;

/** A node with registered rpc methods: Godot's method numbering, the handlers, and whose calls `authority` rpcs accept. */
export interface NodeEntry {
  readonly table: NodeRpcTable;
  readonly handlers: Map<string, RpcHandler>;
  authority: number;
}

/** A client between connecting and admission while an auth callback is set: which sides completed, and its timeout. */
export interface PendingPeer {
  local: boolean;
  remote: boolean;
  timer: NodeJS.Timeout | null;
}
