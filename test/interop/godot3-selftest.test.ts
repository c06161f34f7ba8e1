// Proves the Godot 3 harness in ./godot3 against `ws` and against Godot itself, so that
// the gdws interop tests can rely on what it reports.

import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { wsMessageBytes } from '../server/support/endpoints.js';
import { patternBytes } from './godot3/godot-config.js';
import type { MessageType } from './godot3/godot-config.js';
import { expectHealthy, expectedEchoes, idsOf, messageSummary, ONE_MIB, rpcsOf, sendAndReceiveEach, showOnFailure, SIZES, startRawServer, TWO_CLIENT_MP_SERVER_STEPS, TWO_MIB_BUFFERS, TYPES, useGodot3 } from './godot3/harness.js';
import { resultsOf, runGodot, startGodot, startGodotServer } from './godot3/run-godot.js';
import type { GodotProcess, GodotRunOutcome } from './godot3/run-godot.js';

const NUL = '\u0000';

interface ReceivedByWs {
  readonly size: number;
  readonly type: MessageType;
  readonly data: Buffer;
}

interface WsCloseEvent {
  readonly code: number;
  readonly reason: string;
}

const cleanups = useGodot3();

interface WsTestServer {
  readonly url: string;
  readonly received: ReceivedByWs[];
  readonly requests: IncomingMessage[];
  /** The close each connection ended with. */
  readonly closes: Promise<WsCloseEvent>[];
  readonly connections: Promise<WebSocket>;
}

/** A `ws` server on a free loopback port that echoes every message with its type. */
async function startWsEchoServer(
  options: {
    handleProtocols?: (protocols: Set<string>) => string | false;
    onConnection?: (socket: WebSocket) => void;
  } = {},
): Promise<WsTestServer> {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    ...(options.handleProtocols ? { handleProtocols: options.handleProtocols } : {}),
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  );
  const received: ReceivedByWs[] = [];
  const requests: IncomingMessage[] = [];
  const closes: Promise<WsCloseEvent>[] = [];
  let resolveFirst: (socket: WebSocket) => void = () => {};
  const connections = new Promise<WebSocket>((resolve) => {
    resolveFirst = resolve;
  });
  server.on('connection', (socket, request) => {
    requests.push(request);
    closes.push(
      new Promise((resolve) =>
        socket.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
      ),
    );
    socket.on('message', (data, isBinary) => {
      const bytes = wsMessageBytes(data);
      received.push({ size: bytes.length, type: isBinary ? 'binary' : 'text', data: bytes });
      socket.send(bytes, { binary: isBinary });
    });
    options.onConnection?.(socket);
    resolveFirst(socket);
  });
  const { port } = server.address() as AddressInfo;
  return { url: `ws://127.0.0.1:${port}/interop`, received, requests, closes, connections };
}

