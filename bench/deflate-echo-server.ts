import { WebSocketServer as WsServer } from 'ws';
import { createEchoServer } from '../demo/echo.js';
import { GodotError } from '../src/index.js';

/**
 * Echo server child for bench/deflate.bench.ts: `node --expose-gc --import tsx
 * bench/deflate-echo-server.ts <gdws|ws> '<json settings>'`. Prints
 * `READY <port>`, then answers {type: 'usage', id} IPC requests with its
 * memory after full garbage collections.
 */

export interface EchoSettings {
  /** null: permessage-deflate off. */
  deflate: null | { threshold: number; serverNoContextTakeover: boolean; clientNoContextTakeover: boolean; level: number };
}

export interface UsageReply {
  id: number;
  rss: number;
  heapUsed: number;
  external: number;
}

const [subject, settingsJson] = process.argv.slice(2);
const settings = JSON.parse(settingsJson ?? '{"deflate":null}') as EchoSettings;
const LIMIT = 16 << 20;

async function startGdws(): Promise<number> {
  const server = createEchoServer(settings.deflate ?? false);
  server.bindIp = '127.0.0.1';
  server.inboundBufferSize = LIMIT;
  server.outboundBufferSize = 4 * LIMIT;
  server.maxQueuedPackets = 65536;
  if ((await server.listen(0)) !== GodotError.OK) throw new Error(`listen failed: ${server.lastError?.message}`);
  return server.getListeningPort();
}

async function startWs(): Promise<number> {
  const deflate = settings.deflate;
  const server = new WsServer({
    host: '127.0.0.1',
    port: 0,
    maxPayload: LIMIT,
    perMessageDeflate:
      deflate === null
        ? false
        : {
            threshold: deflate.threshold,
            serverNoContextTakeover: deflate.serverNoContextTakeover,
            clientNoContextTakeover: deflate.clientNoContextTakeover,
            zlibDeflateOptions: { level: deflate.level },
          },
  });
  server.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data as Buffer, { binary: isBinary })));
  await new Promise((resolve) => server.once('listening', resolve));
  return (server.address() as { port: number }).port;
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  for (let round = 0; round < 3; round++) gc();
}

process.on('message', (message: { type: string; id: number }) => {
  if (message.type !== 'usage') return;
  collectGarbage();
  const usage = process.memoryUsage();
  const reply: UsageReply = { id: message.id, rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external };
  process.send!(reply);
});
process.on('disconnect', () => process.exit(0));

const port = subject === 'ws' ? await startWs() : await startGdws();
console.log(`READY ${port}`);
