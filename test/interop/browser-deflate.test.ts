// Debian's chromium (driven by playwright-core) negotiates permessage-deflate
// with a gdws server and exchanges compressible messages both ways.

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from '../../src/index.js';
import { echoOnGdwsServer } from '../server/support/endpoints.js';
import { launchChromium } from './support/chromium.js';
import { startPageServer, type PageServer } from './support/page-server.js';

const PAGE = '<!doctype html><html><head><meta charset="utf-8"><title>gdws deflate</title></head><body></body></html>';

interface BrowserReport {
  extensions: string;
  echoes: Array<{ kind: 'text' | 'binary'; length: number; matches: boolean }>;
  close: { code: number; wasClean: boolean };
}

let browser: Browser | null = null;
let http: PageServer | null = null;
let server: WebSocketServer | null = null;
let port = 0;
const negotiated: string[] = [];

beforeAll(async () => {
  const echo = new WebSocketServer();
  server = echo;
  echo.deflate = true;
  echo.inboundBufferSize = 4 << 20;
  echo.outboundBufferSize = 8 << 20;
  echo.on('clientConnected', (id) => negotiated.push(echo.getPeer(id)!.getExtensions()));
  echoOnGdwsServer(echo);
  http = await startPageServer(PAGE, echo);
  port = http.port;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await http?.close();
});

describe('chromium <-> gdws server with permessage-deflate', () => {
  it('negotiates the extension and echoes compressible text and binary, fewer bytes crossing the wire', async () => {
    const page = await browser!.newPage();
    try {
      await page.goto(`http://127.0.0.1:${port}/`);
      const report = await page.evaluate(async (url: string): Promise<BrowserReport> => {
        const words = ['godot', 'player', 'position', 'update', 'lobby', 'ready', 'héllo', 'ゴドー'];
        const text = (count: number): string => Array.from({ length: count }, (_, index) => words[(index * 7) % words.length]).join(' ');
        const bytes = (length: number): Uint8Array => Uint8Array.from({ length }, (_, index) => (index % 64 < 40 ? index % 7 : (index * 31) & 0xff));
        const messages: Array<string | Uint8Array> = [text(20_000), bytes(256 * 1024), 'short', text(3000), bytes(10), text(200_000)];
        const socket = new WebSocket(url);
        socket.binaryType = 'arraybuffer';
        await new Promise((resolve, reject) => {
          socket.onopen = resolve;
          socket.onerror = reject;
        });
        const echoes: BrowserReport['echoes'] = [];
        const done = new Promise<void>((resolve) => {
          socket.onmessage = (event: MessageEvent) => {
            const sent = messages[echoes.length]!;
            if (typeof event.data === 'string') {
              echoes.push({ kind: 'text', length: event.data.length, matches: event.data === sent });
            } else {
              const received = new Uint8Array(event.data as ArrayBuffer);
              const expected = sent as Uint8Array;
              echoes.push({ kind: 'binary', length: received.length, matches: received.length === expected.length && received.every((value, index) => value === expected[index]) });
            }
            if (echoes.length === messages.length) resolve();
          };
        });
        for (const message of messages) socket.send(message);
        await done;
        const closed = new Promise<BrowserReport['close']>((resolve) => {
          socket.onclose = (event) => resolve({ code: event.code, wasClean: event.wasClean });
        });
        socket.close(1000, 'done');
        return { extensions: socket.extensions, echoes, close: await closed };
      }, `ws://127.0.0.1:${port}/echo`);

      expect(report.extensions).toMatch(/^permessage-deflate/);
      expect(negotiated).toHaveLength(1);
      expect(negotiated[0]).toMatch(/^permessage-deflate/);
      expect(report.echoes.map((echo) => [echo.kind, echo.matches])).toEqual([
        ['text', true],
        ['binary', true],
        ['text', true],
        ['text', true],
        ['binary', true],
        ['text', true],
      ]);
      expect(report.close).toEqual({ code: 1000, wasClean: true });
      // Over a megabyte of text and binary went each way; compressed, a tenth of it crossed the loopback.
      const socket = http!.upgradedSockets[0]!;
      expect(socket.bytesRead).toBeLessThan(150_000);
      expect(socket.bytesWritten).toBeLessThan(150_000);
    } finally {
      await page.close();
    }
  });
});
