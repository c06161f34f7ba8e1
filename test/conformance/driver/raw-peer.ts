import { createHash } from 'node:crypto';
import type { ClientHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { buildFrame, closePayload, Opcode } from './frame-builder.js';
import type { FrameSpec } from './frame-builder.js';
import { FrameParser } from './frame-parser.js';
import type { WireFrame } from './frame-parser.js';

/**
 * What the driver talks over: a TCP socket, or an HTTP/2 stream carrying the
 * WebSocket (RFC 8441), where END_STREAM is the FIN and RST_STREAM the reset.
 */
export type RawTransport = Socket | ClientHttp2Stream;

/** The role the driver plays; the implementation under test plays the other one. */
export type DriverRole = 'client' | 'server';

/** What the implementation sent, in order: the events the Autobahn testsuite compares. */
export type Observation =
  | { kind: 'message'; type: 'text' | 'binary'; data: Buffer; frameCount: number }
  | { kind: 'ping'; data: Buffer }
  | { kind: 'pong'; data: Buffer };

export interface ReceivedClose {
  /** null when the close frame had an empty payload. */
  code: number | null;
  reason: Buffer;
  /** Milliseconds since the WebSocket connection opened. */
  at: number;
}

export interface ConnectionDrop {
  /** fin: the implementation closed its side; reset: RST or socket error; driver: the driver closed it. */
  how: 'fin' | 'reset' | 'driver';
  at: number;
}

/** How bytes are cut into separate socket writes. */
export interface Delivery {
  /** Write pieces of this many bytes (1 = byte by byte). */
  chopSize?: number;
  /** Cut at these byte offsets. */
  splitAt?: number[];
  /** Pause after each piece except the last, to let the implementation see the pieces apart. */
  pauseMs?: number;
}

export const DEFAULT_WAIT_MS = 5_000;

interface Waiter {
  description: string;
  isMet: () => boolean;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Close codes an endpoint may put on the wire (RFC 6455 7.4, plus the IANA-registered 1012-1014). */
export function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * One WebSocket connection driven by hand: sends crafted bytes with chosen
 * chunking and records everything the implementation under test does, judging
 * its frames strictly (any RFC 6455 violation it commits lands in `violations`).
 *
 * Like the Autobahn testsuite it answers pings, answers a close with a close,
 * and, when it plays the server, closes the TCP connection once the close
 * handshake is complete.
 */
export class RawPeer {
  readonly observations: Observation[] = [];
  readonly violations: string[] = [];
  closeReceived: ReceivedClose | null = null;
  closeSent = false;
  drop: ConnectionDrop | null = null;
  /** Answer the implementation's close frame with a close frame, echoing its code. */
  replyToClose = true;

  private readonly parser = new FrameParser();
  private readonly openedAt = performance.now();
  private readonly waiters = new Set<Waiter>();
  private readonly pendingSyncTokens = new Set<string>();
  private readonly answeredSyncTokens = new Set<string>();
  private syncCounter = 0;
  private fragmentedMessage: { type: 'text' | 'binary'; parts: Buffer[]; frameCount: number } | null = null;
  private receivedFin = false;
  private destroyedByDriver = false;

  constructor(
    private readonly socket: RawTransport,
    readonly role: DriverRole,
    initialBytes: Buffer,
  ) {
    // An HTTP/2 stream has no Nagle setting of its own (node:http2 turns it off on its sockets).
    if ('setNoDelay' in socket) socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onBytes(chunk));
    socket.on('end', () => {
      this.receivedFin = true;
      this.recordDrop('fin');
    });
    socket.on('error', () => this.recordDrop('reset'));
    socket.on('close', () => this.recordDrop(this.destroyedByDriver ? 'driver' : this.receivedFin ? 'fin' : 'reset'));
    if (initialBytes.length > 0) this.onBytes(initialBytes);
    socket.resume();
  }

  /** Milliseconds since the WebSocket connection opened. */
  now(): number {
    return performance.now() - this.openedAt;
  }

  // ---- sending -------------------------------------------------------------

  /** Writes raw bytes, cut as `delivery` says; bytes meant for an already dropped connection are discarded. */
  async sendRaw(bytes: Uint8Array, delivery: Delivery = {}): Promise<void> {
    const pieces = cutIntoPieces(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), delivery);
    for (let index = 0; index < pieces.length; index++) {
      if (!(await this.write(pieces[index]!))) return;
      if (delivery.pauseMs && index < pieces.length - 1) await sleep(delivery.pauseMs);
    }
  }

  /** Encodes the frames back to back and delivers them as one byte stream. */
  async sendFrames(specs: FrameSpec[], delivery: Delivery = {}): Promise<void> {
    const encoded = specs.map((spec) => buildFrame(spec, this.role === 'client'));
    // A close frame with reserved bits or without FIN is a protocol error, not the start of a close handshake.
    if (specs.some((spec) => spec.opcode === Opcode.CLOSE && !spec.rsv && spec.fin !== false)) this.closeSent = true;
    await this.sendRaw(Buffer.concat(encoded), delivery);
  }

  sendFrame(spec: FrameSpec, delivery: Delivery = {}): Promise<void> {
    return this.sendFrames([spec], delivery);
  }

  sendText(text: string | Uint8Array, delivery: Delivery = {}): Promise<void> {
    return this.sendFrame({ opcode: Opcode.TEXT, payload: text }, delivery);
  }

  sendBinary(data: Uint8Array, delivery: Delivery = {}): Promise<void> {
    return this.sendFrame({ opcode: Opcode.BINARY, payload: data }, delivery);
  }

  sendPing(payload: string | Uint8Array = ''): Promise<void> {
    return this.sendFrame({ opcode: Opcode.PING, payload });
  }

  /** Sends a close frame: no code gives an empty payload. */
  sendClose(code?: number, reason: string | Uint8Array = ''): Promise<void> {
    const payload = code === undefined ? Buffer.alloc(0) : closePayload(code, reason);
    return this.sendFrame({ opcode: Opcode.CLOSE, payload });
  }

  /** Ping with a unique payload and wait for its pong: everything sent before it has then been processed. */
  async sync(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    const token = `sync-${++this.syncCounter}`;
    this.pendingSyncTokens.add(token);
    await this.sendPing(token);
    await this.waitUntil(`the pong answering sync ping "${token}"`, () => this.answeredSyncTokens.has(token), timeoutMs);
  }

  private write(piece: Buffer): Promise<boolean> {
    if (this.drop || this.socket.destroyed || this.socket.writableEnded) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.socket.write(piece, (error) => resolve(!error));
    });
  }

  // ---- waiting -------------------------------------------------------------

  /** Resolves once `isMet` holds; fails if the connection drops first or the time runs out. */
  waitUntil(description: string, isMet: () => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    if (isMet()) return Promise.resolve();
    if (this.drop) {
      return Promise.reject(new Error(`the connection was already closed when waiting for ${description}; ${this.describeState()}`));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        description,
        isMet,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`waited ${timeoutMs} ms for ${description}; ${this.describeState()}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Waits for `count` events; a close frame ends the wait early, since nothing may follow it. */
  async waitForObservations(count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    const description = `${count} message/ping/pong event(s)`;
    await this.waitUntil(description, () => this.observations.length >= count || this.closeReceived !== null, timeoutMs);
    if (this.observations.length < count) {
      throw new Error(`the implementation sent a close frame while the driver waited for ${description}; ${this.describeState()}`);
    }
  }

  waitForCloseFrame(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return this.waitUntil('a close frame from the implementation', () => this.closeReceived !== null, timeoutMs);
  }

  waitForDrop(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return this.waitUntil('the TCP connection to be closed', () => this.drop !== null, timeoutMs);
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.isMet()) {
        this.settle(waiter);
        waiter.resolve();
      } else if (this.drop) {
        this.settle(waiter);
        waiter.reject(new Error(`the connection was closed while waiting for ${waiter.description}; ${this.describeState()}`));
      }
    }
  }

  private settle(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
  }

  // ---- teardown ------------------------------------------------------------

  /** Closes the TCP connection from the driver's side (as a server does after the close handshake). */
  endTcp(): void {
    if (!this.socket.destroyed && !this.socket.writableEnded) this.socket.end();
  }

  /** Releases the socket whatever state the case left it in. */
  dispose(): void {
    if (!this.socket.destroyed) {
      this.destroyedByDriver = true;
      this.socket.destroy();
    }
    for (const waiter of [...this.waiters]) {
      this.settle(waiter);
      waiter.reject(new Error(`the case ended while waiting for ${waiter.description}`));
    }
  }

  /** A one-line summary for failure messages. */
  describeState(): string {
    const close = this.closeReceived
      ? `close frame ${this.closeReceived.code ?? '(empty)'} at ${this.closeReceived.at.toFixed(0)} ms`
      : 'no close frame';
    const drop = this.drop ? `TCP ${this.drop.how} at ${this.drop.at.toFixed(0)} ms` : 'TCP still open';
    const events = this.observations.map(describeObservation).join(', ') || 'none';
    const violations = this.violations.length > 0 ? `; violations: ${this.violations.join('; ')}` : '';
    return `events: [${events}]; ${close}; ${drop}${violations}`;
  }

  // ---- receiving -----------------------------------------------------------

  private recordDrop(how: ConnectionDrop['how']): void {
    if (!this.drop) {
      this.drop = { how, at: this.now() };
      if (this.parser.pendingByteCount > 0) {
        this.violations.push(`connection closed with ${this.parser.pendingByteCount} bytes of an incomplete frame`);
      }
    }
    this.notify();
  }

  private onBytes(chunk: Buffer): void {
    let frames: WireFrame[];
    try {
      frames = this.parser.push(chunk);
    } catch (error) {
      this.violations.push((error as Error).message);
      this.socket.destroy();
      return;
    }
    for (const frame of frames) this.onFrame(frame);
    this.notify();
  }

  private onFrame(frame: WireFrame): void {
    const implementationRole = this.role === 'client' ? 'server' : 'client';
    if (this.closeReceived) {
      this.violations.push(`frame with opcode ${frame.opcode} after the close frame`);
      return;
    }
    if (frame.masked !== (implementationRole === 'client')) {
      this.violations.push(`a ${implementationRole} sent a ${frame.masked ? 'masked' : 'unmasked'} frame (opcode ${frame.opcode})`);
    }
    if (frame.rsv !== 0) this.violations.push(`frame with reserved bits ${frame.rsv} (opcode ${frame.opcode})`);
    if (frame.nonMinimalLength) this.violations.push(`frame length not minimally encoded (opcode ${frame.opcode})`);
    if (frame.lengthTopBitSet) this.violations.push('64-bit frame length with its most significant bit set');
    if (frame.opcode >= 0x8) {
      if (!frame.fin) this.violations.push(`fragmented control frame (opcode ${frame.opcode})`);
      if (frame.payload.length > 125) this.violations.push(`control frame with ${frame.payload.length}-byte payload`);
    }

    switch (frame.opcode) {
      case Opcode.CONTINUATION:
        return this.onContinuation(frame);
      case Opcode.TEXT:
      case Opcode.BINARY:
        return this.onMessageStart(frame);
      case Opcode.CLOSE:
        return this.onClose(frame);
      case Opcode.PING:
        this.observations.push({ kind: 'ping', data: frame.payload });
        if (!this.closeSent) void this.sendFrame({ opcode: Opcode.PONG, payload: frame.payload });
        return;
      case Opcode.PONG:
        return this.onPong(frame);
      default:
        this.violations.push(`frame with reserved opcode ${frame.opcode}`);
    }
  }

  private onMessageStart(frame: WireFrame): void {
    if (this.fragmentedMessage) this.violations.push('new data frame while a fragmented message was unfinished');
    this.fragmentedMessage = { type: frame.opcode === Opcode.TEXT ? 'text' : 'binary', parts: [frame.payload], frameCount: 1 };
    if (frame.fin) this.completeMessage();
  }

  private onContinuation(frame: WireFrame): void {
    if (!this.fragmentedMessage) {
      this.violations.push('continuation frame without a message to continue');
      return;
    }
    this.fragmentedMessage.parts.push(frame.payload);
    this.fragmentedMessage.frameCount++;
    if (frame.fin) this.completeMessage();
  }

  private completeMessage(): void {
    const message = this.fragmentedMessage!;
    this.fragmentedMessage = null;
    const data = message.parts.length === 1 ? message.parts[0]! : Buffer.concat(message.parts);
    if (message.type === 'text' && !isValidUtf8(data)) this.violations.push('text message that is not valid UTF-8');
    this.observations.push({ kind: 'message', type: message.type, data, frameCount: message.frameCount });
  }

  private onPong(frame: WireFrame): void {
    const token = frame.payload.toString('latin1');
    if (this.pendingSyncTokens.delete(token)) {
      this.answeredSyncTokens.add(token);
      return;
    }
    this.observations.push({ kind: 'pong', data: frame.payload });
  }

  private onClose(frame: WireFrame): void {
    const payload = frame.payload;
    let code: number | null = null;
    let reason: Buffer = Buffer.alloc(0);
    if (payload.length === 1) {
      this.violations.push('close frame with a 1-byte payload');
    } else if (payload.length >= 2) {
      code = payload.readUInt16BE(0);
      reason = payload.subarray(2);
      if (!isSendableCloseCode(code)) this.violations.push(`close frame with code ${code}, which may not be sent`);
      if (!isValidUtf8(reason)) this.violations.push('close reason that is not valid UTF-8');
    }
    this.closeReceived = { code, reason, at: this.now() };
    if (!this.closeSent && this.replyToClose) {
      // Echo the code as RFC 6455 5.5.1 suggests, unless it is one that may not be sent back.
      const replyCode = code === null ? undefined : isSendableCloseCode(code) ? code : 1000;
      void this.sendClose(replyCode).then(() => this.afterCloseHandshake());
    } else {
      this.afterCloseHandshake();
    }
  }

  private afterCloseHandshake(): void {
    // RFC 6455 7.1.1: the server closes the TCP connection first.
    if (this.role === 'server' && this.closeSent && this.closeReceived) this.endTcp();
  }
}

export function describeObservation(observation: Observation): string {
  const data = observation.data;
  const label = observation.kind === 'message' ? observation.type : observation.kind;
  if (data.length <= 48) {
    const printable = observation.kind === 'message' && observation.type === 'text' && isValidUtf8(data);
    return `${label}(${data.length}) ${printable ? JSON.stringify(data.toString('utf8')) : data.toString('hex')}`;
  }
  return `${label}(${data.length}) sha1:${createHash('sha1').update(data).digest('hex').slice(0, 12)}`;
}

function cutIntoPieces(bytes: Buffer, delivery: Delivery): Buffer[] {
  const cuts: number[] = [];
  if (delivery.chopSize) {
    for (let offset = delivery.chopSize; offset < bytes.length; offset += delivery.chopSize) cuts.push(offset);
  }
  if (delivery.splitAt) cuts.push(...delivery.splitAt.filter((offset) => offset > 0 && offset < bytes.length));
  cuts.sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const cut of cuts) {
    if (cut > start) pieces.push(bytes.subarray(start, cut));
    start = Math.max(start, cut);
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
