import type { Socket } from 'node:net';

export interface HttpHead {
  /** The request line or status line. */
  startLine: string;
  /** Header names lower-cased; repeated headers joined with ', '. */
  headers: Map<string, string>;
  /** Bytes that arrived after the blank line: already WebSocket frames. */
  rest: Buffer;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD_BYTES = 16 * 1024;

/** Reads one HTTP/1.1 head from the socket, leaving the socket's later bytes to the caller. */
export function readHttpHead(socket: Socket, timeoutMs: number): Promise<HttpHead> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new Error(`no complete HTTP head within ${timeoutMs} ms`)), timeoutMs);

    function finish(error: Error | null, head?: HttpHead): void {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      if (error) reject(error);
      else resolve(head!);
    }
    function onData(chunk: Buffer): void {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf(HEAD_END);
      if (end === -1) {
        if (received.length > MAX_HEAD_BYTES) finish(new Error('HTTP head larger than 16 KiB'));
        return;
      }
      // Stop the flow before handing over so no frame bytes are emitted to nobody.
      socket.pause();
      finish(null, parseHead(received.subarray(0, end).toString('latin1'), received.subarray(end + HEAD_END.length)));
    }
    function onClose(): void {
      finish(new Error(`connection closed during the HTTP handshake after ${received.length} bytes`));
    }
    function onError(error: Error): void {
      finish(error);
    }
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', onError);
  });
}

function parseHead(text: string, rest: Buffer): HttpHead {
  const [startLine = '', ...lines] = text.split('\r\n');
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  return { startLine, headers, rest: Buffer.from(rest) };
}

/** Whether a comma-separated header value lists `token` (case-insensitive). */
export function headerHasToken(value: string | undefined, token: string): boolean {
  if (value === undefined) return false;
  return value.split(',').some((part) => part.trim().toLowerCase() === token.toLowerCase());
}
