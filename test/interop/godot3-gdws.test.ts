// A real Godot 3.2.3 (test/interop/godot3, see its README) against gdws: raw WebSocket in
// both directions, and Godot's high-level multiplayer (gd_mp_api) through a gdws server
// and with a gdws client inside a Godot game.

import { describe, expect, it } from 'vitest';
import { WebSocketClient } from '../../src/godot3/websocket-client.js';
import { GodotError } from '../../src/godot-error.js';
import { WriteMode } from '../../src/peer/ready-state.js';
import { WebSocketServer } from '../../src/godot3/websocket-server.js';
import { MultiplayerRooms } from '../../src/rooms/multiplayer-rooms.js';
import { patternBytes } from './godot3/godot-config.js';
import type { MessageType, MpStep } from './godot3/godot-config.js';
import { expectHealthy, expectedEchoes, idsOf, messageSummary, ONE_MIB, rpcsOf, sendAndReceiveEach, showOnFailure, SIZES, startRawServer, TWO_CLIENT_MP_SERVER_STEPS, TWO_MIB_BUFFERS, TYPES, useGodot3 } from './godot3/harness.js';
import { resultsOf, runGodot, startGodot, startGodotServer } from './godot3/run-godot.js';
import type { GodotProcess } from './godot3/run-godot.js';
import { RpcEndpoint } from './godot3-gdws/rpc-endpoint.js';

const cleanups = useGodot3();

interface ReceivedByGdws {
  readonly id: number;
  readonly type: MessageType;
  readonly data: Buffer;
}

/** A gdws WebSocketServer (raw mode) on a free loopback port that echoes every message with its type. */
async function startGdwsEchoServer(configure: (server: WebSocketServer) => void = () => {}): Promise<{ server: WebSocketServer; url: string; received: ReceivedByGdws[] }> {
  const server = new WebSocketServer();
  configure(server);
  expect(await server.listen({ port: 0, bindIp: '127.0.0.1' })).toBe(GodotError.OK);
  cleanups.push(() => server.stop());
  const received: ReceivedByGdws[] = [];
  server.on('dataReceived', (id) => {
    const peer = server.getPeer(id)!;
    while (peer.getAvailablePacketCount() > 0) {
      const data = peer.getPacket();
      const type: MessageType = peer.wasStringPacket() ? 'text' : 'binary';
      received.push({ id, type, data });
      peer.send(data, type === 'text' ? WriteMode.TEXT : WriteMode.BINARY);
    }
  });
  return { server, url: `ws://127.0.0.1:${server.getListeningPort()}/interop`, received };
}

function once<T extends unknown[]>(emitter: { once(event: string, listener: (...args: T) => void): unknown }, event: string): Promise<T> {
  return new Promise((resolve) => emitter.once(event, (...args: T) => resolve(args)));
}

