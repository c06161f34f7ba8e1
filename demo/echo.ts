import { WebSocketServer, WriteMode, type DeflateOptions } from '../src/index.js';

/** A gdws server that sends every message back with its type; `deflate` turns on permessage-deflate. */
export function createEchoServer(deflate: boolean | DeflateOptions = false): WebSocketServer {
  const server = new WebSocketServer();
  server.deflate = deflate;
  server.inboundBufferSize = 16 * 1024 * 1024;
  server.outboundBufferSize = 32 * 1024 * 1024;
  server.on('dataReceived', (id) => {
    const peer = server.getPeer(id);
    if (peer === undefined) return;
    while (peer.getAvailablePacketCount() > 0) {
      const data = peer.getPacket();
      peer.send(data, peer.wasStringPacket() ? WriteMode.TEXT : WriteMode.BINARY);
    }
  });
  return server;
}
