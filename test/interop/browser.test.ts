// A real browser against gdws: Debian's chromium, driven by playwright-core,
// loads a page from a node:http server whose upgrades a gdws WebSocketServer adopts.

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from '../../src/index.js';
import { echoOnGdwsServer } from '../server/support/endpoints.js';
import { launchChromium } from './support/chromium.js';
import { startPageServer, type PageServer } from './support/page-server.js';

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>gdws browser test</title></head>
<body><p>gdws browser test</p></body></html>`;

/** What the page reports back: the exchange as the browser saw it. */
interface BrowserReport {
  protocol: string;
  received: Array<{ kind: 'text' | 'binary'; text?: string; bytes?: number[]; length: number; checksum: number }>;
  close: { code: number; reason: string; wasClean: boolean };
}

let browser: Browser | null = null;
let http: PageServer | null = null;
let wsServer: WebSocketServer | null = null;
let port = 0;
const serverLog: Array<[string, ...unknown[]]> = [];

beforeAll(async () => {
  wsServer = new WebSocketServer();
  wsServer.supportedProtocols = ['gdws-echo', 'gdws-other'];
  wsServer.inboundBufferSize = 1 << 20;
  wsServer.outboundBufferSize = 1 << 20;
  const server = wsServer;
  server.on('clientConnected', (id, protocol) => serverLog.push(['clientConnected', id, protocol]));
  server.on('clientCloseRequest', (id, code, reason) => serverLog.push(['clientCloseRequest', id, code, reason]));
  server.on('clientDisconnected', (id, wasClean) => serverLog.push(['clientDisconnected', id, wasClean]));
  echoOnGdwsServer(server);
  http = await startPageServer(PAGE, server);
  port = http.port;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await wsServer?.stop();
  await http?.close();
});

describe('chromium <-> gdws server', () => {
  it('connects, picks a subprotocol, echoes text and binary, and closes with a code and reason the server reports', async () => {
    const page = await browser!.newPage();
    try {
      await page.goto(`http://127.0.0.1:${port}/`);
      const report = await page.evaluate(async (host: string): Promise<BrowserReport> => {
        const checksum = (bytes: Uint8Array): number => bytes.reduce((sum, byte, i) => (sum + byte * (i + 1)) % 1_000_000_007, 0);
        const big = new Uint8Array(70_000).map((_, i) => i % 251);
        const outgoing: Array<string | Uint8Array> = ['héllo ✓ from chromium', new Uint8Array([0, 1, 2, 255]), '', big];
        const socket = new WebSocket(`ws://${host}/game`, ['not-offered-by-server', 'gdws-echo']);
        socket.binaryType = 'arraybuffer';
        const received: BrowserReport['received'] = [];
        return new Promise<BrowserReport>((resolve, reject) => {
          socket.onerror = () => reject(new Error('WebSocket error in the browser'));
          socket.onopen = () => {
            for (const message of outgoing) socket.send(message);
          };
          socket.onmessage = (event: MessageEvent) => {
            if (typeof event.data === 'string') {
              received.push({ kind: 'text', text: event.data, length: event.data.length, checksum: 0 });
            } else {
              const bytes = new Uint8Array(event.data as ArrayBuffer);
              received.push({ kind: 'binary', bytes: bytes.length <= 16 ? [...bytes] : [], length: bytes.length, checksum: checksum(bytes) });
            }
            if (received.length === outgoing.length) socket.close(4321, 'bye from chromium ✓');
          };
          socket.onclose = (event: { code: number; reason: string; wasClean: boolean }) =>
            resolve({ protocol: socket.protocol, received, close: { code: event.code, reason: event.reason, wasClean: event.wasClean } });
        });
      }, `127.0.0.1:${port}`);

      expect(report.protocol).toBe('gdws-echo');
      const big = Uint8Array.from({ length: 70_000 }, (_, i) => i % 251);
      const bigChecksum = big.reduce((sum, byte, i) => (sum + byte * (i + 1)) % 1_000_000_007, 0);
      expect(report.received).toEqual([
        { kind: 'text', text: 'héllo ✓ from chromium', length: 'héllo ✓ from chromium'.length, checksum: 0 },
        { kind: 'binary', bytes: [0, 1, 2, 255], length: 4, checksum: [0, 1, 2, 255].reduce((sum, byte, i) => sum + byte * (i + 1), 0) },
        { kind: 'text', text: '', length: 0, checksum: 0 },
        { kind: 'binary', bytes: [], length: 70_000, checksum: bigChecksum },
      ]);
      expect(report.close).toEqual({ code: 4321, reason: 'bye from chromium ✓', wasClean: true });

      const connected = serverLog.find(([event]) => event === 'clientConnected');
      expect(connected).toBeDefined();
      const id = connected![1];
      expect(connected![2]).toBe('gdws-echo');
      await expect.poll(() => serverLog.some(([event, peerId]) => event === 'clientDisconnected' && peerId === id), { timeout: 10_000 }).toBe(true);
      expect(serverLog.filter(([, peerId]) => peerId === id)).toEqual([
        ['clientConnected', id, 'gdws-echo'],
        ['clientCloseRequest', id, 4321, 'bye from chromium ✓'],
        ['clientDisconnected', id, true],
      ]);
    } finally {
      await page.close();
    }
  });

  it('sees the server refuse a subprotocol it does not support', async () => {
    const page = await browser!.newPage();
    try {
      await page.goto(`http://127.0.0.1:${port}/`);
      const outcome = await page.evaluate(
        (host: string) =>
          new Promise<{ opened: boolean; code: number }>((resolve) => {
            const socket = new WebSocket(`ws://${host}/`, ['unknown-protocol']);
            let opened = false;
            socket.onopen = () => (opened = true);
            socket.onclose = (event: { code: number }) => resolve({ opened, code: event.code });
          }),
        `127.0.0.1:${port}`,
      );
      expect(outcome).toEqual({ opened: false, code: 1006 });
    } finally {
      await page.close();
    }
  });
});
