import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { FrameParser, type WireFrame } from '../../conformance/driver/frame-parser.js';
import { DEFAULT_WAIT_MS } from './waiting.js';

export interface HttpHead {
  statusLine: string;
  status: number;
  headers: Map<string, string>;
  /** The body, for a response that is not 101 and ends with the connection. */
  body: string;
}

/**
 * A hand-driven TCP connection: sends exactly the bytes a test gives it and
 * records everything that comes back, so tests can play a client or server
 * that no real implementation would be (half handshakes, no pongs, floods).
 */
export class RawSocket {
  readonly socket: Socket;
  /** Every byte received, in order. */
  received: Buffer = Buffer.alloc(0);
  /** Frames received after the opening handshake, in order. */
  readonly frames: WireFrame[] = [];
  ended = false;
  closed = false;
  readonly closedPromise: Promise<void>;
  private reader: FrameParser | null = null;
  private waiters: Array<() => void> = [];

  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      if (this.reader !== null) this.frames.push(...this.reader.push(chunk));
      else this.received = Buffer.concat([this.received, chunk]);
      this.wake();
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', () => {});
    this.closedPromise = new Promise((resolve) => {
      socket.on('close', () => {
        this.closed = true;
        this.wake();
        resolve();
      });
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      socket.once('connect', () => resolve(new RawSocket(socket)));
      socket.once('error', reject);
    });
  }

  write(bytes: Buffer | string): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(bytes, (error) => (error ? reject(error) : resolve())));
  }

  /** Resolves once `condition` holds after some received bytes or the close; rejects after the wait. */
  until(condition: () => boolean, description: string, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== check);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`));
      }, timeoutMs);
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((waiter) => waiter !== check);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  /** The HTTP head received (and, for a refusal, the body up to the close). */
  async readHead(waitForBody = false): Promise<HttpHead> {
    await this.until(() => this.received.includes('\r\n\r\n') || this.closed, 'an HTTP head');
    if (waitForBody) await this.until(() => this.closed || this.ended, 'the end of the HTTP response');
    const text = this.received.toString('latin1');
    const end = text.indexOf('\r\n\r\n');
    if (end < 0) throw new Error(`Connection closed without an HTTP head; received ${JSON.stringify(text)}`);
    const lines = text.slice(0, end).split('\r\n');
    const statusLine = lines[0]!;
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    return { statusLine, status: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4) };
  }

  /** Switches to frame mode: bytes after the HTTP head (and all later bytes) are read as frames. */
  startFrames(): void {
    const text = this.received.toString('latin1');
    const end = text.indexOf('\r\n\r\n');
    const rest = this.received.subarray(end + 4);
    this.reader = new FrameParser();
    if (rest.length > 0) this.frames.push(...this.reader.push(rest));
  }

  async nextFrame(index: number, timeoutMs = DEFAULT_WAIT_MS): Promise<WireFrame> {
    await this.until(() => this.frames.length > index || this.closed, `frame #${index}`, timeoutMs);
    const found = this.frames[index];
    if (found === undefined) throw new Error(`Connection closed after ${this.frames.length} frames, expected frame #${index}`);
    return found;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

export interface UpgradeRequestOptions {
  path?: string;
  host?: string;
  protocols?: string[];
  headerLines?: string[];
}

export function upgradeRequest(options: UpgradeRequestOptions = {}): { request: string; key: string } {
  const key = randomBytes(16).toString('base64');
  let request =
    `GET ${options.path ?? '/'} HTTP/1.1\r\n` +
    `Host: ${options.host ?? 'localhost'}\r\n` +
    'Upgrade: websocket\r\n' +
    'Connection: Upgrade\r\n' +
    `Sec-WebSocket-Key: ${key}\r\n` +
    'Sec-WebSocket-Version: 13\r\n';
  if (options.protocols !== undefined && options.protocols.length > 0) request += `Sec-WebSocket-Protocol: ${options.protocols.join(', ')}\r\n`;
  for (const line of options.headerLines ?? []) request += `${line}\r\n`;
  return { request: `${request}\r\n`, key };
}

export function acceptFor(key: string): string {
  return createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
}

/** A raw client that has completed the opening handshake; `frames` then collects what the server sends. */
export async function rawWebSocketClient(port: number, options: UpgradeRequestOptions = {}): Promise<RawSocket> {
  const raw = await RawSocket.connect(port);
  const { request, key } = upgradeRequest(options);
  await raw.write(request);
  const head = await raw.readHead();
  if (head.status !== 101) throw new Error(`Expected 101, got ${head.statusLine}`);
  if (head.headers.get('sec-websocket-accept') !== acceptFor(key)) throw new Error('Wrong Sec-WebSocket-Accept');
  raw.startFrames();
  return raw;
}
