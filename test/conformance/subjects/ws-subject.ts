import { WebSocket, WebSocketServer } from 'ws';
import type { EchoClientSubject, EchoServerSubject } from './subject.js';

/**
 * The `ws` package as the implementation under test. It exists to prove the
 * driver against a mature implementation; ws is known to reach only the
 * testsuite's NON-STRICT or FAILED grade in a few strict cases (see
 * WS_KNOWN_STRICT_FAILURES), and the driver must notice exactly those.
 */

export const wsServerSubject: EchoServerSubject = {
  name: 'ws server',
  async start({ maxMessageSize }) {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: maxMessageSize });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    server.on('connection', (socket) => {
      socket.on('message', (data, isBinary) => socket.send(data as Buffer, { binary: isBinary }));
      socket.on('error', () => {
        // Protocol errors are what the cases provoke; ws closes the connection itself.
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the ws server has no TCP address');
    return {
      port: address.port,
      close: async () => {
        for (const client of server.clients) client.terminate();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  },
};

export const wsClientSubject: EchoClientSubject = {
  name: 'ws client',
  async connect(url, { maxMessageSize }) {
    const socket = new WebSocket(url, { maxPayload: maxMessageSize });
    socket.on('message', (data, isBinary) => socket.send(data as Buffer, { binary: isBinary }));
    socket.on('error', () => {
      // Protocol errors are what the cases provoke; ws closes the connection itself.
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('unexpected-response', () => reject(new Error('unexpected handshake response')));
      socket.once('error', reject);
    });
    return {
      close: async () => {
        socket.terminate();
      },
    };
  },
};

/**
 * Cases where ws 8.23 misses the strict grade, with the reason, so the ws run
 * can expect them to fail (and thereby proves the driver detects them):
 * - 6.4.x: ws validates UTF-8 only once a message is complete, so it does not
 *   fail fast on an invalid early fragment (the testsuite grades this NON-STRICT).
 * - 9.3.1 / 9.4.1: 65,536 fragments exceed ws's default maxFragments of
 *   16,384 (server and client alike), so ws closes with 1008 instead of echoing.
 *   (This replay sends 9.3.2 / 9.4.2 as exactly 16,384 frames, which ws accepts;
 *   against the real testsuite ws closes those with 1008 too.)
 */
const WS_STRICT_FAILURES = ['6.4.1', '6.4.2', '6.4.3', '6.4.4', '9.3.1', '9.4.1'];
export const WS_KNOWN_STRICT_FAILURES: Record<'server' | 'client', ReadonlySet<string>> = {
  server: new Set(WS_STRICT_FAILURES),
  client: new Set(WS_STRICT_FAILURES),
};
