import { createServer, type Server, type Socket } from 'node:net';
import { GodotError, WebSocketPeer, type PeerOptions } from '../../../src/index.js';
import { nextEvent } from './waiting.js';

export interface TcpListener {
  server: Server;
  port: number;
  /** Every socket accepted so far. */
  sockets: Socket[];
  close(): Promise<void>;
}

/** A plain node:net server on 127.0.0.1 and a free port; `close` also destroys its sockets. */
export function listenTcp(onConnection: (socket: Socket) => void = () => {}): Promise<TcpListener> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    onConnection(socket);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        server,
        port,
        sockets,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

export type PeerSettings = Partial<Pick<PeerOptions, 'inboundBufferSize' | 'outboundBufferSize' | 'maxQueuedPackets' | 'heartbeatInterval' | 'supportedProtocols' | 'handshakeHeaders'>>;

export function configure(peer: WebSocketPeer, settings: PeerSettings): WebSocketPeer {
  if (settings.inboundBufferSize !== undefined) peer.inboundBufferSize = settings.inboundBufferSize;
  if (settings.outboundBufferSize !== undefined) peer.outboundBufferSize = settings.outboundBufferSize;
  if (settings.maxQueuedPackets !== undefined) peer.maxQueuedPackets = settings.maxQueuedPackets;
  if (settings.heartbeatInterval !== undefined) peer.heartbeatInterval = settings.heartbeatInterval;
  if (settings.supportedProtocols !== undefined) peer.supportedProtocols = settings.supportedProtocols;
  if (settings.handshakeHeaders !== undefined) peer.handshakeHeaders = settings.handshakeHeaders;
  return peer;
}

export interface PeerPair {
  client: WebSocketPeer;
  server: WebSocketPeer;
  listener: TcpListener;
  close(): Promise<void>;
}

/**
 * Two open WebSocketPeers over loopback, built with Godot 4's own entry
 * points: the server peer adopts a socket from a node:net server with
 * `acceptStream`, the client peer uses `connectToUrl`.
 */
export async function openPeerPair(clientSettings: PeerSettings = {}, serverSettings: PeerSettings = {}, path = '/'): Promise<PeerPair> {
  const server = configure(new WebSocketPeer(), serverSettings);
  let accepted: Promise<GodotError> | null = null;
  const listener = await listenTcp((socket) => {
    accepted = server.acceptStream(socket);
  });
  const client = configure(new WebSocketPeer(), clientSettings);
  const result = await client.connectToUrl(`ws://127.0.0.1:${listener.port}${path}`);
  if (result !== GodotError.OK) throw new Error(`connectToUrl failed: ${result} ${client.lastError?.message}`);
  const serverResult = await accepted!;
  if (serverResult !== GodotError.OK) throw new Error(`acceptStream failed: ${serverResult} ${server.lastError?.message}`);
  return {
    client,
    server,
    listener,
    close: async () => {
      client.close(-1);
      server.close(-1);
      await listener.close();
    },
  };
}

/** Reads every queued packet as [data, wasString]. */
export function drain(peer: WebSocketPeer): Array<[Buffer, boolean]> {
  const packets: Array<[Buffer, boolean]> = [];
  while (peer.getAvailablePacketCount() > 0) {
    const data = peer.getPacket();
    packets.push([data, peer.wasStringPacket()]);
  }
  return packets;
}

/** Resolves with the next packet, waiting for `dataReceived` when none is queued. */
export async function nextPacket(peer: WebSocketPeer): Promise<[Buffer, boolean]> {
  if (peer.getAvailablePacketCount() === 0) await nextEvent(peer, 'dataReceived');
  const data = peer.getPacket();
  return [data, peer.wasStringPacket()];
}

/** Resolves with `connectionClosed`'s wasClean, or at once if the peer is already closed. */
export function closedPromise(peer: WebSocketPeer): Promise<boolean> {
  return nextEvent<[boolean]>(peer, 'connectionClosed').then(([wasClean]) => wasClean);
}
