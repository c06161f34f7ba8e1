import { constants as zlibConstants, deflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Opcode } from '../conformance/driver/frame-builder.js';
import { GodotError, WebSocketClient, WebSocketServer, WriteMode, type WebSocketPeer } from '../../src/index.js';
import type { DeflateOptions } from '../../src/peer/deflate-options.js';
import { RawDeflatePeer, RawDeflateServer, type CompressionState } from './deflate-support/raw-deflate-peer.js';
import { textPayload, unicodeText } from './deflate-support/payloads.js';
import { zeroBomb } from './deflate-support/bombs.js';

const WITH_CONTEXT: CompressionState = { sendWithoutContext: false, receiveWithoutContext: false };
const cleanups: Array<() => unknown> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface ServerSetup {
  deflate?: boolean | DeflateOptions;
  inboundBufferSize?: number;
  echo?: boolean;
}

async function startServer(setup: ServerSetup = {}): Promise<WebSocketServer> {
  const server = new WebSocketServer();
  server.bindIp = '127.0.0.1';
  server.deflate = setup.deflate ?? true;
  if (setup.inboundBufferSize !== undefined) server.inboundBufferSize = setup.inboundBufferSize;
  server.outboundBufferSize = 16 << 20;
  if (setup.echo !== false) {
    server.on('dataReceived', (id) => {
      const peer = server.getPeer(id)!;
      while (peer.getAvailablePacketCount() > 0) {
        const data = peer.getPacket();
        peer.send(data, peer.wasStringPacket() ? WriteMode.TEXT : WriteMode.BINARY);
      }
    });
  }
  expect(await server.listen(0)).toBe(GodotError.OK);
  cleanups.push(() => server.stop());
  return server;
}

async function rawClient(server: WebSocketServer, offer = 'permessage-deflate; client_max_window_bits', state = WITH_CONTEXT) {
  const connection = await RawDeflatePeer.connect(server.getListeningPort(), offer, state);
  cleanups.push(() => connection.peer.dispose());
  return connection;
}

function onlyPeer(server: WebSocketServer): WebSocketPeer {
  return server.getPeer(server.getPeerIds()[0]!)!;
}

/** The server registers a peer when it answers the handshake, before the client has read the answer. */
async function connectedPeer(server: WebSocketServer): Promise<WebSocketPeer> {
  await expect.poll(() => server.getPeerIds().length).toBe(1);
  return onlyPeer(server);
}

async function expectFailure(peer: RawDeflatePeer, code: number): Promise<void> {
  await peer.waitForClose();
  expect(peer.closeFrame?.code, peer.describe()).toBe(code);
}

describe('permessage-deflate negotiation with a raw client', () => {
  it('is off by default: an offer is ignored and the response names no extension', async () => {
    const server = await startServer({ deflate: false });
    const { responseExtensions } = await rawClient(server);
    expect(responseExtensions).toBe('');
    expect(server.deflate).toBeNull();
  });

  it('declines a malformed offer and still completes the handshake', async () => {
    const server = await startServer();
    const { peer, responseExtensions } = await rawClient(server, 'permessage-deflate; bogus=1, permessage-deflate; server_max_window_bits=99');
    expect(responseExtensions).toBe('');
    peer.sendFrame({ opcode: Opcode.TEXT, payload: 'still works' });
    await peer.waitForMessages(1);
    expect(peer.messages[0]!.data.toString()).toBe('still works');
  });

  it('accepts the first acceptable of several offers', async () => {
    const server = await startServer();
    const { responseExtensions } = await rawClient(server, 'x-other, permessage-deflate; foo, permessage-deflate; server_no_context_takeover');
    expect(responseExtensions).toBe('permessage-deflate; server_no_context_takeover');
    expect(onlyPeer(server).getExtensions()).toBe('permessage-deflate; server_no_context_takeover');
  });
});

