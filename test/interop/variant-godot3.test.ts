// gdws's Variant serialization against a real Godot 3.2.3: byte-for-byte equal
// var2bytes output for one value of every Godot 3 type, Godot's bytes decoded to
// the same value, and gdws's bytes read back by Godot's bytes2var.

import { beforeAll, describe, expect, it } from 'vitest';
import { bytes2var, GodotObject, ObjectId, var2bytes } from '../../src/variant/index.js';
import { GODOT3_SAMPLE_VALUES } from '../variant/godot3-sample-values.js';
import { requireGodot3 } from './godot3/run-godot.js';
import { runGodot3Variant, variantScript } from './variant-godot3/run-variant-script.js';
import type { Godot3VariantReport } from './variant-godot3/run-variant-script.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

const SAMPLES = Object.entries(GODOT3_SAMPLE_VALUES);

/**
 * Godot's NodePath encoder skips the padding after each name without writing it, so
 * those bytes are whatever was in memory (seen with 3.2.3; Godot 4 has the same code).
 * This zeroes them in the hex of a top-level NodePath so the rest compares exactly.
 */
function zeroNodePathPadding(hexText: string): string {
  const bytes = Buffer.from(hexText, 'hex');
  if (bytes.length < 16 || bytes.readUInt32LE(0) !== 15) return hexText;
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

/** A Gradient's stored properties cover bools, strings, pool arrays and a null script. */
const FULL_OBJECT = 'Gradient.new()';

/** Prints the instance id of a live Node and its var2bytes, which gdws rebuilds from the id. */
const OBJECT_AS_ID = `
	var node = Node.new()
	print("OBJ " + str(node.get_instance_id()) + " " + var2bytes(node).hex_encode())
	node.free()
	print("FREED " + var2bytes(node).hex_encode())
	print("FULL " + var2bytes(${FULL_OBJECT}, true).hex_encode())`;

describe('Variant serialization against Godot 3.2.3', () => {
  let report: Godot3VariantReport;

  beforeAll(async () => {
    requireGodot3();
    const cases = SAMPLES.map(([name, sample]) => ({ name, gdscript: sample.gdscript, ours: var2bytes(sample.value) }));
    report = await runGodot3Variant(variantScript(cases, OBJECT_AS_ID));
  });

  it('runs without script errors and reports every sample', () => {
    expect(report.stderr).not.toMatch(/SCRIPT ERROR|Parse Error/);
    expect([...report.encoded.keys()]).toEqual(SAMPLES.map(([name]) => name));
  });

  it.each(SAMPLES)('%s: var2bytes gives the bytes Godot writes', (name, sample) => {
    expect(hex(var2bytes(sample.value))).toBe(zeroNodePathPadding(report.encoded.get(name) ?? ''));
  });

  it.each(SAMPLES)('%s: bytes2var of Godot\'s bytes gives the sample value', (name, sample) => {
    expect(bytes2var(fromHex(report.encoded.get(name) ?? ''))).toStrictEqual(sample.value);
  });

  it.each(SAMPLES)('%s: Godot reads gdws\'s bytes as the same value', (name, sample) => {
    const decoded = report.decoded.get(name);
    expect(decoded?.sameType).toBe(true);
    expect(zeroNodePathPadding(decoded?.reencoded ?? '')).toBe(zeroNodePathPadding(report.encoded.get(name) ?? ''));
    expect(bytes2var(fromHex(decoded?.reencoded ?? ''))).toStrictEqual(sample.value);
  });

  it('objects: an id is an ObjectId, a freed object is null, a full object re-encodes exactly', () => {
    const line = (tag: string) => report.other.find((text) => text.startsWith(`${tag} `))?.split(' ') ?? [];
    const [, id = '', idHex = ''] = line('OBJ');
    expect(bytes2var(fromHex(idHex))).toStrictEqual(new ObjectId(BigInt(id)));
    expect(hex(var2bytes(new ObjectId(BigInt(id))))).toBe(idHex);
    expect(bytes2var(fromHex(line('FREED')[1] ?? ''))).toBeNull();

    const fullHex = line('FULL')[1] ?? '';
    const gradient = bytes2var(fromHex(fullHex), { allowObjects: true });
    expect(gradient).toBeInstanceOf(GodotObject);
    expect((gradient as GodotObject).className).toBe('Gradient');
    expect([...(gradient as GodotObject).properties.keys()]).toContain('offsets');
    expect(hex(var2bytes(gradient, { fullObjects: true }))).toBe(fullHex);
    expect(() => bytes2var(fromHex(fullHex))).toThrow(/allowObjects/);
  });

  it('Godot reads a full object that gdws wrote', async () => {
    const fullHex = report.other.find((text) => text.startsWith('FULL '))?.split(' ')[1] ?? '';
    const gradient = bytes2var(fromHex(fullHex), { allowObjects: true });
    const ours = var2bytes(gradient, { fullObjects: true });
    const second = await runGodot3Variant(variantScript([{ name: 'gradient', gdscript: FULL_OBJECT, ours, objects: true }]));
    expect(second.decoded.get('gradient')).toEqual({ sameType: true, reencoded: fullHex });
  });
});