describe('godot3 raw-client against a ws server', () => {
  it('gets text and binary echoes of 1, 125, 126 and 65535 bytes with their type and content', async () => {
    const ws = await startWsEchoServer();
    const outcome = await runGodot('raw-client', {
      url: ws.url,
      steps: [...sendAndReceiveEach(SIZES), { op: 'close' }],
    });
    expectHealthy(outcome);
    expect(outcome.exitCode).toBe(0);
    expect(resultsOf(outcome.results, 'message').map(messageSummary)).toEqual(expectedEchoes(SIZES));
    expect(ws.received.map(({ size, type }) => ({ size, type }))).toEqual(
      SIZES.flatMap((size) => TYPES.map((type) => ({ size, type }))),
    );
    for (const message of ws.received) expect(message.data.equals(patternBytes(message.type, message.size))).toBe(true);
  });

  it('receives 0-byte text and binary messages, while its own 0-byte put_packet sends nothing', async () => {
    const ws = await startWsEchoServer({
      onConnection: (socket) => {
        socket.send(Buffer.alloc(0), { binary: false });
        socket.send(Buffer.alloc(0), { binary: true });
      },
    });
    const outcome = await runGodot('raw-client', {
      url: ws.url,
      steps: [
        { op: 'receive', count: 2 },
        { op: 'send', type: 'text', size: 0 },
        { op: 'send', type: 'binary', size: 0 },
        { op: 'send', type: 'binary', size: 1 },
        { op: 'receive', count: 1 },
        { op: 'close' },
      ],
    });
    expectHealthy(outcome);
    expect(resultsOf(outcome.results, 'message').map(messageSummary)).toEqual([
      { size: 0, type: 'text', pattern: true },
      { size: 0, type: 'binary', pattern: true },
      { size: 1, type: 'binary', pattern: true },
    ]);
    expect(resultsOf(outcome.results, 'sent').map((sent) => sent['error'])).toEqual([0, 0, 0]);
    expect(ws.received.map(({ size, type }) => ({ size, type }))).toEqual([{ size: 1, type: 'binary' }]);
  });

  it('exchanges 1 MiB text and binary messages after set_buffers', async () => {
    const ws = await startWsEchoServer();
    const outcome = await runGodot('raw-client', {
      url: ws.url,
      buffers: TWO_MIB_BUFFERS,
      steps: [...sendAndReceiveEach([ONE_MIB]), { op: 'close' }],
    });
    expectHealthy(outcome);
    expect(resultsOf(outcome.results, 'set_buffers')).toEqual([{ event: 'set_buffers', error: 0 }]);
    expect(resultsOf(outcome.results, 'message').map(messageSummary)).toEqual(expectedEchoes([ONE_MIB]));
    expect(ws.received.map(({ size, type }) => ({ size, type }))).toEqual([
      { size: ONE_MIB, type: 'text' },
      { size: ONE_MIB, type: 'binary' },
    ]);
  });

  it('with default buffers silently drops a 65536-byte message and keeps the connection', async () => {
    const ws = await startWsEchoServer({
      onConnection: (socket) => {
        for (const size of [65535, 65536, 10]) socket.send(patternBytes('binary', size));
      },
    });
    const outcome = await runGodot('raw-client', { url: ws.url, steps: [{ op: 'receive', count: 2 }, { op: 'close' }] });
    expectHealthy(outcome);
    expect(resultsOf(outcome.results, 'message').map(messageSummary)).toEqual([
      { size: 65535, type: 'binary', pattern: true },
      { size: 10, type: 'binary', pattern: true },
    ]);
    expect(outcome.stderr).toContain('Buffer payload full! Dropping data.');
  });

  it('with default buffers closes with 1009 on a 65537-byte message and never reports its own close', async () => {
    const ws = await startWsEchoServer({ onConnection: (socket) => socket.send(patternBytes('binary', 65537)) });
    const outcome = await runGodot('raw-client', { url: ws.url, timeoutMs: 1000, steps: [{ op: 'wait_close' }] });
    expect(await ws.closes[0]).toEqual({ code: 1009, reason: '' });
    expect(resultsOf(outcome.results, 'message')).toEqual([]);
    expect(resultsOf(outcome.results, 'closed')).toEqual([]);
    expect(resultsOf(outcome.results, 'timeout')).toEqual([{ event: 'timeout', step: 0, op: 'wait_close' }]);
  });

  it('offers its subprotocols in order and reports the one the server chose', async () => {
    const ws = await startWsEchoServer({ handleProtocols: (offered) => (offered.has('beta') ? 'beta' : false) });
    const outcome = await runGodot('raw-client', {
      url: ws.url,
      protocols: ['alpha', 'beta'],
      steps: [{ op: 'close' }],
    });
    expectHealthy(outcome);
    expect(resultsOf(outcome.results, 'connected')).toEqual([{ event: 'connected', protocol: 'beta' }]);
    expect(ws.requests[0]?.headers['sec-websocket-protocol']).toBe('alpha,beta');
  });

  it('reports connection_error when the server picks none of its subprotocols', async () => {
    const ws = await startWsEchoServer({ handleProtocols: () => false });
    const outcome = await runGodot('raw-client', { url: ws.url, protocols: ['alpha'], steps: [{ op: 'close' }] });
    expectHealthy(outcome);
    expect(outcome.results.map((result) => result.event)).toEqual(['connection_error', 'done']);
    expect(outcome.exitCode).toBe(1);
  });

  it('sends custom headers that the server sees', async () => {
    const ws = await startWsEchoServer();
    const outcome = await runGodot('raw-client', {
      url: ws.url,
      headers: ['X-Gdws-Test: one', 'X-Gdws-Other: two words'],
      steps: [{ op: 'close' }],
    });
    expectHealthy(outcome);
    expect(ws.requests[0]?.headers['x-gdws-test']).toBe('one');
    expect(ws.requests[0]?.headers['x-gdws-other']).toBe('two words');
  });

  it('closes with a code and reason the server receives (3.2.3 appends a NUL to the reason)', async () => {
    const ws = await startWsEchoServer();
    const outcome = await runGodot('raw-client', {
      url: ws.url,
      steps: [{ op: 'close', code: 4000, reason: 'bye' }],
    });
    expectHealthy(outcome);
    expect(await ws.closes[0]).toEqual({ code: 4000, reason: `bye${NUL}` });
    // 3.2.3 calls its own close unclean even though the server answered it.
    expect(resultsOf(outcome.results, 'closed')).toEqual([{ event: 'closed', clean: false }]);
  });

  it('reports the code and reason of a close started by the server', async () => {
    const ws = await startWsEchoServer({ onConnection: (socket) => socket.close(4001, 'server bye') });
    const outcome = await runGodot('raw-client', { url: ws.url, steps: [{ op: 'wait_close' }] });
    expectHealthy(outcome);
    expect(outcome.exitCode).toBe(0);
    expect(resultsOf(outcome.results, 'server_close_request')).toEqual([
      { event: 'server_close_request', code: 4001, reason: 'server bye' },
    ]);
    expect(resultsOf(outcome.results, 'closed')).toEqual([{ event: 'closed', clean: true }]);
    expect(await ws.closes[0]).toEqual({ code: 4001, reason: 'server bye' });
  });
});

