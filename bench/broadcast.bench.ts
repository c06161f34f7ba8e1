/**
 * Broadcast: one publisher, N receivers, 1 KiB messages (`npm run bench:broadcast`).
 * Side by side in one run: gdws topics (`server.publish`, framed once),
 * the gdws Godot 4 relay (the server's `putPacket` to target 0), ws (its usual
 * loop of `send` over `wss.clients`) and uWS.js (`app.publish`) when it is
 * installed. The servers run in this process, one at a time; the receivers
 * in a child process (bench/broadcast/receivers.ts), so decoding costs the
 * server nothing. Reported: deliveries per second, fan-out latency p50/p99
 * (publish to arrival, hrtime in both processes) and this process's CPU time
 * per delivery. The publisher keeps at most WINDOW messages in flight per
 * receiver, so no server queues without bound. Also: the time 1,000 Godot 4
 * peers take to join a relay (handshakes, ids, every ADD_PEER).
 *
 * Each server first runs one uncounted warm-up cell.
 *
 * Options: --receivers 1000,10000  --messages 2000000 (deliveries per cell)  --rounds 3
 */
import { createRequire } from 'node:module';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer as WsServer } from 'ws';
import { GodotError, WebSocketMultiplayerPeer, WebSocketServer } from '../src/index.js';
import { ReceiverProcess } from './broadcast/receiver-process.js';
import { PAYLOAD_LENGTH as PAYLOAD, publishWindowed } from './broadcast/windowed-publish.js';

const here = dirname(fileURLToPath(import.meta.url));

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}
const RECEIVER_COUNTS = option('receivers', '1000,10000').split(',').map(Number);
const DELIVERIES = Number(option('messages', '2000000'));
const ROUNDS = Number(option('rounds', '3'));
const JOIN_PEERS = Number(option('join', '1000'));
/** Only the servers whose name contains this (e.g. `--only gdws`); the join measurement is skipped then. */
const ONLY = option('only', '');

interface Target {
  name: string;
  port: number;
  path: string;
  godot4: boolean;
  publish(payload: Buffer): void;
  close(): Promise<void>;
}

async function gdwsTopics(): Promise<Target> {
  const server = new WebSocketServer();
  server.bindIp = '127.0.0.1';
  server.outboundBufferSize = 4 << 20;
  server.on('clientConnected', (id) => server.getPeer(id)!.subscribe('bench'));
  if ((await server.listen(0)) !== GodotError.OK) throw new Error('listen');
  return { name: 'gdws publish', port: server.getListeningPort(), path: '/', godot4: false, publish: (p) => void server.publish('bench', p, false), close: () => server.stop() };
}

async function gdwsRelay(): Promise<Target> {
  const relay = new WebSocketMultiplayerPeer();
  relay.outboundBufferSize = 4 << 20;
  relay.maxQueuedPackets = 1 << 16;
  if ((await relay.createServer(0, '127.0.0.1')) !== GodotError.OK) throw new Error('createServer');
  // Packets clients send to the server would wait in its queue: read them.
  relay.on('peerPacket', () => {
    while (relay.getAvailablePacketCount() > 0) relay.getPacket();
  });
  relay.setTargetPeer(0);
  return { name: 'gdws Godot 4 relay', port: relay.getListeningPort(), path: '/', godot4: true, publish: (p) => void relay.putPacket(p), close: () => relay.close() };
}

