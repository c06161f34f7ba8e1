import { listenTcp, type TcpListener } from '../../peer/support/loopback.js';
import { acceptFor } from '../../peer/support/raw-socket.js';
import type { Cleanup } from './endpoints.js';

/**
 * A TCP server posing as a WebSocket server: it reads a client's handshake
 * and answers with whatever `respond` returns for the correct accept key,
 * so tests can send wrong keys, other statuses or nothing at all.
 */
export async function startFakeServer(cleanup: Cleanup, respond: (correctAccept: string) => string | Buffer | null): Promise<TcpListener> {
  const listener = await listenTcp((socket) => {
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      if (head.includes('\r\n\r\n')) return;
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      const key = /sec-websocket-key:\s*(\S+)/i.exec(head)?.[1] ?? '';
      const answer = respond(acceptFor(key));
      if (answer !== null) socket.write(typeof answer === 'string' ? Buffer.from(answer, 'latin1') : answer);
    });
  });
  cleanup.add(() => listener.close());
  return listener;
}
