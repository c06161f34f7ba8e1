import { GodotError, WebSocketServer, WriteMode } from '../src/index.js';
import { raiseLimitsForTestsuite } from './echo-limits.js';

export interface EchoServerOptions {
  host: string;
  port: number;
  /** Accept permessage-deflate, for the testsuite's compression sections 12 and 13. */
  deflate?: boolean;
}

/**
 * The server the testsuite's fuzzingclient mode connects to: every message is
 * sent straight back with its type (text stays text, binary stays binary).
 */
export async function startEchoServer({ host, port, deflate = false }: EchoServerOptions): Promise<WebSocketServer> {
  const server = new WebSocketServer();
  server.deflate = deflate;
  server.bindIp = host;
  raiseLimitsForTestsuite(server);
  server.on('dataReceived', (id) => {
    const peer = server.getPeer(id);
    if (!peer) return;
    while (peer.getAvailablePacketCount() > 0) {
      const data = peer.getPacket();
      peer.send(data, peer.wasStringPacket() ? WriteMode.TEXT : WriteMode.BINARY);
    }
  });
  const error = await server.listen(port);
  if (error !== GodotError.OK) {
    throw new Error(`cannot listen on ${host}:${port} (Godot error ${error}): ${server.lastError?.message ?? 'unknown reason'}`);
  }
  return server;
}
