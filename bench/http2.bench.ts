import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { GodotError, WebSocketPeer } from '../src/index.js';

/**
 * `npm run bench:http2`: WebSockets over HTTP/2 (RFC 8441) against HTTP/1.1.
 * 1. Open 1,000 WebSockets over one HTTP/2 connection vs 1,000 HTTP/1.1
 *    upgrades (1,000 TCP connections): time to open all, and the server's RSS
 *    growth per open WebSocket (the server runs in its own process).
 * 2. Echo of small messages over one connection, 100 in flight: gdws over
 *    HTTP/2, gdws over TCP, and ws over TCP as the baseline.
 * Figures vary with the machine: compare the ratios within one run.
 */
const SOCKETS = Number(process.env.H2_BENCH_SOCKETS ?? 1000);
const ECHOES = Number(process.env.H2_BENCH_ECHOES ?? 50_000);
const IN_FLIGHT = 100;
const BATCH = 100;

interface Ports { tcp: number; h2: number; ws: number }
interface Usage { rss: number; peers: number }

const server: ChildProcess = fork(fileURLToPath(new URL('./http2-server.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx', '--expose-gc'] });
const ports = await new Promise<Ports>((resolve) => server.once('message', (message) => resolve(message as Ports)));

function usage(): Promise<Usage> {
  return new Promise((resolve) => {
    server.once('message', (message) => resolve(message as Usage));
    server.send('rss');
  });
}

async function openMany(url: string, http2: boolean): Promise<{ ms: number; kibPerSocket: number; peers: WebSocketPeer[] }> {
  const before = await usage();
  const peers: WebSocketPeer[] = [];
  const start = performance.now();
  for (let i = 0; i < SOCKETS; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, SOCKETS - i) }, () => {
      const peer = new WebSocketPeer();
      peer.http2 = http2;
      peer.handshakeTimeoutMs = 30_000;
      peers.push(peer);
      return peer.connectToUrl(url);
    });
    const results = await Promise.all(batch);
    if (results.some((result) => result !== GodotError.OK)) throw new Error(`connect failed: ${peers.find((p) => p.lastError)?.lastError?.message}`);
  }
  const ms = performance.now() - start;
  const after = await usage();
  if (after.peers - before.peers !== SOCKETS) throw new Error(`server sees ${after.peers - before.peers} peers, expected ${SOCKETS}`);
  return { ms, kibPerSocket: (after.rss - before.rss) / 1024 / SOCKETS, peers };
}

async function closeAll(peers: WebSocketPeer[]): Promise<void> {
  await Promise.all(
    peers.map((peer) => new Promise((resolve) => {
      peer.once('connectionClosed', resolve);
      peer.close();
    })),
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
}

async function gdwsEcho(url: string, http2: boolean, size: number): Promise<number> {
  const peer = new WebSocketPeer();
  peer.http2 = http2;
  peer.maxQueuedPackets = 1 << 16;
  if ((await peer.connectToUrl(url)) !== GodotError.OK) throw new Error(peer.lastError?.message);
  const payload = Buffer.alloc(size, 1);
  let received = 0;
  let sent = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    peer.on('dataReceived', () => {
      while (peer.getAvailablePacketCount() > 0) {
        peer.getPacket();
        received++;
        if (sent < ECHOES) {
          peer.send(payload);
          sent++;
        }
      }
      if (received === ECHOES) resolve();
    });
    for (; sent < IN_FLIGHT; sent++) peer.send(payload);
  });
  const rate = ECHOES / ((performance.now() - start) / 1000);
  await closeAll([peer]);
  return rate;
}

async function wsEcho(url: string, size: number): Promise<number> {
  const socket = new WebSocket(url);
  await new Promise((resolve) => socket.once('open', resolve));
  const payload = Buffer.alloc(size, 1);
  let received = 0;
  let sent = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    socket.on('message', () => {
      received++;
      if (sent < ECHOES) {
        socket.send(payload);
        sent++;
      }
      if (received === ECHOES) resolve();
    });
    for (; sent < IN_FLIGHT; sent++) socket.send(payload);
  });
  const rate = ECHOES / ((performance.now() - start) / 1000);
  socket.close();
  return rate;
}

const h1 = await openMany(`ws://127.0.0.1:${ports.tcp}/`, false);
await closeAll(h1.peers);
const h2 = await openMany(`ws://127.0.0.1:${ports.h2}/`, true);
await closeAll(h2.peers);
console.log(`Opening ${SOCKETS} WebSockets (batches of ${BATCH})`);
console.log(`  HTTP/1.1 (one TCP connection each): ${h1.ms.toFixed(0)} ms, server RSS ${h1.kibPerSocket.toFixed(1)} KiB per socket`);
console.log(`  HTTP/2 (streams of one connection):  ${h2.ms.toFixed(0)} ms, server RSS ${h2.kibPerSocket.toFixed(1)} KiB per socket`);
console.log(`  h2 / h1: time ${(h2.ms / h1.ms).toFixed(2)}x, memory ${(h2.kibPerSocket / h1.kibPerSocket).toFixed(2)}x`);

for (const size of [64, 1024]) {
  const overTcp = await gdwsEcho(`ws://127.0.0.1:${ports.tcp}/`, false, size);
  const overH2 = await gdwsEcho(`ws://127.0.0.1:${ports.h2}/`, true, size);
  const baseline = await wsEcho(`ws://127.0.0.1:${ports.ws}/`, size);
  console.log(`Echo of ${size} B messages, ${ECHOES} round trips, ${IN_FLIGHT} in flight, one connection`);
  console.log(`  gdws over TCP: ${overTcp.toFixed(0)} msg/s; gdws over HTTP/2: ${overH2.toFixed(0)} msg/s; ws over TCP: ${baseline.toFixed(0)} msg/s`);
  console.log(`  h2 / TCP (gdws): ${(overH2 / overTcp).toFixed(2)}x; gdws TCP / ws: ${(overTcp / baseline).toFixed(2)}x`);
}
server.kill();
process.exit(0);
