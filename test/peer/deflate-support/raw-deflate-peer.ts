import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { constants as zlibConstants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { acceptKeyFor } from '../../conformance/driver/handshake.js';
import { buildFrame, closePayload, Opcode, type FrameSpec } from '../../conformance/driver/frame-builder.js';
import { FrameParser, type WireFrame } from '../../conformance/driver/frame-parser.js';
import { readHttpHead } from '../../conformance/driver/http-head.js';

const TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);
const WINDOW = 32 * 1024;
const WAIT_MS = 10_000;

/** A message the implementation sent, inflated when it came compressed. */
export interface ReceivedMessage {
  opcode: number;
  data: Buffer;
  compressed: boolean;
  frames: WireFrame[];
}

export interface CompressionState {
  /** Compress each message on its own (no_context_takeover for our side). */
  sendWithoutContext: boolean;
  /** The implementation resets its compressor after each message. */
  receiveWithoutContext: boolean;
  /** The implementation's agreed window: inflating with exactly it catches matches reaching too far back. */
  receiveWindowBits?: number;
}

/**
 * One side of a permessage-deflate connection driven by hand: crafts frames
 * (reserved bits included) and compresses with node:zlib's sync API, keeping
 * context takeover with preset dictionaries (the last 32 KiB each way), so
 * every byte on the wire is chosen by the test.
 */
