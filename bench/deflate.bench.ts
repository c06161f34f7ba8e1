import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { EchoSettings, UsageReply } from './deflate-echo-server.js';

/**
 * permessage-deflate benchmark, gdws against ws in the same run (`npm run
 * bench:deflate`, tsx). Each server runs in its own child process and is
 * driven by the same ws clients (perMessageDeflate on), so the ratios compare
 * the servers:
 *
 * - compressed echo throughput: JSON-like text messages echoed with IN_FLIGHT
 *   outstanding per connection; messages/s, payload MB/s and the bytes that
 *   crossed the wire per payload byte (both directions);
 * - memory per idle connection with deflate on: N connections each echo one
 *   compressible message, then sit idle for longer than gdws's quiet period;
 *   server RSS growth per connection, with and without context takeover.
 *
 * Options: --quick, --rounds N, --window MS, --idle N, --sections
 * throughput,memory, and for development --sizes 1024,16384 and --connections 1,32.
 */

const here = dirname(fileURLToPath(import.meta.url));
const SERVER_SCRIPT = join(here, 'deflate-echo-server.ts');
const SUBJECTS = ['gdws', 'ws'] as const;
type Subject = (typeof SUBJECTS)[number];
const IN_FLIGHT = 8;

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const option = (name: string, fallback: number): number => {
  const index = argv.indexOf(name);
  return index >= 0 ? Number(argv[index + 1]) : fallback;
};
const ROUNDS = option('--rounds', quick ? 1 : 3);
const WINDOW_MS = option('--window', quick ? 800 : 2000);
const WARMUP_MS = quick ? 200 : 500;
const IDLE_CONNECTIONS = option('--idle', quick ? 200 : 1000);
const list = (name: string, fallback: number[]): number[] => {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1]!.split(',').map(Number) : fallback;
};
const SIZES = list('--sizes', [1024, 16 * 1024, 256 * 1024]);
const CONNECTIONS = list('--connections', [1, 32]);
const SECTIONS = new Set((argv.includes('--sections') ? argv[argv.indexOf('--sections') + 1]! : 'throughput,memory').split(','));

const TAKEOVER: EchoSettings = { deflate: { threshold: 1024, serverNoContextTakeover: false, clientNoContextTakeover: false, level: 6 } };
const NO_TAKEOVER: EchoSettings = { deflate: { threshold: 1024, serverNoContextTakeover: true, clientNoContextTakeover: true, level: 6 } };
const OFF: EchoSettings = { deflate: null };

// ---- payloads ---------------------------------------------------------------

function jsonText(length: number, seed: number): Buffer {
  const names = ['player', 'enemy', 'pickup', 'door', 'projectile', 'spawner'];
  let state = seed;
  let text = '[';
  while (text.length < length) {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    text += JSON.stringify({ id: state % 5000, kind: names[state % names.length], x: (state % 4096) / 8, y: ((state >>> 9) % 4096) / 8, hp: state % 100 }) + ',';
  }
  return Buffer.from(text.slice(0, length));
}

// ---- server child ---------------------------------------------------------

class EchoServer {
  private nextId = 1;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(subject: Subject, settings: EchoSettings): Promise<EchoServer> {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', SERVER_SCRIPT, subject, JSON.stringify(settings)], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    const lines = createInterface({ input: child.stdout! });
    for await (const line of lines) {
      if (line.startsWith('READY')) return new EchoServer(child, Number(line.split(' ')[1]));
    }
    throw new Error(`${subject} echo server exited before READY`);
  }

  async usage(): Promise<UsageReply> {
    const id = this.nextId++;
    this.child.send({ type: 'usage', id });
    for (;;) {
      const [reply] = (await once(this.child, 'message')) as [UsageReply];
      if (reply.id === id) return reply;
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }
}

async function connectClients(port: number, count: number, deflate: WebSocket.PerMessageDeflateOptions | false): Promise<WebSocket[]> {
  const clients: WebSocket[] = [];
  for (let index = 0; index < count; index++) {
    const client = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: deflate, maxPayload: 64 << 20 });
    await once(client, 'open');
    if (deflate !== false && client.extensions !== 'permessage-deflate') throw new Error('permessage-deflate was not negotiated');
    clients.push(client);
  }
  return clients;
}

function wireBytes(clients: WebSocket[]): number {
  let total = 0;
  for (const client of clients) {
    const socket = (client as unknown as { _socket: Socket })._socket;
    total += socket.bytesRead + socket.bytesWritten;
  }
  return total;
}

async function closeAll(clients: WebSocket[]): Promise<void> {
  await Promise.all(
    clients.map((client) => {
      const closed = once(client, 'close');
      client.terminate();
      return closed;
    }),
  );
}

// ---- throughput -------------------------------------------------------------

interface ThroughputResult {
  messagesPerSecond: number;
  payloadMegabytesPerSecond: number;
  wirePerPayload: number;
}

