import { constants as http2Constants, type Http2Stream } from 'node:http2';
import type { Socket } from 'node:net';

/**
 * The duplex a WebSocketPeer runs on: a node:net / node:tls socket, or an
 * HTTP/2 stream carrying a WebSocket (RFC 8441). Both write, cork, end,
 * pause and resume the same way and emit data/end/close/error; what differs
 * (the connection's address and Nagle setting belong to the HTTP/2
 * session's socket; an abort is an RST_STREAM, not a TCP reset) is behind
 * the functions here.
 */
export type ByteStream = Socket | Http2Stream;

export function isHttp2Stream(stream: ByteStream): stream is Http2Stream {
  return 'rstCode' in stream;
}

/** The TCP/TLS socket under the stream (shared by every stream of an HTTP/2 session); null once that session is gone. */
export function transportSocket(stream: ByteStream): Socket | null {
  if (!isHttp2Stream(stream)) return stream;
  return stream.session?.socket ?? null;
}

export function remoteAddressOf(stream: ByteStream): string {
  return transportSocket(stream)?.remoteAddress ?? '';
}

export function remotePortOf(stream: ByteStream): number {
  return transportSocket(stream)?.remotePort ?? 0;
}

export function isEncrypted(stream: ByteStream): boolean {
  return (transportSocket(stream) as { encrypted?: boolean } | null)?.encrypted === true;
}

/**
 * Nagle's algorithm for the connection. An HTTP/2 session's socket is
 * shared and node:http2 forbids touching it: whoever accepts or opens the
 * connection sets it (routeUpgrades and the client's session pool turn it off).
 */
export function setNoDelayOn(stream: ByteStream, enabled: boolean): void {
  if (!isHttp2Stream(stream)) stream.setNoDelay(enabled);
}

/**
 * Drops the connection at once: a socket is destroyed; an HTTP/2 stream is
 * reset with CANCEL (RFC 8441 section 5: RST_STREAM in lieu of a TCP reset),
 * which leaves the session and its other streams alone.
 */
export function dropStream(stream: ByteStream): void {
  if (isHttp2Stream(stream)) {
    if (!stream.closed) stream.close(http2Constants.NGHTTP2_CANCEL);
    // close() alone waits for unread received data to be consumed before 'close'; nobody will read it.
    stream.destroy();
    return;
  }
  stream.destroy();
}