describe('RSV1 misuse fails the connection with 1002', () => {
  it('RSV1 when the server has deflate off', async () => {
    const server = await startServer({ deflate: false });
    const { peer } = await rawClient(server);
    peer.sendCompressed(Opcode.TEXT, 'hello hello');
    await expectFailure(peer, 1002);
  });

  it('RSV1 when the client did not offer the extension', async () => {
    const server = await startServer();
    const { peer } = await rawClient(server, '');
    peer.sendCompressed(Opcode.BINARY, 'hello hello');
    await expectFailure(peer, 1002);
  });

  it('RSV1 on a continuation frame', async () => {
    const server = await startServer();
    const { peer } = await rawClient(server);
    const payload = peer.compress(Buffer.from('a fragmented compressed message'));
    peer.sendFrame({ opcode: Opcode.TEXT, payload: payload.subarray(0, 5), rsv: 4, fin: false });
    peer.sendFrame({ opcode: Opcode.CONTINUATION, payload: payload.subarray(5), rsv: 4 });
    await expectFailure(peer, 1002);
    expect(peer.messages).toHaveLength(0);
  });

  it('RSV1 on a ping', async () => {
    const server = await startServer();
    const { peer } = await rawClient(server);
    peer.sendFrame({ opcode: Opcode.PING, payload: peer.compress(Buffer.from('ping')), rsv: 4 });
    await expectFailure(peer, 1002);
  });

  it('RSV1 on a close frame', async () => {
    const server = await startServer();
    const { peer } = await rawClient(server);
    peer.sendFrame({ opcode: Opcode.CLOSE, payload: Buffer.from([0x03, 0xe8]), rsv: 4 });
    await expectFailure(peer, 1002);
  });

  it('RSV2 or RSV3, which permessage-deflate does not use', async () => {
    const server = await startServer();
    const { peer } = await rawClient(server);
    peer.sendFrame({ opcode: Opcode.TEXT, payload: 'x', rsv: 2 });
    await expectFailure(peer, 1002);
  });
});

describe('compressed messages through a gdws server', () => {
  it('inflates whole and fragmented messages, keeps context across them, and answers compressed', async () => {
    const server = await startServer({ deflate: { threshold: 0 } });
    const { peer } = await rawClient(server);
    const texts = [textPayload(5000, 1), textPayload(5000, 1), unicodeText(3000), ''];
    peer.sendCompressed(Opcode.TEXT, texts[0]!);
    peer.sendCompressed(Opcode.TEXT, texts[1]!, { fragments: 4 });
    // Cut in the middle of multi-byte characters: UTF-8 is checked only after inflating.
    peer.sendCompressed(Opcode.TEXT, texts[2]!, { fragmentSize: 7 });
    peer.sendCompressed(Opcode.BINARY, texts[3]!);
    await peer.waitForMessages(4);
    expect(peer.messages.map((message) => message.data.toString())).toEqual(texts.map(String));
    expect(peer.messages.map((message) => message.opcode)).toEqual([Opcode.TEXT, Opcode.TEXT, Opcode.TEXT, Opcode.BINARY]);
    expect(peer.messages.every((message) => message.compressed && message.frames.length === 1)).toBe(true);
    // The repeated message compressed to almost nothing thanks to the kept window.
    expect(peer.messages[1]!.frames[0]!.payload.length).toBeLessThan(100);
    expect(peer.problems).toEqual([]);
  });

  it('sends messages below the threshold uncompressed, in order with compressed ones', async () => {
    const server = await startServer({ deflate: { threshold: 1024 } });
    const { peer } = await rawClient(server);
    const big = textPayload(50_000, 3);
    peer.sendCompressed(Opcode.TEXT, big);
    peer.sendFrame({ opcode: Opcode.TEXT, payload: 'small, uncompressed' });
    peer.sendCompressed(Opcode.BINARY, 'small, compressed by the client');
    peer.sendClose(1000, 'bye');
    await peer.waitForClose();
    expect(peer.messages.map((message) => [message.data.length, message.compressed])).toEqual([
      [big.length, true],
      ['small, uncompressed'.length, false],
      ['small, compressed by the client'.length, false],
    ]);
    expect(peer.messages[0]!.data.equals(big)).toBe(true);
    expect(peer.closeFrame?.code).toBe(1000);
    expect(peer.problems).toEqual([]);
  });

  it('refuses compressed text that is not UTF-8 once inflated (1007)', async () => {
    const server = await startServer();
    const { peer } = await rawClient(server);
    peer.sendCompressed(Opcode.TEXT, Buffer.from([0x68, 0x69, 0xc3, 0x28]));
    await expectFailure(peer, 1007);
  });

  it('refuses a payload that is not DEFLATE data (1007)', async () => {
    const server = await startServer();
    const { peer } = await rawClient(server);
    peer.sendFrame({ opcode: Opcode.BINARY, payload: Buffer.from([0xff, 0xfe, 0xfd, 0xfc, 0xfb]), rsv: 4 });
    await expectFailure(peer, 1007);
  });

  it('closes with 1009 on a 10 KiB message that inflates to 10 MiB (default 64 KiB limit)', async () => {
    const server = await startServer({ echo: false });
    expect(server.inboundBufferSize).toBe(65535);
    const { peer } = await rawClient(server);
    const bomb = deflateRawSync(Buffer.alloc(10 << 20), { level: 9, finishFlush: zlibConstants.Z_SYNC_FLUSH });
    expect(bomb.length).toBeLessThanOrEqual(10 * 1024 + 512);
    peer.sendFrame({ opcode: Opcode.BINARY, payload: bomb.subarray(0, bomb.length - 4), rsv: 4 });
    await expectFailure(peer, 1009);
    expect(onlyPeerOrNone(server)?.getAvailablePacketCount() ?? 0).toBe(0);
  });

  it('closes with 1009 on a 1 MiB message that inflates to 1 GiB without ever holding it', async () => {
    const server = await startServer({ echo: false, inboundBufferSize: 2 << 20 });
    const { peer } = await rawClient(server);
    const bomb = await zeroBomb(64);
    const before = process.memoryUsage();
    peer.sendFrame({ opcode: Opcode.BINARY, payload: bomb, rsv: 4 });
    await expectFailure(peer, 1009);
    const after = process.memoryUsage();
    expect(peer.closeFrame?.reason).toMatch(/inflates past the 2097152-byte limit/);
    const stoppedAt = Number(/stopped at (\d+) bytes/.exec(peer.closeFrame!.reason)?.[1] ?? NaN);
    if (!Number.isNaN(stoppedAt)) expect(stoppedAt).toBeLessThanOrEqual((2 << 20) + 16 * 1024);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(64 << 20);
    expect(after.rss - before.rss).toBeLessThan(256 << 20);
  });
});

