import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WebSocketServer } from '../../src/index.js';
import { rawWebSocketClient } from '../peer/support/raw-socket.js';
import { nextEvent, recordEvents, waitUntil } from '../peer/support/waiting.js';
import { Cleanup, connectGdwsClient, startGdwsServer, wsClosed } from './support/endpoints.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const SERVER_SIGNALS = ['clientCloseRequest', 'clientDisconnected'];
const CLIENT_SIGNALS = ['serverCloseRequest', 'connectionClosed'];

/** A gdws server with one gdws client, and the Godot 3 close signals each one emits. */
async function connectedPair() {
  const { server, url } = await startGdwsServer(cleanup);
  const connected = nextEvent<[number]>(server, 'clientConnected');
  const { client, peer } = await connectGdwsClient(cleanup, url);
  const [id] = await connected;
  const serverLog = recordEvents(server, SERVER_SIGNALS);
  const clientLog = recordEvents(client, CLIENT_SIGNALS);
  const bothClosed = Promise.all([
    new Promise<void>((resolve) => server.on('clientDisconnected', (closedId) => closedId === id && resolve())),
    nextEvent(client, 'connectionClosed'),
  ]);
  return { server, client, peer, id, serverLog, clientLog, bothClosed };
}

describe('close paths, gdws client <-> gdws server (Godot 3 signals)', () => {
  it('client-initiated with a code and reason: clean on both sides, one close request on the server', async () => {
    const { server, client, peer, id, serverLog, clientLog, bothClosed } = await connectedPair();
    client.disconnectFromHost(4000, 'bye');
    await bothClosed;
    expect(serverLog).toEqual([
      ['clientCloseRequest', id, 4000, 'bye'],
      ['clientDisconnected', id, true],
    ]);
    // The server's reply confirms our close; it is not a request from the server.
    expect(clientLog).toEqual([['connectionClosed', true]]);
    expect(peer.getCloseCode()).toBe(4000);
    expect(peer.getCloseReason()).toBe('bye');
    expect(server.hasPeer(id)).toBe(false);
  });

  it('client-initiated without a code: 1000 and an empty reason', async () => {
    const { client, id, serverLog, clientLog, bothClosed } = await connectedPair();
    client.disconnectFromHost();
    await bothClosed;
    expect(serverLog).toEqual([
      ['clientCloseRequest', id, 1000, ''],
      ['clientDisconnected', id, true],
    ]);
    expect(clientLog).toEqual([['connectionClosed', true]]);
  });

  it('server-initiated with disconnectPeer(id, code, reason): clean on both sides, one close request on the client', async () => {
    const { server, peer, id, serverLog, clientLog, bothClosed } = await connectedPair();
    expect(server.disconnectPeer(id, 4001, 'kicked')).toBe(0);
    await bothClosed;
    expect(clientLog).toEqual([
      ['serverCloseRequest', 4001, 'kicked'],
      ['connectionClosed', true],
    ]);
    expect(serverLog).toEqual([['clientDisconnected', id, true]]);
    expect(peer.getCloseCode()).toBe(4001);
  });

  it('server-initiated with disconnectPeer(id): 1000 and an empty reason', async () => {
    const { server, id, serverLog, clientLog, bothClosed } = await connectedPair();
    server.disconnectPeer(id);
    await bothClosed;
    expect(clientLog).toEqual([
      ['serverCloseRequest', 1000, ''],
      ['connectionClosed', true],
    ]);
    expect(serverLog).toEqual([['clientDisconnected', id, true]]);
  });

  it('server stop(): every client gets 1001 and a clean close', async () => {
    const { server, clientLog, bothClosed } = await connectedPair();
    await server.stop();
    await bothClosed;
    expect(clientLog).toEqual([
      ['serverCloseRequest', 1001, 'Server stopping'],
      ['connectionClosed', true],
    ]);
    expect(server.isListening()).toBe(false);
  });

  it('client drops abruptly: unclean on both sides, no close request, close code -1', async () => {
    const { server, peer, id, serverLog, clientLog, bothClosed } = await connectedPair();
    const serverPeer = server.getPeer(id)!;
    peer.close(-1);
    await bothClosed;
    expect(serverLog).toEqual([['clientDisconnected', id, false]]);
    expect(clientLog).toEqual([['connectionClosed', false]]);
    expect(peer.getCloseCode()).toBe(-1);
    expect(serverPeer.getCloseCode()).toBe(-1);
  });

  it('server drops abruptly: unclean on both sides, no close request', async () => {
    const { server, id, serverLog, clientLog, bothClosed } = await connectedPair();
    server.getPeer(id)!.close(-1);
    await bothClosed;
    expect(serverLog).toEqual([['clientDisconnected', id, false]]);
    expect(clientLog).toEqual([['connectionClosed', false]]);
  });
});

