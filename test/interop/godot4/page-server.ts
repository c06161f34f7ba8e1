// A loopback http server for one Godot 4 run: the web template's engine files, a bare
// page for them, and the project zip that the page hands to Godot as its main pack.

import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { GODOT4_EXECUTABLE, godot4TemplateDir } from './template.js';

/** URL path (and Godot file system path) of the project zip. */
export const MAIN_PACK_NAME = 'project.zip';

// Chromium compiles with instantiateStreaming only when .wasm comes as application/wasm
// (index.js falls back to arrayBuffer otherwise, but then it is slower and less honest).
const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
};

// The bare page: one canvas (Engine refuses to start without one, even with --headless)
// and the template's index.js, which defines `Engine`. run-godot4.ts starts it.
const PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>gdws Godot 4 interop</title></head>
<body><canvas id="canvas" width="64" height="64"></canvas>
<script src="${GODOT4_EXECUTABLE}.js"></script></body></html>
`;

// Only the engine's own files, never the template's index.pck (the preview app's project).
const ENGINE_FILES = new Set(['.js', '.wasm', '.audio.worklet.js', '.audio.position.worklet.js'].map((suffix) => GODOT4_EXECUTABLE + suffix));

export interface Godot4PageServer {
  /** http://127.0.0.1:<port>/ : the page to open. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startGodot4PageServer(mainPack: Uint8Array): Promise<Godot4PageServer> {
  const templateDir = godot4TemplateDir();
  const http = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    // The template is single-threaded (no SharedArrayBuffer), so no COOP/COEP headers are needed.
    if (path === '/') {
      response.writeHead(200, { 'Content-Type': MIME_TYPES['.html']!, 'Cache-Control': 'no-store' });
      response.end(PAGE);
    } else if (path === `/${MAIN_PACK_NAME}`) {
      response.writeHead(200, { 'Content-Type': MIME_TYPES['.zip']!, 'Content-Length': mainPack.length, 'Cache-Control': 'no-store' });
      response.end(mainPack);
    } else if (ENGINE_FILES.has(path.slice(1))) {
      const file = join(templateDir, path.slice(1));
      let size: number;
      try {
        size = statSync(file).size;
      } catch {
        response.writeHead(404);
        response.end();
        return;
      }
      response.writeHead(200, { 'Content-Type': MIME_TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': size });
      createReadStream(file).pipe(response);
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/`,
    close: async () => {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
