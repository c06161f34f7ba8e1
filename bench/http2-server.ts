import { createServer } from 'node:http2';
import { WebSocketServer as WsServer } from 'ws';
import { GodotError, routeUpgrades, WebSocketServer, WriteMode } from '../src/index.js';

/**
 * The server side of bench/http2.bench.ts, in a child process so its memory
 * is measured alone: gdws over HTTP/1.1 (TCP), gdws over HTTP/2 (h2c, RFC
 * 8441) and ws (TCP), each echoing every message. It reports its ports once
 * listening and its RSS (after a GC) when asked over IPC.
 */
function echoing(server: WebSocketServer): WebSocketServer {
  server.bindIp = '127.0.0.1';
  server.maxQueuedPackets = 1 << 16;
  server.outboundBufferSize = 1 << 24;
  server.on('dataReceived', (id) => {
    const peer = server.getPeer(id);
    while (peer !== undefined && peer.getAvailablePacketCount() > 0) {
      const data = peer.getPacket();
      peer.send(data, peer.wasStringPacket() ? WriteMode.TEXT : WriteMode.BINARY);
    }
  });
  return server;
}

const tcp = echoing(new WebSocketServer());
if ((await tcp.listen(0)) !== GodotError.OK) throw new Error(tcp.lastError?.message);
const overH2 = echoing(new WebSocketServer());
const h2 = createServer({ settings: { enableConnectProtocol: true, maxConcurrentStreams: 4096 } });
routeUpgrades(h2, { '/': overH2 });
await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
const ws = new WsServer({ host: '127.0.0.1', port: 0 });
ws.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));
await new Promise((resolve) => ws.once('listening', resolve));

process.on('message', (message: string) => {
  if (message !== 'rss') return;
  (globalThis as { gc?: () => void }).gc?.();
  process.send!({ rss: process.memoryUsage().rss, peers: tcp.getPeerIds().length + overH2.getPeerIds().length });
});
process.send!({
  tcp: tcp.getListeningPort(),
  h2: (h2.address() as { port: number }).port,
  ws: (ws.address() as { port: number }).port,
});
