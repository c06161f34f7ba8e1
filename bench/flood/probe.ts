import { FrameReader } from './frame-reader.js';
import { Godot4Client } from './godot4-client.js';
import { maskedFrame, openConnection } from './raw-handshake.js';

/**
 * The probe: one 16-byte message in flight at a time (window 1), the next
 * one 1 ms after each answer, every round trip timed. It runs on its own
 * connection while an attack goes on, so its latency is what a well-behaved
 * client of the attacked server sees.
 */

export interface RoundTrip {
  /** performance.now() when sent. */
  sentAt: number;
  ms: number;
  answered: boolean;
}

export class LatencyProbe {
  private readonly trips: RoundTrip[] = [];
  private sentAt = 0;
  private current: Buffer | null = null;
  private running = false;
  private sequence = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly transmit: (payload: Buffer) => void) {}

  start(): void {
    this.running = true;
    this.next();
  }

  /** A message came back; counts only if it is the one in flight. */
  answer(payload: Buffer): void {
    if (this.current === null || !payload.equals(this.current)) return;
    this.trips.push({ sentAt: this.sentAt, ms: performance.now() - this.sentAt, answered: true });
    this.current = null;
    if (this.running) this.timer = setTimeout(() => this.next(), 1);
  }

  /** Stops; a message still in flight counts with its age so far. */
  stop(): RoundTrip[] {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.current !== null) this.trips.push({ sentAt: this.sentAt, ms: performance.now() - this.sentAt, answered: false });
    this.current = null;
    return this.trips;
  }

  private next(): void {
    const payload = Buffer.alloc(16);
    payload.write('probe', 0, 'latin1');
    payload.writeUInt32BE(this.sequence++ >>> 0, 12);
    this.current = payload;
    this.sentAt = performance.now();
    this.transmit(payload);
  }
}

export interface OpenProbe {
  probe: LatencyProbe;
  /** performance.now() when the probe's connection was lost, or null. */
  lostAt(): number | null;
  close(): void;
}

/** A probe over a plain echo connection. */
export async function openEchoProbe(port: number): Promise<OpenProbe> {
  const { socket, rest } = await openConnection(port, { path: '/' });
  let lost: number | null = null;
  const probe = new LatencyProbe((payload) => {
    if (!socket.destroyed) socket.write(maskedFrame(0x82, payload));
  });
  const reader = new FrameReader((opcode, _fin, payload) => {
    if (opcode === 0x9) socket.write(maskedFrame(0x8a, payload));
    else if (opcode === 0x1 || opcode === 0x2) probe.answer(payload);
    else if (opcode === 0x8) lost ??= performance.now();
  });
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
  socket.on('error', () => {});
  socket.on('close', () => {
    lost ??= performance.now();
  });
  reader.push(rest);
  socket.resume();
  return { probe, lostAt: () => lost, close: () => socket.destroy() };
}

/**
 * A probe through a Godot 4 relay: client A relays the message to client B,
 * B relays it straight back to A; one round trip crosses the relay twice.
 * Packets from anyone else (an attacker's broadcasts) are ignored.
 */
export async function openRelayProbe(port: number): Promise<OpenProbe> {
  const a = await Godot4Client.join(port);
  const b = await Godot4Client.join(port);
  const probe = new LatencyProbe((payload) => a.send(Godot4Client.relayPacket(b.id, payload)));
  b.onPacket = (packet) => {
    if (packet.length === 22 && packet[0] === 0x07 && packet[1] === 0x03 && packet.readInt32LE(2) === a.id) {
      b.send(Godot4Client.relayPacket(a.id, packet.subarray(6)));
    }
  };
  a.onPacket = (packet) => {
    if (packet.length === 22 && packet[0] === 0x07 && packet[1] === 0x03 && packet.readInt32LE(2) === b.id) probe.answer(packet.subarray(6));
  };
  const lostAt = (): number | null => {
    const times = [a.lostAt, b.lostAt].filter((t): t is number => t !== null);
    return times.length === 0 ? null : Math.min(...times);
  };
  return {
    probe,
    lostAt,
    close: () => {
      a.close();
      b.close();
    },
  };
}