export class RawDeflatePeer {
  readonly messages: ReceivedMessage[] = [];
  readonly controlFrames: WireFrame[] = [];
  closeFrame: { code: number | null; reason: string } | null = null;
  ended = false;
  private closeSent = false;
  readonly problems: string[] = [];
  private readonly parser = new FrameParser();
  private partial: WireFrame[] = [];
  private sendWindow: Buffer = Buffer.alloc(0);
  private receiveWindow: Buffer = Buffer.alloc(0);
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly socket: Socket,
    private readonly masking: boolean,
    readonly state: CompressionState,
    initial: Buffer,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onBytes(chunk));
    socket.on('close', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('error', () => {});
    if (initial.length > 0) this.onBytes(initial);
    socket.resume();
  }

  /** Connects to 127.0.0.1:port with `extensions` as the Sec-WebSocket-Extensions offer ('' for none). */
  static async connect(port: number, extensions: string, state: CompressionState): Promise<{ peer: RawDeflatePeer; responseExtensions: string }> {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const key = randomBytes(16).toString('base64');
    socket.write(
      'GET / HTTP/1.1\r\n' +
        `Host: 127.0.0.1:${port}\r\n` +
        'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n` +
        (extensions === '' ? '' : `Sec-WebSocket-Extensions: ${extensions}\r\n`) +
        '\r\n',
    );
    const head = await readHttpHead(socket, WAIT_MS);
    if (!head.startLine.startsWith('HTTP/1.1 101') || head.headers.get('sec-websocket-accept') !== acceptKeyFor(key)) {
      socket.destroy();
      throw new Error(`handshake failed: ${head.startLine}`);
    }
    return { peer: new RawDeflatePeer(socket, true, state, head.rest), responseExtensions: head.headers.get('sec-websocket-extensions') ?? '' };
  }

  // ---- sending ---------------------------------------------------------------

  sendFrame(spec: FrameSpec): void {
    if (spec.opcode === Opcode.CLOSE) this.closeSent = true;
    this.socket.write(buildFrame(spec, this.masking));
  }

  /** DEFLATE bytes for `data` as this side's compressor would put them in a message (tail removed). */
  compress(data: Buffer): Buffer {
    const dictionary = this.state.sendWithoutContext || this.sendWindow.length === 0 ? undefined : this.sendWindow;
    const flushed = deflateRawSync(data, { finishFlush: zlibConstants.Z_SYNC_FLUSH, ...(dictionary ? { dictionary } : {}) });
    if (!this.state.sendWithoutContext) this.sendWindow = lastWindow(this.sendWindow, data);
    return flushed.subarray(0, flushed.length - TAIL.length);
  }

  /**
   * Sends `data` compressed, whole or cut into frames (`fragments` of them, or
   * pieces of `fragmentSize` bytes): RSV1 on the first only, as RFC 7692 requires.
   */
  sendCompressed(opcode: number, data: Buffer | string, cut: { fragments?: number; fragmentSize?: number } = {}): void {
    const payload = this.compress(Buffer.from(data));
    const size = cut.fragmentSize ?? Math.max(1, Math.ceil(payload.length / (cut.fragments ?? 1)));
    const fragments = Math.max(1, Math.ceil(payload.length / size));
    for (let index = 0; index < fragments; index++) {
      const piece = payload.subarray(index * size, Math.min(payload.length, (index + 1) * size));
      this.sendFrame({ opcode: index === 0 ? opcode : Opcode.CONTINUATION, payload: piece, rsv: index === 0 ? 4 : 0, fin: index === fragments - 1 });
    }
  }

  sendClose(code = 1000, reason = ''): void {
    this.sendFrame({ opcode: Opcode.CLOSE, payload: closePayload(code, reason) });
  }

  // ---- waiting ---------------------------------------------------------------

  waitUntil(description: string, condition: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`waited ${timeoutMs} ms for ${description}; ${this.describe()}`));
      }, timeoutMs);
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  waitForMessages(count: number): Promise<void> {
    return this.waitUntil(`${count} messages`, () => this.messages.length >= count);
  }

  waitForClose(): Promise<void> {
    return this.waitUntil('a close frame and the end of TCP', () => this.closeFrame !== null && this.ended);
  }

  describe(): string {
    const close = this.closeFrame === null ? 'no close frame' : `close ${this.closeFrame.code} "${this.closeFrame.reason}"`;
    return `${this.messages.length} messages, ${close}, TCP ${this.ended ? 'closed' : 'open'}, problems: [${this.problems.join('; ')}]`;
  }

  dispose(): void {
    this.socket.destroy();
  }

  // ---- receiving -------------------------------------------------------------

  private onBytes(chunk: Buffer): void {
    for (const frame of this.parser.push(chunk)) this.onFrame(frame);
    this.notify();
  }

  private onFrame(frame: WireFrame): void {
    if (frame.masked === this.masking) this.problems.push(`frame masked=${frame.masked} from the wrong side`);
    if (frame.opcode >= 0x8) {
      if (frame.rsv !== 0) this.problems.push(`control frame ${frame.opcode} with RSV ${frame.rsv}`);
      this.controlFrames.push(frame);
      if (frame.opcode === Opcode.CLOSE) {
        const code = frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : null;
        this.closeFrame = { code, reason: frame.payload.subarray(2).toString('utf8') };
        if (!this.closeSent && !this.socket.destroyed) this.sendFrame({ opcode: Opcode.CLOSE, payload: frame.payload.subarray(0, 2) });
      }
      return;
    }
    if (frame.opcode !== Opcode.CONTINUATION && this.partial.length > 0) this.problems.push('new message inside a fragmented one');
    if (frame.opcode === Opcode.CONTINUATION && frame.rsv !== 0) this.problems.push('RSV bits on a continuation frame');
    if ((frame.rsv & 3) !== 0) this.problems.push(`RSV2/RSV3 set (${frame.rsv})`);
    this.partial.push(frame);
    if (!frame.fin) return;
    const frames = this.partial;
    this.partial = [];
    const first = frames[0]!;
    const payload = Buffer.concat(frames.map((part) => part.payload));
    const compressed = (first.rsv & 4) !== 0;
    let data: Buffer = payload;
    if (compressed) {
      try {
        data = this.decompress(payload);
      } catch (error) {
        this.problems.push(`compressed message that does not inflate: ${(error as Error).message}`);
      }
    }
    this.messages.push({ opcode: first.opcode, data, compressed, frames });
  }

  private decompress(payload: Buffer): Buffer {
    const dictionary = this.state.receiveWithoutContext || this.receiveWindow.length === 0 ? undefined : this.receiveWindow;
    const windowBits = this.state.receiveWindowBits ?? 15;
    const data = inflateRawSync(Buffer.concat([payload, TAIL]), {
      windowBits,
      finishFlush: zlibConstants.Z_SYNC_FLUSH,
      ...(dictionary ? { dictionary: dictionary.subarray(Math.max(0, dictionary.length - (1 << windowBits))) } : {}),
    });
    if (!this.state.receiveWithoutContext) this.receiveWindow = lastWindow(this.receiveWindow, data);
    return data;
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

function lastWindow(previous: Buffer, data: Buffer): Buffer {
  if (data.length >= WINDOW) return Buffer.from(data.subarray(data.length - WINDOW));
  const joined = Buffer.concat([previous, data]);
  return joined.length > WINDOW ? joined.subarray(joined.length - WINDOW) : joined;
}

/**
 * A fake server for one gdws client: answers the handshake with the
 * Sec-WebSocket-Extensions value `answer` chooses from the client's offer.
 */
export class RawDeflateServer {
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => this.sockets.add(socket));
  }

  static async listen(): Promise<RawDeflateServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new RawDeflateServer(server);
  }

  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    return `ws://127.0.0.1:${address.port}/`;
  }

  /** Resolves with the connection once its handshake was answered, and the offer the client made. */
  accept(answer: (offer: string) => string, state: CompressionState): Promise<{ peer: RawDeflatePeer; offer: string }> {
    return new Promise((resolve, reject) => {
      this.server.once('connection', (socket: Socket) => {
        socket.on('error', () => {});
        readHttpHead(socket, WAIT_MS).then((request) => {
          const key = request.headers.get('sec-websocket-key') ?? '';
          const offer = request.headers.get('sec-websocket-extensions') ?? '';
          const extensions = answer(offer);
          socket.write(
            'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
              `Sec-WebSocket-Accept: ${acceptKeyFor(key)}\r\n` +
              (extensions === '' ? '' : `Sec-WebSocket-Extensions: ${extensions}\r\n`) +
              '\r\n',
          );
          resolve({ peer: new RawDeflatePeer(socket, false, state, request.rest), offer });
        }, reject);
      });
    });
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
