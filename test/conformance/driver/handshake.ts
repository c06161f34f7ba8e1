import { createHash, randomBytes } from 'node:crypto';
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { headerHasToken, readHttpHead } from './http-head.js';
import { RawPeer } from './raw-peer.js';

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const HANDSHAKE_TIMEOUT_MS = 5_000;

export function acceptKeyFor(key: string): string {
  return createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
}

/** Opens a TCP connection to 127.0.0.1:port and performs the client opening handshake by hand. */
export async function connectRawClient(port: number, path = '/'): Promise<RawPeer> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => {
    // Errors surface through the handshake promise below and, later, through RawPeer.
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const key = randomBytes(16).toString('base64');
    socket.write(
      `GET ${path} HTTP/1.1\r\n` +
        `Host: 127.0.0.1:${port}\r\n` +
        'Upgrade: websocket\r\n' +
        'Connection: Upgrade\r\n' +
        `Sec-WebSocket-Key: ${key}\r\n` +
        'Sec-WebSocket-Version: 13\r\n' +
        '\r\n',
    );
    const response = await readHttpHead(socket, HANDSHAKE_TIMEOUT_MS);
    const problems: string[] = [];
    if (!/^HTTP\/1\.1 101\b/.test(response.startLine)) problems.push(`status line "${response.startLine}"`);
    if (!headerHasToken(response.headers.get('upgrade'), 'websocket')) problems.push('no "Upgrade: websocket"');
    if (!headerHasToken(response.headers.get('connection'), 'upgrade')) problems.push('no "Connection: Upgrade"');
    if (response.headers.get('sec-websocket-accept') !== acceptKeyFor(key)) problems.push('wrong Sec-WebSocket-Accept');
    if (problems.length > 0) throw new Error(`the server's opening handshake is wrong: ${problems.join(', ')}`);
    return new RawPeer(socket, 'client', response.rest);
  } catch (error) {
    socket.destroy();
    throw error;
  }
}

export interface AcceptedClient {
  peer: RawPeer;
  /** The request target the client asked for, e.g. "/runCase?case=1". */
  path: string;
  headers: Map<string, string>;
}

/**
 * A raw fake WebSocket server on 127.0.0.1 with a free port: it answers one
 * client's opening handshake by hand and hands the connection to the case, so
 * the case can send crafted (unmasked) frames to the client under test.
 */
export class RawFakeServer {
  private readonly accepted: Promise<AcceptedClient>;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {
    this.accepted = new Promise((resolve, reject) => {
      server.once('connection', (socket: Socket) => {
        this.sockets.add(socket);
        socket.on('error', () => {
          // Reported through the handshake promise or RawPeer.
        });
        this.answerHandshake(socket).then(resolve, reject);
      });
    });
    // A rejection nobody awaits yet must not crash the run; accept() reports it.
    this.accepted.catch(() => {});
  }

  static async listen(): Promise<RawFakeServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return new RawFakeServer(server);
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the fake server is not listening');
    return address.port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/`;
  }

  /** Resolves with the first client once its handshake has been answered. */
  accept(timeoutMs = HANDSHAKE_TIMEOUT_MS): Promise<AcceptedClient> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no client connected within ${timeoutMs} ms`)), timeoutMs);
      this.accepted.then(
        (client) => {
          clearTimeout(timer);
          resolve(client);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async answerHandshake(socket: Socket): Promise<AcceptedClient> {
    const request = await readHttpHead(socket, HANDSHAKE_TIMEOUT_MS);
    const [method, path = '', version] = request.startLine.split(' ');
    const key = request.headers.get('sec-websocket-key');
    const problems: string[] = [];
    if (method !== 'GET' || version !== 'HTTP/1.1') problems.push(`request line "${request.startLine}"`);
    if (!headerHasToken(request.headers.get('upgrade'), 'websocket')) problems.push('no "Upgrade: websocket"');
    if (!headerHasToken(request.headers.get('connection'), 'upgrade')) problems.push('no "Connection: Upgrade"');
    if (request.headers.get('sec-websocket-version') !== '13') problems.push('Sec-WebSocket-Version is not 13');
    if (!key || Buffer.from(key, 'base64').length !== 16) problems.push('missing or malformed Sec-WebSocket-Key');
    if (!request.headers.has('host')) problems.push('no Host header');
    if (problems.length > 0) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      throw new Error(`the client's opening handshake is wrong: ${problems.join(', ')}`);
    }
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\n' +
        'Upgrade: websocket\r\n' +
        'Connection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${acceptKeyFor(key!)}\r\n` +
        '\r\n',
    );
    return { peer: new RawPeer(socket, 'server', request.rest), path, headers: request.headers };
  }
}
