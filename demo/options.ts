/** Command line of the demo server: --port N (or PORT), --host H. */
export interface DemoOptions {
  port: number;
  host: string;
}

export function parseDemoOptions(argv: readonly string[], env: NodeJS.ProcessEnv): DemoOptions {
  const options: DemoOptions = { port: env.PORT !== undefined ? Number(env.PORT) : 9080, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--port' && value !== undefined) {
      options.port = Number(value);
      i++;
    } else if (flag === '--host' && value !== undefined) {
      options.host = value;
      i++;
    } else {
      throw new Error(`Unknown option ${flag}. Usage: npm start -- [--port N] [--host H]`);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error(`--port must be 0-65535, got ${options.port}`);
  }
  return options;
}
