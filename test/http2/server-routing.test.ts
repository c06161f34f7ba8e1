// routeUpgrades on node:http2 servers: h2c, and TLS with allowHTTP1 serving HTTP/1.1
// upgrades and RFC 8441 streams on one port; the edges of handing streams to targets.
import { createSecureServer, createServer, connect, type Http2SecureServer } from 'node:http2';
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { GodotError, routeUpgrades, WebSocketClient, WebSocketMultiplayerPeer, WebSocketServer, TLSOptions } from '../../src/index.js';
import { Cleanup } from '../server/support/endpoints.js';
import { nextEvent, waitUntil } from '../peer/support/waiting.js';
import { useTestCertificates } from '../tls/support/use-test-certificates.js';
import { closeH2Server, destroySession, extendedConnect, openSession, responseOf, startH2cGdwsServer } from './support/h2-endpoints.js';

const cleanup = new Cleanup();
const certs = useTestCertificates();
afterEach(() => cleanup.run());

async function listen(server: Http2SecureServer | ReturnType<typeof createServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.add(() => closeH2Server(server));
  return (server.address() as { port: number }).port;
}

describe('routeUpgrades on an HTTP/2 server', () => {
  it('with allowHTTP1, serves an HTTP/1.1 upgrade and an HTTP/2 extended CONNECT on the same TLS port', async () => {
    const wsServer = new WebSocketServer();
    const h2 = createSecureServer({ key: certs.localhost.key, cert: certs.localhost.certificate, allowHTTP1: true, settings: { enableConnectProtocol: true } });
    const unroute = routeUpgrades(h2, { '/ws': wsServer }, { handshakeTimeoutMs: 500 });
    cleanup.add(() => wsServer.stop());
    cleanup.add(unroute);
    const port = await listen(h2);
    const joined: string[] = [];
    wsServer.on('clientConnected', (id) => joined.push(wsServer.getPeer(id)!.getRequestedUrl()));

    const client = new WebSocketClient();
    cleanup.add(() => client.disconnectFromHost());
    expect(await client.connectToUrl(`wss://localhost:${port}/ws`, [], false, [], TLSOptions.client(certs.ca.certificate))).toBe(GodotError.OK);

    const session = connect(`https://localhost:${port}`, { ca: certs.ca.certificate });
    session.on('error', () => {});
    cleanup.add(() => destroySession(session));
    await new Promise((resolve) => session.once('remoteSettings', resolve));
    const stream = session.request({ ':method': 'CONNECT', ':protocol': 'websocket', ':scheme': 'https', ':path': '/ws', ':authority': `localhost:${port}`, 'sec-websocket-version': '13' });
    expect((await responseOf(stream))[':status']).toBe(200);
    await waitUntil(() => joined.length === 2, 'both peers');
    expect(joined).toEqual([`wss://localhost:${port}/ws`, `wss://localhost:${port}/ws`]);
    // The HTTP/2 connection is not cut by the HTTP/1.1 head timeout.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(session.destroyed).toBe(false);
    expect(wsServer.getPeerIds()).toHaveLength(2);
  });

  it('answers 501 for a target without handleStream, and tells onError when a target throws', async () => {
    const errors: Array<IncomingMessage | null> = [];
    const h2 = createServer({ settings: { enableConnectProtocol: true } });
    const onlyHttp1 = { handleUpgrade: () => {} };
    const broken = { handleUpgrade: () => {}, handleStream: () => { throw new Error('broken target'); } };
    routeUpgrades(h2, { '/old': onlyHttp1, '/broken': broken }, { onError: (_error, request) => errors.push(request) });
    const port = await listen(h2);
    const session = await openSession(cleanup, `http://127.0.0.1:${port}`);
    expect((await responseOf(extendedConnect(session, port, {}, '/old')))[':status']).toBe(501);
    const reset = extendedConnect(session, port, {}, '/broken');
    await new Promise((resolve) => reset.once('close', resolve));
    expect(errors).toEqual([null]);
  });

  it('a server refusing new connections resets the stream with REFUSED_STREAM', async () => {
    const { server, port, origin } = await startH2cGdwsServer(cleanup);
    server.refuseNewConnections = true;
    const failed = nextEvent<[string]>(server, 'handshakeFailed');
    const session = await openSession(cleanup, origin);
    const stream = extendedConnect(session, port);
    await new Promise((resolve) => stream.once('close', resolve));
    expect(stream.rstCode).toBe(7);
    expect((await failed)[0]).toBe('Refusing new connections');
  });

  it('WebSocketMultiplayerPeer adopts streams as a server, and refuses them as a client', async () => {
    const mp = new WebSocketMultiplayerPeer();
    cleanup.add(() => mp.close());
    const h2 = createServer({ settings: { enableConnectProtocol: true } });
    h2.on('stream', (stream, headers) => mp.handleStream(stream, headers));
    const port = await listen(h2);
    const session = await openSession(cleanup, `http://127.0.0.1:${port}`);
    const stream = extendedConnect(session, port);
    expect((await responseOf(stream))[':status']).toBe(200);
    expect(mp.isServer()).toBe(true);
    // The Godot 4 id greeting arrives on the stream.
    const greeting = await new Promise<Buffer>((resolve) => stream.once('data', resolve));
    expect(greeting[0]).toBe(0x82);

    const client = new WebSocketMultiplayerPeer();
    cleanup.add(() => client.close());
    void client.createClient(`ws://127.0.0.1:${port}/`);
    const other = extendedConnect(session, port);
    other.once('response', () => {});
    h2.removeAllListeners('stream');
    h2.on('stream', (s, headers) => expect(client.handleStream(s, headers)).toBe(GodotError.ERR_ALREADY_IN_USE));
    const refused = extendedConnect(session, port);
    await new Promise((resolve) => refused.once('close', resolve));
    expect(refused.rstCode).toBe(7);
  });
});
