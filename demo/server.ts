import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createServer as createHttpsServer } from 'node:https';
import { CryptoKey, MultiplayerRooms, ROOM_PREFIXES, routeUpgrades, TLSOptions, X509Certificate } from '../src/index.js';
import { joinBackplane } from './backplane.js';
import { createBroadcastServer } from './broadcast.js';
import { isWorker, runWorkers } from './cluster.js';
import { createEchoServer } from './echo.js';
import { createDemoGame } from './game.js';
import { listenFailure } from './listen-failure.js';
import { parseDemoOptions, type DemoOptions } from './options.js';
import { PeerCount } from './peer-counts.js';
import { rateLimitedLog } from './rate-limited-log.js';
import { createRelays } from './relays.js';
import { demoRequests } from './requests.js';
import { origin } from './urls.js';

/**
 * `npm start`: one node:http server on 127.0.0.1:9080 that serves a page at
 * `/` (with live peer counts from `/status`), Godot multiplayer relays at
 * /godot4 and /godot3, a small game whose server is this process at /game4
 * (Godot 4) and /game3 (Godot 3), and a gdws echo server on every other path. With
 * --tls-key and --tls-cert it is a node:https server: https:// and wss://.
 * /broadcast is a topic: what a client sends reaches every other client there.
 * --workers N runs N processes sharing the port; --redis URL joins the rooms
 * and /broadcast of every process on that Redis (see README, "Running on
 * several processes and machines").
 * A bad option or a port in use stops it with one line and exit code 1.
 */

/** Says what went wrong in one line, without a stack, and exits with 1. */
function fail(message: string): never {
  console.error(`gdws demo: ${message}`);
  process.exit(1);
}

const argv = process.argv.slice(2);
let options: DemoOptions;
let tls;
try {
  options = parseDemoOptions(argv, process.env);
  // toServerContextOptions checks that the key and certificate are PEM and belong together.
  tls = options.tlsKey !== null && options.tlsCert !== null ? TLSOptions.server(CryptoKey.load(options.tlsKey), X509Certificate.load(options.tlsCert)).toServerContextOptions() : null;
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const { host, deflate } = options;
const scheme = tls === null ? 'http' : 'https';
const wsScheme = tls === null ? 'ws' : 'wss';

const echo = createEchoServer(deflate);
const broadcast = createBroadcastServer();
// Many independent Godot sessions: /room/NAME (Godot 4 relay) and /room3/NAME (Godot 3 gd_mp_api), each with its own ids.
const rooms = new MultiplayerRooms();
rooms.on('roomOpened', (name, kind) => log(`room ${name} (${kind}) opened`));
rooms.on('roomClosed', (name) => log(`room ${name} closed`));
const log = rateLimitedLog((line) => console.log(line));
const relays = createRelays(log);
const game = createDemoGame(log);
const echoCount = new PeerCount();
const godot4Count = new PeerCount();
const godot3Count = new PeerCount();
const game4Count = new PeerCount();
const game3Count = new PeerCount();
echo.on('clientConnected', echoCount.joined);
echo.on('clientDisconnected', echoCount.left);
relays.godot4.on('peerConnected', godot4Count.joined);
relays.godot4.on('peerDisconnected', godot4Count.left);
relays.godot3.on('peerConnected', godot3Count.joined);
relays.godot3.on('peerDisconnected', godot3Count.left);
game.godot4.on('peerConnected', game4Count.joined);
game.godot4.on('peerDisconnected', game4Count.left);
game.godot3.on('peerConnected', game3Count.joined);
game.godot3.on('peerDisconnected', game3Count.left);

const handleRequest = demoRequests(wsScheme, () => ({
  echo: echoCount.size,
  godot4: godot4Count.size,
  godot3: godot3Count.size,
  game4: game4Count.size,
  game3: game3Count.size,
  rooms: rooms.roomList(),
}));
// The TLS stage gets Godot's handshake timeout too (node's default is two minutes).
const http = tls === null ? createServer(handleRequest) : createHttpsServer({ ...tls, handshakeTimeout: 3000 }, handleRequest);
// Routing that never throws on a bad request target, and Godot's 3 s limit on request heads.
// Room paths go to the rooms, every other unrouted path to the echo.
const roomsOrEcho = {
  handleUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = request.url ?? '';
    const target = Object.keys(ROOM_PREFIXES).some((prefix) => path.startsWith(prefix)) ? rooms : echo;
    target.handleUpgrade(request, socket, head);
  },
};
routeUpgrades(http, { '/godot4': relays.godot4, '/godot3': relays.godot3, '/game4': game.godot4, '/game3': game.godot3, '/broadcast': broadcast }, { fallback: roomsOrEcho });

let backplane: Awaited<ReturnType<typeof joinBackplane>> | null = null;

async function serve(): Promise<void> {
  if (options.redis !== null) {
    try {
      backplane = await joinBackplane(options.redis, rooms, broadcast, log);
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    }
  }
  const joined = options.redis !== null ? `, rooms and /broadcast joined through Redis at ${options.redis}` : '';
  const worker = isWorker() ? `, worker ${process.pid}` : '';
  http.on('error', (error: NodeJS.ErrnoException) => fail(listenFailure(error, options.port, host, argv)));
  http.listen(options.port, host, () => {
    const address = http.address();
    const port = address !== null && typeof address === 'object' ? address.port : options.port;
    const base = origin(wsScheme, host, port);
    console.log(`gdws demo listening on ${origin(scheme, host, port)}/ (echo on ${base}/<any path>, Godot 4 multiplayer relay on ${base}/godot4, Godot 3 gd_mp_api relay on ${base}/godot3, game server on ${base}/game4 and ${base}/game3, rooms on ${base}/room/NAME and ${base}/room3/NAME, topic on ${base}/broadcast)${deflate ? ', permessage-deflate on' : ''}${joined}${worker}`);
  });
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

function shutdown(): void {
  http.close();
  // The backplane says goodbye first, so other processes drop this one's room members at once.
  void Promise.all([backplane?.close(), echo.stop(), broadcast.stop(), relays.close(), game.close(), rooms.close()]).then(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}

if (options.workers > 1 && !isWorker()) {
  if (options.redis === null) console.log(`gdws demo: ${options.workers} workers without --redis: each worker has its own rooms and /broadcast subscribers`);
  runWorkers(options.workers, (line) => console.log(`gdws demo: ${line}`));
} else {
  void serve();
}
