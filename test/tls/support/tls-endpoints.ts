// gdws endpoints over TLS for the tls-*.test.ts files: a wss:// echo server on
// 127.0.0.1 and a client connect that reports its outcome instead of throwing.

import { CryptoKey, GodotError, TLSOptions, WebSocketPeer, WebSocketServer, X509Certificate } from '../../../src/index.js';
import { echoOnGdwsServer, type Cleanup } from '../../server/support/endpoints.js';
import type { KeyAndCertificate } from './test-certificates.js';

export interface TlsServerHandle {
  readonly server: WebSocketServer;
  readonly port: number;
  /** wss://localhost:port */
  readonly url: string;
  /** Reasons of every `handshakeFailed`, in order. */
  readonly failures: string[];
  /** Ids of every `clientConnected`. */
  readonly connected: number[];
}

/** A gdws echo server serving `identity` over TLS (Godot 4 style: `listen({ tls: TLSOptions.server(...) })`). */
export async function startTlsEchoServer(
  cleanup: Cleanup,
  identity: KeyAndCertificate,
  configure: (server: WebSocketServer) => void = () => {},
): Promise<TlsServerHandle> {
  const tls = TLSOptions.server(CryptoKey.load(identity.keyPath), X509Certificate.load(identity.certificatePath));
  return startEchoServer(cleanup, configure, tls);
}

/** A gdws echo server configured through the Godot 3 fields (privateKey, sslCertificate, caChain) by `configure`. */
export async function startGodot3TlsEchoServer(cleanup: Cleanup, configure: (server: WebSocketServer) => void): Promise<TlsServerHandle> {
  return startEchoServer(cleanup, configure, undefined);
}

async function startEchoServer(cleanup: Cleanup, configure: (server: WebSocketServer) => void, tls: TLSOptions | undefined): Promise<TlsServerHandle> {
  const server = new WebSocketServer();
  configure(server);
  const failures: string[] = [];
  const connected: number[] = [];
  server.on('handshakeFailed', (reason) => failures.push(reason));
  server.on('clientConnected', (id) => connected.push(id));
  echoOnGdwsServer(server);
  const result = await server.listen(tls === undefined ? { port: 0, bindIp: '127.0.0.1' } : { port: 0, bindIp: '127.0.0.1', tls });
  if (result !== GodotError.OK) throw new Error(`listen failed: ${result} ${server.lastError?.message}`);
  cleanup.add(() => server.stop());
  const port = server.getListeningPort();
  return { server, port, url: `wss://localhost:${port}`, failures, connected };
}

export interface ConnectOutcome {
  readonly result: GodotError;
  readonly peer: WebSocketPeer;
  /** The `connectionError` reason, or '' when the connection opened. */
  readonly errorReason: string;
}

/** Connects a gdws WebSocketPeer (Godot 4 style) and reports how it went. */
export async function connectPeer(cleanup: Cleanup, url: string, tls?: TLSOptions): Promise<ConnectOutcome> {
  const peer = new WebSocketPeer();
  cleanup.add(() => peer.close(-1));
  let errorReason = '';
  peer.on('connectionError', (reason) => {
    errorReason = reason;
  });
  const result = await peer.connectToUrl(url, tls);
  return { result, peer, errorReason };
}
