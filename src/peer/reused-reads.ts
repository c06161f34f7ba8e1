import { Socket } from 'node:net';
import type { ByteStream } from './byte-stream.js';

interface SocketInternals {
  _handle: { useUserBuffer?: unknown; readStop?: unknown } | null;
}

/**
 * Moves an open plain TCP socket's handle to a new net.Socket that reads
 * into buffers of our choosing (Node's `onread` option) instead of a Buffer
 * Node allocates per read and pushes through the Readable stream: before
 * each read `nextBuffer` names the memory to read into (the event loop's
 * reused buffer, or one of the read's own), and `onRead` is called with the
 * byte count, as a method of the new socket. Bytes read into the reused
 * buffer are valid only until it returns. Node offers `onread` only when a
 * socket is created, and the server's sockets are created by node:net and
 * node:http, hence the move; it reaches into `_handle`, so any socket whose
 * shape is not the expected one stays as it is.
 *
 * Returns the new socket (paused; the old one is destroyed without closing
 * the connection), or null when this stream cannot move: TLS or HTTP/2,
 * bytes still being written or already buffered for reading, or a stream
 * that is ending.
 */
export function moveToReusedReads(stream: ByteStream, nextBuffer: () => Buffer, onRead: (this: Socket, bytes: number, buffer: Buffer) => void): Socket | null {
  if (!(stream instanceof Socket) || (stream as { encrypted?: boolean }).encrypted === true) return null;
  if (stream.destroyed || stream.writableLength > 0 || stream.writableEnded || stream.readableLength > 0 || stream.readableEnded) return null;
  const internals = stream as unknown as SocketInternals;
  const handle = internals._handle;
  if (handle === null || typeof handle.useUserBuffer !== 'function' || typeof handle.readStop !== 'function') return null;
  internals._handle = null;
  // `handle` and `pauseOnCreate` are what node:net itself passes for accepted connections; @types/node leaves them out.
  const options = { handle, allowHalfOpen: stream.allowHalfOpen, pauseOnCreate: true, onread: { buffer: nextBuffer, callback: onRead } };
  const socket = new Socket(options);
  // The old socket no longer owns the connection: destroying it closes nothing and releases its server's count.
  stream.on('error', ignore);
  stream.destroy();
  return socket;
}

function ignore(): void {}
