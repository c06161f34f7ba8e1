// Godot values end to end with a real Godot 4.6 (test/interop/godot4): a Godot 4
// WebSocketPeer put_var's values of many types to a gdws server, which reads them with
// getVar, answers each with putVar and then sends values of its own, which Godot reads
// with get_var. The server is the Godot 3 style WebSocketServer told to speak Godot 4's
// format (`variantGeneration = 4`); its peers take that generation.

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Basis,
  Color,
  GodotError,
  PackedColorArray,
  PackedStringArray,
  PackedVector2Array,
  PackedVector3Array,
  PackedVector4Array,
  StringName,
  Transform3D,
  TypedArray,
  VariantType,
  varToBytes,
  Vector2,
  Vector2i,
  Vector3,
  WebSocketServer,
  type Variant,
} from '../../src/index.js';
import { godot4Project } from './godot4/project.js';
import { eventsOf, godot4Script, reportScriptFiles } from './godot4/results.js';
import { runGodot4 } from './godot4/run-godot4.js';
import { launchChromium } from './support/chromium.js';

const RUN_TIMEOUT_MS = 45_000;
const TEST_TIMEOUT_MS = 90_000;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** scripts/variant-peer.gd's values(), in gdws's value model. */
const GODOT_VALUES: Variant[] = [
  new Map<Variant, Variant>([
    ['pos', new Vector2(1.5, -2)],
    ['cell', new Vector2i(3, -4)],
    ['vel', new Vector3(0, -9.75, 0)],
  ]),
  new PackedVector2Array(new Float32Array([1, 2, 3, 4])),
  new BigInt64Array([1n, -2n, 9223372036854775807n]),
  new Int32Array([1, -2, 2147483647]),
  new Float32Array([0.5, -0.25]),
  new Float64Array([0.1, -0.25]),
  new PackedStringArray(['a', '', 'four']),
  new Uint8Array([0, 1, 255]),
  new PackedVector3Array(new Float32Array([1, 2, 3])),
  new PackedColorArray(new Float32Array([1, 0, 0, 1])),
  new PackedVector4Array(new Float32Array([1, 2, 3, 4])),
  'héllo ✓ from Godot 4',
  new StringName('a_string_name'),
  9223372036854775807n,
  -2147483649,
  0.1,
  [1, 'two', 3.5, null, true, new Color(0.25, 0.5, 0.75, 1)],
  new TypedArray({ builtin: VariantType.VECTOR2I }, [new Vector2i(1, 2)]),
  new Transform3D(new Basis(new Vector3(1, 2, 3), new Vector3(4, 5, 6), new Vector3(7, 8, 9)), new Vector3(10, 11, 12)),
];

/** What the gdws server sends Godot after answering. */
const GDWS_VALUES: Variant[] = [
  new Map<Variant, Variant>([
    ['spawn', new Vector2(-3, 4.5)],
    ['cells', [new Vector2i(1, 1), new Vector2i(-2, 2)]],
    [7, new PackedVector3Array(new Float32Array([1, 1, 1, 2, 2, 2]))],
  ]),
  new PackedVector2Array(new Float32Array([0.5, 0.25, -8, 16])),
  new BigInt64Array([-9223372036854775807n, 0n]),
  -9223372036854775807n,
  4294967296,
  'from gdws ✓',
];

let browser: Browser | null = null;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('Godot 4 put_var / get_var with a gdws server', () => {
  it('gdws reads every value Godot 4 put_var sends, Godot reads gdws\'s answers and values with get_var', async () => {
    const server = new WebSocketServer();
    server.variantGeneration = 4;
    const received: Variant[] = [];
    const errors: GodotError[] = [];
    server.on('dataReceived', (id) => {
      const peer = server.getPeer(id)!;
      while (peer.getAvailablePacketCount() > 0) {
        const value = peer.getVar();
        errors.push(peer.getPacketError());
        received.push(value);
        expect(peer.putVar(value)).toBe(GodotError.OK);
        if (received.length === GODOT_VALUES.length) for (const own of GDWS_VALUES) expect(peer.putVar(own)).toBe(GodotError.OK);
      }
    });
    expect(await server.listen({ port: 0, bindIp: '127.0.0.1' })).toBe(GodotError.OK);
    try {
      const files = godot4Project({ main: godot4Script('variant-peer.gd'), files: reportScriptFiles() });
      const config = { url: `ws://127.0.0.1:${server.getListeningPort()}/`, expect: GODOT_VALUES.length + GDWS_VALUES.length };
      const outcome = await runGodot4({ files, args: [JSON.stringify(config)] }, { timeoutMs: RUN_TIMEOUT_MS, browser: browser! });
      expect(outcome.exitCode, [...outcome.lines, ...outcome.errorLines].join('\n')).toBe(0);
      expect(outcome.errorLines).toEqual([]);

      // Godot -> gdws: put_var's bytes are varToBytes's, and getVar gives the value.
      const puts = eventsOf(outcome.lines, 'put_var');
      expect(puts.map((put) => put['error'])).toEqual(GODOT_VALUES.map(() => GodotError.OK));
      expect(puts.map((put) => put['hex'])).toEqual(GODOT_VALUES.map((value) => hex(varToBytes(value))));
      expect(errors).toEqual(GODOT_VALUES.map(() => GodotError.OK));
      expect(received).toStrictEqual(GODOT_VALUES);

      // gdws -> Godot: the echoes equal what Godot sent, and gdws's own values arrive intact.
      const gots = eventsOf(outcome.lines, 'got_var');
      expect(gots).toHaveLength(GODOT_VALUES.length + GDWS_VALUES.length);
      expect(gots.slice(0, GODOT_VALUES.length).map((got) => got['same'])).toEqual(GODOT_VALUES.map(() => true));
      expect(gots.slice(GODOT_VALUES.length).map((got) => got['hex'])).toEqual(GDWS_VALUES.map((value) => hex(varToBytes(value))));
      expect(eventsOf(outcome.lines, 'closed')).toEqual([{ event: 'closed', code: 1000 }]);
    } finally {
      await server.stop();
    }
  }, TEST_TIMEOUT_MS);
});