async function ws(): Promise<Target> {
  const wss = new WsServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const port = (wss.address() as { port: number }).port;
  return {
    name: 'ws (loop of send)',
    port,
    path: '/',
    godot4: false,
    publish: (p) => {
      for (const client of wss.clients) client.send(p);
    },
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

interface UwsModule {
  App(): {
    ws(pattern: string, behavior: Record<string, unknown>): unknown;
    listen(host: string, port: number, callback: (socket: unknown) => void): unknown;
    publish(topic: string, message: ArrayBuffer | Uint8Array, isBinary: boolean): boolean;
  };
  us_listen_socket_close(socket: unknown): void;
  us_socket_local_port(socket: unknown): number;
}

function loadUws(): UwsModule | null {
  try {
    return createRequire(import.meta.url)('@trufflesuite/uws-js-unofficial') as UwsModule;
  } catch {
    return null;
  }
}

async function uws(module: UwsModule): Promise<Target> {
  const app = module.App();
  const sockets = new Set<{ close(): void }>();
  app.ws('/*', {
    maxBackpressure: 64 << 20,
    maxPayloadLength: 1 << 20,
    idleTimeout: 0,
    open: (socket: { subscribe(topic: string): void; close(): void }) => {
      socket.subscribe('bench');
      sockets.add(socket);
    },
    close: (socket: { close(): void }) => sockets.delete(socket),
  });
  const listenSocket = await new Promise<unknown>((resolve) => app.listen('127.0.0.1', 0, resolve));
  return {
    name: 'uWS.js publish',
    port: module.us_socket_local_port(listenSocket),
    path: '/',
    godot4: false,
    publish: (p) => void app.publish('bench', p, true),
    close: async () => {
      module.us_listen_socket_close(listenSocket);
      for (const socket of [...sockets]) socket.close();
    },
  };
}

interface Cell {
  deliveriesPerSecond: number;
  p50: number;
  p99: number;
  cpuMicrosPerDelivery: number;
}

async function runCell(make: () => Promise<Target>, receivers: ReceiverProcess, count: number, deliveries = DELIVERIES): Promise<Cell> {
  const target = await make();
  try {
    await receivers.request({ type: 'connect', port: target.port, path: target.path, count, payloadLength: PAYLOAD, stampOffset: 0, godot4: target.godot4 }, 'connected');
    receivers.least = 0;
    const messages = Math.max(1, Math.round(deliveries / count));
    // Settle: connections idle, nothing in flight.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    await publishWindowed((payload) => target.publish(payload), messages, receivers);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const report = await receivers.request({ type: 'report' }, 'report');
    return {
      deliveriesPerSecond: report.total! / seconds,
      p50: report.p50!,
      p99: report.p99!,
      cpuMicrosPerDelivery: (cpu.user + cpu.system) / report.total!,
    };
  } finally {
    await receivers.request({ type: 'close' }, 'closed');
    await target.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function joinTime(receivers: ReceiverProcess, peers: number): Promise<Record<string, number>> {
  const relay = await gdwsRelay();
  try {
    return await receivers.request({ type: 'connect', port: relay.port, path: '/', count: peers, payloadLength: PAYLOAD, stampOffset: 0, godot4: true }, 'connected');
  } finally {
    await receivers.request({ type: 'close' }, 'closed');
    await relay.close();
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const uwsModule = loadUws();
  const makers: Array<[string, () => Promise<Target>]> = [
    ['gdws publish', gdwsTopics],
    ['gdws Godot 4 relay', gdwsRelay],
    ['ws (loop of send)', ws],
  ];
  if (uwsModule !== null) makers.push(['uWS.js publish', () => uws(uwsModule)]);
  else console.log('uWS.js (@trufflesuite/uws-js-unofficial) is not installed: ratios against ws only');
  // The server every rate is compared with; `--only` may leave it out, and then there is no ratio.
  const reference = uwsModule !== null ? { name: 'uWS.js publish', label: 'uWS.js' } : { name: 'ws (loop of send)', label: 'ws' };
  if (ONLY !== '') makers.splice(0, makers.length, ...makers.filter(([name]) => name.includes(ONLY)));
  const receivers = new ReceiverProcess();
  const lines: string[] = [];
  lines.push('# Broadcast of 1 KiB (`npm run bench:broadcast`)', '', `Receivers in a child process; after one warm-up cell per server, median of ${ROUNDS} rounds; ${DELIVERIES.toLocaleString('en')} deliveries per cell.`, '');
  try {
    // Not counted: the receivers' process and each server warm up (JIT), or the first cell of the run measures that.
    for (const [name, make] of makers) {
      const cell = await runCell(make, receivers, RECEIVER_COUNTS[0]!, DELIVERIES / 4);
      console.log(`warm-up, ${name}: ${Math.round(cell.deliveriesPerSecond).toLocaleString('en')}/s`);
    }
    for (const count of RECEIVER_COUNTS) {
      const results = new Map<string, Cell[]>();
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, make] of makers) {
          const cell = await runCell(make, receivers, count);
          (results.get(name) ?? results.set(name, []).get(name)!).push(cell);
          console.log(`${count} receivers, ${name}: ${Math.round(cell.deliveriesPerSecond).toLocaleString('en')}/s, p50 ${cell.p50.toFixed(1)} ms, p99 ${cell.p99.toFixed(1)} ms, ${cell.cpuMicrosPerDelivery.toFixed(3)} µs CPU/delivery`);
        }
      }
      const referenceCells = results.get(reference.name);
      const referenceRate = referenceCells === undefined ? null : median(referenceCells.map((c) => c.deliveriesPerSecond));
      lines.push(`## ${count.toLocaleString('en')} receivers`, '', `| server | deliveries/s | vs ${reference.label} | p50 ms | p99 ms | CPU µs/delivery |`, '| --- | --: | --: | --: | --: | --: |');
      for (const [name, cells] of results) {
        const rate = median(cells.map((c) => c.deliveriesPerSecond));
        const ratio = referenceRate === null ? '–' : `${(rate / referenceRate).toFixed(2)}×`;
        lines.push(`| ${name} | ${Math.round(rate).toLocaleString('en')} | ${ratio} | ${median(cells.map((c) => c.p50)).toFixed(1)} | ${median(cells.map((c) => c.p99)).toFixed(1)} | ${median(cells.map((c) => c.cpuMicrosPerDelivery)).toFixed(3)} |`);
      }
      lines.push('');
    }
    const joins: Array<Record<string, number>> = [];
    for (let round = 0; round < (ONLY === '' ? ROUNDS : 0); round++) {
      const join = await joinTime(receivers, JOIN_PEERS);
      joins.push(join);
      console.log(`join of ${JOIN_PEERS} Godot 4 peers: handshakes ${join.handshakes!.toFixed(0)} ms, ids ${join.greeted!.toFixed(0)} ms, every ADD_PEER ${join.announced!.toFixed(0)} ms`);
    }
    if (joins.length > 0) lines.push(`## ${JOIN_PEERS.toLocaleString('en')} Godot 4 peers joining a relay at once`, '', `From the first connect to: every handshake ${median(joins.map((j) => j.handshakes!)).toFixed(0)} ms, every id greeting ${median(joins.map((j) => j.greeted!)).toFixed(0)} ms, every peer holding ${JOIN_PEERS - 1} ADD_PEER ${median(joins.map((j) => j.announced!)).toFixed(0)} ms.`, '');
  } finally {
    receivers.stop();
  }
  const out = join(here, 'results/broadcast.md');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, lines.join('\n'));
  console.log(`\n${lines.join('\n')}`);
}

void main();