describe('Godot 3 WebSocketClient (raw) against the gdws WebSocketServer', () => {
  it('gets text and binary echoes of 1, 125, 126 and 65535 bytes with their type and content', async () => {
    const gdws = await startGdwsEchoServer();
    const outcome = await runGodot('raw-client', { url: gdws.url, steps: [...sendAndReceiveEach(SIZES), { op: 'close' }] });
    showOnFailure(outcome);
    expectHealthy(outcome);
    expect(outcome.exitCode).toBe(0);
    expect(resultsOf(outcome.results, 'message').map(messageSummary)).toEqual(expectedEchoes(SIZES));
    expect(gdws.received.map(({ data, type }) => ({ size: data.length, type }))).toEqual(SIZES.flatMap((size) => TYPES.map((type) => ({ size, type }))));
    for (const message of gdws.received) expect(message.data.equals(patternBytes(message.type, message.data.length))).toBe(true);
  });

  it('exchanges 1 MiB text and binary messages when both sides set_buffers', async () => {
    const gdws = await startGdwsEchoServer((server) => server.setBuffers(...TWO_MIB_BUFFERS));
    const outcome = await runGodot('raw-client', { url: gdws.url, buffers: TWO_MIB_BUFFERS, steps: [...sendAndReceiveEach([ONE_MIB]), { op: 'close' }] });
    showOnFailure(outcome);
    expectHealthy(outcome);
    expect(resultsOf(outcome.results, 'message').map(messageSummary)).toEqual(expectedEchoes([ONE_MIB]));
    expect(gdws.received.map(({ data, type }) => ({ size: data.length, type }))).toEqual([
      { size: ONE_MIB, type: 'text' },
      { size: ONE_MIB, type: 'binary' },
    ]);
  });

  it('negotiates the first of the client subprotocols the server supports', async () => {
    const gdws = await startGdwsEchoServer((server) => {
      server.supportedProtocols = ['alpha', 'beta'];
    });
    const connected = once<[number, string]>(gdws.server, 'clientConnected');
    const outcome = await runGodot('raw-client', { url: gdws.url, protocols: ['beta', 'alpha'], steps: [{ op: 'close' }] });
    showOnFailure(outcome);
    expectHealthy(outcome);
    expect(resultsOf(outcome.results, 'connected')).toEqual([{ event: 'connected', protocol: 'beta' }]);
    expect((await connected)[1]).toBe('beta');
  });

  it('refuses a client whose subprotocols it does not support (Godot reports connection_error)', async () => {
    const gdws = await startGdwsEchoServer((server) => {
      server.supportedProtocols = ['alpha'];
    });
    const outcome = await runGodot('raw-client', { url: gdws.url, protocols: ['gamma'], steps: [{ op: 'close' }] });
    showOnFailure(outcome);
    expectHealthy(outcome);
    expect(outcome.results.map((result) => result.event)).toEqual(['connection_error', 'done']);
  });

  it("receives Godot's custom handshake headers", async () => {
    const gdws = await startGdwsEchoServer();
    const headers = new Promise<ReadonlyMap<string, string>>((resolve) =>
      gdws.server.once('clientConnected', (id) => resolve(gdws.server.getPeer(id)!.getHandshakeHeaders())),
    );
    const outcome = await runGodot('raw-client', { url: gdws.url, headers: ['X-Gdws-Test: one', 'X-Gdws-Other: two words'], steps: [{ op: 'close' }] });
    showOnFailure(outcome);
    expectHealthy(outcome);
    const received = await headers;
    expect(received.get('x-gdws-test')).toBe('one');
    expect(received.get('x-gdws-other')).toBe('two words');
  });

  it('reports the code and reason of a close Godot starts, without the trailing NUL 3.2.3 sends', async () => {
    const gdws = await startGdwsEchoServer();
    const closeRequest = once<[number, number, string]>(gdws.server, 'clientCloseRequest');
    const disconnected = once<[number, boolean]>(gdws.server, 'clientDisconnected');
    const outcome = await runGodot('raw-client', { url: gdws.url, steps: [{ op: 'close', code: 4000, reason: 'bye' }] });
    showOnFailure(outcome);
    expectHealthy(outcome);
    const [id, code, reason] = await closeRequest;
    expect({ code, reason }).toEqual({ code: 4000, reason: 'bye' });
    expect(await disconnected).toEqual([id, true]);
    // 3.2.3 calls its own close unclean even though gdws answered it.
    expect(resultsOf(outcome.results, 'closed')).toEqual([{ event: 'closed', clean: false }]);
  });

  it('closes a Godot client with a code and reason it reports', async () => {
    const gdws = await startGdwsEchoServer();
    gdws.server.on('dataReceived', (id) => gdws.server.disconnectPeer(id, 4001, 'server bye'));
    const outcome = await runGodot('raw-client', { url: gdws.url, steps: [{ op: 'send', type: 'text', text: 'close me' }, { op: 'wait_close' }] });
    showOnFailure(outcome);
    expectHealthy(outcome);
    expect(outcome.exitCode).toBe(0);
    expect(resultsOf(outcome.results, 'server_close_request')).toEqual([{ event: 'server_close_request', code: 4001, reason: 'server bye' }]);
    expect(resultsOf(outcome.results, 'closed')).toEqual([{ event: 'closed', clean: true }]);
  });
});

