import type { ByteStream } from './byte-stream.js';

/** What the shared socket listeners call on the connection a socket belongs to. */
export interface SocketListener {
  receive(chunk: Buffer): void;
  remoteEnded(): void;
  finish(): void;
}

const LISTENER = Symbol('gdws.binding');
type ListenedSocket = ByteStream & { [LISTENER]?: SocketListener };

/**
 * Routes a socket's events to `listener` through listeners shared by every
 * socket (the socket points at its listener), so a connection costs no
 * closures.
 */
export function listen(socket: ByteStream, listener: SocketListener): void {
  (socket as ListenedSocket)[LISTENER] = listener;
  socket.on('data', onSocketData);
  socket.on('close', onSocketClose);
  socket.on('end', onSocketEnd);
  socket.on('error', ignoreSocketError);
}

/** Stops routing (the 'error' listener stays: a late error must not crash the process). */
export function unlisten(socket: ByteStream): void {
  socket.off('data', onSocketData);
  socket.off('end', onSocketEnd);
  socket.off('close', onSocketClose);
  delete (socket as ListenedSocket)[LISTENER];
}

/** Writes a batch in order, corked when it has several chunks; `written` runs once the kernel has it all (or at once without a socket). */
export function writeChunks(socket: ByteStream | null, chunks: Buffer[], written: () => void): void {
  if (socket === null || socket.destroyed) {
    written();
    return;
  }
  if (chunks.length === 1) {
    socket.write(chunks[0]!, written);
    return;
  }
  socket.cork();
  const last = chunks.length - 1;
  for (let i = 0; i < last; i++) socket.write(chunks[i]!);
  socket.write(chunks[last]!, written);
  socket.uncork();
}

/**
 * The `onread` callback of sockets that read into a reused buffer (see
 * reused-reads.ts): routed like 'data', with a view that is valid until it returns.
 */
export function onReusedRead(this: ByteStream, bytes: number, buffer: Buffer): void {
  (this as ListenedSocket)[LISTENER]?.receive(buffer.subarray(0, bytes));
}

function onSocketData(this: ListenedSocket, chunk: Buffer): void {
  this[LISTENER]?.receive(chunk);
}

function onSocketEnd(this: ListenedSocket): void {
  this[LISTENER]?.remoteEnded();
}

function onSocketClose(this: ListenedSocket): void {
  this[LISTENER]?.finish();
}

/** Socket errors (ECONNRESET, EPIPE) are followed by 'close', which reports the unclean end. */
function ignoreSocketError(): void {}
