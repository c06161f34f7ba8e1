import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ReadyState, WebSocketClient, type WebSocketPeer } from '../../src/index.js';
import { acceptFor, rawWebSocketClient, type RawSocket } from '../peer/support/raw-socket.js';
import { nextEvent, sleep, waitUntil } from '../peer/support/waiting.js';
import { clientFrame, frame, Op } from '../peer/support/wire.js';
import { Cleanup, startGdwsServer } from './support/endpoints.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const PING_PAYLOAD = Buffer.alloc(125, 0x70);
const LIMIT = 65535;

/**
 * Writes batches of pings at `writer` without ever reading the pongs, until
 * the other side stops taking them (its writes stall for `stallMs` while the
 * peer's outbound buffer is above `stalledAbove`), and
 * samples the peer's outbound accounting after every turn meanwhile. Bounded
 * in bytes and time.
 */
async function floodPingsUntilStalled(writer: Socket, batch: Buffer, peer: WebSocketPeer, stalledAbove: number, stallMs = 700): Promise<{ sent: number; maxBuffered: number }> {
  let maxBuffered = 0;
  let sampling = true;
  const sample = (): void => {
    maxBuffered = Math.max(maxBuffered, peer.getCurrentOutboundBufferedAmount());
    if (sampling) setImmediate(sample);
  };
  sample();
  let sent = 0;
  const deadline = Date.now() + 40_000;
  try {
    while (sent < 256 * 1024 * 1024 && Date.now() < deadline) {
      const written = new Promise<boolean>((resolve) => writer.write(batch, () => resolve(true)));
      // A write that waits only counts as a stall once the peer holds a full outbound buffer:
      // on a loaded machine the peer may simply not have had its turn yet.
      for (;;) {
        const taken = await Promise.race([written, sleep(stallMs).then(() => false)]);
        if (taken) break;
        if (peer.getCurrentOutboundBufferedAmount() > stalledAbove) return { sent, maxBuffered };
        if (Date.now() >= deadline) throw new Error(`no stall and no progress: ${sent} bytes in`);
      }
      sent += batch.length;
    }
    throw new Error(`the peer kept reading pings: ${sent} bytes in`);
  } finally {
    sampling = false;
  }
}

describe('a peer that pings and never reads the pongs', () => {
  it('server side: pongs stay within outboundBufferSize, reading stops, and everything resumes once the peer reads', async () => {
    const { server, port } = await startGdwsServer(cleanup);
    const connected = nextEvent<[number]>(server, 'clientConnected');
    const raw: RawSocket = await rawWebSocketClient(port);
    cleanup.add(() => raw.destroy());
    const [id] = await connected;
    const peer = server.getPeer(id)!;
    raw.socket.pause();

    const batch = Buffer.concat(Array.from({ length: 8000 }, () => clientFrame(Op.PING, PING_PAYLOAD)));
    const { sent, maxBuffered } = await floodPingsUntilStalled(raw.socket, batch, peer, LIMIT - PING_PAYLOAD.length);
    // The pongs queued never pass the limit by more than one pong: the protocol core stops decoding at the limit.
    expect(maxBuffered).toBeLessThanOrEqual(LIMIT + PING_PAYLOAD.length);
    expect(peer.getCurrentOutboundBufferedAmount()).toBeGreaterThan(LIMIT - PING_PAYLOAD.length);
    expect(peer.getReadyState()).toBe(ReadyState.OPEN);

    // Once the attacker reads, every ping gets its pong and the connection works as before.
    raw.socket.resume();
    const pings = sent / (6 + 2 + PING_PAYLOAD.length);
    await raw.until(() => raw.frames.filter((f) => f.opcode === Op.PONG).length >= pings, `${pings} pongs`, 60_000);
    await raw.write(clientFrame(Op.TEXT, 'still here'));
    await waitUntil(() => peer.getAvailablePacketCount() === 1, 'the message after the flood', 30_000);
    expect(peer.getPacket().toString()).toBe('still here');
  });

  it('client side: a server pinging a gdws client that it never reads from gets the same bound', async () => {
    let serverSocket: Socket | null = null;
    const listener = createServer((socket) => {
      let head = '';
      socket.on('data', (chunk: Buffer) => {
        head += chunk.toString('latin1');
        if (serverSocket !== null || !head.includes('\r\n\r\n')) return;
        const key = /sec-websocket-key:\s*(\S+)/i.exec(head)?.[1] ?? '';
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptFor(key)}\r\n\r\n`);
        serverSocket = socket;
        socket.pause();
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    cleanup.add(() => new Promise<void>((resolve) => listener.close(() => resolve())));
    const port = (listener.address() as { port: number }).port;
    const client = new WebSocketClient();
    cleanup.add(() => client.disconnectFromHost());
    await client.connectToUrl(`ws://127.0.0.1:${port}/`);
    await waitUntil(() => serverSocket !== null, 'the handshake');
    const peer = client.getPeer(1)!;

    const batch = Buffer.concat(Array.from({ length: 8000 }, () => frame(Op.PING, PING_PAYLOAD)));
    const { maxBuffered } = await floodPingsUntilStalled(serverSocket!, batch, peer, LIMIT - PING_PAYLOAD.length);
    expect(maxBuffered).toBeLessThanOrEqual(LIMIT + PING_PAYLOAD.length);
    expect(peer.getCurrentOutboundBufferedAmount()).toBeGreaterThan(LIMIT - PING_PAYLOAD.length);
    expect(peer.getReadyState()).toBe(ReadyState.OPEN);
    serverSocket!.destroy();
  });
});
