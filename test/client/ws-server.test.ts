import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket as WsSocket } from 'ws';
import { GodotError, WriteMode } from '../../src/index.js';
import { nextEvent, recordEvents, waitUntil } from '../peer/support/waiting.js';
import { describeDifference, patterned, sameBytes, utf8Text } from '../peer/support/wire.js';
import { Cleanup, connectGdwsClient, nextWsConnection, startWsServer, wsClosed } from '../server/support/endpoints.js';

const SIZES = [0, 1, 125, 126, 65535, 65536, 1 << 20];

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

interface Message {
  data: Buffer;
  isText: boolean;
}

/** A gdws client connected to a ws server, the ws side of the connection, and what the client receives. */
async function gdwsClientOfWsServer(protocols: string[] = [], headers: string[] = []) {
  const { wss, url } = await startWsServer(cleanup, {
    handleProtocols: (offered) => [...offered].find((p) => p.startsWith('pick-')) ?? false,
  });
  const accepted = nextWsConnection(wss);
  const requests: Array<Record<string, string | string[] | undefined>> = [];
  wss.on('connection', (_socket, request) => requests.push(request.headers));
  const { client, peer } = await connectGdwsClient(
    cleanup,
    `${url}/game?v=3`,
    (c) => {
      c.inboundBufferSize = 2 << 20;
      c.outboundBufferSize = 4 << 20;
    },
    protocols,
    headers,
  );
  const ws = await accepted;
  const received: Message[] = [];
  client.on('dataReceived', () => {
    while (peer.getAvailablePacketCount() > 0) {
      const data = peer.getPacket();
      received.push({ data, isText: peer.wasStringPacket() });
    }
  });
  return { client, peer, ws, received, requests };
}

function echo(ws: WsSocket): void {
  ws.on('message', (data: Buffer, isBinary: boolean) => ws.send(data, { binary: isBinary }));
}

describe('gdws client -> ws server', () => {
  it(`exchanges text and binary of ${SIZES.join(', ')} bytes`, async () => {
    const { peer, ws, received } = await gdwsClientOfWsServer();
    echo(ws);
    const sent: Message[] = SIZES.flatMap((size) => [
      { data: Buffer.from(utf8Text(size)), isText: true },
      { data: patterned(size, size + 1), isText: false },
    ]);
    for (const message of sent) expect(peer.send(message.data, message.isText ? WriteMode.TEXT : WriteMode.BINARY)).toBe(GodotError.OK);
    await waitUntil(() => received.length === sent.length, `${sent.length} echoes`);
    expect(received.map((m) => [m.data.length, m.isText])).toEqual(sent.map((m) => [m.data.length, m.isText]));
    received.forEach((m, i) => expect(sameBytes(m.data, sent[i]!.data), `message ${i}: ${describeDifference(m.data, sent[i]!.data)}`).toBe(true));
  });

  it('reassembles fragmented messages from ws and answers the pings between fragments', async () => {
    const { ws, received } = await gdwsClientOfWsServer();
    const pongs: string[] = [];
    ws.on('pong', (payload: Buffer) => pongs.push(payload.toString()));
    const text = Buffer.from(utf8Text(100_000));
    ws.send(text.subarray(0, 1), { binary: false, fin: false });
    ws.ping('p1');
    ws.send(text.subarray(1, 50_001), { binary: false, fin: false });
    ws.ping('p2');
    ws.send(text.subarray(50_001), { binary: false, fin: true });
    const binary = patterned(200_000, 9);
    for (let at = 0; at < binary.length; at += 1000) {
      ws.send(binary.subarray(at, at + 1000), { binary: true, fin: at + 1000 >= binary.length });
      if (at % 50_000 === 0) ws.ping(`b${at}`);
    }
    await waitUntil(() => received.length === 2 && pongs.length === 6, 'two messages and six pongs');
    expect(received[0]!.isText).toBe(true);
    expect(sameBytes(received[0]!.data, text)).toBe(true);
    expect(received[1]!.isText).toBe(false);
    expect(sameBytes(received[1]!.data, binary)).toBe(true);
    expect(pongs).toEqual(['p1', 'p2', 'b0', 'b50000', 'b100000', 'b150000']);
  });

  it('sends masked frames that ws accepts, and the custom headers and protocol reach ws', async () => {
    const { peer, ws, requests } = await gdwsClientOfWsServer(['other', 'pick-me'], ['X-Client: gdws']);
    expect(peer.getSelectedProtocol()).toBe('pick-me');
    expect(ws.protocol).toBe('pick-me');
    expect(requests[0]!['x-client']).toBe('gdws');
    const got = nextEvent<[Buffer, boolean]>(ws, 'message');
    peer.sendText('masked hello');
    const [data, isBinary] = await got;
    expect([data.toString(), isBinary]).toEqual(['masked hello', false]);
  });
});

describe('close paths, gdws client -> ws server (Godot 3 signals)', () => {
  const CLIENT_SIGNALS = ['serverCloseRequest', 'connectionClosed'];

  async function withLog() {
    const context = await gdwsClientOfWsServer();
    const log = recordEvents(context.client, CLIENT_SIGNALS);
    return { ...context, log, closed: nextEvent<[boolean]>(context.client, 'connectionClosed'), wsClose: wsClosed(context.ws) };
  }

  it('the client closes with a code and reason: ws sees them, the client reports a clean close', async () => {
    const { client, peer, log, closed, wsClose } = await withLog();
    client.disconnectFromHost(4004, 'client leaves');
    expect(await wsClose).toEqual([4004, 'client leaves']);
    await closed;
    expect(log).toEqual([['connectionClosed', true]]);
    expect(peer.getCloseCode()).toBe(4004);
  });

  it('the client closes without a code: ws sees 1000', async () => {
    const { client, log, closed, wsClose } = await withLog();
    client.disconnectFromHost();
    expect(await wsClose).toEqual([1000, '']);
    await closed;
    expect(log).toEqual([['connectionClosed', true]]);
  });

  it('ws closes with a code and reason: serverCloseRequest, then a clean close', async () => {
    const { ws, peer, log, closed } = await withLog();
    ws.close(4005, 'server leaves');
    await closed;
    expect(log).toEqual([
      ['serverCloseRequest', 4005, 'server leaves'],
      ['connectionClosed', true],
    ]);
    expect(peer.getCloseCode()).toBe(4005);
    expect(peer.getCloseReason()).toBe('server leaves');
  });

  it('ws closes without a code: serverCloseRequest with 1005', async () => {
    const { ws, log, closed } = await withLog();
    ws.close();
    await closed;
    expect(log).toEqual([
      ['serverCloseRequest', 1005, ''],
      ['connectionClosed', true],
    ]);
  });

  it('ws terminates: an unclean close with code -1', async () => {
    const { ws, peer, log, closed } = await withLog();
    ws.terminate();
    await closed;
    expect(log).toEqual([['connectionClosed', false]]);
    expect(peer.getCloseCode()).toBe(-1);
  });

  it('the client aborts: ws sees 1006', async () => {
    const { peer, log, closed, wsClose } = await withLog();
    peer.close(-1);
    expect((await wsClose)[0]).toBe(1006);
    await closed;
    expect(log).toEqual([['connectionClosed', false]]);
  });
});
