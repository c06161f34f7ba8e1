// The demo's page (`npm start`, then http://127.0.0.1:9080/) driven as a person would:
// Debian's chromium, via playwright-core, against the demo in a child process.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interruptDemo, useDemoLauncher } from '../demo/support/demo-process.js';
import { canListenOnIpv6Loopback } from '../demo/support/ipv6.js';
import { launchChromium } from './support/chromium.js';

const launcher = useDemoLauncher();
const hasIpv6Loopback = await canListenOnIpv6Loopback();
let browser: Browser | null = null;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

const logText = (page: Page): Promise<string> => page.locator('#log').innerText();
const echoCount = (page: Page): Promise<string> => page.locator('[data-count="echo"]').innerText();

describe('the demo page in chromium', () => {
  it('shows the endpoints with GDScript for this host, echoes, wraps long messages, closes and reconnects, and counts its own connection', async () => {
    const { process: demo, port } = await launcher.start();
    const page = await browser!.newPage({ viewport: { width: 1000, height: 900 } });
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    try {
      await page.goto(`http://127.0.0.1:${port}/`);
      const base = `ws://127.0.0.1:${port}`;

      // The three endpoints, each with the lines to connect from Godot, for this host and port.
      await expect.poll(() => page.locator('#echo h3').innerText()).toContain(`${base}/echo`);
      expect(await page.locator('#echo pre').innerText()).toContain(`socket.connect_to_url("${base}/echo")`);
      expect(await page.locator('#godot4').innerText()).toContain('WebSocketMultiplayerPeer with SceneMultiplayer');
      expect(await page.locator('#godot4 pre').innerText()).toContain(`peer.create_client("${base}/godot4")\nmultiplayer.multiplayer_peer = peer`);
      expect(await page.locator('#godot3').innerText()).toContain('gd_mp_api');
      expect(await page.locator('#godot3 pre').innerText()).toContain(`client.connect_to_url("${base}/godot3", PoolStringArray(), true)\nget_tree().network_peer = client`);
      expect(await page.locator('#game pre').first().innerText()).toContain(`peer.create_client("${base}/game4")`);
      expect(await page.locator('#game pre').last().innerText()).toContain(`var url = "${base}/game3"`);
      expect(await page.locator('[data-count="game4"]').innerText()).toBe('0');

      // The page's own socket is the echo's one peer.
      await expect.poll(() => logText(page)).toContain('open');
      await expect.poll(() => echoCount(page)).toBe('1');
      expect(await page.locator('[data-count="godot4"]').innerText()).toBe('0');
      expect(await page.locator('[data-count="godot3"]').innerText()).toBe('0');

      await page.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => logText(page)).toContain('echo: Hello from the browser');

      // A long message without spaces wraps inside the log box instead of widening it.
      const long = 'wrap-me-'.repeat(1500);
      await page.locator('#text').fill(long);
      await page.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => logText(page)).toContain(`echo: ${long}`);
      const box = await page.locator('#log').evaluate((log) => ({ scrollWidth: log.scrollWidth, clientWidth: log.clientWidth, height: log.getBoundingClientRect().height }));
      expect(box.scrollWidth).toBeLessThanOrEqual(box.clientWidth);
      expect(box.height).toBeLessThan(500);
      expect(await page.locator('html').evaluate((html) => html.scrollWidth <= html.clientWidth)).toBe(true);
      // The GDScript snippets fit their boxes at this width too.
      expect(await page.locator('pre').evaluateAll((blocks) => blocks.filter((block) => block.scrollWidth > block.clientWidth).length)).toBe(0);

      await page.getByRole('button', { name: 'Close' }).click();
      await expect.poll(() => logText(page)).toContain('closed 1000 bye');
      await expect.poll(() => echoCount(page)).toBe('0');
      expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);

      await page.locator('#text').fill('Hello again');
      await page.getByRole('button', { name: 'Reconnect' }).click();
      await expect.poll(() => echoCount(page)).toBe('1');
      await page.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => logText(page)).toContain('echo: Hello again');

      await page.locator('#text').fill('Hello from the browser');
      await page.getByRole('button', { name: 'Send' }).click();
      await page.screenshot({ path: '/tmp/demo-page.png', fullPage: true });
      // Not even the favicon request goes wrong.
      expect(consoleErrors).toEqual([]);
    } finally {
      await page.close();
    }
    expect(await interruptDemo(demo)).toBe(0);
  });

  it.skipIf(!hasIpv6Loopback)('writes bracketed IPv6 URLs when opened at http://[::1]:port/, and echoes there', async () => {
    const { process: demo, port } = await launcher.start(['--host', '::1']);
    const page = await browser!.newPage();
    try {
      await page.goto(`http://[::1]:${port}/`);
      await expect.poll(() => page.locator('#godot4 pre').innerText()).toContain(`peer.create_client("ws://[::1]:${port}/godot4")`);
      expect(await page.locator('#godot3 pre').innerText()).toContain(`"ws://[::1]:${port}/godot3"`);
      await expect.poll(() => logText(page)).toContain(`open`);
      await page.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => logText(page)).toContain('echo: Hello from the browser');
    } finally {
      await page.close();
    }
    expect(await interruptDemo(demo)).toBe(0);
  });
});