describe('the gdws WebSocketClient (raw) against a Godot 3 WebSocketServer', () => {
  async function connect(url: string, configure: (client: WebSocketClient) => void = () => {}, protocols: string[] = []): Promise<{ client: WebSocketClient; echoes: { type: MessageType; data: Buffer }[]; protocol: string }> {
    const client = new WebSocketClient();
    configure(client);
    const echoes: { type: MessageType; data: Buffer }[] = [];
    client.on('dataReceived', () => {
      const peer = client.getPeer(1)!;
      while (peer.getAvailablePacketCount() > 0) {
        const data = peer.getPacket();
        echoes.push({ type: peer.wasStringPacket() ? 'text' : 'binary', data });
      }
    });
    const established = once<[string]>(client, 'connectionEstablished');
    const result = await client.connectToUrl(url, protocols);
    expect(result, client.lastError?.message).toBe(GodotError.OK);
    const [protocol] = await established;
    cleanups.push(() => client.disconnectFromHost());
    return { client, echoes, protocol };
  }

  /** Sends each size as text then binary, one at a time, waiting for Godot's echo of each. */
  async function echoAll(client: WebSocketClient, echoes: { type: MessageType; data: Buffer }[], sizes: readonly number[], godot: GodotProcess): Promise<void> {
    const peer = client.getPeer(1)!;
    let ended = false;
    void godot.finished.then(() => {
      ended = true;
    });
    for (const size of sizes) {
      for (const type of TYPES) {
        const expected = echoes.length + 1;
        expect(peer.send(patternBytes(type, size), type === 'text' ? WriteMode.TEXT : WriteMode.BINARY)).toBe(GodotError.OK);
        while (echoes.length < expected) {
          if (ended) throw new Error(`Godot ended first: ${JSON.stringify(godot.results)}`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
    }
    expect(echoes.map(({ data, type }) => ({ size: data.length, type }))).toEqual(sizes.flatMap((size) => TYPES.map((type) => ({ size, type }))));
    for (const echo of echoes) expect(echo.data.equals(patternBytes(echo.type, echo.data.length))).toBe(true);
  }

  it('gets text and binary echoes of 1, 125, 126 and 65535 bytes', async () => {
    const { godot, url } = await startRawServer(cleanups);
    const { client, echoes } = await connect(url);
    await echoAll(client, echoes, SIZES, godot);
    client.disconnectFromHost();
    const outcome = await godot.finished;
    showOnFailure(outcome);
    expectHealthy(outcome);
    expect(resultsOf(outcome.results, 'message').map(messageSummary)).toEqual(expectedEchoes(SIZES));
  });

  it('exchanges 1 MiB messages when both sides set_buffers', async () => {
    const { godot, url } = await startRawServer(cleanups, { buffers: TWO_MIB_BUFFERS });
    const { client, echoes } = await connect(url, (peer) => peer.setBuffers(...TWO_MIB_BUFFERS));
    await echoAll(client, echoes, [ONE_MIB], godot);
    client.disconnectFromHost();
    const outcome = await godot.finished;
    showOnFailure(outcome);
    expectHealthy(outcome);
    expect(resultsOf(outcome.results, 'message').map(messageSummary)).toEqual(expectedEchoes([ONE_MIB]));
  });

  it('offers its subprotocols and gets the one Godot picks', async () => {
    const { godot, url } = await startRawServer(cleanups, { protocols: ['alpha', 'beta'] });
    const { client, protocol } = await connect(url, () => {}, ['beta', 'alpha']);
    expect(protocol).toBe('beta');
    client.disconnectFromHost();
    const outcome = await godot.finished;
    showOnFailure(outcome);
    expectHealthy(outcome);
    expect(resultsOf(outcome.results, 'client_connected')[0]?.['protocol']).toBe('beta');
  });

  it('closes with a code and reason Godot reports and echoes', async () => {
    const { godot, url } = await startRawServer(cleanups);
    const { client } = await connect(url);
    const closed = once<[boolean]>(client, 'connectionClosed');
    client.disconnectFromHost(4002, 'client bye');
    const outcome = await godot.finished;
    showOnFailure(outcome);
    expectHealthy(outcome);
    const id = resultsOf(outcome.results, 'client_connected')[0]?.['id'];
    expect(resultsOf(outcome.results, 'client_close_request')).toEqual([{ event: 'client_close_request', id, code: 4002, reason: 'client bye' }]);
    expect(resultsOf(outcome.results, 'client_disconnected')).toEqual([{ event: 'client_disconnected', id, clean: true }]);
    expect(await closed).toEqual([true]);
    // Godot echoed the close frame byte for byte.
    const peer = client.getPeer(1)!;
    expect([peer.getCloseCode(), peer.getCloseReason()]).toEqual([4002, 'client bye']);
  });

  it('hears a close Godot starts, without the trailing NUL 3.2.3 appends to the reason', async () => {
    const { godot, url } = await startRawServer(cleanups, { closeAfter: { messages: 1, code: 4003, reason: 'enough' } });
    const { client, echoes } = await connect(url);
    const closeRequest = once<[number, string]>(client, 'serverCloseRequest');
    const closed = once<[boolean]>(client, 'connectionClosed');
    client.getPeer(1)!.sendText('last');
    expect(await closeRequest).toEqual([4003, 'enough']);
    expect(await closed).toEqual([true]);
    expect(echoes.map((echo) => echo.data.toString())).toEqual(['last']);
    const outcome = await godot.finished;
    showOnFailure(outcome);
    expectHealthy(outcome);
  });
});

/** Steps for a Godot mp-client among `clients` Godot clients behind a gdws server (see the server side below). */
function godotClientSteps(name: string, clients: number): MpStep[] {
  const others = clients - 1;
  return [
    { op: 'wait_peers', count: clients },
    { op: 'rpc_server', tag: `${name}-server` },
    { op: 'rpc_peers', tag: `${name}-peer` },
    { op: 'rpc_all', tag: `${name}-all` },
    // each other client's -peer and -all, and the server's hello
    { op: 'wait_rpcs', count: 2 * others + 1 },
    // A second rpc from every other client proves they confirmed our node path, so that the
    // next call goes out as one packet with target -1 instead of one packet per destination.
    { op: 'rpc_peers', tag: `${name}-peer-again` },
    { op: 'wait_rpcs', count: others },
    { op: 'rpc_except', except: 'server', tag: `${name}-not-server` },
    { op: 'wait_rpcs', count: others },
    // Everyone has everything once the server has every bye: then leaving cannot overtake data.
    { op: 'rpc_server', tag: `${name}-bye` },
    { op: 'wait_rpcs', count: 1 },
    { op: 'leave' },
  ];
}

describe.each([
  [2, 'a gdws gd_mp_api server'],
  [3, 'a gdws gd_mp_api server'],
  [2, 'a MultiplayerRooms room (/room3/duel)'],
])('%i Godot 3 gd_mp_api clients through %s', (clientCount, where) => {
  it('introduces everyone and carries rpcs to the server, to each peer, to all and to all but the server', async () => {
    let server: WebSocketServer;
    let url: string;
    if (where.startsWith('a MultiplayerRooms')) {
      const rooms = new MultiplayerRooms();
      expect(await rooms.listen(0)).toBe(GodotError.OK);
      cleanups.push(() => rooms.close());
      server = rooms.openRoom('duel', 'godot3') as WebSocketServer;
      url = `ws://127.0.0.1:${rooms.getListeningPort()}/room3/duel`;
    } else {
      server = new WebSocketServer();
      expect(await server.listen({ port: 0, bindIp: '127.0.0.1', gdMpApi: true })).toBe(GodotError.OK);
      cleanups.push(() => server.stop());
      url = `ws://127.0.0.1:${server.getListeningPort()}/godot3`;
    }
    const api = new RpcEndpoint(server);
    const connected: number[] = [];
    const disconnected: number[] = [];
    const dropped: [number, string][] = [];
    server.on('packetDropped', (id, reason) => dropped.push([id, reason]));
    server.on('peerDisconnected', (id) => disconnected.push(id));
    // Taps what each client sends, to see the header targets Godot used.
    const targetsSent: number[] = [];
    server.on('peerConnected', (id) => {
      const peer = server.getPeer(id)!;
      const getPacket = peer.getPacket.bind(peer);
      peer.getPacket = () => {
        const packet = getPacket();
        if (packet.length >= 9) targetsSent.push(packet.readInt32LE(5));
        return packet;
      };
      connected.push(id);
      if (connected.length === clientCount) api.call(0, 'greet', 'server-hello', 1);
    });
    // -server, -all and -bye from every client
    void api.waitForRpcs(3 * clientCount).then(() => api.call(0, 'greet', 'server-done', 1));

    const names = ['a', 'b', 'c'].slice(0, clientCount);
    const godots = names.map((name) => startGodot('mp-client', { url, steps: godotClientSteps(name, clientCount) }));
    for (const godot of godots) cleanups.push(() => godot.kill());
    const runs = await Promise.all(godots.map((godot) => godot.finished));
    showOnFailure(...runs);
    await new Promise<void>((resolve) => {
      const check = (): void => (disconnected.length === clientCount ? resolve() : void setTimeout(check, 10));
      check();
    });

    for (const run of runs) {
      expectHealthy(run);
      expect(run.exitCode).toBe(0);
    }
    const ids = runs.map((run) => resultsOf(run.results, 'connected')[0]?.['id'] as number);
    expect(new Set(ids).size).toBe(clientCount);
    for (const id of ids) {
      expect(id).toBeGreaterThan(1);
      expect(id).toBeLessThan(2 ** 31);
    }
    expect([...connected].sort()).toEqual([...ids].sort());
    expect([...disconnected].sort()).toEqual([...ids].sort());
    runs.forEach((run, index) => {
      expect(idsOf(run, 'peer_connected').sort()).toEqual([1, ...ids.filter((_, other) => other !== index)].sort());
    });

    // The server gets what was meant for it, and nothing sent to "all but the server" (-1).
    const serverRpcs = api.rpcs.map((rpc) => ({ from: rpc.from, tag: rpc.args[0], claimed: rpc.args[1], path: rpc.path, method: rpc.method }));
    const expectedAtServer = names.flatMap((name, index) =>
      ['all', 'bye', 'server'].map((suffix) => ({ from: ids[index], tag: `${name}-${suffix}`, claimed: ids[index], path: 'Main/Peer', method: 'greet' })),
    );
    expect(serverRpcs.sort((x, y) => String(x.tag).localeCompare(String(y.tag)))).toEqual(expectedAtServer);
    expect(api.problems).toEqual([]);
    expect(dropped).toEqual([]);
    // Each -not-server rpc crossed the gdws server as one packet for "all but the server" (-1).
    expect(targetsSent.filter((to) => to === -1)).toHaveLength(clientCount);

    runs.forEach((run, index) => {
      const fromOthers = names.flatMap((name, other) =>
        other === index ? [] : ['all', 'not-server', 'peer', 'peer-again'].map((suffix) => ({ from: ids[other], tag: `${name}-${suffix}`, claimed: ids[other] })),
      );
      const fromServer = ['server-done', 'server-hello'].map((tag) => ({ from: 1, tag, claimed: 1 }));
      expect(rpcsOf(run)).toEqual([...fromOthers, ...fromServer].sort((x, y) => x.tag.localeCompare(y.tag)));
    });
  });
});

describe('a gdws gd_mp_api client in a Godot 3 game', () => {
  it('joins a Godot server alongside a Godot client and exchanges rpcs with both', async () => {
    // Its six rpcs: -server, -all and -bye from both clients.
    const { godot: godotServer, port } = await startGodotServer('mp-server', { steps: TWO_CLIENT_MP_SERVER_STEPS });
    cleanups.push(() => godotServer.kill());
    const url = `ws://127.0.0.1:${port}/`;
    const godotClient = startGodot('mp-client', {
      url,
      steps: [
        { op: 'wait_peers', count: 2 },
        { op: 'rpc_server', tag: 'godot-server' },
        { op: 'rpc_peers', tag: 'godot-peer' },
        { op: 'rpc_all', tag: 'godot-all' },
        // server-all, server-each, gdws-peer, gdws-all
        { op: 'wait_rpcs', count: 4 },
        { op: 'rpc_server', tag: 'godot-bye' },
        { op: 'wait_rpcs', count: 1 },
        { op: 'leave' },
      ],
    });
    cleanups.push(() => godotClient.kill());

    const gdws = new WebSocketClient();
    const api = new RpcEndpoint(gdws);
    const peers = new Set<number>();
    gdws.on('peerConnected', (id) => peers.add(id));
    const succeeded = once<[]>(gdws, 'connectionSucceeded');
    expect(await gdws.connectToUrl(url, [], true)).toBe(GodotError.OK);
    await succeeded;
    const godotClientId = (await godotClient.waitForEvent('connected'))['id'] as number;
    while (!peers.has(godotClientId)) await new Promise((resolve) => setTimeout(resolve, 10));
    const ownId = gdws.getUniqueId();
    expect(ownId).toBeGreaterThan(1);

    api.call(1, 'greet', 'gdws-server', ownId);
    api.call(godotClientId, 'greet', 'gdws-peer', ownId);
    api.call(0, 'greet', 'gdws-all', ownId);
    await api.waitForRpcs(4);
    api.call(1, 'greet', 'gdws-bye', ownId);
    await api.waitForRpcs(5);
    const failed = once<[]>(gdws, 'connectionFailed');
    gdws.disconnectFromHost();
    await failed;

    const [serverRun, clientRun] = await Promise.all([godotServer.finished, godotClient.finished]);
    showOnFailure(serverRun, clientRun);
    for (const run of [serverRun, clientRun]) {
      expectHealthy(run);
      expect(run.exitCode).toBe(0);
    }
    expect(idsOf(serverRun, 'peer_connected').sort()).toEqual([ownId, godotClientId].sort());
    expect(idsOf(clientRun, 'peer_connected').sort()).toEqual([1, ownId].sort());
    expect([...peers].sort()).toEqual([1, godotClientId].sort());
    expect(rpcsOf(serverRun)).toEqual(
      [
        { from: ownId, tag: 'gdws-all', claimed: ownId },
        { from: ownId, tag: 'gdws-bye', claimed: ownId },
        { from: ownId, tag: 'gdws-server', claimed: ownId },
        { from: godotClientId, tag: 'godot-all', claimed: godotClientId },
        { from: godotClientId, tag: 'godot-bye', claimed: godotClientId },
        { from: godotClientId, tag: 'godot-server', claimed: godotClientId },
      ],
    );
    expect(rpcsOf(clientRun)).toEqual([
      { from: ownId, tag: 'gdws-all', claimed: ownId },
      { from: ownId, tag: 'gdws-peer', claimed: ownId },
      { from: 1, tag: 'server-all', claimed: 1 },
      { from: 1, tag: 'server-done', claimed: 1 },
      { from: 1, tag: 'server-each', claimed: 1 },
    ]);
    const gdwsRpcs = api.rpcs.map((rpc) => ({ from: rpc.from, tag: rpc.args[0], claimed: rpc.args[1] })).sort((x, y) => String(x.tag).localeCompare(String(y.tag)));
    expect(gdwsRpcs).toEqual([
      { from: godotClientId, tag: 'godot-all', claimed: godotClientId },
      { from: godotClientId, tag: 'godot-peer', claimed: godotClientId },
      { from: 1, tag: 'server-all', claimed: 1 },
      { from: 1, tag: 'server-done', claimed: 1 },
      { from: 1, tag: 'server-each', claimed: 1 },
    ]);
    expect(api.problems).toEqual([]);
    expect(gdws.droppedPacketCount).toBe(0);
  });
});
