import { parseCliOptions } from './cli-options.js';
import { startEchoServer } from './echo-server.js';

const USAGE = 'usage: npm run autobahn:server [-- --port 9001] [--host 127.0.0.1] [--deflate]';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const deflate = argv.includes('--deflate');
  const options = parseCliOptions(argv.filter((arg) => arg !== '--deflate'), { port: '9001', host: '127.0.0.1' }, USAGE);
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535\n${USAGE}`);

  const server = await startEchoServer({ host: options.host, port, deflate });
  console.log(`gdws echo server for the Autobahn testsuite (fuzzingclient mode) on ws://${options.host}:${server.getListeningPort()}${deflate ? ', permessage-deflate on' : ''}`);
  console.log('Run the testsuite now (see autobahn/README.md); Ctrl+C stops the server.');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void server.stop().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exitCode = 1;
});
