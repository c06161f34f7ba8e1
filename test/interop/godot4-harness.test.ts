// Self-test of the Godot 4 interop harness (test/interop/godot4): the official Godot 4.6
// web template runs GDScript headless in Chromium, byte-exact Variant output comes back,
// and Godot 4's WebSocketPeer and WebSocketMultiplayerPeer work against gdws servers.

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GodotError, MultiplayerRooms, WebSocketMultiplayerPeer, WebSocketServer, WriteMode } from '../../src/index.js';
import { godot4Project } from './godot4/project.js';
import { eventsOf, godot4Script, reportScriptFiles, resultsOf } from './godot4/results.js';
import { Godot4RunError, runGodot4, type Godot4RunResult } from './godot4/run-godot4.js';
import { launchChromium } from './support/chromium.js';

// Boot (fetch + compile of the 37 MB wasm, engine start) takes 3-4 s per run here; the
// scripts' own watchdogs fire well before runGodot4 gives up.
const RUN_TIMEOUT_MS = 45_000;
const TEST_TIMEOUT_MS = 90_000;

let browser: Browser | null = null;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

function run(main: string, config: object): Promise<Godot4RunResult> {
  const files = godot4Project({ main: godot4Script(main), files: reportScriptFiles() });
  return runGodot4({ files, args: [JSON.stringify(config)] }, { timeoutMs: RUN_TIMEOUT_MS, browser: browser! });
}

