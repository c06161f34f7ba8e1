import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { GodotError, WebSocketServer, WriteMode, type WebSocketClient } from '../../src/index.js';
import { nextEvent, waitUntil } from '../peer/support/waiting.js';
import { describeDifference, patterned, sameBytes, utf8Text } from '../peer/support/wire.js';
import { Cleanup, connectGdwsClient, echoOnGdwsServer, startGdwsServer } from './support/endpoints.js';

const SIZES = [0, 1, 125, 126, 65535, 65536, 1 << 20];
const RAISED = (target: WebSocketServer | WebSocketClient) => {
  target.inboundBufferSize = 2 << 20;
  target.outboundBufferSize = 4 << 20;
};

interface Message {
  data: Buffer;
  isText: boolean;
}

function messagesOfEverySize(): Message[] {
  return SIZES.flatMap((size) => [
    { data: Buffer.from(utf8Text(size)), isText: true },
    { data: patterned(size, size), isText: false },
  ]);
}

function expectSameMessages(received: Message[], sent: Message[]): void {
  expect(received.map((m) => [m.data.length, m.isText])).toEqual(sent.map((m) => [m.data.length, m.isText]));
  received.forEach((m, i) => expect(sameBytes(m.data, sent[i]!.data), `message ${i}: ${describeDifference(m.data, sent[i]!.data)}`).toBe(true));
}

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('gdws client <-> gdws server', () => {
  it(`echoes text and binary of ${SIZES.join(', ')} bytes`, async () => {
    const { server, url } = await startGdwsServer(cleanup, RAISED);
    echoOnGdwsServer(server);
    const { client, peer } = await connectGdwsClient(cleanup, url, RAISED);
    const received: Message[] = [];
    client.on('dataReceived', () => {
      const data = peer.getPacket();
      received.push({ data, isText: peer.wasStringPacket() });
    });
    const sent = messagesOfEverySize();
    for (const message of sent) expect(peer.send(message.data, message.isText ? WriteMode.TEXT : WriteMode.BINARY)).toBe(GodotError.OK);
    await waitUntil(() => received.length === sent.length, `${sent.length} echoes`);
    expectSameMessages(received, sent);
  });

  it('server dataReceived carries the sender id; getPeerAddress and getPeerPort describe it', async () => {
    const { server, url } = await startGdwsServer(cleanup);
    const connected = nextEvent<[number, string]>(server, 'clientConnected');
    const { peer } = await connectGdwsClient(cleanup, url);
    const [id, protocol] = await connected;
    expect(protocol).toBe('');
    expect(server.hasPeer(id)).toBe(true);
    expect(server.getPeerIds()).toEqual([id]);
    expect(server.getPeerAddress(id)).toBe('127.0.0.1');
    const dataFrom = nextEvent<[number]>(server, 'dataReceived');
    peer.sendText('hi');
    expect(await dataFrom).toEqual([id]);
    expect(server.getPeer(id)!.getPacket().toString()).toBe('hi');
    expect(server.hasPeer(id + 1000)).toBe(false);
    expect(server.getPeer(id + 1000)).toBeUndefined();
    expect(server.getPeerAddress(id + 1000)).toBe('');
    expect(server.disconnectPeer(id + 1000)).toBe(GodotError.ERR_DOES_NOT_EXIST);
  });

  it('gives every peer its own id while the server runs', async () => {
    const { server, url } = await startGdwsServer(cleanup);
    const ids: number[] = [];
    server.on('clientConnected', (id) => ids.push(id));
    for (let i = 0; i < 5; i++) {
      const { client } = await connectGdwsClient(cleanup, url);
      if (i % 2 === 0) {
        const closed = nextEvent(client, 'connectionClosed');
        client.disconnectFromHost();
        await closed;
      }
    }
    await waitUntil(() => ids.length === 5, 'five connections');
    expect(new Set(ids).size).toBe(5);
    expect(ids.every((id) => id > 1)).toBe(true);
  });
});

