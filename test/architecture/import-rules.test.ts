import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** The folder under src/ a file belongs to ('.' for src/ itself). */
function folderOf(file: string): string {
  const path = relative(SRC, file);
  return path.includes('/') ? path.slice(0, path.indexOf('/')) : '.';
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import of every src file, as [importing folder, imported folder, file]. */
function folderImports(): Array<[string, string, string]> {
  const edges: Array<[string, string, string]> = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s+'(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(file), match[1]!);
      edges.push([folderOf(file), folderOf(target), relative(SRC, file)]);
    }
  }
  return edges;
}

/** What each folder may import besides itself; '.' holds godot-error.ts and index.ts. */
const ALLOWED: Record<string, string[]> = {
  frame: [],
  handshake: ['.'],
  variant: ['.'],
  peer: ['.', 'frame', 'handshake', 'variant'],
  server: ['.', 'frame', 'handshake', 'variant', 'peer'],
  multiplayer: ['.', 'frame', 'handshake', 'variant', 'peer', 'server'],
  godot3: ['.', 'frame', 'handshake', 'variant', 'peer', 'server', 'multiplayer'],
  rooms: ['.', 'frame', 'handshake', 'variant', 'peer', 'server', 'multiplayer', 'godot3'],
};

describe('the layering of src/', () => {
  const edges = folderImports();

  it('each folder imports only the layers below it (server never imports multiplayer; frame, handshake and variant nothing above)', () => {
    const broken = edges.filter(([from, to]) => from !== to && from !== '.' && !(ALLOWED[from] ?? []).includes(to));
    expect(broken.map(([from, to, file]) => `${file}: ${from} -> ${to}`)).toEqual([]);
  });

  it('has no cycle between folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const [from, to] of edges) if (from !== to && from !== '.' && to !== '.') (graph.get(from) ?? graph.set(from, new Set()).get(from)!).add(to);
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      if (path.includes(node)) {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
        return;
      }
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it('knows every folder', () => {
    const folders = new Set(sourceFiles(SRC).map(folderOf));
    folders.delete('.');
    expect([...folders].filter((folder) => !(folder in ALLOWED))).toEqual([]);
  });
});