describe('Godot 4.6 web template in headless Chromium', () => {
  it('runs GDScript from a zipped project and prints Godot 4 Variant bytes', async () => {
    const outcome = await run('variant.gd', {});
    expect(outcome.exitCode).toBe(0);
    expect(outcome.errorLines).toEqual([]);
    expect(outcome.lines[0]).toMatch(/^Godot Engine v4\.6\.\S+ - https:\/\/godotengine\.org$/);
    const [version] = eventsOf(outcome.lines, 'version');
    expect(version).toMatchObject({ major: 4, minor: 6, status: 'stable' });
    // Godot 4 encoding: header uint32 LE = type id (Vector2 = 5, no flags), then x and y as float32 LE.
    const expected = Buffer.alloc(12);
    expected.writeUInt32LE(5, 0);
    expected.writeFloatLE(1, 4);
    expected.writeFloatLE(2, 8);
    expect(eventsOf(outcome.lines, 'bytes')).toEqual([{ event: 'bytes', value: 'Vector2(1, 2)', hex: expected.toString('hex') }]);
  }, TEST_TIMEOUT_MS);

  it('fails a run at once on a GDScript parse error, with what Godot printed', async () => {
    const main = 'extends Node\n\nfunc _ready() -> void:\n\tvar wrong: int = "text"\n\tget_tree().quit(0)\n';
    const failure = await runGodot4({ files: godot4Project({ main }) }, { timeoutMs: RUN_TIMEOUT_MS, browser: browser! }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Godot4RunError);
    const { message, lines, errorLines } = failure as Godot4RunError;
    expect(message).toMatch(/^GDScript error/);
    expect(lines[0]).toMatch(/^Godot Engine v4\.6/);
    expect(errorLines[0]).toMatch(/^SCRIPT ERROR: Parse Error: /);
    expect(errorLines).toContain('   at: GDScript::reload (res://main.gd:4)');
  }, TEST_TIMEOUT_MS);

  it('Godot 4 WebSocketPeer talks to a gdws WebSocketServer: text and binary echoes, then a close with code and reason', async () => {
    const server = new WebSocketServer();
    server.bindIp = '127.0.0.1';
    const received: Array<{ isText: boolean; hex: string }> = [];
    const closeRequests: Array<[number, string]> = [];
    const disconnects: boolean[] = [];
    server.on('dataReceived', (id) => {
      const peer = server.getPeer(id)!;
      while (peer.getAvailablePacketCount() > 0) {
        const data = peer.getPacket();
        const isText = peer.wasStringPacket();
        received.push({ isText, hex: data.toString('hex') });
        expect(peer.send(data, isText ? WriteMode.TEXT : WriteMode.BINARY)).toBe(GodotError.OK);
      }
    });
    server.on('clientCloseRequest', (_id, code, reason) => closeRequests.push([code, reason]));
    server.on('clientDisconnected', (_id, wasClean) => disconnects.push(wasClean));
    expect(await server.listen(0)).toBe(GodotError.OK);
    try {
      const text = 'héllo ✓ from Godot 4';
      const binary = Buffer.from([0, 1, 2, 0x7f, 0x80, 0xfe, 0xff]);
      const outcome = await run('websocket-echo.gd', {
        url: `ws://127.0.0.1:${server.getListeningPort()}/`,
        text,
        binaryHex: binary.toString('hex'),
        closeCode: 4001,
        closeReason: 'bye from godot',
      });
      expect(outcome.exitCode, outcome.lines.join('\n')).toBe(0);
      expect(received).toEqual([
        { isText: true, hex: Buffer.from(text).toString('hex') },
        { isText: false, hex: binary.toString('hex') },
      ]);
      expect(eventsOf(outcome.lines, 'message')).toEqual([
        { event: 'message', isText: true, hex: Buffer.from(text).toString('hex'), text },
        { event: 'message', isText: false, hex: binary.toString('hex'), text: '' },
      ]);
      expect(closeRequests).toEqual([[4001, 'bye from godot']]);
      // gdws answers a close with the peer's code (RFC 6455 5.5.1), and Godot reports it.
      expect(eventsOf(outcome.lines, 'closed')).toEqual([{ event: 'closed', code: 4001, reason: 'bye from godot' }]);
      await expect.poll(() => disconnects).toEqual([true]);
    } finally {
      await server.stop();
    }
  }, TEST_TIMEOUT_MS);

  it('two Godot 4 SceneMultiplayer clients join a gdws WebSocketMultiplayerPeer server and greet each other by rpc through its relay', async () => {
    const server = new WebSocketMultiplayerPeer();
    const joined: number[] = [];
    server.on('peerConnected', (id) => joined.push(id));
    expect(await server.createServer(0, '127.0.0.1')).toBe(GodotError.OK);
    try {
      const url = `ws://127.0.0.1:${server.getListeningPort()}/`;
      // Two pages of one browser: two independent Godot instances at once.
      const [a, b] = await Promise.all([run('mp-client.gd', { url, tag: 'A' }), run('mp-client.gd', { url, tag: 'B' })]);
      expect(a.exitCode, a.lines.join('\n')).toBe(0);
      expect(b.exitCode, b.lines.join('\n')).toBe(0);
      const idA = eventsOf(a.lines, 'connected')[0]?.['id'] as number;
      const idB = eventsOf(b.lines, 'connected')[0]?.['id'] as number;
      // Each Godot's get_unique_id() is the id the gdws server gave it.
      expect(new Set(joined)).toEqual(new Set([idA, idB]));
      expect(idA).not.toBe(idB);
      for (const [outcome, own, other, otherTag] of [
        [a, idA, idB, 'B'],
        [b, idB, idA, 'A'],
      ] as const) {
        const peers = eventsOf(outcome.lines, 'peer_connected').map((event) => event['id']);
        expect(new Set(peers)).toEqual(new Set([1, other]));
        expect(peers).not.toContain(own);
        // get_remote_sender_id() is the real sender, as the relay must report it.
        expect(eventsOf(outcome.lines, 'rpc')).toEqual([{ event: 'rpc', from: other, tag: otherTag, claimedId: other }]);
        expect(resultsOf(outcome.lines).at(-1)).toEqual({ event: 'done', exitCode: 0 });
      }
    } finally {
      await server.close();
    }
  }, TEST_TIMEOUT_MS);

  it('two Godot 4 SceneMultiplayer clients meet in a MultiplayerRooms room (/room/arena) while another room stays apart', async () => {
    const rooms = new MultiplayerRooms();
    expect(await rooms.listen(0)).toBe(GodotError.OK);
    try {
      const base = `ws://127.0.0.1:${rooms.getListeningPort()}`;
      // A gdws client sits in another room the whole time: the Godot clients must never hear of it.
      const bystander = new WebSocketMultiplayerPeer();
      expect(await bystander.createClient(`${base}/room/elsewhere`)).toBe(GodotError.OK);
      const url = `${base}/room/arena`;
      const [a, b] = await Promise.all([run('mp-client.gd', { url, tag: 'A' }), run('mp-client.gd', { url, tag: 'B' })]);
      expect(a.exitCode, a.lines.join('\n')).toBe(0);
      expect(b.exitCode, b.lines.join('\n')).toBe(0);
      const idA = eventsOf(a.lines, 'connected')[0]?.['id'] as number;
      const idB = eventsOf(b.lines, 'connected')[0]?.['id'] as number;
      for (const [outcome, other, otherTag] of [
        [a, idB, 'B'],
        [b, idA, 'A'],
      ] as const) {
        const peers = eventsOf(outcome.lines, 'peer_connected').map((event) => event['id']);
        expect(new Set(peers)).toEqual(new Set([1, other]));
        expect(peers).not.toContain(bystander.getUniqueId());
        expect(eventsOf(outcome.lines, 'rpc')).toEqual([{ event: 'rpc', from: other, tag: otherTag, claimedId: other }]);
      }
      expect(bystander.getAnnouncedPeers()).toEqual([]);
      await bystander.close();
    } finally {
      await rooms.close();
    }
  }, TEST_TIMEOUT_MS);
});
