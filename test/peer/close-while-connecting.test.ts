import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GodotError, ReadyState, WebSocketPeer } from '../../src/index.js';

let server: Server | null = null;
const serverSockets: Socket[] = [];

afterEach(async () => {
  for (const socket of serverSockets.splice(0)) socket.destroy();
  if (server !== null) await new Promise((resolve) => server!.close(resolve));
  server = null;
});

/** A TCP server that accepts and never answers the handshake. */
async function silentServer(): Promise<{ port: number; accepted: Promise<Socket> }> {
  let accept!: (socket: Socket) => void;
  const accepted = new Promise<Socket>((resolve) => (accept = resolve));
  server = createServer((socket) => {
    serverSockets.push(socket);
    accept(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as { port: number }).port, accepted };
}

describe('close() while the client is still connecting', () => {
  it('drops the TCP connection at once, reports no close event, and the peer can connect again', async () => {
    const { port, accepted } = await silentServer();
    const peer = new WebSocketPeer();
    const events: string[] = [];
    peer.on('connectionClosed', () => events.push('closed'));
    peer.on('connectionError', () => events.push('error'));
    const result = peer.connectToUrl(`ws://127.0.0.1:${port}/`);
    const serverSide = await accepted;
    expect(peer.getReadyState()).toBe(ReadyState.CONNECTING);

    peer.close();
    expect(peer.getReadyState()).toBe(ReadyState.CLOSED);
    await once(serverSide, 'close');
    expect(await result).toBe(GodotError.ERR_CONNECTION_ERROR);
    expect(events).toEqual([]);
  });

  it('a handshake given up and then started again does not adopt the old socket', async () => {
    const { port } = await silentServer();
    const peer = new WebSocketPeer();
    peer.handshakeTimeoutMs = 300;
    const first = peer.connectToUrl(`ws://127.0.0.1:${port}/`);
    peer.close();
    const second = peer.connectToUrl(`ws://127.0.0.1:${port}/`);
    expect(await first).toBe(GodotError.ERR_CONNECTION_ERROR);
    // The second attempt meets the same silent server and times out on its own terms.
    expect(await second).toBe(GodotError.ERR_TIMEOUT);
    expect(peer.getReadyState()).toBe(ReadyState.CLOSED);
  });
});