describe('order and accounting on the sending side', () => {
  it('keeps messages in send order around compression and sends the close frame last', async () => {
    const server = await startServer({ echo: false, deflate: { threshold: 1024 } });
    const { peer } = await rawClient(server);
    const gdws = await connectedPeer(server);
    const big = textPayload(3 << 20, 9);
    expect(gdws.send(big, WriteMode.BINARY)).toBe(GodotError.OK);
    // Accepted but still compressing: counted as outbound data, as Godot's accounting requires.
    expect(gdws.getCurrentOutboundBufferedAmount()).toBeGreaterThanOrEqual(big.length);
    expect(gdws.sendText('small after big')).toBe(GodotError.OK);
    expect(gdws.send(textPayload(2000, 4), WriteMode.TEXT)).toBe(GodotError.OK);
    expect(gdws.close(1000, 'done')).toBe(GodotError.OK);
    await peer.waitUntil('the close frame', () => peer.closeFrame !== null);
    expect(peer.messages.map((message) => [message.opcode, message.data.length, message.compressed])).toEqual([
      [Opcode.BINARY, big.length, true],
      [Opcode.TEXT, 'small after big'.length, false],
      [Opcode.TEXT, 2000, true],
    ]);
    expect(peer.messages[0]!.data.equals(big)).toBe(true);
    expect(peer.closeFrame).toEqual({ code: 1000, reason: 'done' });
    expect(peer.problems).toEqual([]);
  });

  it('refuses a send whose bytes do not fit beside messages still compressing', async () => {
    const server = await startServer({ echo: false });
    server.outboundBufferSize = 1 << 20;
    await rawClient(server);
    const gdws = await connectedPeer(server);
    expect(gdws.send(textPayload(700_000, 2), WriteMode.BINARY)).toBe(GodotError.OK);
    expect(gdws.send(textPayload(700_000, 3), WriteMode.BINARY)).toBe(GodotError.ERR_OUT_OF_MEMORY);
    expect(gdws.lastError?.message).toMatch(/outboundBufferSize/);
    await expect.poll(() => gdws.getCurrentOutboundBufferedAmount()).toBe(0);
  });

  it('drops messages still compressing when the connection goes, leaving no bytes counted', async () => {
    const server = await startServer({ echo: false });
    await rawClient(server);
    const gdws = await connectedPeer(server);
    expect(gdws.send(textPayload(2 << 20, 6), WriteMode.BINARY)).toBe(GodotError.OK);
    expect(gdws.getCurrentOutboundBufferedAmount()).toBeGreaterThan(0);
    const closed = new Promise((resolve) => gdws.once('connectionClosed', resolve));
    gdws.close(-1);
    await closed;
    expect(gdws.getCurrentOutboundBufferedAmount()).toBe(0);
  });

  it('delivers a flood of small compressed messages complete and in order', async () => {
    const server = await startServer({ deflate: { threshold: 0 } });
    const { peer } = await rawClient(server);
    const count = 500;
    for (let index = 0; index < count; index++) peer.sendCompressed(index % 2 === 0 ? Opcode.TEXT : Opcode.BINARY, `message number ${index}`);
    await peer.waitForMessages(count);
    expect(peer.messages.map((message) => message.data.toString())).toEqual(Array.from({ length: count }, (_, index) => `message number ${index}`));
  });
});

