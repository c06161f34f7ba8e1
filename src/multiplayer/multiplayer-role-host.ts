import { GodotError } from '../godot-error.js';
import { WriteMode } from '../peer/ready-state.js';
import type { WebSocketPeer } from '../peer/websocket-peer.js';
import { PreparedDelivery } from '../peer/prepared-messages.js';

/**
 * What a WebSocketMultiplayerPeer lends the role it plays (server or client):
 * its packet queue, its events and its error record. The role owns the
 * connections; the multiplayer peer owns everything the application sees.
 */
export interface MultiplayerRoleHost {
  /** Whether SceneMultiplayer's system layer is spoken; asked each time, as the application may switch it at any moment. */
  relayEnabled(): boolean;
  /** Whether a new client waits for `admit` (SceneMultiplayer authentication) before it is announced and may relay. */
  holdNewPeers?(): boolean;
  deliver(source: number, packet: Buffer): void;
  dropPacket(source: number, reason: string): void;
  /** Takes a connection's waiting messages while the packet queue has room, handing each back to the role. */
  takeMessages(connection: WebSocketPeer): void;
  /** The connection is gone: stop waiting for room to read it. */
  forgetConnection(connection: WebSocketPeer): void;
  /** Records the error as `lastError` and returns its code. */
  fail(code: GodotError, message: string): GodotError;
  peerConnected(id: number): void;
  peerDisconnected(id: number): void;
  /** Server: a connection that never became a peer (refused or timed-out handshake). */
  handshakeFailed?(reason: string, address: string): void;
}

export interface ClientRoleHost extends MultiplayerRoleHost {
  /** The server's greeting gave this client its id. */
  assignId(id: number): void;
  /** Ends the session: back to DISCONNECTED, the role detached and everything queued forgotten. */
  leave(): void;
  connectionFailed(reason: string): void;
}

/** Sends one binary message; a failure becomes the host's `lastError`. */
export function sendOrFail(host: MultiplayerRoleHost, connection: WebSocketPeer, message: Uint8Array): GodotError {
  const result = connection.send(message, WriteMode.BINARY);
  if (result !== GodotError.OK) host.fail(result, connection.lastError?.message ?? 'Send failed');
  return result;
}

/** Why a receiver refused prepared messages, for `dropPacket`. */
export function refusalReason(outcome: PreparedDelivery): string {
  return outcome === PreparedDelivery.NOT_OPEN ? 'the connection is closing' : 'over its outbound limits (outboundBufferSize / maxQueuedPackets)';
}
