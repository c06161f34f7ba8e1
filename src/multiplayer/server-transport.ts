import type { PeerOptions } from '../peer/peer-options.js';
import { WebSocketServer } from '../server/websocket-server.js';

/**
 * The WebSocketServer behind a Godot 4 WebSocketMultiplayerPeer: it listens,
 * runs handshakes and owns the sockets; its connections take the multiplayer
 * peer's settings, whatever they are, as they stand when each one opens.
 */
export class ServerTransport extends WebSocketServer {
  useOptions(options: Readonly<PeerOptions>): void {
    this.peerOptions = options;
  }
}
