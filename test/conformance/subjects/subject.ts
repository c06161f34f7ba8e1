import type { RawPeer } from '../driver/raw-peer.js';

/**
 * The implementation under test, seen from the conformance suite: an echo
 * server or an echo client that sends every message it receives straight back
 * with the same type (text stays text, binary stays binary).
 */

export interface EchoOptions {
  /** Largest message the implementation must accept (the suite goes up to 16 MiB). */
  maxMessageSize: number;
}

export interface RunningEchoServer {
  readonly port: number;
  /** How the raw driver opens a WebSocket to it; a TCP connection and an HTTP/1.1 upgrade when absent. */
  openRawPeer?(): Promise<RawPeer>;
  close(): Promise<void>;
}

export interface EchoServerSubject {
  readonly name: string;
  start(options: EchoOptions): Promise<RunningEchoServer>;
}

export interface RunningEchoClient {
  /** Releases the client whatever state the case left it in. */
  close(): Promise<void>;
}

export interface EchoClientSubject {
  readonly name: string;
  /** Resolves once the opening handshake succeeded; rejects when it did not. */
  connect(url: string, options: EchoOptions): Promise<RunningEchoClient>;
}

/** 16 MiB messages plus headroom, as the largest Autobahn cases (9.1.6, 9.2.6) need. */
export const CONFORMANCE_ECHO_OPTIONS: EchoOptions = { maxMessageSize: 16 * 1024 * 1024 + 1024 };
