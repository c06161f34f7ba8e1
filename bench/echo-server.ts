import { GodotError, WebSocketServer, WriteMode } from '../src/index.js';
import { announceReady, answerUsageRequests, portArgument } from './support/server-control.js';

/**
 * gdws echo server: `node dist/bench/echo-server.js PORT` listens on
 * 127.0.0.1:PORT, prints `READY <port>` once listening, and sends every
 * message back with its opcode. Messages up to 64 MiB are accepted.
 */
const MAX_MESSAGE = 64 * 1024 * 1024;

const server = new WebSocketServer();
server.bindIp = '127.0.0.1';
server.inboundBufferSize = MAX_MESSAGE;
// Like ws, never refuse an echo because the client reads slowly; the limit is only a safety net.
server.outboundBufferSize = 16 * MAX_MESSAGE;
server.maxQueuedPackets = 1 << 20;

server.on('dataReceived', (id) => {
  const peer = server.getPeer(id);
  if (peer === undefined) return;
  while (peer.getAvailablePacketCount() > 0) {
    const data = peer.getPacket();
    if (peer.send(data, peer.wasStringPacket() ? WriteMode.TEXT : WriteMode.BINARY) !== GodotError.OK) {
      process.stderr.write(`echo-server: peer ${id}: ${peer.lastError?.message ?? 'send failed'}\n`);
      peer.close(1011, 'Echo failed');
      return;
    }
  }
});

const result = await server.listen(portArgument());
if (result !== GodotError.OK) {
  process.stderr.write(`echo-server: ${server.lastError?.message ?? `listen failed (${result})`}\n`);
  process.exit(1);
}
answerUsageRequests();
announceReady(server.getListeningPort());
