import { createServer } from 'node:http';
import { createEchoServer } from './echo.js';
import { parseDemoOptions } from './options.js';
import { demoPage } from './page.js';

/**
 * `npm start`: one node:http server on 127.0.0.1:9080 that serves a page at
 * `/` and hands every WebSocket upgrade to a gdws echo server.
 */
const options = parseDemoOptions(process.argv.slice(2), process.env);
const echo = createEchoServer();
const http = createServer((request, response) => {
  if (request.url === '/' || request.url === '/index.html') {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(demoPage);
    return;
  }
  response.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' });
  response.end('This path is a WebSocket echo endpoint: connect with ws://\n');
});
http.on('upgrade', (request, socket, head) => echo.handleUpgrade(request, socket, head));

http.listen(options.port, options.host, () => {
  const address = http.address();
  const port = address !== null && typeof address === 'object' ? address.port : options.port;
  console.log(`gdws demo listening on http://${options.host}:${port}/ (WebSocket echo on ws://${options.host}:${port}/<any path>)`);
});

function shutdown(): void {
  http.close();
  void echo.stop().then(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
