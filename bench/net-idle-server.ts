import { createServer, type Socket } from 'node:net';
import { acceptFor, CLIENT_KEY } from './support/raw-websocket.js';
import { announceReady, answerUsageRequests, portArgument } from './support/server-control.js';

/**
 * The floor for the idle-memory and handshake cells: a bare node:net server
 * that answers every connection's first bytes with a fixed 101 (the
 * benchmark's own connectors always send the same key) and then only holds
 * the socket. Its RSS growth per connection is what Node itself costs per
 * open socket, and its handshake rate the most any Node server reaches with
 * a net.Socket per connection (nothing parsed, nothing hashed).
 */
const RESPONSE = Buffer.from(
  `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptFor(CLIENT_KEY)}\r\n\r\n`,
);
const held = new Set<Socket>();

const server = createServer({ noDelay: true }, (socket) => {
  held.add(socket);
  socket.once('data', () => socket.write(RESPONSE));
  socket.on('error', () => socket.destroy());
  socket.on('close', () => held.delete(socket));
});
server.listen({ host: '127.0.0.1', port: portArgument() }, () => {
  const address = server.address();
  answerUsageRequests();
  announceReady(typeof address === 'object' && address !== null ? address.port : 0);
});
