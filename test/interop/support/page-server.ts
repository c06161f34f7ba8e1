// A node:http server on 127.0.0.1 that serves one page at / for a browser to open,
// and hands every upgrade request to a gdws WebSocketServer.

import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { WebSocketServer } from '../../../src/index.js';

export interface PageServer {
  readonly port: number;
  /** Every socket handed to the WebSocketServer, in order: the tests read its byte counters. */
  readonly upgradedSockets: Socket[];
  /** Drops every open connection and stops listening. */
  close(): Promise<void>;
}

export async function startPageServer(page: string, wsServer: WebSocketServer): Promise<PageServer> {
  const upgradedSockets: Socket[] = [];
  const http = createServer((request, response) => {
    if (request.url === '/') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(page);
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    upgradedSockets.push(socket);
    wsServer.handleUpgrade(request, socket, head);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    port: (http.address() as AddressInfo).port,
    upgradedSockets,
    close: async () => {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
