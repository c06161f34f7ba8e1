import { openInBatches } from './drivers/load-driver.js';
import { openRawWebSocket, type RawWebSocket } from './support/raw-websocket.js';

/**
 * Opens COUNT WebSocket connections to 127.0.0.1:PORT and keeps them idle,
 * for the memory measurement; started by bench/e2e.ts with an IPC channel.
 * Sends `{ type: 'opened' }` once all are open, then waits to be killed.
 */
const port = Number(process.argv[2]);
const count = Number(process.argv[3]);
const held: RawWebSocket[] = [];

try {
  held.push(...(await openInBatches(count, () => openRawWebSocket(port), 100)));
  for (const { socket } of held) socket.on('error', () => {});
  process.send!({ type: 'opened', count: held.length });
} catch (error) {
  process.send!({ type: 'error', message: (error as Error).message }, () => process.exit(1));
}
process.on('disconnect', () => process.exit(0));
