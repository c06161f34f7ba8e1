import { GodotError, type WebSocketServer } from '../src/index.js';
import { createEchoServer } from '../demo/echo.js';
import { raiseLimitsForTestsuite } from './echo-limits.js';

export interface EchoServerOptions {
  host: string;
  port: number;
  /** Accept permessage-deflate, for the testsuite's compression sections 12 and 13. */
  deflate?: boolean;
}

/**
 * The server the testsuite's fuzzingclient mode connects to: the demo's echo
 * server (text stays text, binary stays binary) with the testsuite's limits.
 */
export async function startEchoServer({ host, port, deflate = false }: EchoServerOptions): Promise<WebSocketServer> {
  const server = createEchoServer(deflate);
  server.bindIp = host;
  raiseLimitsForTestsuite(server);
  const error = await server.listen(port);
  if (error !== GodotError.OK) {
    throw new Error(`cannot listen on ${host}:${port} (Godot error ${error}): ${server.lastError?.message ?? 'unknown reason'}`);
  }
  return server;
}
