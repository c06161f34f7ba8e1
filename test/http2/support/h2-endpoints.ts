import { connect, constants, createServer, type ClientHttp2Session, type ClientHttp2Stream, type Http2Server, type IncomingHttpHeaders } from 'node:http2';
import { GodotError, routeUpgrades, WebSocketServer } from '../../../src/index.js';
import { buildFrame } from '../../conformance/driver/frame-builder.js';
import { FrameParser, type WireFrame } from '../../conformance/driver/frame-parser.js';
import type { Cleanup } from '../../server/support/endpoints.js';

/** An h2c server with extended CONNECT enabled, routing '/ws' to a gdws WebSocketServer. */
export async function startH2cGdwsServer(cleanup: Cleanup, configure: (server: WebSocketServer) => void = () => {}, enableConnectProtocol = true) {
  const server = new WebSocketServer();
  configure(server);
  const h2 = createServer({ settings: { enableConnectProtocol } });
  const unroute = routeUpgrades(h2, { '/ws': server });
  await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
  const port = (h2.address() as { port: number }).port;
  cleanup.add(async () => {
    unroute();
    await server.stop();
    await closeH2Server(h2);
  });
  return { server, h2, port, origin: `http://127.0.0.1:${port}` };
}

export function closeH2Server(h2: Http2Server | { close(cb: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => h2.close(() => resolve()));
}

/**
 * Destroys a client session on a later turn: destroying it in the turn a
 * stream of it closed can spin node:http2 (seen on Node 20).
 */
export async function destroySession(session: ClientHttp2Session): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (!session.destroyed) session.destroy();
}

/** A node:http2 client session that has the server's SETTINGS. */
export async function openSession(cleanup: Cleanup, origin: string): Promise<ClientHttp2Session> {
  const session = connect(origin);
  session.on('error', () => {});
  cleanup.add(() => destroySession(session));
  await new Promise<void>((resolve) => session.once('remoteSettings', () => resolve()));
  return session;
}

export function extendedConnect(session: ClientHttp2Session, port: number, extra: Record<string, string> = {}, path = '/ws'): ClientHttp2Stream {
  const stream = session.request({
    ':method': 'CONNECT',
    ':protocol': 'websocket',
    ':scheme': 'http',
    ':path': path,
    ':authority': `127.0.0.1:${port}`,
    'sec-websocket-version': '13',
    ...extra,
  });
  stream.on('error', () => {});
  return stream;
}

export function responseOf(stream: ClientHttp2Stream): Promise<IncomingHttpHeaders & { ':status'?: number }> {
  return new Promise((resolve) => stream.once('response', resolve));
}

export function bodyOf(stream: ClientHttp2Stream): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    // On 'end', not 'close': destroying the session from within a stream's 'close' can spin node:http2 (seen on Node 20).
    stream.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Reads WebSocket frames off a client stream. */
export class StreamFrames {
  readonly frames: WireFrame[] = [];
  private readonly parser = new FrameParser();
  ended = false;
  closed = false;

  constructor(readonly stream: ClientHttp2Stream) {
    stream.on('data', (chunk: Buffer) => this.frames.push(...this.parser.push(chunk)));
    stream.on('end', () => (this.ended = true));
    stream.on('close', () => (this.closed = true));
  }

  /** Writes one masked client frame. */
  send(opcode: number, payload: Uint8Array | string = '', fin = true): void {
    this.stream.write(buildFrame({ opcode, payload, fin, mask: true }, true));
  }
}

export const { NGHTTP2_CANCEL, NGHTTP2_NO_ERROR } = constants;
export { GodotError };
