import { startTopicServer } from './topic-server.js';

/**
 * Process B of bench/backplane.bench.ts: a gdws server joined to the Redis
 * backplane, holding receivers of messages published in process A.
 *
 *   node --import tsx bench/backplane/server.ts --redis redis://127.0.0.1:PORT
 *
 * Prints "READY <port>" once it listens and its backplane is connected;
 * stops on SIGTERM, SIGINT, or when the parent's IPC channel closes (the
 * harness went away).
 */

const at = process.argv.indexOf('--redis');
const redisUrl = at >= 0 ? process.argv[at + 1] : undefined;
if (redisUrl === undefined) {
  process.stderr.write('usage: node --import tsx bench/backplane/server.ts --redis redis://HOST:PORT\n');
  process.exit(2);
}

const server = await startTopicServer(redisUrl);
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void server.close().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.once('disconnect', stop);
process.stdout.write(`READY ${server.port}\n`);
