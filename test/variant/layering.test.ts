// src/variant is a pure layer: it may import its own files and src/godot-error.ts,
// nothing from the transport layers (peer, server, client, multiplayer) or elsewhere.

import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const folder = new URL('../../src/variant/', import.meta.url);

it('src/variant imports only itself and ../godot-error.js', () => {
  const files = readdirSync(folder).filter((name) => name.endsWith('.ts'));
  expect(files.length).toBeGreaterThan(5);
  for (const file of files) {
    const source = readFileSync(new URL(file, folder), 'utf8');
    const specifiers = [...source.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((match) => match[1]);
    for (const specifier of specifiers) {
      expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\/[a-z0-9-]+\.js$|^\.\.\/godot-error\.js$/);
    }
  }
});
