// Godot values end to end with a real Godot 3.2.3 (test/interop/godot3): a Godot 3
// WebSocketClient put_var's values of many types to a gdws WebSocketServer, which reads
// them with getVar (Godot 3's format, the default of the Godot 3 API), answers each with
// putVar, and then sends values of its own, which Godot reads with get_var.

import { describe, expect, it } from 'vitest';
import {
  Basis,
  Color,
  GodotError,
  PackedColorArray,
  PackedStringArray,
  PackedVector2Array,
  Rect2,
  Transform3D,
  var2bytes,
  Vector2,
  Vector3,
  WebSocketServer,
  type Variant,
} from '../../src/index.js';
import { expectHealthy, showOnFailure, useGodot3 } from './godot3/harness.js';
import { resultsOf, runGodot } from './godot3/run-godot.js';

const cleanups = useGodot3();

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** project/var_client.gd's values(), in gdws's value model. */
const GODOT_VALUES: Variant[] = [
  new Map<Variant, Variant>([
    ['pos', new Vector2(1.5, -2)],
    ['vel', new Vector3(0, -9.75, 0)],
    ['area', new Rect2(new Vector2(1, 2), new Vector2(3, 4))],
  ]),
  new PackedVector2Array(new Float32Array([1, 2, 3, 4])),
  new Int32Array([1, -2, 2147483647]),
  new Float32Array([0.5, -0.25]),
  new PackedStringArray(['a', '', 'four']),
  new Uint8Array([0, 1, 255]),
  new PackedColorArray(new Float32Array([1, 0, 0, 1, 0, 0.5, 1, 0.25])),
  'héllo ✓ from Godot 3',
  9223372036854775807n,
  -2147483649,
  [1, 'two', 3.5, null, true, new Color(0.25, 0.5, 0.75, 1)],
  new Transform3D(new Basis(new Vector3(1, 2, 3), new Vector3(4, 5, 6), new Vector3(7, 8, 9)), new Vector3(10, 11, 12)),
];

/** What the gdws server sends Godot after answering. */
const GDWS_VALUES: Variant[] = [
  new Map<Variant, Variant>([
    ['spawn', new Vector2(-3, 4.5)],
    [7, [new Vector3(1, 1, 1), new Vector3(2, 2, 2)]],
  ]),
  new PackedVector2Array(new Float32Array([0.5, 0.25, -8, 16])),
  -9223372036854775807n,
  4294967296,
  'from gdws ✓',
  new Int32Array([-1, 0, 1]),
];

describe('Godot 3 put_var / get_var with a gdws WebSocketServer', () => {
  it('gdws reads every value Godot 3 put_var sends, Godot reads gdws\'s answers and values with get_var', async () => {
    const server = new WebSocketServer();
    expect(server.variantGeneration).toBe(3);
    expect(await server.listen({ port: 0, bindIp: '127.0.0.1' })).toBe(GodotError.OK);
    cleanups.push(() => server.stop());
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

    const outcome = await runGodot('var-client', { url: `ws://127.0.0.1:${server.getListeningPort()}/`, expect: GODOT_VALUES.length + GDWS_VALUES.length });
    showOnFailure(outcome);
    expectHealthy(outcome);
    expect(outcome.exitCode).toBe(0);

    // Godot -> gdws: put_var's bytes are var2bytes's, and getVar gives the value.
    const puts = resultsOf(outcome.results, 'put_var');
    expect(puts.map((put) => put['error'])).toEqual(GODOT_VALUES.map(() => GodotError.OK));
    expect(puts.map((put) => put['hex'])).toEqual(GODOT_VALUES.map((value) => hex(var2bytes(value))));
    expect(errors).toEqual(GODOT_VALUES.map(() => GodotError.OK));
    expect(received).toStrictEqual(GODOT_VALUES);

    // gdws -> Godot: the echoes equal what Godot sent, and gdws's own values arrive intact.
    const gots = resultsOf(outcome.results, 'got_var');
    expect(gots).toHaveLength(GODOT_VALUES.length + GDWS_VALUES.length);
    expect(gots.map((got) => got['error'])).toEqual(gots.map(() => GodotError.OK));
    expect(gots.slice(0, GODOT_VALUES.length).map((got) => got['same'])).toEqual(GODOT_VALUES.map(() => true));
    expect(gots.slice(GODOT_VALUES.length).map((got) => got['hex'])).toEqual(GDWS_VALUES.map((value) => hex(var2bytes(value))));
  });
});
