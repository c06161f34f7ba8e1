import { createRequire } from 'node:module';
import { createServer, type Socket } from 'node:net';
import { acceptFor, writeHeader } from './support/raw-websocket.js';
import { announceReady, answerUsageRequests, portArgument } from './support/server-control.js';

/**
 * The fixed peer for client-side measurements: a streaming echo server with
 * no WebSocket library. It never assembles a message: each received chunk's
 * frames are unmasked straight into one reply buffer (ws's native bufferutil
 * does the XOR) and written at once, so it costs far less CPU than the
 * clients it serves. Enough protocol for the benchmark (data frames, ping,
 * close); not a general server.
 */
interface BufferUtil {
  mask(source: Buffer, mask: Buffer, output: Buffer, offset: number, length: number): void;
}
const bufferUtil = createRequire(import.meta.url)('bufferutil') as BufferUtil;

const CLOSE = 0x8;
const PING = 0x9;
const PONG = 0xa;
const HEAD_END = Buffer.from('\r\n\r\n');
const KEY_PATTERN = /^sec-websocket-key:\s*(\S+)\s*$/im;

/**
 * Reply buffers, reused once their write is done: a fresh 64 KiB buffer per
 * read would cost this server page faults on every large message and make it
 * slower than the clients it is there to serve.
 */
const REPLY_BUFFER_SIZE = 64 * 1024 + 64;
const spareReplyBuffers: Buffer[] = [];

function takeReplyBuffer(length: number): Buffer {
  if (length > REPLY_BUFFER_SIZE) return Buffer.allocUnsafe(length);
  return spareReplyBuffers.pop() ?? Buffer.allocUnsafeSlow(REPLY_BUFFER_SIZE);
}

function giveBackReplyBuffer(buffer: Buffer): void {
  if (buffer.length === REPLY_BUFFER_SIZE && spareReplyBuffers.length < 256) spareReplyBuffers.push(buffer);
}

class EchoConnection {
  private head: Buffer | null = Buffer.alloc(0);
  private readonly header = Buffer.alloc(14);
  private headerFilled = 0;
  private remaining = -1;
  private phase = 0;
  private readonly key = Buffer.alloc(4);
  private readonly rotatedKey = Buffer.alloc(4);
  private closing = false;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => (this.head === null ? this.echo(chunk) : this.handshake(chunk)));
    socket.on('error', () => {});
  }

  private handshake(chunk: Buffer): void {
    const head = Buffer.concat([this.head!, chunk]);
    const end = head.indexOf(HEAD_END);
    if (end < 0) {
      this.head = head;
      return;
    }
    this.head = null;
    const key = KEY_PATTERN.exec(head.subarray(0, end).toString('latin1'))?.[1];
    if (key === undefined) {
      this.socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    this.socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptFor(key)}\r\n\r\n`);
    if (end + 4 < head.length) this.echo(head.subarray(end + 4));
  }

  private echo(chunk: Buffer): void {
    if (this.closing) return;
    // A reply frame is never longer than the frame it answers (no masking key), give or take a split header.
    const out = takeReplyBuffer(chunk.length + 14);
    let used = 0;
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining < 0) {
        offset = this.readHeader(chunk, offset);
        if (this.remaining < 0) break;
        const opcode = this.header[0]! & 0x0f;
        if (opcode === CLOSE) this.closing = true;
        const firstByte = opcode === PING ? (this.header[0]! & 0xf0) | PONG : this.header[0]!;
        used += writeHeader(out, used, firstByte, this.remaining, null);
      }
      const take = Math.min(this.remaining, chunk.length - offset);
      this.unmaskInto(chunk, offset, take, out, used);
      used += take;
      offset += take;
      this.remaining -= take;
      this.phase = (this.phase + take) & 3;
      if (this.remaining === 0) {
        this.remaining = -1;
        if (this.closing) break;
      }
    }
    if (used > 0) this.socket.write(out.subarray(0, used), () => giveBackReplyBuffer(out));
    else giveBackReplyBuffer(out);
    if (this.closing) this.socket.end();
  }

  private readHeader(chunk: Buffer, offset: number): number {
    const header = this.header;
    while (offset < chunk.length && this.headerFilled < 2) header[this.headerFilled++] = chunk[offset++]!;
    if (this.headerFilled < 2) return offset;
    const code = header[1]! & 0x7f;
    const needed = (code < 126 ? 2 : code === 126 ? 4 : 10) + 4;
    while (offset < chunk.length && this.headerFilled < needed) header[this.headerFilled++] = chunk[offset++]!;
    if (this.headerFilled < needed) return offset;
    this.remaining = code < 126 ? code : code === 126 ? header.readUInt16BE(2) : header.readUInt32BE(2) * 0x100000000 + header.readUInt32BE(6);
    header.copy(this.key, 0, needed - 4, needed);
    this.phase = 0;
    this.headerFilled = 0;
    return offset;
  }

  private unmaskInto(source: Buffer, offset: number, length: number, out: Buffer, at: number): void {
    let key = this.key;
    if (this.phase !== 0) {
      for (let i = 0; i < 4; i++) this.rotatedKey[i] = key[(this.phase + i) & 3]!;
      key = this.rotatedKey;
    }
    if (length >= 64) {
      bufferUtil.mask(source.subarray(offset, offset + length), key, out, at, length);
      return;
    }
    for (let i = 0; i < length; i++) out[at + i] = source[offset + i]! ^ key[i & 3]!;
  }
}

const server = createServer({ noDelay: true }, (socket) => new EchoConnection(socket));
server.listen({ host: '127.0.0.1', port: portArgument() }, () => {
  const address = server.address();
  answerUsageRequests();
  announceReady(typeof address === 'object' && address !== null ? address.port : 0);
});
