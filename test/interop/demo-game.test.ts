// The npm start demo game (demo/game.ts) with real players: a Godot 4.6 client (web template in
// headless Chromium, the demo page's @rpc declarations) at /game4 and a Godot 3.2.3 client
// (godot3-server, the page's remote/puppet members) at /game3 meet in one lobby, chat and move.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoGame } from '../../demo/game.js';
import { routeUpgrades } from '../../src/index.js';
import { expectHealthy, useGodot3 } from './godot3/harness.js';
import { resultsOf, startGodot } from './godot3/run-godot.js';
import { godot4Project } from './godot4/project.js';
import { eventsOf, godot4Script, reportScriptFiles } from './godot4/results.js';
import { runGodot4 } from './godot4/run-godot4.js';
import { launchChromium } from './support/chromium.js';

const cleanups = useGodot3();
let browser: Browser | null = null;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('demo game with real Godot clients', () => {
  it('a Godot 4.6 player and a Godot 3.2.3 player join one lobby, see each other, chat and move', async () => {
    const log: string[] = [];
    const game = createDemoGame((line) => log.push(line));
    const http = createServer();
    routeUpgrades(http, { '/game4': game.godot4, '/game3': game.godot3 });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      await game.close();
      await new Promise((resolve) => http.close(resolve));
    });
    const dropped: string[] = [];
    game.scene.on('packetDropped', (_id, reason) => dropped.push(`godot4: ${reason}`));
    game.scene.on('checksumMismatch', (_id, path) => dropped.push(`godot4 checksum: ${path}`));
    game.api.on('packetDropped', (_id, reason) => dropped.push(`godot3: ${reason}`));
    const base = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;

    const bob = startGodot('game-client', { url: `${base}/game3`, name: 'bob', other: 'ada', timeoutMs: 40_000 });
    const files = godot4Project({ main: godot4Script('demo-game-client.gd'), files: reportScriptFiles() });
    const ada = await runGodot4({ files, args: [JSON.stringify({ url: `${base}/game4`, name: 'ada', other: 'bob', timeoutMs: 40_000 })] }, { timeoutMs: 60_000, browser: browser! });
    const bobDone = await bob.finished;
    expect(ada.exitCode, ada.lines.join('\n')).toBe(0);
    expect(bobDone.exitCode, bobDone.stdout + bobDone.stderr).toBe(0);
    expectHealthy(bobDone);
    expect(dropped).toEqual([]);

    const lobby = ['bob (Godot 3)', 'ada (Godot 4)'];
    const sameLobby = (players: unknown): boolean => Array.isArray(players) && [...players].sort().join() === [...lobby].sort().join();
    expect(eventsOf(ada.lines, 'lobby').some((event) => sameLobby(event['players']))).toBe(true);
    expect(resultsOf(bobDone.results, 'lobby').some((event) => sameLobby(event['players']))).toBe(true);
    expect(eventsOf(ada.lines, 'chat')).toContainEqual({ event: 'chat', from: 1, name: 'bob', text: 'hi from bob' });
    expect(resultsOf(bobDone.results, 'chat')).toContainEqual({ event: 'chat', from: 1, name: 'ada', text: 'hi from ada' });
    expect(eventsOf(ada.lines, 'moved')).toContainEqual({ event: 'moved', name: 'bob', x: -1, y: 2.5 });
    expect(resultsOf(bobDone.results, 'moved')).toContainEqual({ event: 'moved', name: 'ada', x: 3, y: 4 });
    expect(log).toEqual(expect.arrayContaining(['game: bob joined from Godot 3', 'game: ada joined from Godot 4']));
  }, 120_000);
});
