import { connect, type Socket } from 'node:net';
import { acceptFor, writeHeader } from '../support/raw-websocket.js';

/**
 * A raw client connection for the flood benchmark: a normal RFC 6455 client
 * handshake on a plain TCP socket (optionally offering permessage-deflate),
 * then the caller writes whatever frames it likes. No gdws code runs here.
 */

const CLIENT_KEY = 'Zmxvb2QtYmVuY2gta2V5IQ==';
const HEAD_END = Buffer.from('\r\n\r\n');

export interface HandshakeOptions {
  path?: string;
  extraHeaders?: string[];
  timeoutMs?: number;
}

export interface OpenConnection {
  socket: Socket;
  /** Bytes the server sent after its response head (frames), to feed a frame reader first. */
  rest: Buffer;
  responseHead: string;
}

/** Connects to 127.0.0.1:port and completes the upgrade; resolves with the socket paused. */
export function openConnection(port: number, options: HandshakeOptions = {}): Promise<OpenConnection> {
  const path = options.path ?? '/';
  const extra = (options.extraHeaders ?? []).map((line) => `${line}\r\n`).join('');
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    let head = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new Error('handshake timed out')), options.timeoutMs ?? 5000);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf(HEAD_END);
      if (end < 0) return;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', fail);
      socket.off('close', onClose);
      socket.pause();
      const text = head.subarray(0, end).toString('latin1');
      if (!text.startsWith('HTTP/1.1 101') || !text.toLowerCase().includes(acceptFor(CLIENT_KEY).toLowerCase())) {
        socket.destroy();
        reject(new Error(`handshake refused: ${text.split('\r\n')[0]}`));
        return;
      }
      resolve({ socket, rest: Buffer.from(head.subarray(end + 4)), responseHead: text });
    };
    const onClose = (): void => fail(new Error('closed during handshake'));
    socket.on('data', onData);
    socket.once('error', fail);
    socket.once('close', onClose);
    socket.once('connect', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${CLIENT_KEY}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
      );
    });
  });
}

const MASK_KEY = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);

/** One masked client frame: `firstByte` is FIN|RSV|opcode. */
export function maskedFrame(firstByte: number, payload: Uint8Array, maskKey: Buffer = MASK_KEY): Buffer {
  const header = Buffer.allocUnsafe(14);
  const headerLength = writeHeader(header, 0, firstByte, payload.length, maskKey);
  const frame = Buffer.allocUnsafe(headerLength + payload.length);
  header.copy(frame, 0, 0, headerLength);
  for (let i = 0; i < payload.length; i++) frame[headerLength + i] = payload[i]! ^ maskKey[i & 3]!;
  return frame;
}

/** `count` copies of `frame` back to back, to write many frames per syscall. */
export function repeated(frame: Buffer, count: number): Buffer {
  return Buffer.concat(Array.from({ length: count }, () => frame));
}
