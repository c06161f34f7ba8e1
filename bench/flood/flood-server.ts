import { createServer } from 'node:http';
import { WebSocketServer as WsServer } from 'ws';
import { echoWithBackpressure } from '../../demo/echo.js';
import { GodotError, routeUpgrades, WebSocketMultiplayerPeer, WebSocketServer } from '../../src/index.js';
import { startWsRelay } from './ws-relay.js';

/**
 * The attacked server, one per child process so that its RSS is its own:
 * `node --import tsx bench/flood/flood-server.ts KIND`, prints `READY <port>`.
 *
 *   gdws          WebSocketServer.listen, default limits, backpressure echo
 *   gdws-deflate  the same with server.deflate = true
 *   gdws-http     node:http server whose 'upgrade' calls server.handleUpgrade
 *   gdws-routed   node:http server with routeUpgrades (the server as fallback)
 *   gdws-relay    WebSocketMultiplayerPeer.createServer (Godot 4 relay)
 *   ws            new WebSocketServer({ port }) echo, ws defaults
 *   ws-deflate    the same with perMessageDeflate: true
 *   ws-relay      a minimal Godot 4 relay on ws (ws-relay.ts)
 */
export type ServerKind = 'gdws' | 'gdws-deflate' | 'gdws-http' | 'gdws-routed' | 'gdws-relay' | 'ws' | 'ws-deflate' | 'ws-relay';

function ready(port: number): void {
  process.stdout.write(`READY ${port}\n`);
}

function gdwsEchoServer(deflate: boolean): WebSocketServer {
  const server = new WebSocketServer();
  server.bindIp = '127.0.0.1';
  if (deflate) server.deflate = true;
  echoWithBackpressure(server);
  return server;
}

async function start(kind: ServerKind): Promise<void> {
  switch (kind) {
    case 'gdws':
    case 'gdws-deflate': {
      const server = gdwsEchoServer(kind === 'gdws-deflate');
      if ((await server.listen(0)) !== GodotError.OK) throw new Error(`listen failed: ${server.lastError?.message}`);
      ready(server.getListeningPort());
      return;
    }
    case 'gdws-http':
    case 'gdws-routed': {
      const server = gdwsEchoServer(false);
      const http = createServer((_request, response) => {
        response.writeHead(426, { upgrade: 'websocket' });
        response.end();
      });
      if (kind === 'gdws-routed') routeUpgrades(http, {}, { fallback: server });
      else http.on('upgrade', (request, socket, head) => server.handleUpgrade(request, socket, head));
      http.listen(0, '127.0.0.1', () => ready((http.address() as { port: number }).port));
      return;
    }
    case 'gdws-relay': {
      const relay = new WebSocketMultiplayerPeer();
      // Packets addressed to the server itself are read and dropped, as a game server would consume them.
      relay.on('peerPacket', () => {
        while (relay.getAvailablePacketCount() > 0) relay.getPacket();
      });
      if ((await relay.createServer(0, '127.0.0.1')) !== GodotError.OK) throw new Error(`createServer failed: ${relay.lastError?.message}`);
      ready(relay.getListeningPort());
      return;
    }
    case 'ws':
    case 'ws-deflate': {
      const server = new WsServer({ host: '127.0.0.1', port: 0, perMessageDeflate: kind === 'ws-deflate' });
      server.on('connection', (socket) => {
        socket.on('error', () => {});
        socket.on('message', (data, isBinary) => socket.send(data as Buffer, { binary: isBinary }));
      });
      server.on('listening', () => ready((server.address() as { port: number }).port));
      return;
    }
    case 'ws-relay':
      startWsRelay(0, ready);
      return;
    default:
      throw new Error(`unknown server kind ${String(kind)}`);
  }
}

process.on('disconnect', () => process.exit(0));
await start(process.argv[2] as ServerKind);
