import { WebSocketServer as WsServer, type RawData, type WebSocket as WsSocket } from 'ws';
import { GodotError, WebSocketClient, WebSocketServer, WriteMode, type WebSocketPeer } from '../../../src/index.js';
import { nextEvent } from '../../peer/support/waiting.js';

/** Cleanups run after each test, newest first. */
export class Cleanup {
  private readonly steps: Array<() => unknown> = [];

  add(step: () => unknown): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) await step();
  }
}

/** A gdws WebSocketServer on 127.0.0.1 and a free port. */
export async function startGdwsServer(cleanup: Cleanup, configure: (server: WebSocketServer) => void = () => {}, protocols: string[] = []) {
  const server = new WebSocketServer();
  server.bindIp = '127.0.0.1';
  configure(server);
  const result = await server.listen(0, protocols);
  if (result !== GodotError.OK) throw new Error(`listen failed: ${result} ${server.lastError?.message}`);
  cleanup.add(() => server.stop());
  return { server, port: server.getListeningPort(), url: `ws://127.0.0.1:${server.getListeningPort()}` };
}

/** Sends every message a gdws server receives back to its sender, as text or binary as it came. */
export function echoOnGdwsServer(server: WebSocketServer): void {
  server.on('dataReceived', (id) => {
    const peer = server.getPeer(id);
    if (peer !== undefined) echoQueuedPackets(peer);
  });
}

/** Sends each packet queued on `peer` back, as text or binary as it came; throws when a send fails. */
export function echoQueuedPackets(peer: WebSocketPeer): void {
  while (peer.getAvailablePacketCount() > 0) {
    const data = peer.getPacket();
    const result = peer.send(data, peer.wasStringPacket() ? WriteMode.TEXT : WriteMode.BINARY);
    if (result !== GodotError.OK) throw new Error(`echo failed: ${result} ${peer.lastError?.message}`);
  }
}

/** A gdws WebSocketClient connected to `url`; throws with the reason when it cannot connect. */
export async function connectGdwsClient(
  cleanup: Cleanup,
  url: string,
  configure: (client: WebSocketClient) => void = () => {},
  protocols: string[] = [],
  headers: string[] = [],
) {
  const client = new WebSocketClient();
  configure(client);
  cleanup.add(() => client.getPeer(1)?.close(-1));
  const result = await client.connectToUrl(url, protocols, false, headers);
  if (result !== GodotError.OK) throw new Error(`connectToUrl failed: ${result} ${client.lastError?.message}`);
  return { client, peer: client.getPeer(1)! };
}

/** A `ws` server on 127.0.0.1 and a free port, the reference peer for gdws clients. */
export async function startWsServer(cleanup: Cleanup, options: ConstructorParameters<typeof WsServer>[0] = {}) {
  const wss = new WsServer({ ...options, host: '127.0.0.1', port: 0 });
  await nextEvent(wss, 'listening');
  const address = wss.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  cleanup.add(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of wss.clients) socket.terminate();
        wss.close(() => resolve());
      }),
  );
  return { wss, port, url: `ws://127.0.0.1:${port}` };
}

/** The next connection a ws server accepts. */
export function nextWsConnection(wss: WsServer): Promise<WsSocket> {
  return nextEvent<[WsSocket]>(wss, 'connection').then(([socket]) => socket);
}

/** The `close` event of a ws socket, as [code, reason]. */
export function wsClosed(socket: WsSocket): Promise<[number, string]> {
  return nextEvent<[number, Buffer]>(socket, 'close').then(([code, reason]) => [code, reason.toString()]);
}

/** The bytes of a ws `message` event's data, whichever of its three forms ws chose. */
export function wsMessageBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
