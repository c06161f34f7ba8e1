// Real Godot 4.6 SceneMultiplayer clients (web template in headless Chromium) against a gdws
// SceneMultiplayerServer: rpcs both ways with decoded arguments, Godot's method ids and rpc
// checksum, permission checks, raw bytes, and the authentication step (accepted and refused).

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GodotError, SceneMultiplayerServer, WebSocketMultiplayerPeer } from '../../src/index.js';
import { Vector2 } from '../../src/variant/index.js';
import { godot4Project } from './godot4/project.js';
import { eventsOf, godot4Script, reportScriptFiles } from './godot4/results.js';
import { runGodot4, type Godot4RunResult } from './godot4/run-godot4.js';
import { launchChromium } from './support/chromium.js';

const RUN_TIMEOUT_MS = 45_000;
const TEST_TIMEOUT_MS = 120_000;

let browser: Browser | null = null;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

function run(config: object): Promise<Godot4RunResult> {
  const files = godot4Project({ main: godot4Script('scene-authority-client.gd'), files: reportScriptFiles() });
  return runGodot4({ files, args: [JSON.stringify({ timeoutMs: 30_000, ...config })] }, { timeoutMs: RUN_TIMEOUT_MS, browser: browser! });
}

/** The TypeScript side of the game: the same five rpc methods as the GDScript node. */
function startGame(server: WebSocketMultiplayerPeer, expectedClients: number) {
  const scene = new SceneMultiplayerServer(server);
  const log = {
    submits: [] as unknown[][],
    raw: [] as Array<[number, string]>,
    dropped: [] as Array<[number, string]>,
    connected: [] as number[],
    authData: [] as Array<[number, string]>,
    checksum: [] as unknown[][],
    errors: [] as unknown[],
  };
  const pinged = new Set<number>();
  scene.on('packetDropped', (id, reason) => log.dropped.push([id, reason]));
  scene.on('peerConnected', (id) => log.connected.push(id));
  scene.on('checksumMismatch', (...args) => log.checksum.push(args));
  scene.on('handlerError', (error) => log.errors.push(error));
  scene.on('peerPacket', (id, data) => {
    log.raw.push([id, data.toString('hex')]);
    scene.sendBytes(id, Buffer.from(data).reverse());
  });
  scene
    .registerRpc('/root/Main', 'submit', { mode: 'any_peer' }, (sender, ...args) => {
      log.submits.push([sender, ...args]);
      expect(scene.getRemoteSenderId()).toBe(sender);
      scene.rpc(sender, '/root/Main', 'welcome', `hello ${String(args[0])}`, sender, Uint8Array.of(1, 2, 3));
    })
    .registerRpc('/root/Main', 'server_only', { mode: 'authority' }, () => log.errors.push('server_only ran'))
    .registerRpc('/root/Main', 'ping', { mode: 'any_peer', callLocal: true }, (sender) => {
      pinged.add(sender);
      if (pinged.size === expectedClients) {
        scene.rpc(0, '/root/Main', 'welcome', 'everyone', 0, Uint8Array.of(4, 5));
        scene.rpc(0, '/root/Main', 'done');
      }
    })
    .registerRpc('/root/Main', 'welcome', { mode: 'authority' })
    .registerRpc('/root/Main', 'done', { mode: 'authority' });
  return { scene, log };
}

function expectNoRpcComplaints(outcome: Godot4RunResult): void {
  expect(outcome.errorLines.filter((line) => /checksum|rpc|cache|invalid packet/i.test(line)), outcome.errorLines.join('\n')).toEqual([]);
}

