import { connect, type Socket } from 'node:net';

/**
 * The receiving side of bench/broadcast.bench.ts, in its own process so that
 * decoding on the client side costs the measured server nothing. It opens
 * raw WebSocket connections (a fixed handshake, no library), parses only
 * frame headers, and for each message of the expected size reads the
 * publisher's timestamp (hrtime, the same monotonic clock in every process)
 * from its payload. Talks to the parent over IPC.
 */

interface Connect {
  type: 'connect';
  port: number;
  path: string;
  count: number;
  /** Payload length of a measured message; its 8 timestamp bytes start at `stampOffset`. */
  payloadLength: number;
  stampOffset: number;
  /** Godot 4 relay: wait for the 4-byte id greeting and count ADD_PEER notices. */
  godot4: boolean;
}

type Command = Connect | { type: 'report' } | { type: 'close' };

const KEY = 'YmVuY2htYXJrLWtleS0xMg==';
const HEAD_END = Buffer.from('\r\n\r\n');

class Receiver {
  received = 0;
  greeted = false;
  announcements = 0;
  /** Bytes of the current frame's header gathered so far (headers may split across reads). */
  private header = Buffer.alloc(14);
  private headerHave = 0;
  private remaining = 0;
  private payloadSeen = 0;
  private measuring = false;
  private stamp = Buffer.alloc(8);
  private stampHave = 0;
  private frameLength = 0;
  private firstBytes = Buffer.alloc(2);

  constructor(
    readonly socket: Socket,
    private readonly job: Connect,
    private readonly latencies: number[],
  ) {}

  onData(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining === 0 && !this.inPayload) {
        this.header[this.headerHave++] = chunk[at++]!;
        const need = this.headerNeeds();
        if (this.headerHave < need) continue;
        this.startFrame(need);
        if (this.remaining === 0) this.endFrame();
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - at);
      this.payloadBytes(chunk, at, take);
      at += take;
      this.remaining -= take;
      if (this.remaining === 0) this.endFrame();
    }
  }

  private inPayload = false;

  private headerNeeds(): number {
    if (this.headerHave < 2) return 2;
    const code = this.header[1]! & 0x7f;
    return code === 126 ? 4 : code === 127 ? 10 : 2;
  }

  private startFrame(headerLength: number): void {
    const code = this.header[1]! & 0x7f;
    this.frameLength = code === 126 ? this.header.readUInt16BE(2) : code === 127 ? Number(this.header.readBigUInt64BE(2)) : code;
    this.headerHave = 0;
    void headerLength;
    this.remaining = this.frameLength;
    this.payloadSeen = 0;
    this.stampHave = 0;
    this.inPayload = this.frameLength > 0;
    this.measuring = this.frameLength === this.job.payloadLength;
  }

  private payloadBytes(chunk: Buffer, at: number, take: number): void {
    if (this.payloadSeen < 2) {
      for (let i = 0; i < take && this.payloadSeen + i < 2; i++) this.firstBytes[this.payloadSeen + i] = chunk[at + i]!;
    }
    if (this.measuring && this.stampHave < 8) {
      const from = Math.max(this.job.stampOffset - this.payloadSeen, 0);
      for (let i = from; i < take && this.stampHave < 8; i++) this.stamp[this.stampHave++] = chunk[at + i]!;
    }
    this.payloadSeen += take;
  }

  private endFrame(): void {
    this.inPayload = false;
    if (this.measuring) {
      this.received++;
      const sent = this.stamp.readBigUInt64LE(0);
      if (this.latencies.length < 4_000_000) this.latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
    } else if (this.job.godot4 && this.frameLength === 4 && !this.greeted) {
      this.greeted = true;
    } else if (this.job.godot4 && this.frameLength === 6 && this.firstBytes[0] === 7 && this.firstBytes[1] === 1) {
      this.announcements++;
    }
  }
}

let receivers: Receiver[] = [];
let latencies: number[] = [];
let startedAt = 0n;

function open(job: Connect): Promise<Receiver> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: job.port, noDelay: true });
    let head = Buffer.alloc(0);
    const receiver = new Receiver(socket, job, latencies);
    const onHead = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf(HEAD_END);
      if (end < 0) return;
      if (!head.subarray(0, 12).toString('latin1').startsWith('HTTP/1.1 101')) {
        reject(new Error(`refused: ${head.subarray(0, end).toString('latin1').split('\r\n')[0]}`));
        return;
      }
      socket.off('data', onHead);
      socket.on('data', (data: Buffer) => receiver.onData(data));
      if (end + 4 < head.length) receiver.onData(head.subarray(end + 4));
      resolve(receiver);
    };
    socket.on('data', onHead);
    socket.on('error', reject);
    socket.write(`GET ${job.path} HTTP/1.1\r\nHost: 127.0.0.1:${job.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  });
}

/** Resolves when `condition` holds, checking once per turn. */
function when(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => (condition() ? resolve() : void setImmediate(check));
    check();
  });
}

process.on('message', (command: Command) => {
  void (async () => {
    if (command.type === 'connect') {
      latencies = [];
      startedAt = process.hrtime.bigint();
      receivers = await Promise.all(Array.from({ length: command.count }, () => open(command)));
      const handshakes = Number(process.hrtime.bigint() - startedAt) / 1e6;
      if (command.godot4) await when(() => receivers.every((r) => r.greeted));
      const greeted = Number(process.hrtime.bigint() - startedAt) / 1e6;
      if (command.godot4) await when(() => receivers.every((r) => r.announcements >= command.count - 1));
      const announced = Number(process.hrtime.bigint() - startedAt) / 1e6;
      process.send!({ type: 'connected', handshakes, greeted, announced });
      if (process.env.BENCH_VERBOSE) console.error(`connect ${command.count} to ${command.port}: handshakes ${handshakes.toFixed(0)} ms`);
      // Progress for the publisher's window: the fewest messages any receiver has.
      const progress = (): void => {
        if (receivers.length === 0) return;
        let least = Infinity;
        for (const r of receivers) least = Math.min(least, r.received);
        process.send!({ type: 'progress', least });
        setTimeout(progress, 1);
      };
      progress();
    } else if (command.type === 'report') {
      const total = receivers.reduce((sum, r) => sum + r.received, 0);
      const sorted = Float64Array.from(latencies).sort();
      const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
      // The quantiles let a parent with receivers in two processes merge both distributions.
      const quantiles = Array.from({ length: 1001 }, (_, i) => at(i / 1000));
      process.send!({ type: 'report', total, p50: at(0.5), p99: at(0.99), samples: sorted.length, quantiles });
    } else {
      for (const r of receivers) r.socket.destroy();
      receivers = [];
      process.send!({ type: 'closed' });
    }
  })().catch((error: unknown) => {
    process.send!({ type: 'error', message: String(error) });
  });
});
