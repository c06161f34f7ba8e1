/**
 * Command line of the demo server: --port N (or PORT), --host H, --tls-key FILE --tls-cert FILE for
 * https:// and wss://, --deflate, --workers N (processes sharing the port), --redis URL (the backplane
 * joining rooms and topics of every process that uses the same Redis).
 */
export interface DemoOptions {
  port: number;
  host: string;
  /** PEM files; both set or both null. */
  tlsKey: string | null;
  tlsCert: string | null;
  /** Accept permessage-deflate from clients that offer it (browsers do). */
  deflate: boolean;
  /** How many processes (node:cluster workers) share the port; 1 runs in this process alone. */
  workers: number;
  /** A redis:// URL: rooms and the /broadcast topic span every process connected to it. */
  redis: string | null;
}

/** More would only share 2-64 cores worse; a typo such as 1000 is refused rather than forking that many. */
const MAX_WORKERS = 64;

const USAGE = 'Usage: npm start -- [--port N] [--host H] [--tls-key FILE --tls-cert FILE] [--deflate] [--workers N] [--redis redis://HOST:PORT]';

/** A port number from `text` (of `source`: "--port" or "PORT"), or an error saying what is wrong with it. */
function parsePort(text: string, source: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port > 65535) throw new Error(`${source} must be a port number 0-65535, got ${JSON.stringify(text)}`);
  return port;
}

function parseWorkers(text: string): number {
  const workers = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) throw new Error(`--workers must be a whole number 1-${MAX_WORKERS}, got ${JSON.stringify(text)}`);
  return workers;
}

function parseRedisUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--redis must be a URL such as redis://127.0.0.1:6379, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error(`--redis must be a redis:// or rediss:// URL, got ${JSON.stringify(text)}`);
  return text;
}

/** The demo's options from its command line and environment; throws an Error with a one-line message on a bad one. */
export function parseDemoOptions(argv: readonly string[], env: NodeJS.ProcessEnv): DemoOptions {
  const options: DemoOptions = { port: env.PORT !== undefined ? parsePort(env.PORT, 'PORT') : 9080, host: '127.0.0.1', tlsKey: null, tlsCert: null, deflate: false, workers: 1, redis: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    if (['--port', '--host', '--tls-key', '--tls-cert', '--workers', '--redis'].includes(flag) && value === undefined) {
      throw new Error(`${flag} needs a value. ${USAGE}`);
    }
    if (flag === '--port' && value !== undefined) {
      options.port = parsePort(value, '--port');
      i++;
    } else if (flag === '--host' && value !== undefined) {
      options.host = value;
      i++;
    } else if (flag === '--tls-key' && value !== undefined) {
      options.tlsKey = value;
      i++;
    } else if (flag === '--tls-cert' && value !== undefined) {
      options.tlsCert = value;
      i++;
    } else if (flag === '--workers' && value !== undefined) {
      options.workers = parseWorkers(value);
      i++;
    } else if (flag === '--redis' && value !== undefined) {
      options.redis = parseRedisUrl(value);
      i++;
    } else if (flag === '--deflate') {
      options.deflate = true;
    } else {
      throw new Error(`Unknown option ${flag}. ${USAGE}`);
    }
  }
  if ((options.tlsKey === null) !== (options.tlsCert === null)) {
    throw new Error('--tls-key and --tls-cert go together: give both PEM files to serve https:// and wss://');
  }
  return options;
}
