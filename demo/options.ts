/** Command line of the demo server: --port N (or PORT), --host H, --tls-key FILE --tls-cert FILE for https:// and wss://, --deflate. */
export interface DemoOptions {
  port: number;
  host: string;
  /** PEM files; both set or both null. */
  tlsKey: string | null;
  tlsCert: string | null;
  /** Accept permessage-deflate from clients that offer it (browsers do). */
  deflate: boolean;
}

export function parseDemoOptions(argv: readonly string[], env: NodeJS.ProcessEnv): DemoOptions {
  const options: DemoOptions = { port: env.PORT !== undefined ? Number(env.PORT) : 9080, host: '127.0.0.1', tlsKey: null, tlsCert: null, deflate: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--port' && value !== undefined) {
      options.port = Number(value);
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
    } else if (flag === '--deflate') {
      options.deflate = true;
    } else {
      throw new Error(`Unknown option ${flag}. Usage: npm start -- [--port N] [--host H] [--tls-key FILE --tls-cert FILE] [--deflate]`);
    }
  }
  if ((options.tlsKey === null) !== (options.tlsCert === null)) {
    throw new Error('--tls-key and --tls-cert go together: give both PEM files to serve https:// and wss://');
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error(`--port must be 0-65535, got ${options.port}`);
  }
  return options;
}
