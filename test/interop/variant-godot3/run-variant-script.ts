// Runs a GDScript that compares Godot 3's var2bytes/bytes2var with gdws: for every
// sample it prints Godot's bytes (`ENC name hex`) and, for the bytes gdws produced,
// what bytes2var made of them (`DEC name same_type hex_of_var2bytes_of_result`).

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GODOT3_COMMAND } from '../godot3/run-godot.js';

const run = promisify(execFile);

export interface ScriptCase {
  readonly name: string;
  readonly gdscript: string;
  /** gdws's encoding of the same value, fed to Godot's bytes2var. */
  readonly ours: Uint8Array;
  /** full_objects / allow_objects for this case. */
  readonly objects?: boolean;
}

export interface Godot3VariantReport {
  readonly encoded: ReadonlyMap<string, string>;
  readonly decoded: ReadonlyMap<string, { sameType: boolean; reencoded: string }>;
  /** Lines the script printed that are not ENC/DEC (OBJ lines and the like). */
  readonly other: readonly string[];
  readonly stdout: string;
  readonly stderr: string;
}

const PROJECT = `config_version=4

[application]

config/name="gdws variant interop"

[logging]

file_logging/enable_file_logging=false
file_logging/enable_file_logging.pc=false
`;

/** GDScript 3 has no hex_decode; this one is enough for the hex gdws sends. */
const HELPERS = `
func hex_to_bytes(hex):
	var digits = "0123456789abcdef"
	var out = PoolByteArray()
	for i in range(0, hex.length(), 2):
		out.append(digits.find(hex[i]) * 16 + digits.find(hex[i + 1]))
	return out


func check(name, value, ours, objects):
	print("ENC " + name + " " + var2bytes(value, objects).hex_encode())
	var back = bytes2var(hex_to_bytes(ours), objects)
	print("DEC " + name + " " + str(typeof(back) == typeof(value)) + " " + var2bytes(back, objects).hex_encode())
`;

export function variantScript(cases: readonly ScriptCase[], extra = ''): string {
  const calls = cases.map(
    (c) => `\tcheck("${c.name}", ${c.gdscript}, "${Buffer.from(c.ours).toString('hex')}", ${c.objects === true ? 'true' : 'false'})`,
  );
  return ['extends SceneTree', HELPERS, '', 'func _init():', ...calls, extra, '\tquit()', ''].join('\n');
}

export async function runGodot3Variant(script: string): Promise<Godot3VariantReport> {
  const dir = await mkdtemp(join(tmpdir(), 'gdws-variant-'));
  try {
    await writeFile(join(dir, 'project.godot'), PROJECT);
    await writeFile(join(dir, 'check.gd'), script);
    const { stdout, stderr } = await run(GODOT3_COMMAND, ['--path', dir, '-s', 'res://check.gd'], {
      env: { ...process.env, LANG: 'en_US.UTF-8' },
      timeout: 20_000,
      maxBuffer: 16 << 20,
    });
    const encoded = new Map<string, string>();
    const decoded = new Map<string, { sameType: boolean; reencoded: string }>();
    const other: string[] = [];
    for (const line of stdout.split('\n')) {
      const [tag, name, ...rest] = line.trim().split(' ');
      if (tag === 'ENC' && name !== undefined) encoded.set(name, rest[0] ?? '');
      else if (tag === 'DEC' && name !== undefined) decoded.set(name, { sameType: rest[0] === 'True', reencoded: rest[1] ?? '' });
      else if (line.trim() !== '') other.push(line.trim());
    }
    return { encoded, decoded, other, stdout, stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
