import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { runFuzzingServerCases } from '../../autobahn/client-runner.js';
import { startEchoServer } from '../../autobahn/echo-server.js';

/** The Autobahn runners' `--deflate` switch, against ws stand-ins for the testsuite (sections 12 and 13 need it). */

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const COMPRESSIBLE = Buffer.from('{"case":12,"data":"compress me"}'.repeat(200));

describe('Autobahn runners with --deflate', () => {
  it('the echo server (npm run autobahn:server -- --deflate) negotiates permessage-deflate and echoes through it', async () => {
    const server = await startEchoServer({ host: '127.0.0.1', port: 0, deflate: true });
    cleanups.push(() => server.stop());
    const client = new WebSocket(`ws://127.0.0.1:${server.getListeningPort()}/`, { perMessageDeflate: { threshold: 0 } });
    cleanups.push(() => client.terminate());
    await once(client, 'open');
    expect(client.extensions).toBe('permessage-deflate');
    client.send(COMPRESSIBLE, { binary: true });
    const [data] = (await once(client, 'message')) as [Buffer];
    expect(data.equals(COMPRESSIBLE)).toBe(true);
  });

  it('the echo server stays uncompressed without it', async () => {
    const server = await startEchoServer({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => server.stop());
    const client = new WebSocket(`ws://127.0.0.1:${server.getListeningPort()}/`, { perMessageDeflate: true });
    cleanups.push(() => client.terminate());
    await once(client, 'open');
    expect(client.extensions).toBe('');
  });

  it('the client runner (npm run autobahn:client -- --deflate) offers it on every case', async () => {
    const fake = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: { threshold: 0 } });
    cleanups.push(() => new Promise((resolve) => fake.close(resolve)));
    await once(fake, 'listening');
    const negotiated: string[] = [];
    const echoes: Buffer[] = [];
    fake.on('connection', (socket, request) => {
      const path = new URL(request.url ?? '/', 'ws://fake').pathname;
      negotiated.push(`${path} ${request.headers['sec-websocket-extensions'] ?? ''}`);
      if (path === '/getCaseCount') {
        socket.send('1');
        socket.close(1000);
      } else if (path === '/runCase') {
        socket.on('message', (data) => {
          echoes.push(data as Buffer);
          socket.close(1000);
        });
        socket.send(COMPRESSIBLE, { binary: true, compress: true });
      } else {
        socket.close(1000);
      }
    });
    const url = `ws://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    const summary = await runFuzzingServerCases({ url, agent: 'gdws', deflate: true, caseTimeoutMs: 10_000 });
    expect(summary.cases).toEqual([{ caseNumber: 1, connected: true, wasClean: true }]);
    expect(negotiated.find((line) => line.startsWith('/runCase'))).toBe('/runCase permessage-deflate; client_max_window_bits');
    expect(echoes).toHaveLength(1);
    expect(echoes[0]!.equals(COMPRESSIBLE)).toBe(true);
  });
});
