// The GDScript 4 side of a Godot 4 byte-exact check over GODOT4_SAMPLE_VALUES: a
// SceneTree script that prints `VAR <name> <hex of var_to_bytes(expression)>` per
// sample, to be compared with varToBytes(sample.value). Run it with
// `godot --headless -s check.gd` (or embed the body in the web template's project).

import { GODOT4_SAMPLE_VALUES } from './godot4-sample-values.js';

export function godot4SampleScript(): string {
  const lines = Object.entries(GODOT4_SAMPLE_VALUES).map(([name, sample]) => `\tprint("VAR ${name} " + var_to_bytes(${sample.gdscript}).hex_encode())`);
  return ['extends SceneTree', '', 'func _init():', ...lines, '\tquit()', ''].join('\n');
}

/** Reads the `VAR name hex` lines back into a map of name → bytes. */
export function parseSampleOutput(stdout: string): Map<string, Uint8Array> {
  const bytes = new Map<string, Uint8Array>();
  for (const line of stdout.split('\n')) {
    const match = /^VAR (\S+) ([0-9a-f]*)$/.exec(line.trim());
    if (match !== null) bytes.set(match[1]!, new Uint8Array(Buffer.from(match[2]!, 'hex')));
  }
  return bytes;
}