interface WsClientRun {
  readonly socket: WebSocket;
  readonly echoes: ReceivedByWs[];
  readonly closed: Promise<WsCloseEvent>;
}

async function connectWsClient(url: string, protocols: string[] = []): Promise<WsClientRun> {
  const socket = new WebSocket(url, protocols);
  cleanups.push(() => socket.terminate());
  const echoes: ReceivedByWs[] = [];
  socket.on('message', (data, isBinary) => {
    const bytes = wsMessageBytes(data);
    echoes.push({ size: bytes.length, type: isBinary ? 'binary' : 'text', data: bytes });
  });
  const closed = new Promise<WsCloseEvent>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { socket, echoes, closed };
}

async function waitUntil(condition: () => boolean, godot: GodotProcess): Promise<void> {
  // Bounded by the Godot run: once it has ended nothing more can arrive.
  let ended = false;
  void godot.finished.then(() => {
    ended = true;
  });
  while (!condition()) {
    if (ended) throw new Error(`Godot ended first: ${JSON.stringify(godot.results)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('godot3 raw-server against a ws client', () => {
  it('echoes text and binary messages of 1, 125, 126 and 65535 bytes with their type', async () => {
    const { godot, url } = await startRawServer(cleanups);
    const client = await connectWsClient(url);
    for (const size of SIZES) {
      for (const type of TYPES) client.socket.send(patternBytes(type, size), { binary: type === 'binary' });
    }
    await waitUntil(() => client.echoes.length === SIZES.length * TYPES.length, godot);
    client.socket.close();
    const outcome = await godot.finished;
    expectHealthy(outcome);
    expect(client.echoes.map(({ size, type }) => ({ size, type }))).toEqual(
      SIZES.flatMap((size) => TYPES.map((type) => ({ size, type }))),
    );
    for (const echo of client.echoes) expect(echo.data.equals(patternBytes(echo.type, echo.size))).toBe(true);
    expect(resultsOf(outcome.results, 'message').map(messageSummary)).toEqual(expectedEchoes(SIZES));
  });

  it('receives 0-byte messages but cannot echo them (put_packet of nothing sends nothing)', async () => {
    const { godot, url } = await startRawServer(cleanups, { sendOnConnect: [{ type: 'text', size: 0 }] });
    const client = await connectWsClient(url);
    client.socket.send(Buffer.alloc(0), { binary: false });
    client.socket.send(Buffer.alloc(0), { binary: true });
    client.socket.send(patternBytes('text', 1), { binary: false });
    await waitUntil(() => client.echoes.length === 1, godot);
    client.socket.close();
    const outcome = await godot.finished;
    expectHealthy(outcome);
    expect(resultsOf(outcome.results, 'message').map(messageSummary)).toEqual([
      { size: 0, type: 'text', pattern: true },
      { size: 0, type: 'binary', pattern: true },
      { size: 1, type: 'text', pattern: true },
    ]);
    expect(client.echoes.map(({ size, type }) => ({ size, type }))).toEqual([{ size: 1, type: 'text' }]);
  });

  it("picks the first of the client's subprotocols that it supports", async () => {
    const { godot, url } = await startRawServer(cleanups, { protocols: ['alpha', 'beta'] });
    const client = await connectWsClient(url, ['beta', 'alpha']);
    expect(client.socket.protocol).toBe('beta');
    client.socket.close();
    const outcome = await godot.finished;
    expectHealthy(outcome);
    expect(resultsOf(outcome.results, 'client_connected')[0]?.['protocol']).toBe('beta');
  });

  it('reports a close code and reason from the client and echoes them back', async () => {
    const { godot, url } = await startRawServer(cleanups);
    const client = await connectWsClient(url);
    client.socket.close(4002, 'client bye');
    const outcome = await godot.finished;
    expectHealthy(outcome);
    const id = resultsOf(outcome.results, 'client_connected')[0]?.['id'];
    expect(resultsOf(outcome.results, 'client_close_request')).toEqual([
      { event: 'client_close_request', id, code: 4002, reason: 'client bye' },
    ]);
    expect(resultsOf(outcome.results, 'client_disconnected')).toEqual([{ event: 'client_disconnected', id, clean: true }]);
    expect(await client.closed).toEqual({ code: 4002, reason: 'client bye' });
  });

  it('closes a client with a code and reason (3.2.3 appends a NUL to the reason)', async () => {
    const { godot, url } = await startRawServer(cleanups, { closeAfter: { messages: 1, code: 4003, reason: 'enough' } });
    const client = await connectWsClient(url);
    client.socket.send('last');
    expect(await client.closed).toEqual({ code: 4003, reason: `enough${NUL}` });
    const outcome = await godot.finished;
    expectHealthy(outcome);
    expect(client.echoes.map((echo) => echo.data.toString())).toEqual(['last']);
    // The server that started the close calls the disconnect unclean.
    expect(resultsOf(outcome.results, 'client_disconnected')[0]?.['clean']).toBe(false);
  });
});

describe('godot3 gd_mp_api: one mp-server and two mp-clients', () => {
  it('announces every peer to everyone and delivers rpcs to the server, to one peer and to all', async () => {
    // Its six rpcs: rpc_server, rpc_all and rpc_except(server) from each client: see the last expectation.
    const { godot: server, port } = await startGodotServer('mp-server', { steps: TWO_CLIENT_MP_SERVER_STEPS });
    cleanups.push(() => server.kill());
    const url = `ws://127.0.0.1:${port}/`;
    const greetEveryone = (name: string) =>
      [
        { op: 'wait_peers', count: 2 },
        { op: 'rpc_server', tag: `${name}-server` },
        { op: 'rpc_peers', tag: `${name}-peer` },
        { op: 'rpc_all', tag: `${name}-all` },
        // server-all, server-each, and the other client's -peer and -all
        { op: 'wait_rpcs', count: 4 },
        // The other client's second rpc proves it has confirmed our node path (its confirmation
        // travels ahead of that rpc), so the next call goes out as one packet with target -1
        // instead of one packet per destination.
        { op: 'rpc_peers', tag: `${name}-peer-again` },
        { op: 'wait_rpcs', count: 1 },
        { op: 'rpc_except', except: 'server', tag: `${name}-not-server` },
        // the other client's -not-server and the server's done: leaving any earlier could let
        // our disconnect overtake our own last rpc at the server
        { op: 'wait_rpcs', count: 2 },
      ] as const;
    const first = startGodot('mp-client', { url, steps: [...greetEveryone('a'), { op: 'leave' }] });
    const second = startGodot('mp-client', {
      url,
      steps: [...greetEveryone('b'), { op: 'wait_disconnects', count: 1 }, { op: 'leave' }],
    });
    cleanups.push(
      () => first.kill(),
      () => second.kill(),
    );
    const [serverRun, firstRun, secondRun] = await Promise.all([server.finished, first.finished, second.finished]);
    showOnFailure(serverRun, firstRun, secondRun);
    for (const run of [serverRun, firstRun, secondRun]) {
      expectHealthy(run);
      expect(run.exitCode).toBe(0);
    }

    const idOf = (run: GodotRunOutcome): number => resultsOf(run.results, 'connected')[0]?.['id'] as number;
    const a = idOf(firstRun);
    const b = idOf(secondRun);
    for (const id of [a, b]) {
      expect(id).toBeGreaterThan(1);
      expect(id).toBeLessThan(2 ** 31);
    }
    expect(a).not.toBe(b);

    expect(idsOf(serverRun, 'peer_connected').sort()).toEqual([a, b].sort());
    expect(idsOf(firstRun, 'peer_connected').sort()).toEqual([1, b].sort());
    expect(idsOf(secondRun, 'peer_connected').sort()).toEqual([1, a].sort());
    expect(idsOf(serverRun, 'peer_disconnected').sort()).toEqual([a, b].sort());
    expect(idsOf(secondRun, 'peer_disconnected')).toEqual([a]);

    // Godot 3.2.3's server runs rpcs sent to -1 ("all but the server") itself as well.
    expect(rpcsOf(serverRun)).toEqual([
      { from: a, tag: 'a-all', claimed: a },
      { from: a, tag: 'a-not-server', claimed: a },
      { from: a, tag: 'a-server', claimed: a },
      { from: b, tag: 'b-all', claimed: b },
      { from: b, tag: 'b-not-server', claimed: b },
      { from: b, tag: 'b-server', claimed: b },
    ]);
    expect(rpcsOf(firstRun)).toEqual([
      { from: b, tag: 'b-all', claimed: b },
      { from: b, tag: 'b-not-server', claimed: b },
      { from: b, tag: 'b-peer', claimed: b },
      { from: b, tag: 'b-peer-again', claimed: b },
      { from: 1, tag: 'server-all', claimed: 1 },
      { from: 1, tag: 'server-done', claimed: 1 },
      { from: 1, tag: 'server-each', claimed: 1 },
    ]);
    expect(rpcsOf(secondRun)).toEqual([
      { from: a, tag: 'a-all', claimed: a },
      { from: a, tag: 'a-not-server', claimed: a },
      { from: a, tag: 'a-peer', claimed: a },
      { from: a, tag: 'a-peer-again', claimed: a },
      { from: 1, tag: 'server-all', claimed: 1 },
      { from: 1, tag: 'server-done', claimed: 1 },
      { from: 1, tag: 'server-each', claimed: 1 },
    ]);
  });
});

describe('godot3 harness', () => {
  it("ends a run whose step cannot complete with Godot's own timeout result", async () => {
    const ws = await startWsEchoServer();
    const outcome = await runGodot('raw-client', { url: ws.url, timeoutMs: 300, steps: [{ op: 'receive' }] });
    expect(outcome.killedOnTimeout).toBe(false);
    expect(outcome.exitCode).toBe(2);
    expect(resultsOf(outcome.results, 'timeout')).toEqual([{ event: 'timeout', step: 0, op: 'receive' }]);
  });

  it('kills Godot when it outlives the time Node grants it', async () => {
    const ws = await startWsEchoServer();
    const outcome = await runGodot(
      'raw-client',
      { url: ws.url, timeoutMs: 60_000, steps: [{ op: 'receive' }] },
      { killAfterMs: 300 },
    );
    expect(outcome.killedOnTimeout).toBe(true);
    expect(outcome.signal).toBe('SIGKILL');
  });

  it('reports a usage error for an unknown role', async () => {
    const outcome = await runGodot('no-such-role' as 'raw-client', { url: '' });
    expect(outcome.exitCode).toBe(64);
    expect(outcome.results.map((result) => result.event)).toEqual(['usage_error']);
  });
});