describe('ws client -> gdws server', () => {
  async function wsClientOfEchoServer() {
    const { server, url } = await startGdwsServer(cleanup, RAISED);
    echoOnGdwsServer(server);
    const ws = new WebSocket(url);
    cleanup.add(() => ws.terminate());
    await nextEvent(ws, 'open');
    const received: Message[] = [];
    ws.on('message', (data: Buffer, isBinary: boolean) => received.push({ data, isText: !isBinary }));
    return { server, ws, received };
  }

  it(`echoes text and binary of ${SIZES.join(', ')} bytes`, async () => {
    const { ws, received } = await wsClientOfEchoServer();
    const sent = messagesOfEverySize();
    for (const message of sent) ws.send(message.data, { binary: !message.isText });
    await waitUntil(() => received.length === sent.length, `${sent.length} echoes`);
    expectSameMessages(received, sent);
  });

  it('reassembles messages that ws sends in fragments, with pings between the fragments', async () => {
    const { ws, received } = await wsClientOfEchoServer();
    const pongs: string[] = [];
    ws.on('pong', (payload: Buffer) => pongs.push(payload.toString()));
    const text = utf8Text(200_000);
    const textBytes = Buffer.from(text);
    // Cut on character boundaries is not needed: UTF-8 is checked across fragments.
    const cuts = [0, 1, 2, 125, 126, 70_000, 150_001, textBytes.length];
    for (let i = 0; i + 1 < cuts.length; i++) {
      ws.send(textBytes.subarray(cuts[i], cuts[i + 1]), { binary: false, fin: i + 2 === cuts.length });
      ws.ping(`ping ${i}`);
    }
    const binary = patterned(300_000, 5);
    ws.send(binary.subarray(0, 0), { binary: true, fin: false });
    ws.ping('between');
    for (let at = 0; at < binary.length; at += 65_536) {
      ws.send(binary.subarray(at, at + 65_536), { binary: true, fin: at + 65_536 >= binary.length });
    }
    ws.send(Buffer.alloc(0), { binary: true, fin: false });
    ws.send(Buffer.alloc(0), { binary: true, fin: true });
    await waitUntil(() => received.length === 3 && pongs.length === 8, 'three echoes and eight pongs');
    expectSameMessages(received, [
      { data: textBytes, isText: true },
      { data: binary, isText: false },
      { data: Buffer.alloc(0), isText: false },
    ]);
    expect(pongs).toEqual([...Array.from({ length: 7 }, (_, i) => `ping ${i}`), 'between']);
  });

  it('with Godot\'s default limit, 65535 bytes arrive and 65536 bytes close the connection with 1009', async () => {
    const { server, url } = await startGdwsServer(cleanup);
    echoOnGdwsServer(server);
    const connected = nextEvent<[number]>(server, 'clientConnected');
    const ws = new WebSocket(url, { maxPayload: 1 << 20 });
    cleanup.add(() => ws.terminate());
    await nextEvent(ws, 'open');
    const [id] = await connected;
    const echoes: number[] = [];
    ws.on('message', (data: Buffer) => echoes.push(data.length));
    const disconnected = nextEvent<[number, boolean]>(server, 'clientDisconnected');
    const closed = nextEvent<[number, Buffer]>(ws, 'close');
    ws.send(Buffer.alloc(65535));
    ws.send(Buffer.alloc(65536));
    const [code, reason] = await closed;
    expect(code).toBe(1009);
    expect(reason.toString()).toMatch(/65535-byte limit/);
    expect(echoes).toEqual([65535]);
    expect((await disconnected)[0]).toBe(id);
  });

  it('answers pings with the same payload, including empty and 125-byte ones', async () => {
    const { ws } = await wsClientOfEchoServer();
    const pongs: Buffer[] = [];
    ws.on('pong', (payload: Buffer) => pongs.push(payload));
    const payloads = [Buffer.alloc(0), Buffer.from('x'), patterned(125)];
    for (const payload of payloads) ws.ping(payload);
    await waitUntil(() => pongs.length === 3, 'three pongs');
    expect(pongs.map((p) => p.toString('hex'))).toEqual(payloads.map((p) => p.toString('hex')));
  });
});
