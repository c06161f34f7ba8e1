// gdws over TLS against the `ws` library: a ws wss:// client on a gdws TLS server,
// and a gdws client on a ws server running on https.createServer, including the
// server name (SNI) the gdws client sends.

import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as WsClient, WebSocketServer as WsServer, type RawData } from 'ws';
import { GodotError, TLSOptions, WriteMode } from '../../src/index.js';
import { nextEvent } from '../peer/support/waiting.js';
import { Cleanup, wsMessageBytes } from '../server/support/endpoints.js';
import { type KeyAndCertificate } from './support/test-certificates.js';
import { useTestCertificates } from './support/use-test-certificates.js';
import { connectPeer, startTlsEchoServer } from './support/tls-endpoints.js';

const certs = useTestCertificates();
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const BINARY = Buffer.from([0, 1, 2, 0xfe, 0xff, 0x80, 0x7f]);

describe('ws wss:// client -> gdws TLS server', () => {
  it('echoes text and binary, and closes cleanly', async () => {
    const { url } = await startTlsEchoServer(cleanup, certs.localhost);
    const client = new WsClient(url, { ca: certs.ca.certificate });
    cleanup.add(() => client.terminate());
    await nextEvent(client, 'open');
    const replies: Array<{ data: Buffer; isBinary: boolean }> = [];
    client.on('message', (data: RawData, isBinary: boolean) => replies.push({ data: wsMessageBytes(data), isBinary }));
    const twoReplies = new Promise<void>((resolve) => client.on('message', () => replies.length === 2 && resolve()));
    client.send('héllo over tls');
    client.send(BINARY);
    await twoReplies;
    expect(replies).toEqual([
      { data: Buffer.from('héllo over tls'), isBinary: false },
      { data: BINARY, isBinary: true },
    ]);
    const closed = nextEvent<[number, Buffer]>(client, 'close');
    client.close(1000, 'done');
    const [code] = await closed;
    expect(code).toBe(1000);
  });

  it('is refused by ws when ws does not trust the certificate', async () => {
    const { url, connected } = await startTlsEchoServer(cleanup, certs.selfSigned);
    const client = new WsClient(url, { ca: certs.ca.certificate });
    cleanup.add(() => client.terminate());
    const [error] = await nextEvent<[NodeJS.ErrnoException]>(client, 'error');
    expect(error.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(connected).toEqual([]);
  });
});

describe('gdws client -> ws server on https.createServer', () => {
  async function startWsOnHttps(identity: KeyAndCertificate) {
    const https: HttpsServer = createHttpsServer({ key: identity.key, cert: identity.certificate });
    const wss = new WsServer({ server: https });
    const serverNames: Array<string | false | null | undefined> = [];
    wss.on('connection', (socket, request) => {
      serverNames.push((request.socket as TLSSocket).servername);
      socket.on('message', (data: RawData, isBinary: boolean) => socket.send(wsMessageBytes(data), { binary: isBinary }));
    });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    cleanup.add(
      () =>
        new Promise<void>((resolve) => {
          for (const client of wss.clients) client.terminate();
          wss.close();
          https.closeAllConnections();
          https.close(() => resolve());
        }),
    );
    return { port: (https.address() as AddressInfo).port, serverNames };
  }

  it('verifies the server, sends the host name as SNI, and echoes text and binary', async () => {
    const { port, serverNames } = await startWsOnHttps(certs.localhost);
    const { result, peer, errorReason } = await connectPeer(cleanup, `wss://localhost:${port}/echo`, TLSOptions.client(certs.ca.certificate));
    expect(result, errorReason).toBe(GodotError.OK);
    expect(serverNames).toEqual(['localhost']);

    const replies: Array<{ text: string; isText: boolean }> = [];
    peer.on('dataReceived', () => {
      while (peer.getAvailablePacketCount() > 0) {
        const data = peer.getPacket();
        replies.push({ text: data.toString('latin1'), isText: peer.wasStringPacket() });
      }
    });
    expect(peer.send('héllo', WriteMode.TEXT)).toBe(GodotError.OK);
    expect(peer.send(BINARY, WriteMode.BINARY)).toBe(GodotError.OK);
    while (replies.length < 2) await nextEvent(peer, 'dataReceived');
    expect(replies).toEqual([
      { text: Buffer.from('héllo').toString('latin1'), isText: true },
      { text: BINARY.toString('latin1'), isText: false },
    ]);
    const closed = nextEvent<[boolean]>(peer, 'connectionClosed');
    peer.close(1000, 'done');
    expect(await closed).toEqual([true]);
  });

  it('sends commonNameOverride as SNI, and no SNI to an IP address', async () => {
    const { port, serverNames } = await startWsOnHttps(certs.otherName);
    const named = await connectPeer(cleanup, `wss://127.0.0.1:${port}`, TLSOptions.client(certs.ca.certificate, 'other.example'));
    expect(named.result, named.errorReason).toBe(GodotError.OK);
    const unsafe = await connectPeer(cleanup, `wss://127.0.0.1:${port}`, TLSOptions.clientUnsafe());
    expect(unsafe.result, unsafe.errorReason).toBe(GodotError.OK);
    expect(serverNames).toEqual(['other.example', false]);
  });

  it('refuses the ws server when its certificate does not verify, and never opens', async () => {
    const { port, serverNames } = await startWsOnHttps(certs.expired);
    const outcome = await connectPeer(cleanup, `wss://localhost:${port}`, TLSOptions.client(certs.ca.certificate));
    expect(outcome.result).toBe(GodotError.ERR_CONNECTION_ERROR);
    expect(outcome.errorReason).toMatch(/certificate has expired \(CERT_HAS_EXPIRED\)/);
    expect(serverNames).toEqual([]);
  });
});
