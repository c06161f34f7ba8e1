// gdws's Variant serialization against a real Godot 4.6 (the web template in headless
// Chromium, test/interop/godot4): for one value of every Godot 4 type (the table in
// test/variant/godot4-sample-values.ts), varToBytes gives the bytes var_to_bytes writes,
// bytesToVar reads Godot's bytes as the sample value, and Godot's bytes_to_var reads
// gdws's bytes as an equal value of the same type. Objects (as id and whole) too.

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bytesToVar,
  Color,
  GodotFloat,
  GodotObject,
  ObjectId,
  PackedVector2Array,
  StringName,
  TypedArray,
  TypedDictionary,
  VariantType,
  varToBytes,
  Vector2,
  Vector2i,
  type Variant,
} from '../../src/index.js';
import type { SampleValue } from '../variant/godot3-sample-values.js';
import { GODOT4_SAMPLE_VALUES } from '../variant/godot4-sample-values.js';
import { godot4Project } from './godot4/project.js';
import { eventsOf, reportScriptFiles } from './godot4/results.js';
import { runGodot4, type Godot4RunResult } from './godot4/run-godot4.js';
import { launchChromium } from './support/chromium.js';

const RUN_TIMEOUT_MS = 60_000;
const TEST_TIMEOUT_MS = 120_000;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

/** Beyond one value per type: float32 rounding in math types, 64-bit ints in containers, nested typed containers. */
const EXTRA_SAMPLES: Readonly<Record<string, SampleValue>> = {
  x_vector2_rounded: { gdscript: 'Vector2(0.1, -0.2)', value: new Vector2(Math.fround(0.1), Math.fround(-0.2)) },
  x_color_rounded: { gdscript: 'Color(0.1, 0.2, 0.3, 0.4)', value: new Color(Math.fround(0.1), Math.fround(0.2), Math.fround(0.3), Math.fround(0.4)) },
  x_int64_keys: {
    gdscript: '{9223372036854775807: -1, -2147483649: 2.0, 0.5: 4294967296}',
    value: new Map<Variant, Variant>([
      [9223372036854775807n, -1],
      [-2147483649, new GodotFloat(2)],
      [0.5, 4294967296],
    ]),
  },
  x_nested_typed: {
    gdscript: '[Array([1.5, 2.0], TYPE_FLOAT, &"", null), Array([&"a"], TYPE_STRING_NAME, &"", null), PackedVector2Array()]',
    value: [
      new TypedArray({ builtin: VariantType.FLOAT }, [1.5, new GodotFloat(2)]),
      new TypedArray({ builtin: VariantType.STRING_NAME }, [new StringName('a')]),
      new PackedVector2Array(new Float32Array()),
    ],
  },
  x_typed_dictionary_vectors: {
    gdscript: 'Dictionary({Vector2i(1, 2): Vector2(3, 4)}, TYPE_VECTOR2I, &"", null, TYPE_VECTOR2, &"", null)',
    value: new TypedDictionary({ builtin: VariantType.VECTOR2I }, { builtin: VariantType.VECTOR2 }, new Map<Variant, Variant>([[new Vector2i(1, 2), new Vector2(3, 4)]])),
  },
  x_dictionary_in_array_in_dictionary: {
    gdscript: '{"players": [{"id": 7, "pos": Vector2(1, 2)}], "tick": 9007199254740993}',
    value: new Map<Variant, Variant>([
      ['players', [new Map<Variant, Variant>([['id', 7], ['pos', new Vector2(1, 2)]])]],
      ['tick', 9007199254740993n],
    ]),
  },
};

const SAMPLES = [...Object.entries(GODOT4_SAMPLE_VALUES), ...Object.entries(EXTRA_SAMPLES)];

/** A Gradient's stored properties: an int enum, packed float and color arrays. */
const FULL_OBJECT = 'Gradient.new()';

/**
 * Godot's NodePath encoder skips the padding after each name without writing it
 * (marshalls.cpp), so those bytes are whatever was in memory. This zeroes them in the
 * hex of a top-level Godot 4 NodePath (type 22) so the rest compares exactly.
 */
function zeroNodePathPadding(hexText: string): string {
  const bytes = Buffer.from(hexText, 'hex');
  if (bytes.length < 16 || bytes.readUInt32LE(0) !== 22) return hexText;
  const count = (bytes.readUInt32LE(4) & 0x7fffffff) + bytes.readUInt32LE(8);
  let at = 16;
  for (let i = 0; i < count && at + 4 <= bytes.length; i++) {
    const length = bytes.readUInt32LE(at);
    const end = at + 4 + length;
    const padded = end + ((4 - (length % 4)) % 4);
    bytes.fill(0, Math.min(end, bytes.length), Math.min(padded, bytes.length));
    at = padded;
  }
  return bytes.toString('hex');
}

interface CheckCase {
  readonly name: string;
  readonly gdscript: string;
  /** gdws's bytes, fed to Godot's bytes_to_var (or bytes_to_var_with_objects). */
  readonly ours: Uint8Array;
  readonly objects?: boolean;
}

