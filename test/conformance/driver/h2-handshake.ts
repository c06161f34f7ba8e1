import { connect, type ClientHttp2Session } from 'node:http2';
import { RawPeer } from './raw-peer.js';

const HANDSHAKE_TIMEOUT_MS = 5_000;

/**
 * The raw driver over HTTP/2 (RFC 8441): one h2c connection to the server
 * under test, and an extended CONNECT by hand per case, each case's frames on
 * a stream of that shared connection. END_STREAM plays the part of a TCP FIN
 * and RST_STREAM that of a TCP reset.
 */
export class RawH2Connection {
  private constructor(
    private readonly session: ClientHttp2Session,
    private readonly port: number,
  ) {}

  static async open(port: number): Promise<RawH2Connection> {
    const session = connect(`http://127.0.0.1:${port}`);
    session.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      session.once('remoteSettings', () => resolve());
      session.once('error', reject);
    });
    if (session.remoteSettings.enableConnectProtocol !== true) {
      session.destroy();
      throw new Error('the server did not announce SETTINGS_ENABLE_CONNECT_PROTOCOL');
    }
    return new RawH2Connection(session, port);
  }

  /** Opens one WebSocket on a new stream and checks the server's 200. */
  async connect(path = '/'): Promise<RawPeer> {
    const stream = this.session.request({
      ':method': 'CONNECT',
      ':protocol': 'websocket',
      ':scheme': 'http',
      ':path': path,
      ':authority': `127.0.0.1:${this.port}`,
      'sec-websocket-version': '13',
    });
    stream.on('error', () => {});
    const status = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer to the extended CONNECT')), HANDSHAKE_TIMEOUT_MS);
      stream.once('response', (headers) => {
        clearTimeout(timer);
        resolve(Number(headers[':status']));
      });
      stream.once('close', () => reject(new Error(`the stream closed before an answer (code ${stream.rstCode})`)));
    });
    if (status !== 200) {
      stream.close();
      throw new Error(`the server answered ${status} to the extended CONNECT`);
    }
    return new RawPeer(stream, 'client', Buffer.alloc(0));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.session.closed) resolve();
      else this.session.close(() => resolve());
    });
  }
}
