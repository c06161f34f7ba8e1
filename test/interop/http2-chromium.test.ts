// Chromium (Debian's, driven by playwright-core) and WebSockets over HTTP/2 (RFC 8441).
// The page is served over HTTPS by a node:http2 server with allowHTTP1, and opens
// new WebSocket('wss://same-origin/ws'). The server records how each WebSocket
// arrived: as an extended CONNECT on an HTTP/2 stream, or as an HTTP/1.1 upgrade.

import { createSecureServer, type Http2SecureServer, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { routeUpgrades, WebSocketServer, WriteMode } from '../../src/index.js';
import { Cleanup } from '../server/support/endpoints.js';
import { spkiSha256Base64 } from '../tls/support/test-certificates.js';
import { useTestCertificates } from '../tls/support/use-test-certificates.js';
import { launchChromium } from './support/chromium.js';

interface EchoReport {
  opened: boolean;
  text: string;
  binary: number[];
  close: { code: number; wasClean: boolean };
}

interface Observed {
  port: number;
  /** HTTP versions of the page requests. */
  pageVersions: string[];
  /** Extended CONNECT streams (:protocol) that reached the server. */
  extendedConnects: Array<{ path: string; protocol: string }>;
  /** HTTP/1.1 upgrade requests. */
  upgrades: string[];
  /** How each WebSocket peer's close ended on the server. */
  disconnected: boolean[];
  /** HTTP/2 connections the server accepted. */
  h2Sessions: number;
}

const certs = useTestCertificates();
let browser: Browser | null = null;
const cleanup = new Cleanup();

beforeAll(async () => {
  browser = await launchChromium([`--ignore-certificate-errors-spki-list=${spkiSha256Base64(certs.localhost.key)}`]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
});
afterEach(() => cleanup.run());

const PAGE = '<!doctype html><meta charset="utf-8"><title>gdws over HTTP/2</title><p>gdws</p>';

/** An echo server at /ws and a page at / on one TLS port, HTTP/1.1 and HTTP/2 by ALPN. */
async function startServer(enableConnectProtocol: boolean): Promise<Observed> {
  const wsServer = new WebSocketServer();
  const observed: Observed = { port: 0, pageVersions: [], extendedConnects: [], upgrades: [], disconnected: [], h2Sessions: 0 };
  wsServer.on('dataReceived', (id) => {
    const peer = wsServer.getPeer(id)!;
    while (peer.getAvailablePacketCount() > 0) {
      const data = peer.getPacket();
      peer.send(data, peer.wasStringPacket() ? WriteMode.TEXT : WriteMode.BINARY);
    }
  });
  wsServer.on('clientDisconnected', (_id, wasClean) => observed.disconnected.push(wasClean));
  const h2: Http2SecureServer = createSecureServer({
    key: certs.localhost.key,
    cert: certs.localhost.certificate,
    allowHTTP1: true,
    settings: { enableConnectProtocol },
  });
  h2.on('stream', (_stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    if (headers[':method'] === 'CONNECT') observed.extendedConnects.push({ path: String(headers[':path']), protocol: String(headers[':protocol']) });
  });
  h2.on('session', () => (observed.h2Sessions += 1));
  h2.on('upgrade', (request: { url?: string }) => observed.upgrades.push(request.url ?? ''));
  h2.on('request', (request, response) => {
    if (request.method !== 'GET') return;
    observed.pageVersions.push(request.httpVersion);
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(PAGE);
  });
  const unroute = routeUpgrades(h2, { '/ws': wsServer });
  await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
  observed.port = (h2.address() as { port: number }).port;
  cleanup.add(async () => {
    unroute();
    await wsServer.stop();
    await new Promise((resolve) => h2.close(resolve));
  });
  return observed;
}

/** Loads the page from `pageUrl`, opens a WebSocket to `wsUrl` in it, echoes text and binary, and closes. */
async function echoFromPage(pageUrl: string, wsUrl: string): Promise<EchoReport> {
  const context = await browser!.newContext();
  const page = await context.newPage();
  try {
    if (pageUrl !== '') await page.goto(pageUrl);
    return await page.evaluate(
      (target: string) =>
        new Promise<EchoReport>((resolve) => {
          const report: EchoReport = { opened: false, text: '', binary: [], close: { code: 0, wasClean: false } };
          const socket = new WebSocket(target);
          socket.binaryType = 'arraybuffer';
          socket.onopen = () => {
            report.opened = true;
            socket.send('héllo over h2');
            socket.send(new Uint8Array([0, 1, 2, 253, 254, 255]));
          };
          socket.onmessage = (event: MessageEvent) => {
            if (typeof event.data === 'string') report.text = event.data;
            else report.binary = Array.from(new Uint8Array(event.data as ArrayBuffer));
            if (report.text !== '' && report.binary.length > 0) socket.close(1000, 'done');
          };
          socket.onclose = (event: { code: number; wasClean: boolean }) => {
            report.close = { code: event.code, wasClean: event.wasClean };
            resolve(report);
          };
        }),
      wsUrl,
    );
  } finally {
    await context.close();
  }
}

const ECHOED: EchoReport = { opened: true, text: 'héllo over h2', binary: [0, 1, 2, 253, 254, 255], close: { code: 1000, wasClean: true } };

describe('chromium -> gdws over HTTP/2 (RFC 8441)', () => {
  it('a page loaded over h2 opens its same-origin WebSocket as an extended CONNECT on that connection, and it echoes and closes cleanly', async () => {
    const observed = await startServer(true);
    const origin = `https://localhost:${observed.port}`;
    const report = await echoFromPage(`${origin}/`, `wss://localhost:${observed.port}/ws`);
    expect(report).toEqual(ECHOED);
    expect(observed.pageVersions).toContain('2.0');
    expect(observed.extendedConnects).toEqual([{ path: '/ws', protocol: 'websocket' }]);
    expect(observed.upgrades).toEqual([]);
    // One connection carried both the page and the WebSocket.
    expect(observed.h2Sessions).toBe(1);
    await expect.poll(() => observed.disconnected).toEqual([true]);
  });

  it('without SETTINGS_ENABLE_CONNECT_PROTOCOL, the same page falls back to an HTTP/1.1 upgrade on the same port, and it still works', async () => {
    const observed = await startServer(false);
    const report = await echoFromPage(`https://localhost:${observed.port}/`, `wss://localhost:${observed.port}/ws`);
    expect(report).toEqual(ECHOED);
    expect(observed.pageVersions).toContain('2.0');
    expect(observed.extendedConnects).toEqual([]);
    expect(observed.upgrades).toEqual(['/ws']);
    await expect.poll(() => observed.disconnected).toEqual([true]);
  });

  it('with no HTTP/2 connection to the origin yet (a blank page), Chromium opens the WebSocket with an HTTP/1.1 upgrade', async () => {
    const observed = await startServer(true);
    const report = await echoFromPage('', `wss://localhost:${observed.port}/ws`);
    expect(report).toEqual(ECHOED);
    expect(observed.extendedConnects).toEqual([]);
    expect(observed.upgrades).toEqual(['/ws']);
  });
});
