import { afterEach, describe, expect, it } from 'vitest';
import { GodotError, WebSocketServer } from '../../src/index.js';
import { RawSocket, upgradeRequest } from '../peer/support/raw-socket.js';
import { nextEvent } from '../peer/support/waiting.js';
import { clientFrame, frame, Op } from '../peer/support/wire.js';
import { Cleanup, connectGdwsClient, startGdwsServer } from './support/endpoints.js';
import { startFakeServer } from './support/fake-server.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('WebSocketServer lifecycle', () => {
  it('has Godot 3\'s defaults', () => {
    const server = new WebSocketServer();
    expect(server.bindIp).toBe('*');
    expect(server.handshakeTimeout).toBe(3);
    expect(server.isListening()).toBe(false);
    expect(server.getListeningPort()).toBe(0);
    expect(server.inboundBufferSize).toBe(65535);
    expect(server.outboundBufferSize).toBe(65535);
    expect(server.maxQueuedPackets).toBe(4096);
    expect(server.privateKey).toBeNull();
    expect(server.sslCertificate).toBeNull();
    expect(server.caChain).toBeNull();
  });

  it('listens once; a second listen and a port in use are ERR_ALREADY_IN_USE with a reason', async () => {
    const { server, port } = await startGdwsServer(cleanup);
    expect(server.isListening()).toBe(true);
    expect(port).toBeGreaterThan(0);
    expect(await server.listen(0)).toBe(GodotError.ERR_ALREADY_IN_USE);

    const other = new WebSocketServer();
    other.bindIp = '127.0.0.1';
    expect(await other.listen(port)).toBe(GodotError.ERR_ALREADY_IN_USE);
    expect(other.lastError?.message).toMatch(String(port));
    expect(other.isListening()).toBe(false);
    expect(await other.listen(70000)).toBe(GodotError.ERR_INVALID_PARAMETER);
  });

  it('gives raw-mode clients random ids as Godot 3 does: distinct, 31-bit, never 0 or 1, not a counter', async () => {
    const { server, port } = await startGdwsServer(cleanup);
    const ids: number[] = [];
    server.on('clientConnected', (id: number) => ids.push(id));
    for (let i = 0; i < 6; i++) await connectGdwsClient(cleanup, `ws://127.0.0.1:${port}/`, () => {});
    await expect.poll(() => ids.length).toBe(6);
    expect(new Set(ids).size).toBe(6);
    for (const id of ids) {
      expect(Number.isInteger(id) && id > 1 && id <= 0x7fffffff).toBe(true);
      expect(server.hasPeer(id)).toBe(true);
    }
    // A counter would give 2, 3, 4, ...; six random 31-bit draws in a row of consecutive values would be a 1 in 2^150 event.
    expect(ids.slice(1).every((id, i) => id === ids[i]! + 1)).toBe(false);
  });

  it('takes an options object, and stop() releases the port', async () => {
    const server = new WebSocketServer();
    expect(await server.listen({ port: 0, bindIp: '127.0.0.1', protocols: ['p'] })).toBe(GodotError.OK);
    expect(server.bindIp).toBe('127.0.0.1');
    expect(server.supportedProtocols).toEqual(['p']);
    const port = server.getListeningPort();
    const { peer } = await connectGdwsClient(cleanup, `ws://127.0.0.1:${port}/`, () => {}, ['p']);
    expect(peer.getSelectedProtocol()).toBe('p');
    await server.stop();
    expect(server.isListening()).toBe(false);
    expect(server.getListeningPort()).toBe(0);
    const again = new WebSocketServer();
    again.bindIp = '127.0.0.1';
    expect(await again.listen(port)).toBe(GodotError.OK);
    await again.stop();
  });

  it('stop() also drops connections still in their handshake, without waiting for the handshake timeout', async () => {
    const { server, port } = await startGdwsServer(cleanup, (s) => (s.handshakeTimeout = 60));
    const raw = await RawSocket.connect(port);
    cleanup.add(() => raw.destroy());
    await raw.write('GET / HTTP/1.1\r\n');
    const stopped = server.stop();
    // Far below the 60 s handshake timeout: stop() itself must end the connection.
    await raw.until(() => raw.closed, 'stop() to drop the half-open connection', 15_000);
    await stopped;
  });

  it('reads frames that arrive in the same packet as the request head', async () => {
    const { server, port } = await startGdwsServer(cleanup);
    const data = nextEvent<[number]>(server, 'dataReceived');
    const raw = await RawSocket.connect(port);
    cleanup.add(() => raw.destroy());
    const { request } = upgradeRequest();
    await raw.write(Buffer.concat([Buffer.from(request), clientFrame(Op.TEXT, 'first'), clientFrame(Op.BINARY, 'second')]));
    const [id] = await data;
    const peer = server.getPeer(id)!;
    const received: string[] = [];
    while (received.length < 2) {
      if (peer.getAvailablePacketCount() === 0) await nextEvent(server, 'dataReceived');
      received.push(peer.getPacket().toString());
    }
    expect(received).toEqual(['first', 'second']);
  });
});

describe('WebSocketClient reads what follows the 101', () => {
  it('delivers frames sent in the same packet as the handshake response', async () => {
    const fake = await startFakeServer(
      cleanup,
      (accept) =>
        Buffer.concat([
          Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`),
          frame(Op.TEXT, 'welcome'),
        ]),
    );
    const { peer } = await connectGdwsClient(cleanup, `ws://127.0.0.1:${fake.port}/`);
    expect(peer.getAvailablePacketCount()).toBe(1);
    expect(peer.getPacket().toString()).toBe('welcome');
    expect(peer.wasStringPacket()).toBe(true);
  });
});