describe('Godot 4.6 SceneMultiplayer clients and a gdws SceneMultiplayerServer', () => {
  it('three clients at once call the server by rpc_id(1), are called back (direct and broadcast), exchange raw bytes; no authentication', async () => {
    const server = new WebSocketMultiplayerPeer();
    expect(await server.createServer(0, '127.0.0.1')).toBe(GodotError.OK);
    const tags = ['A', 'B', 'C'];
    const { scene, log } = startGame(server, tags.length);
    try {
      const url = `ws://127.0.0.1:${server.getListeningPort()}/`;
      const outcomes = await Promise.all(tags.map((tag) => run({ url, tag })));
      for (const outcome of outcomes) expect(outcome.exitCode, outcome.lines.join('\n')).toBe(0);
      const ids = outcomes.map((outcome) => eventsOf(outcome.lines, 'connected')[0]?.['id'] as number);
      expect(new Set(log.connected)).toEqual(new Set(ids));

      expect(log.submits.sort((x, y) => String(x[1]).localeCompare(String(y[1])))).toEqual(
        tags.map((tag, index) => [ids[index], tag, 42, 1.5, new Vector2(1, 2), [1, 'two', true], new Map([['k', 'v']])]),
      );
      // server_only is an "authority" rpc: the server (its authority) refuses it from clients, as Godot does.
      const refusals = log.dropped.filter(([, reason]) => reason.includes("RPC 'server_only' is not allowed"));
      expect(new Set(refusals.map(([id]) => id))).toEqual(new Set(ids));
      expect(log.dropped.length, JSON.stringify(log.dropped)).toBe(tags.length);
      expect(new Set(log.raw.map(([id, hex]) => `${id}:${hex}`))).toEqual(new Set(ids.map((id) => `${id}:090807`)));
      expect(log.checksum).toEqual([]);
      expect(log.errors).toEqual([]);

      outcomes.forEach((outcome, index) => {
        const own = ids[index]!;
        expect(eventsOf(outcome.lines, 'welcome')).toEqual([
          { event: 'welcome', from: 1, msg: `hello ${tags[index]}`, id: own, hex: '010203' },
          { event: 'welcome', from: 1, msg: 'everyone', id: 0, hex: '0405' },
        ]);
        expect(eventsOf(outcome.lines, 'raw')).toEqual([{ event: 'raw', from: 1, hex: '070809' }]);
        expect(eventsOf(outcome.lines, 'done_rpc')).toEqual([{ event: 'done_rpc', from: 1 }]);
        const peers = eventsOf(outcome.lines, 'peer_connected').map((event) => event['id']);
        expect(peers).toContain(1);
        expect(peers).not.toContain(own);
        // Another client may have left before being announced only if it finished first; normally all see each other.
        for (const other of peers) expect([1, ...ids]).toContain(other);
        expectNoRpcComplaints(outcome);
      });
    } finally {
      scene.detach();
      await server.close();
    }
  }, TEST_TIMEOUT_MS);

  it('authentication: the client with the right token is admitted and served, the other is refused and never announced', async () => {
    const server = new WebSocketMultiplayerPeer();
    expect(await server.createServer(0, '127.0.0.1')).toBe(GodotError.OK);
    const { scene, log } = startGame(server, 1);
    const failed: number[] = [];
    scene.on('peerAuthenticationFailed', (id) => failed.push(id));
    scene.authCallback = (id, data) => {
      log.authData.push([id, data.toString()]);
      if (data.toString() === 'good') {
        scene.sendAuth(id, Buffer.from('welcome aboard'));
        scene.completeAuth(id);
      } else {
        scene.disconnectPeer(id);
      }
    };
    try {
      const url = `ws://127.0.0.1:${server.getListeningPort()}/`;
      const [good, bad] = await Promise.all([run({ url, tag: 'G', token: 'good' }), run({ url, tag: 'X', token: 'bad' })]);
      expect(good.exitCode, good.lines.join('\n')).toBe(0);
      expect(bad.exitCode, bad.lines.join('\n')).toBe(3);
      const idGood = eventsOf(good.lines, 'connected')[0]?.['id'] as number;
      expect(eventsOf(good.lines, 'authenticating')).toEqual([{ event: 'authenticating', id: 1 }]);
      expect(eventsOf(good.lines, 'auth_data')).toEqual([{ event: 'auth_data', id: 1, text: 'welcome aboard' }]);
      expect(eventsOf(good.lines, 'welcome')).toEqual([
        { event: 'welcome', from: 1, msg: 'hello G', id: idGood, hex: '010203' },
        { event: 'welcome', from: 1, msg: 'everyone', id: 0, hex: '0405' },
      ]);
      expect(eventsOf(good.lines, 'done_rpc')).toEqual([{ event: 'done_rpc', from: 1 }]);
      // The refused client was never announced to the admitted one.
      expect(eventsOf(good.lines, 'peer_connected').map((event) => event['id'])).toEqual([1]);
      expect(eventsOf(bad.lines, 'connected')).toEqual([]);
      expect(eventsOf(bad.lines, 'welcome')).toEqual([]);
      expect(eventsOf(bad.lines, 'authenticating')).toEqual([{ event: 'authenticating', id: 1 }]);
      expect(log.connected).toEqual([idGood]);
      expect(log.authData.map(([, text]) => text).sort()).toEqual(['bad', 'good']);
      expect(log.submits.map((submit) => submit[0])).toEqual([idGood]);
      expect(failed).toEqual([]);
      expectNoRpcComplaints(good);
    } finally {
      scene.detach();
      await server.close();
    }
  }, TEST_TIMEOUT_MS);

  it('a method list that differs from the GDScript node is detected both ways by the rpc checksum, as Godot detects it', async () => {
    const server = new WebSocketMultiplayerPeer();
    expect(await server.createServer(0, '127.0.0.1')).toBe(GodotError.OK);
    const { scene, log } = startGame(server, 1);
    // Sorted last, so the other ids stay as Godot numbers them and the game still runs.
    scene.registerRpc('/root/Main', 'zz_not_in_gdscript', { mode: 'any_peer' });
    try {
      const outcome = await run({ url: `ws://127.0.0.1:${server.getListeningPort()}/`, tag: 'M' });
      expect(outcome.exitCode, outcome.lines.join('\n')).toBe(0);
      const id = eventsOf(outcome.lines, 'connected')[0]?.['id'] as number;
      // Godot's SIMPLIFY_PATH carried its checksum (differs from ours), and its CONFIRM_PATH said ours differs from its own.
      expect(log.checksum).toEqual([
        [id, 'Main'],
        [id, 'Main'],
      ]);
      expect(eventsOf(outcome.lines, 'done_rpc')).toEqual([{ event: 'done_rpc', from: 1 }]);
    } finally {
      scene.detach();
      await server.close();
    }
  }, TEST_TIMEOUT_MS);
});
