import { WebSocketServer } from '../src/index.js';

/** The topic every /broadcast client is subscribed to. */
export const BROADCAST_TOPIC = 'broadcast';

/**
 * `/broadcast`: every client is subscribed to one topic, and each message a
 * client sends reaches every other subscriber (framed once, not echoed to its
 * sender). With `--redis` the topic spans every process on that Redis, so
 * clients of different workers or machines hear each other.
 */
export function createBroadcastServer(): WebSocketServer {
  const server = new WebSocketServer();
  server.on('clientConnected', (id) => server.getPeer(id)?.subscribe(BROADCAST_TOPIC));
  server.on('dataReceived', (id) => {
    const peer = server.getPeer(id);
    while (peer !== undefined && peer.getAvailablePacketCount() > 0) {
      const data = peer.getPacket();
      peer.publish(BROADCAST_TOPIC, data, peer.wasStringPacket());
    }
  });
  return server;
}
