import { GodotError, WebSocketClient, WebSocketServer, WriteMode } from '../../../src/index.js';
import type { WebSocketPeer } from '../../../src/index.js';
import type { EchoClientSubject, EchoOptions, EchoServerSubject } from './subject.js';

/** gdws as the implementation under test, used exactly as an application would: through Godot's API. */

function applyLimits(target: WebSocketServer | WebSocketClient, { maxMessageSize }: EchoOptions): void {
  target.inboundBufferSize = maxMessageSize;
  // Echoing a maximal message while the next one may already be queued needs twice the room outbound.
  target.outboundBufferSize = 2 * maxMessageSize;
  target.maxQueuedPackets = 4096;
}

function echoPending(peer: WebSocketPeer): void {
  while (peer.getAvailablePacketCount() > 0) {
    const data = peer.getPacket();
    peer.send(data, peer.wasStringPacket() ? WriteMode.TEXT : WriteMode.BINARY);
  }
}

export const gdwsServerSubject: EchoServerSubject = {
  name: 'gdws server',
  async start(options) {
    const server = new WebSocketServer();
    server.bindIp = '127.0.0.1';
    applyLimits(server, options);
    server.on('dataReceived', (id) => {
      const peer = server.getPeer(id);
      if (peer) echoPending(peer);
    });
    const error = await server.listen(0);
    if (error !== GodotError.OK) throw new Error(`WebSocketServer.listen(0) returned error ${error}: ${server.lastError?.message}`);
    return {
      port: server.getListeningPort(),
      close: () => server.stop(),
    };
  },
};

export const gdwsClientSubject: EchoClientSubject = {
  name: 'gdws client',
  async connect(url, options) {
    const client = new WebSocketClient();
    applyLimits(client, options);
    // Listen before connecting: the fake server may send frames in the same packet as its handshake answer.
    client.on('dataReceived', () => {
      const peer = client.getPeer(1);
      if (peer) echoPending(peer);
    });
    const error = await client.connectToUrl(url);
    if (error !== GodotError.OK) {
      throw new Error(`WebSocketClient.connectToUrl(${url}) returned error ${error}: ${client.lastError?.message}`);
    }
    return {
      close: async () => {
        client.disconnectFromHost(1000, '');
      },
    };
  },
};