describe('gdws client against a hand-made server', () => {
  async function fakeServer() {
    const server = await RawDeflateServer.listen();
    cleanups.push(() => server.close());
    return server;
  }

  async function connectClient(url: string, deflate: boolean | DeflateOptions = true) {
    const client = new WebSocketClient();
    client.deflate = deflate;
    cleanups.push(() => client.disconnectFromHost());
    const result = await client.connectToUrl(url);
    return { client, result };
  }

  it('offers permessage-deflate with client_max_window_bits', async () => {
    const server = await fakeServer();
    const accepted = server.accept(() => 'permessage-deflate', WITH_CONTEXT);
    const { client, result } = await connectClient(server.url);
    expect(result).toBe(GodotError.OK);
    expect((await accepted).offer).toBe('permessage-deflate; client_max_window_bits');
    expect(client.getPeer(1)!.getExtensions()).toBe('permessage-deflate');
  });

  it('offers nothing when deflate is off, and fails when the server enables it anyway', async () => {
    const server = await fakeServer();
    const accepted = server.accept(() => 'permessage-deflate', WITH_CONTEXT);
    const { client, result } = await connectClient(server.url, false);
    expect((await accepted).offer).toBe('');
    expect(result).toBe(GodotError.ERR_CONNECTION_ERROR);
    expect(client.lastError?.message).toMatch(/permessage-deflate.*not offered/);
  });

  it.each([
    ['an unknown parameter', 'permessage-deflate; foo'],
    ['a window out of range', 'permessage-deflate; server_max_window_bits=7'],
    ['client_max_window_bits without a value', 'permessage-deflate; client_max_window_bits'],
    ['the extension twice', 'permessage-deflate, permessage-deflate'],
  ])('fails the connection when the server answers with %s', async (_label, answer) => {
    const server = await fakeServer();
    void server.accept(() => answer, WITH_CONTEXT);
    const { client, result } = await connectClient(server.url);
    expect(result).toBe(GodotError.ERR_CONNECTION_ERROR);
    expect(client.lastError?.message).toMatch(/Sec-WebSocket-Extensions/);
  });

  it('fails with 1002 when the server sets RSV1 on a continuation frame', async () => {
    const server = await fakeServer();
    const accepted = server.accept(() => 'permessage-deflate', WITH_CONTEXT);
    const { result } = await connectClient(server.url);
    expect(result).toBe(GodotError.OK);
    const { peer } = await accepted;
    const payload = peer.compress(Buffer.from('two fragments'));
    peer.sendFrame({ opcode: Opcode.BINARY, payload: payload.subarray(0, 3), rsv: 4, fin: false });
    peer.sendFrame({ opcode: Opcode.CONTINUATION, payload: payload.subarray(3), rsv: 4 });
    await peer.waitUntil('a close frame', () => peer.closeFrame !== null);
    expect(peer.closeFrame?.code).toBe(1002);
  });

  it('inflates what the server compresses and compresses what it sends, with the agreed windows', async () => {
    const server = await fakeServer();
    const accepted = server.accept(() => 'permessage-deflate; client_no_context_takeover; client_max_window_bits=9', {
      sendWithoutContext: false,
      receiveWithoutContext: true,
    });
    const { client, result } = await connectClient(server.url, { threshold: 0 });
    expect(result).toBe(GodotError.OK);
    const { peer } = await accepted;
    const gdws = client.getPeer(1)!;
    const received: string[] = [];
    client.on('dataReceived', () => {
      while (gdws.getAvailablePacketCount() > 0) received.push(gdws.getPacket().toString());
    });
    peer.sendCompressed(Opcode.TEXT, 'from the server, compressed');
    peer.sendCompressed(Opcode.TEXT, 'from the server, compressed', { fragments: 3 });
    await expect.poll(() => received.length).toBe(2);
    expect(received).toEqual(['from the server, compressed', 'from the server, compressed']);
    const text = textPayload(4000, 5);
    gdws.send(text, WriteMode.TEXT);
    gdws.send(text, WriteMode.TEXT);
    await peer.waitForMessages(2);
    // Without context takeover the client's two identical messages compress identically.
    expect(peer.messages[0]!.frames[0]!.payload.equals(peer.messages[1]!.frames[0]!.payload)).toBe(true);
    expect(peer.messages.map((message) => message.data.equals(text))).toEqual([true, true]);
  });
});

function onlyPeerOrNone(server: WebSocketServer): WebSocketPeer | undefined {
  const ids = server.getPeerIds();
  return ids.length === 0 ? undefined : server.getPeer(ids[0]!);
}
