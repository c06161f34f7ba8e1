// Reads the `RESULT {json}` lines that scripts/report.gd prints, and the harness's own
// GDScript files, for tests built on runGodot4.

import { readFileSync } from 'node:fs';

export interface Godot4Result {
  readonly event: string;
  readonly [field: string]: unknown;
}

/** Every `RESULT {json}` line of a run, parsed, in order; other lines are skipped. */
export function resultsOf(lines: readonly string[]): Godot4Result[] {
  return lines.filter((line) => line.startsWith('RESULT ')).map((line) => JSON.parse(line.slice('RESULT '.length)) as Godot4Result);
}

/** The results of one kind of event. */
export function eventsOf(lines: readonly string[], event: string): Godot4Result[] {
  return resultsOf(lines).filter((result) => result.event === event);
}

/** The source of scripts/<name>; pass it as godot4Project's `main` or as one of its `files`. */
export function godot4Script(name: string): string {
  return readFileSync(new URL(`./scripts/${name}`, import.meta.url), 'utf8');
}

/** res://report.gd, which the harness scripts preload: add it to a project's files. */
export function reportScriptFiles(): Record<string, string> {
  return { 'report.gd': godot4Script('report.gd') };
}
