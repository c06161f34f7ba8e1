import { CloseCode, GodotError, WebSocketServer, WriteMode, type DeflateOptions, type WebSocketPeer } from '../src/index.js';

/**
 * A gdws server that sends every message back with its type; `deflate` turns
 * on permessage-deflate. It applies backpressure: when a reply does not fit
 * in the outbound buffer (the client sends faster than it reads), it stops
 * taking packets until the buffer has drained, so the queue fills and the
 * server stops reading from that client. Nothing is dropped.
 */
export function createEchoServer(deflate: boolean | DeflateOptions = false): WebSocketServer {
  const server = new WebSocketServer();
  server.deflate = deflate;
  server.inboundBufferSize = 16 * 1024 * 1024;
  server.outboundBufferSize = 32 * 1024 * 1024;
  echoWithBackpressure(server);
  return server;
}

/** Makes `server` echo every message, with the backpressure described above. */
export function echoWithBackpressure(server: WebSocketServer): void {
  const waiting = new WeakSet<WebSocketPeer>();
  const echo = (peer: WebSocketPeer): void => {
    while (!waiting.has(peer) && peer.getAvailablePacketCount() > 0) {
      const data = peer.getPacket();
      const mode = peer.wasStringPacket() ? WriteMode.TEXT : WriteMode.BINARY;
      if (peer.send(data, mode) === GodotError.ERR_OUT_OF_MEMORY) {
        waiting.add(peer);
        void peer.flushed().then(() => {
          waiting.delete(peer);
          // A reply that cannot fit even in an empty buffer is a message over the limits.
          if (peer.send(data, mode) === GodotError.ERR_OUT_OF_MEMORY) peer.close(CloseCode.MESSAGE_TOO_BIG, 'reply does not fit');
          else echo(peer);
        });
      }
    }
  };
  server.on('dataReceived', (id) => {
    const peer = server.getPeer(id);
    if (peer !== undefined) echo(peer);
  });
}
