// Chromium (Debian's, driven by playwright-core) to a gdws wss:// server. Chromium is
// told to trust the server's key through --ignore-certificate-errors-spki-list, so
// the test CA never has to enter a trust store.

import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from '../server/support/endpoints.js';
import { launchChromium } from './support/chromium.js';
import { spkiSha256Base64 } from '../tls/support/test-certificates.js';
import { useTestCertificates } from '../tls/support/use-test-certificates.js';
import { startTlsEchoServer } from '../tls/support/tls-endpoints.js';

interface EchoReport {
  opened: boolean;
  error: string;
  text: string;
  binary: number[];
  close: { code: number; wasClean: boolean };
}

const certs = useTestCertificates();
let browser: Browser | null = null;
const cleanup = new Cleanup();

beforeAll(async () => {
  const trustedKey = spkiSha256Base64(certs.localhost.key);
  browser = await launchChromium([`--ignore-certificate-errors-spki-list=${trustedKey}`]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});
afterEach(() => cleanup.run());

/** Opens a WebSocket in a blank page, sends one text and one binary message, and reports the echoes. */
async function echoInBrowser(url: string): Promise<EchoReport> {
  const page = await browser!.newPage();
  try {
    return await page.evaluate(
      (target: string) =>
        new Promise<EchoReport>((resolve) => {
          const report: EchoReport = { opened: false, error: '', text: '', binary: [], close: { code: 0, wasClean: false } };
          const socket = new WebSocket(target);
          socket.binaryType = 'arraybuffer';
          socket.onopen = () => {
            report.opened = true;
            socket.send('héllo from chromium');
            socket.send(new Uint8Array([0, 1, 2, 253, 254, 255]));
          };
          socket.onerror = () => {
            report.error = 'error event';
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
      url,
    );
  } finally {
    await page.close();
  }
}

describe('chromium -> gdws wss:// server', () => {
  it('connects to a server whose key it was told to trust, echoes text and binary, and closes cleanly', async () => {
    const { url, server, connected } = await startTlsEchoServer(cleanup, certs.localhost);
    const disconnected: boolean[] = [];
    server.on('clientDisconnected', (_id, wasClean) => disconnected.push(wasClean));
    const report = await echoInBrowser(url);
    expect(report).toEqual({ opened: true, error: '', text: 'héllo from chromium', binary: [0, 1, 2, 253, 254, 255], close: { code: 1000, wasClean: true } });
    expect(connected).toHaveLength(1);
    await expect.poll(() => disconnected).toEqual([true]);
  });

  it('refuses a server whose key it was not told to trust, and the server reports the failed TLS handshake', async () => {
    const { url, connected, failures } = await startTlsEchoServer(cleanup, certs.selfSigned);
    const report = await echoInBrowser(url);
    expect(report.opened).toBe(false);
    expect(report.close.code).toBe(1006);
    expect(connected).toEqual([]);
    await expect.poll(() => failures.length).toBeGreaterThan(0);
    expect(failures[0]).toMatch(/^TLS handshake failed: /);
  });
});