/** A main script that reports, per case, Godot's bytes and what Godot makes of gdws's bytes. */
function checkScript(cases: readonly CheckCase[], extra = ''): string {
  const calls = cases.map((c) => `\tcheck("${c.name}", ${c.gdscript}, "${hex(c.ours)}", ${c.objects === true ? 'true' : 'false'})`);
  return `extends Node

const Report = preload("res://report.gd")


func encode(value: Variant, objects: bool) -> PackedByteArray:
	return var_to_bytes_with_objects(value) if objects else var_to_bytes(value)


func check(name: String, value: Variant, ours: String, objects: bool) -> void:
	var bytes := ours.hex_decode()
	var back: Variant = bytes_to_var_with_objects(bytes) if objects else bytes_to_var(bytes)
	var same_type: bool = typeof(back) == typeof(value)
	var equal: bool = same_type and (objects or back == value or (typeof(value) == TYPE_FLOAT and is_nan(value) and is_nan(back)))
	Report.result("case", {"name": name, "godot": encode(value, objects).hex_encode(), "same_type": same_type, "equal": equal, "back": encode(back, objects).hex_encode()})


func _ready() -> void:
	var version := Engine.get_version_info()
	Report.result("version", {"string": version.string, "major": version.major, "minor": version.minor})
${calls.join('\n')}
${extra}
	Report.finish(get_tree(), 0)
`;
}

const OBJECTS = `
	var node := Node.new()
	Report.result("object", {"id": str(node.get_instance_id()), "hex": var_to_bytes(node).hex_encode()})
	node.free()
	Report.result("freed", {"hex": var_to_bytes(node).hex_encode()})
	Report.result("full", {"hex": var_to_bytes_with_objects(${FULL_OBJECT}).hex_encode()})
`;

interface CaseReport {
  readonly name: string;
  readonly godot: string;
  readonly same_type: boolean;
  readonly equal: boolean;
  readonly back: string;
}

let browser: Browser | null = null;
let outcome: Godot4RunResult;
let cases: Map<string, CaseReport>;

function run(main: string): Promise<Godot4RunResult> {
  return runGodot4({ files: godot4Project({ main, files: reportScriptFiles() }) }, { timeoutMs: RUN_TIMEOUT_MS, browser: browser! });
}

beforeAll(async () => {
  browser = await launchChromium();
  outcome = await run(checkScript(SAMPLES.map(([name, sample]) => ({ name, gdscript: sample.gdscript, ours: varToBytes(sample.value) })), OBJECTS));
  cases = new Map(eventsOf(outcome.lines, 'case').map((event) => [event['name'] as string, event as unknown as CaseReport]));
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
});

describe('Variant serialization against Godot 4.6', () => {
  it('runs Godot 4.6 without errors and reports every sample', () => {
    expect(outcome.exitCode, outcome.lines.join('\n')).toBe(0);
    expect(outcome.errorLines).toEqual([]);
    expect(eventsOf(outcome.lines, 'version')[0]).toMatchObject({ major: 4, minor: 6 });
    expect([...cases.keys()]).toEqual(SAMPLES.map(([name]) => name));
  });

  it.each(SAMPLES)('%s: varToBytes gives the bytes var_to_bytes writes', (name, sample) => {
    expect(hex(varToBytes(sample.value))).toBe(zeroNodePathPadding(cases.get(name)?.godot ?? ''));
  });

  it.each(SAMPLES)('%s: bytesToVar of Godot\'s bytes gives the sample value', (name, sample) => {
    expect(bytesToVar(fromHex(cases.get(name)?.godot ?? ''))).toStrictEqual(sample.value);
  });

  it.each(SAMPLES)('%s: Godot\'s bytes_to_var reads gdws\'s bytes as an equal value of the same type', (name, sample) => {
    const report = cases.get(name);
    expect(report?.same_type).toBe(true);
    expect(report?.equal).toBe(true);
    expect(zeroNodePathPadding(report?.back ?? '')).toBe(zeroNodePathPadding(report?.godot ?? ''));
    expect(bytesToVar(fromHex(report?.back ?? ''))).toStrictEqual(sample.value);
  });

  it('objects: an id is an ObjectId, a freed object is null, a full object re-encodes exactly', () => {
    const [object] = eventsOf(outcome.lines, 'object');
    const idHex = object?.['hex'] as string;
    expect(bytesToVar(fromHex(idHex))).toStrictEqual(new ObjectId(BigInt(object?.['id'] as string)));
    expect(hex(varToBytes(new ObjectId(BigInt(object?.['id'] as string))))).toBe(idHex);
    expect(bytesToVar(fromHex(eventsOf(outcome.lines, 'freed')[0]?.['hex'] as string))).toBeNull();

    const fullHex = eventsOf(outcome.lines, 'full')[0]?.['hex'] as string;
    const gradient = bytesToVar(fromHex(fullHex), { allowObjects: true });
    expect(gradient).toBeInstanceOf(GodotObject);
    expect((gradient as GodotObject).className).toBe('Gradient');
    expect(hex(varToBytes(gradient, { fullObjects: true }))).toBe(fullHex);
    expect(() => bytesToVar(fromHex(fullHex))).toThrow(/allowObjects/);
  });

  it('Godot reads a full object that gdws wrote', async () => {
    const fullHex = eventsOf(outcome.lines, 'full')[0]?.['hex'] as string;
    const ours = varToBytes(bytesToVar(fromHex(fullHex), { allowObjects: true }), { fullObjects: true });
    const second = await run(checkScript([{ name: 'gradient', gdscript: FULL_OBJECT, ours, objects: true }]));
    expect(second.exitCode, second.lines.join('\n')).toBe(0);
    const [report] = eventsOf(second.lines, 'case');
    expect(report).toMatchObject({ name: 'gradient', same_type: true, back: fullHex });
  }, TEST_TIMEOUT_MS);
});
