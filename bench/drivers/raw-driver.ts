import { randomBytes } from 'node:crypto';
import type { LoadRecorder } from '../support/load-recorder.js';
import { benchmarkPayload, headerLength, openRawWebSocket, writeHeader, type RawWebSocket } from '../support/raw-websocket.js';
import { openInBatches, type LoadDriver, type LoadSpec, type OpenLoadDriver } from './load-driver.js';

const FINAL_BINARY = 0x82;

/**
 * The server-side load driver: no WebSocket library, so that it costs far less
 * CPU than the server it measures. Frames are masked once at start-up and the
 * same bytes are written again for every send; replies are parsed for their
 * headers only, except each connection's first echo, which is compared byte
 * for byte with what was sent.
 */
export const openRawDriver: OpenLoadDriver = async (spec, recorder, fail) => {
  const payload = benchmarkPayload(spec.size);
  const frameLength = headerLength(spec.size, true) + spec.size;
  const frames = Buffer.allocUnsafe(frameLength * spec.inFlight);
  const key = randomBytes(4);
  for (let i = 0; i < spec.inFlight; i++) {
    const at = i * frameLength;
    const start = at + writeHeader(frames, at, FINAL_BINARY, spec.size, key);
    for (let j = 0; j < spec.size; j++) frames[start + j] = payload[j]! ^ key[j & 3]!;
  }
  const sockets = await openInBatches(spec.connections, () => openRawWebSocket(spec.port));
  const connections = sockets.map((raw) => new RawConnection(raw, spec, frames, frameLength, payload, recorder, fail));
  return new RawDriver(connections);
};

class RawDriver implements LoadDriver {
  constructor(private readonly connections: RawConnection[]) {}

  start(): void {
    for (const connection of this.connections) connection.start();
  }

  stop(): void {
    for (const connection of this.connections) connection.stop();
  }
}

class RawConnection {
  private readonly sendTimes: Float64Array;
  private oldest = 0;
  private readonly header = Buffer.alloc(10);
  private headerFilled = 0;
  private remaining = -1;
  private verifiedBytes = -1;
  private stopped = false;
  private readonly socket: RawWebSocket['socket'];

  constructor(
    raw: RawWebSocket,
    private readonly spec: LoadSpec,
    private readonly frames: Buffer,
    private readonly frameLength: number,
    private readonly payload: Buffer,
    private readonly recorder: LoadRecorder,
    private readonly fail: (error: Error) => void,
  ) {
    this.sendTimes = new Float64Array(spec.inFlight);
    const socket = (this.socket = raw.socket);
    // The chunk lives in a reused read buffer: receive() only parses headers and compares bytes, keeping nothing.
    raw.onChunk = (chunk) => this.receive(chunk);
    socket.on('error', (error) => this.stopped || fail(error));
    socket.on('close', () => this.stopped || fail(new Error('The server closed a connection')));
  }

  start(): void {
    this.verifiedBytes = 0;
    this.sendTimes.fill(performance.now());
    this.socket.resume();
    this.socket.write(this.frames);
  }

  stop(): void {
    this.stopped = true;
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    const now = performance.now();
    let echoes = 0;
    let offset = 0;
    const length = chunk.length;
    while (offset < length) {
      if (this.remaining < 0) {
        offset = this.readHeader(chunk, offset);
        if (this.remaining !== 0) continue;
      } else {
        const take = Math.min(this.remaining, length - offset);
        if (this.verifiedBytes >= 0) this.verify(chunk.subarray(offset, offset + take));
        this.remaining -= take;
        offset += take;
        if (this.remaining !== 0) continue;
      }
      // A whole echo arrived.
      this.remaining = -1;
      if (this.verifiedBytes >= 0) this.finishVerifying();
      const slot = this.oldest;
      this.recorder.echoed(now - this.sendTimes[slot]!, this.spec.size);
      this.sendTimes[slot] = now;
      this.oldest = slot + 1 === this.spec.inFlight ? 0 : slot + 1;
      echoes++;
    }
    if (echoes > 0 && !this.stopped) {
      this.socket.write(echoes === this.spec.inFlight ? this.frames : this.frames.subarray(0, echoes * this.frameLength));
    }
  }

  private readHeader(chunk: Buffer, offset: number): number {
    const header = this.header;
    while (offset < chunk.length && this.headerFilled < 2) header[this.headerFilled++] = chunk[offset++]!;
    if (this.headerFilled < 2) return offset;
    const code = header[1]! & 0x7f;
    const needed = code < 126 ? 2 : code === 126 ? 4 : 10;
    while (offset < chunk.length && this.headerFilled < needed) header[this.headerFilled++] = chunk[offset++]!;
    if (this.headerFilled < needed) return offset;
    if (header[0] !== FINAL_BINARY || (header[1]! & 0x80) !== 0) {
      this.fail(new Error(`Unexpected frame header ${header[0]!.toString(16)} ${header[1]!.toString(16)}`));
    }
    const length = code < 126 ? code : code === 126 ? header.readUInt16BE(2) : header.readUInt32BE(2) * 0x100000000 + header.readUInt32BE(6);
    if (length !== this.spec.size) this.fail(new Error(`Echo of ${length} bytes, sent ${this.spec.size}`));
    this.headerFilled = 0;
    this.remaining = length;
    return offset;
  }

  private verify(piece: Buffer): void {
    const end = this.verifiedBytes + piece.length;
    if (!piece.equals(this.payload.subarray(this.verifiedBytes, end))) this.fail(new Error('An echo differs from the message sent'));
    this.verifiedBytes = end;
  }

  private finishVerifying(): void {
    if (this.verifiedBytes !== this.spec.size) this.fail(new Error('Echo length mismatch'));
    this.verifiedBytes = -1;
  }
}
