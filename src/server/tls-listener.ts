import type { Socket } from 'node:net';
import { createServer, type SecureContextOptions, type Server, type TLSSocket } from 'node:tls';
import { describeTlsClientError } from '../peer/tls-failure.js';

/**
 * The node:tls server behind `WebSocketServer.listen` for wss://. It ends every
 * connection whose TLS handshake fails or stalls: once anyone listens for
 * 'tlsClientError', Node reports a handshake timeout there but leaves the socket
 * open. It also tracks the TCP connections so that `stop()` can end the ones
 * still in their TLS handshake, which belong to no peer yet.
 */
export class TlsListener {
  readonly server: Server;
  private readonly connections = new Set<Socket>();

  constructor(
    context: SecureContextOptions,
    handshakeTimeoutMs: number,
    onSecureConnection: (socket: TLSSocket) => void,
    onHandshakeFailed: (reason: string, address: string) => void,
  ) {
    this.server = createServer({ ...context, handshakeTimeout: handshakeTimeoutMs, noDelay: true }, (socket) => {
      // A handshake that finishes after stop() began would make a peer nobody stops.
      if (!this.server.listening) {
        socket.destroy();
        return;
      }
      onSecureConnection(socket);
    });
    this.server.on('connection', (socket: Socket) => {
      this.connections.add(socket);
      socket.once('close', () => this.connections.delete(socket));
    });
    this.server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
      const address = socket.remoteAddress ?? '';
      socket.destroy();
      onHandshakeFailed(describeTlsClientError(error, handshakeTimeoutMs), address);
    });
  }

  /** Ends the TCP connections still open. Call once every peer has closed: what remains is mid-TLS-handshake. */
  destroyRemainingConnections(): void {
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
  }
}
