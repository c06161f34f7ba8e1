import { connect as connectHttp2, type ClientHttp2Session, type SecureClientSessionOptions } from 'node:http2';
import type { ConnectionOptions } from 'node:tls';
import type { WebSocketUrl } from '../handshake/index.js';
import type { TLSOptions } from './tls-options.js';

/** A pooled HTTP/2 connection and the WebSockets that use it. */
export interface PooledSession {
  readonly session: ClientHttp2Session;
  /** Settles once the server's SETTINGS arrived (true) or the connection failed first (the error). */
  readonly ready: Promise<true | NodeJS.ErrnoException>;
  users: number;
  /** False once the session may take no new streams (GOAWAY, closing, failed). */
  usable: boolean;
}

/**
 * The client's HTTP/2 connections, one per origin (and TLS settings): every
 * WebSocket opened over HTTP/2 to that origin becomes one more stream of the
 * same connection. A connection is closed when its last WebSocket is gone,
 * and taken out of use on GOAWAY or failure (WebSockets opened later get a
 * new one). It lives on the EventLoopIo, like the rest of the peers' shared I/O state.
 */
export class Http2SessionPool {
  private readonly byOrigin = new Map<string, PooledSession[]>();
  /** TLSOptions objects by identity: two WebSockets share a connection only with the same TLS settings. */
  private readonly tlsIds = new WeakMap<TLSOptions, number>();
  private nextTlsId = 1;

  /** Sessions open now (for tests and diagnostics). */
  get size(): number {
    let count = 0;
    for (const list of this.byOrigin.values()) count += list.length;
    return count;
  }

  /** A session to `url`'s origin with one more user: call `release` exactly once when done with it. */
  acquire(url: WebSocketUrl, tlsOptions: TLSOptions | undefined, secureOptions: ConnectionOptions | null): PooledSession {
    const key = this.keyOf(url, tlsOptions);
    const list = this.byOrigin.get(key) ?? [];
    let entry = list.find((candidate) => candidate.usable);
    if (entry === undefined) {
      entry = this.open(url, secureOptions, () => this.forget(key, entry!));
      list.push(entry);
      this.byOrigin.set(key, list);
    }
    entry.users++;
    return entry;
  }

  release(entry: PooledSession): void {
    entry.users--;
    if (entry.users > 0) return;
    entry.usable = false;
    // Let node:http2 finish the turn in which the last stream closed before the session goes.
    setImmediate(() => {
      if (entry.users === 0 && !entry.session.closed) entry.session.close();
    });
  }

  private keyOf(url: WebSocketUrl, tlsOptions: TLSOptions | undefined): string {
    let tlsId = 0;
    if (url.secure && tlsOptions !== undefined) {
      tlsId = this.tlsIds.get(tlsOptions) ?? this.nextTlsId++;
      this.tlsIds.set(tlsOptions, tlsId);
    }
    return `${url.secure ? 'https' : 'http'}://${url.hostHeader}#${tlsId}`;
  }

  private open(url: WebSocketUrl, secureOptions: ConnectionOptions | null, gone: () => void): PooledSession {
    const authority = `${url.secure ? 'https' : 'http'}://${url.host.includes(':') ? `[${url.host}]` : url.host}:${url.port}`;
    const options: SecureClientSessionOptions = { ...(secureOptions ?? {}), host: url.host, port: url.port };
    const session = connectHttp2(authority, options);
    const ready = new Promise<true | NodeJS.ErrnoException>((resolve) => {
      session.once('remoteSettings', () => resolve(true));
      session.once('error', (error: NodeJS.ErrnoException) => resolve(error));
      session.once('close', () => resolve(Object.assign(new Error(`${authority} closed the HTTP/2 connection before its SETTINGS`), { code: 'ECONNRESET' })));
    });
    // Errors end the session ('close' follows); each WebSocket learns of it from its own stream.
    session.on('error', () => {});
    session.once('connect', (_session, socket) => socket.setNoDelay?.(true));
    const entry: PooledSession = { session, ready, users: 0, usable: true };
    session.once('goaway', () => {
      entry.usable = false;
      gone();
    });
    session.once('close', () => {
      entry.usable = false;
      gone();
    });
    return entry;
  }

  private forget(key: string, entry: PooledSession): void {
    const list = this.byOrigin.get(key);
    if (list === undefined) return;
    const rest = list.filter((candidate) => candidate !== entry);
    if (rest.length === 0) this.byOrigin.delete(key);
    else this.byOrigin.set(key, rest);
  }
}
