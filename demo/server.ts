import { createServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { CryptoKey, routeUpgrades, TLSOptions, X509Certificate } from '../src/index.js';
import { createEchoServer } from './echo.js';
import { rateLimitedLog } from './rate-limited-log.js';
import { createRelays } from './relays.js';
import { parseDemoOptions } from './options.js';
import { demoPage } from './page.js';

/**
 * `npm start`: one node:http server on 127.0.0.1:9080 that serves a page at
 * `/`, Godot multiplayer relays at /godot4 and /godot3, and a gdws echo
 * server on every other path. With
 * --tls-key and --tls-cert it is a node:https server: https:// and wss://.
 */
const options = parseDemoOptions(process.argv.slice(2), process.env);
const tls = options.tlsKey !== null && options.tlsCert !== null ? TLSOptions.server(CryptoKey.load(options.tlsKey), X509Certificate.load(options.tlsCert)) : null;
const scheme = tls === null ? 'http' : 'https';
const wsScheme = tls === null ? 'ws' : 'wss';
const echo = createEchoServer(options.deflate);
const handleRequest: RequestListener = (request, response) => {
  if (request.url === '/' || request.url === '/index.html') {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(demoPage);
    return;
  }
  response.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' });
  response.end(`This path is a WebSocket echo endpoint: connect with ${wsScheme}://\n`);
};
// toServerContextOptions checks that the key and certificate are PEM and belong together.
// The TLS stage gets Godot's handshake timeout too (node's default is two minutes).
const http = tls === null ? createServer(handleRequest) : createHttpsServer({ ...tls.toServerContextOptions(), handshakeTimeout: 3000 }, handleRequest);
const relays = createRelays(rateLimitedLog((line) => console.log(line)));
// Routing that never throws on a bad request target, and Godot's 3 s limit on request heads.
routeUpgrades(http, { '/godot4': relays.godot4, '/godot3': relays.godot3 }, { fallback: echo });

http.listen(options.port, options.host, () => {
  const address = http.address();
  const port = address !== null && typeof address === 'object' ? address.port : options.port;
  const base = `${wsScheme}://${options.host}:${port}`;
  console.log(`gdws demo listening on ${scheme}://${options.host}:${port}/ (echo on ${base}/<any path>, Godot 4 multiplayer relay on ${base}/godot4, Godot 3 gd_mp_api relay on ${base}/godot3)${options.deflate ? ', permessage-deflate on' : ''}`);
});

function shutdown(): void {
  http.close();
  void Promise.all([echo.stop(), relays.close()]).then(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
