import type { GodotError } from '../godot-error.js';
import type { WebSocketPeer } from './websocket-peer.js';

export interface WebSocketPeerEvents {
  /** The opening handshake succeeded. */
  connectionEstablished: [protocol: string];
  /** The connection could not be opened (TCP, TLS or handshake failure); `reason` says why. */
  connectionError: [reason: string];
  /** A message was queued; read it with `getPacket`. */
  dataReceived: [];
  /** The other side started the close handshake (its close frame was not a reply to ours). */
  closeRequest: [code: number, reason: string];
  /** The connection is gone; `wasClean` when both close frames were exchanged. */
  connectionClosed: [wasClean: boolean];
  /** A ping arrived (its pong has already been sent), with its payload. */
  ping: [payload: Buffer];
  /** A pong arrived, with its payload (an answer to `ping()` or to the heartbeat). */
  pong: [payload: Buffer];
}

/** Detail of the last failed call, for a person to act on. */
export interface PeerError {
  code: GodotError;
  message: string;
}

/**
 * Owners (servers, clients, multiplayer peers) hear about a peer through one
 * object instead of a closure per event per peer: cheaper for many idle peers.
 */
export interface PeerObserver {
  peerEstablished(peer: WebSocketPeer, protocol: string): void;
  peerFailed(peer: WebSocketPeer, reason: string): void;
  peerData(peer: WebSocketPeer): void;
  peerCloseRequest(peer: WebSocketPeer, code: number, reason: string): void;
  peerClosed(peer: WebSocketPeer, wasClean: boolean): void;
}
