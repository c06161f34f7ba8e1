import { createServer as createH2cServer } from 'node:http2';
import { GodotError, routeUpgrades, WebSocketClient, WebSocketServer, WriteMode } from '../../../src/index.js';
import { RawH2Connection } from '../driver/h2-handshake.js';
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

/**
 * The same gdws echo server behind an h2c node:http2 server (RFC 8441): the
 * raw driver opens every case as a stream of one shared HTTP/2 connection.
 */
export const gdwsH2cServerSubject: EchoServerSubject = {
  name: 'gdws server over HTTP/2 (h2c)',
  async start(options) {
    const server = new WebSocketServer();
    applyLimits(server, options);
    server.on('dataReceived', (id) => {
      const peer = server.getPeer(id);
      if (peer) echoPending(peer);
    });
    // Streams carry up to 16 MiB messages: windows big enough that flow control is not what the cases measure.
    const h2 = createH2cServer({ settings: { enableConnectProtocol: true, initialWindowSize: 4 * 1024 * 1024 }, maxSessionMemory: 256 });
    const unroute = routeUpgrades(h2, { '/': server });
    await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
    const port = (h2.address() as { port: number }).port;
    const connection = await RawH2Connection.open(port);
    return {
      port,
      openRawPeer: () => connection.connect('/'),
      close: async () => {
        await connection.close();
        unroute();
        await server.stop();
        await new Promise((resolve) => h2.close(resolve));
      },
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