describe('close paths, ws client -> gdws server', () => {
  async function wsClientOf(server: WebSocketServer, url: string) {
    const connected = nextEvent<[number]>(server, 'clientConnected');
    const ws = new WebSocket(url);
    cleanup.add(() => ws.terminate());
    await nextEvent(ws, 'open');
    const [id] = await connected;
    const log = recordEvents(server, SERVER_SIGNALS);
    const disconnected = nextEvent<[number, boolean]>(server, 'clientDisconnected');
    return { ws, id, log, disconnected, closed: wsClosed(ws) };
  }

  it('ws closes with a code and reason', async () => {
    const { server, url } = await startGdwsServer(cleanup);
    const { ws, id, log, disconnected, closed } = await wsClientOf(server, url);
    ws.close(4002, 'ws leaves');
    expect(await closed).toEqual([4002, 'ws leaves']);
    await disconnected;
    expect(log).toEqual([
      ['clientCloseRequest', id, 4002, 'ws leaves'],
      ['clientDisconnected', id, true],
    ]);
  });

  it('ws closes without a code: the server reports 1005 and echoes an empty close', async () => {
    const { server, url } = await startGdwsServer(cleanup);
    const { ws, id, log, disconnected, closed } = await wsClientOf(server, url);
    ws.close();
    expect(await closed).toEqual([1005, '']);
    await disconnected;
    expect(log).toEqual([
      ['clientCloseRequest', id, 1005, ''],
      ['clientDisconnected', id, true],
    ]);
  });

  it('the server disconnects ws with a code and reason', async () => {
    const { server, url } = await startGdwsServer(cleanup);
    const { id, log, disconnected, closed } = await wsClientOf(server, url);
    server.disconnectPeer(id, 4003, 'server says go');
    expect(await closed).toEqual([4003, 'server says go']);
    await disconnected;
    expect(log).toEqual([['clientDisconnected', id, true]]);
  });

  it('ws terminates abruptly: unclean, no close request', async () => {
    const { server, url } = await startGdwsServer(cleanup);
    const { ws, id, log, disconnected } = await wsClientOf(server, url);
    ws.terminate();
    await disconnected;
    expect(log).toEqual([['clientDisconnected', id, false]]);
  });

  it('the server aborts: ws sees 1006', async () => {
    const { server, url } = await startGdwsServer(cleanup);
    const { id, log, disconnected, closed } = await wsClientOf(server, url);
    server.getPeer(id)!.close(-1);
    expect((await closed)[0]).toBe(1006);
    await disconnected;
    expect(log).toEqual([['clientDisconnected', id, false]]);
  });
});

describe('close paths, raw socket -> gdws server', () => {
  it('a destroyed TCP socket is an unclean disconnect', async () => {
    const { server, port } = await startGdwsServer(cleanup);
    const connected = nextEvent<[number]>(server, 'clientConnected');
    const raw = await rawWebSocketClient(port);
    cleanup.add(() => raw.destroy());
    const [id] = await connected;
    const log = recordEvents(server, SERVER_SIGNALS);
    raw.destroy();
    await waitUntil(() => log.length > 0, 'the disconnect');
    expect(log).toEqual([['clientDisconnected', id, false]]);
  });
});