async function measureThroughput(subject: Subject, size: number, connections: number): Promise<ThroughputResult> {
  const server = await EchoServer.start(subject, TAKEOVER);
  const clients = await connectClients(server.port, connections, { threshold: 1024 });
  const payloads = [jsonText(size, 1), jsonText(size, 2), jsonText(size, 3), jsonText(size, 4)];
  let echoes = 0;
  let running = true;
  for (const client of clients) {
    let sent = 0;
    client.on('message', () => {
      echoes++;
      if (running) client.send(payloads[sent++ % payloads.length]!);
    });
    for (let index = 0; index < IN_FLIGHT; index++) client.send(payloads[sent++ % payloads.length]!);
  }
  await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
  const startEchoes = echoes;
  const startWire = wireBytes(clients);
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const seconds = (performance.now() - started) / 1000;
  const count = echoes - startEchoes;
  const wire = wireBytes(clients) - startWire;
  running = false;
  await closeAll(clients);
  await server.stop();
  return {
    messagesPerSecond: count / seconds,
    payloadMegabytesPerSecond: (count * size) / seconds / 1e6,
    // Each echo carries the payload twice over the wire (there and back).
    wirePerPayload: wire / Math.max(1, 2 * count * size),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function throughputSection(): Promise<void> {
  console.log(`\n## Compressed echo throughput (level 6, JSON text, ${IN_FLIGHT} in flight per connection, median of ${ROUNDS})\n`);
  console.log('| size | conns | gdws msg/s | ws msg/s | gdws/ws | gdws MB/s | ws MB/s | wire/payload gdws | wire/payload ws |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const size of SIZES) {
    for (const connections of CONNECTIONS) {
      const results: Record<Subject, ThroughputResult[]> = { gdws: [], ws: [] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const subject of round % 2 === 0 ? SUBJECTS : [...SUBJECTS].reverse()) results[subject].push(await measureThroughput(subject, size, connections));
      }
      const pick = (subject: Subject, key: keyof ThroughputResult): number => median(results[subject].map((result) => result[key]));
      const gdwsRate = pick('gdws', 'messagesPerSecond');
      const wsRate = pick('ws', 'messagesPerSecond');
      console.log(
        `| ${size >= 1024 ? `${size / 1024} KiB` : `${size} B`} | ${connections} | ${gdwsRate.toFixed(0)} | ${wsRate.toFixed(0)} | ${(gdwsRate / wsRate).toFixed(2)} | ` +
          `${pick('gdws', 'payloadMegabytesPerSecond').toFixed(1)} | ${pick('ws', 'payloadMegabytesPerSecond').toFixed(1)} | ` +
          `${pick('gdws', 'wirePerPayload').toFixed(3)} | ${pick('ws', 'wirePerPayload').toFixed(3)} |`,
      );
    }
  }
}

// ---- memory per idle connection ------------------------------------------

async function idleMemoryPerConnection(subject: Subject, settings: EchoSettings): Promise<{ rss: number; heap: number }> {
  const server = await EchoServer.start(subject, settings);
  const before = await server.usage();
  const clientDeflate = settings.deflate === null ? false : { threshold: 1024 };
  const clients: WebSocket[] = [];
  const message = jsonText(4096, 7);
  for (let index = 0; index < IDLE_CONNECTIONS; index += 50) {
    const batch = await connectClients(server.port, Math.min(50, IDLE_CONNECTIONS - index), clientDeflate);
    // One compressed message each way, so both zlib directions were used once.
    await Promise.all(
      batch.map((client) => {
        const echoed = once(client, 'message');
        client.send(message);
        return echoed;
      }),
    );
    clients.push(...batch);
  }
  // Longer than gdws's quiet period, after which context-less zlib streams are freed.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const after = await server.usage();
  await closeAll(clients);
  await server.stop();
  return { rss: (after.rss - before.rss) / IDLE_CONNECTIONS, heap: (after.heapUsed + after.external - before.heapUsed - before.external) / IDLE_CONNECTIONS };
}

async function memorySection(): Promise<void> {
  console.log(`\n## Server memory per idle connection (${IDLE_CONNECTIONS} connections, each echoed one 4 KiB compressible message)\n`);
  console.log('| deflate | gdws RSS KiB/conn | ws RSS KiB/conn | gdws/ws | gdws JS KiB/conn | ws JS KiB/conn |');
  console.log('|---|---|---|---|---|---|');
  const configurations: Array<[string, EchoSettings]> = [
    ['off', OFF],
    ['on, context takeover', TAKEOVER],
    ['on, no context takeover', NO_TAKEOVER],
  ];
  for (const [label, settings] of configurations) {
    const gdws = await idleMemoryPerConnection('gdws', settings);
    const ws = await idleMemoryPerConnection('ws', settings);
    console.log(
      `| ${label} | ${(gdws.rss / 1024).toFixed(1)} | ${(ws.rss / 1024).toFixed(1)} | ${(gdws.rss / ws.rss).toFixed(2)} | ` +
        `${(gdws.heap / 1024).toFixed(1)} | ${(ws.heap / 1024).toFixed(1)} |`,
    );
  }
}

console.log(`# permessage-deflate: gdws vs ws (${quick ? 'quick' : 'full'} run, Node ${process.version})`);
if (SECTIONS.has('throughput')) await throughputSection();
if (SECTIONS.has('memory')) await memorySection();
