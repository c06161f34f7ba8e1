import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * Just enough RFC 6455 for the benchmark's own fixed peers (the raw load
 * driver, the idle connector and the raw echo server): a fixed handshake and
 * frame headers. Kept apart from src/ on purpose, so that the tool measuring
 * gdws does not run gdws code.
 */

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
export const CLIENT_KEY = 'YmVuY2htYXJrLWtleS0xMg==';
const HEAD_END = Buffer.from('\r\n\r\n');

export function acceptFor(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/**
 * An open raw WebSocket. Reads land in one buffer that every raw socket of
 * the process reuses (no allocation per read, 256 KiB per read call), so a
 * chunk handed to `onChunk` is valid only during that call.
 */
export interface RawWebSocket {
  socket: Socket;
  onChunk: (chunk: Buffer) => void;
}

const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

/** Opens a TCP connection and completes the client handshake; resolves paused, no bytes pending. */
export function openRawWebSocket(port: number): Promise<RawWebSocket> {
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const raw: RawWebSocket = {
      socket: connect({
        host: '127.0.0.1',
        port,
        noDelay: true,
        onread: {
          buffer: READ_BUFFER,
          callback: (bytes) => {
            raw.onChunk(READ_BUFFER.subarray(0, bytes));
            return true;
          },
        },
      }),
      onChunk: (chunk) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf(HEAD_END);
        if (end < 0) return;
        socket.off('error', fail);
        raw.onChunk = () => {};
        const text = head.subarray(0, end).toString('latin1');
        if (!text.startsWith('HTTP/1.1 101') || !text.toLowerCase().includes(acceptFor(CLIENT_KEY).toLowerCase())) {
          fail(new Error(`Handshake refused: ${text.split('\r\n')[0]}`));
          return;
        }
        if (end + 4 !== head.length) {
          fail(new Error('Server sent frames before the client did'));
          return;
        }
        socket.pause();
        resolve(raw);
      },
    };
    const socket = raw.socket;
    const fail = (error: Error): void => {
      socket.destroy();
      reject(error);
    };
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.write(
        `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${CLIENT_KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
  });
}

/**
 * Writes an unmasked (server) or masked (client, with `maskKey`) frame header
 * whose first byte (FIN, RSV, opcode) is `firstByte`; returns its length.
 */
export function writeHeader(target: Buffer, offset: number, firstByte: number, length: number, maskKey: Buffer | null): number {
  target[offset] = firstByte;
  const maskBit = maskKey === null ? 0 : 0x80;
  let at: number;
  if (length < 126) {
    target[offset + 1] = maskBit | length;
    at = offset + 2;
  } else if (length < 65536) {
    target[offset + 1] = maskBit | 126;
    target.writeUInt16BE(length, offset + 2);
    at = offset + 4;
  } else {
    target[offset + 1] = maskBit | 127;
    target.writeUInt32BE(Math.floor(length / 0x100000000), offset + 2);
    target.writeUInt32BE(length >>> 0, offset + 6);
    at = offset + 10;
  }
  if (maskKey !== null) {
    maskKey.copy(target, at);
    at += 4;
  }
  return at - offset;
}

export function headerLength(length: number, masked: boolean): number {
  const base = length < 126 ? 2 : length < 65536 ? 4 : 10;
  return masked ? base + 4 : base;
}

/** The payload every benchmark message carries: a pattern, so echoes can be checked byte for byte. */
export function benchmarkPayload(size: number): Buffer {
  const payload = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) payload[i] = (i * 31 + 7) & 0xff;
  return payload;
}
