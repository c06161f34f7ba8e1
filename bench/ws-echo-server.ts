import { WebSocketServer } from 'ws';
import { announceReady, answerUsageRequests, portArgument } from './support/server-control.js';

/**
 * ws echo server, the baseline: same contract as echo-server.ts. ws picks up
 * its native bufferutil addon by itself when installed (it is, as a dev dependency).
 */
const MAX_MESSAGE = 64 * 1024 * 1024;

const server = new WebSocketServer({ host: '127.0.0.1', port: portArgument(), maxPayload: MAX_MESSAGE, perMessageDeflate: false });
server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data as Buffer, { binary: isBinary }));
  socket.on('error', () => {});
});
server.on('listening', () => {
  const address = server.address();
  answerUsageRequests();
  announceReady(typeof address === 'object' && address !== null ? address.port : 0);
});
