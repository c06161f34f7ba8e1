import type { RequestListener } from 'node:http';
import type { RoomInfo } from '../src/index.js';
import { demoPage } from './page.js';

/** Connected peers per endpoint, as `/status` reports them. */
export interface DemoStatus {
  echo: number;
  godot4: number;
  godot3: number;
  game4: number;
  game3: number;
  /** Open multiplayer rooms (`/room/NAME` for Godot 4, `/room3/NAME` for Godot 3) with their members. */
  rooms: RoomInfo[];
}

/** Plain HTTP paths that are WebSocket endpoints, and what a browser that opens one is told. */
const WEBSOCKET_PATHS: ReadonlyMap<string, string> = new Map([
  ['/echo', 'the echo'],
  ['/godot4', 'the Godot 4 multiplayer relay'],
  ['/godot3', 'the Godot 3 gd_mp_api relay'],
  ['/game4', 'the demo game for Godot 4 clients'],
  ['/game3', 'the demo game for Godot 3 clients'],
]);

/**
 * The demo's plain (non-upgrade) HTTP requests: the page at `/`, live peer
 * counts at `/status`, 204 for `/favicon.ico`, 426 on the WebSocket endpoint
 * paths (they only answer upgrades) and 404 for anything else.
 */
export function demoRequests(wsScheme: 'ws' | 'wss', status: () => DemoStatus): RequestListener {
  return (request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    const text = (code: number, body: string, headers: Record<string, string> = {}): void => {
      response.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      response.end(body + '\n');
    };
    if (path === '/' || path === '/index.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(demoPage);
    } else if (path === '/status') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(status()));
    } else if (path === '/favicon.ico') {
      response.writeHead(204);
      response.end();
    } else if (WEBSOCKET_PATHS.has(path)) {
      text(426, `${path} is ${WEBSOCKET_PATHS.get(path)!}: a WebSocket endpoint, connect with ${wsScheme}://`, { upgrade: 'websocket' });
    } else {
      text(404, `Nothing here. The demo page is at /; WebSocket connections to any other path get the echo.`);
    }
  };
}
