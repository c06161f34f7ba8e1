import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer as WsServer, type PerMessageDeflateOptions } from 'ws';
import { GodotError, WebSocketClient, WebSocketServer } from '../../src/index.js';
import { parseExtensionList } from '../../src/handshake/index.js';
import type { DeflateOptions } from '../../src/peer/deflate-options.js';
import { echoQueuedPackets } from '../server/support/endpoints.js';
import { binaryPayload, textPayload } from './deflate-support/payloads.js';

/**
 * gdws against ws with permessage-deflate, both ways round, for all 16
 * combinations of the four RFC 7692 parameters, asked for by either side.
 * The ws side sends text and binary messages of 0 B, 100 B, 64 KiB and 4 MiB,
 * whole and fragmented, all compressed; gdws echoes them (compressing too)
 * and the ws side checks every byte and that the wire carried less.
 */

interface Combination {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  serverMaxWindowBits: number | null;
  clientMaxWindowBits: number | null;
}

const COMBINATIONS: Combination[] = [];
for (let bits = 0; bits < 16; bits++) {
  COMBINATIONS.push({
    serverNoContextTakeover: (bits & 1) !== 0,
    clientNoContextTakeover: (bits & 2) !== 0,
    serverMaxWindowBits: (bits & 4) !== 0 ? 10 : null,
    clientMaxWindowBits: (bits & 8) !== 0 ? 8 : null,
  });
}

/** The same combination with the window sizes swapped around, for the side that imposes them. */
function imposed(combination: Combination): Combination {
  return {
    ...combination,
    serverMaxWindowBits: combination.serverMaxWindowBits === null ? null : 8,
    clientMaxWindowBits: combination.clientMaxWindowBits === null ? null : 11,
  };
}

function describeCombination(combination: Combination): string {
  const parts = [
    combination.serverNoContextTakeover ? 'server_no_context_takeover' : '',
    combination.clientNoContextTakeover ? 'client_no_context_takeover' : '',
    combination.serverMaxWindowBits === null ? '' : `server_max_window_bits=${combination.serverMaxWindowBits}`,
    combination.clientMaxWindowBits === null ? '' : `client_max_window_bits=${combination.clientMaxWindowBits}`,
  ].filter((part) => part !== '');
  return parts.length === 0 ? 'no parameters' : parts.join('; ');
}

/** zlib level 1 on both sides keeps 4 MiB messages quick; the level plays no part in negotiation or framing. */
const LEVEL = 1;

function gdwsOptions(combination: Combination | null): DeflateOptions {
  if (combination === null) return { threshold: 0, level: LEVEL };
  return {
    threshold: 0,
    level: LEVEL,
    serverNoContextTakeover: combination.serverNoContextTakeover,
    clientNoContextTakeover: combination.clientNoContextTakeover,
    serverMaxWindowBits: combination.serverMaxWindowBits ?? 15,
    clientMaxWindowBits: combination.clientMaxWindowBits ?? 15,
  };
}

function wsOptions(combination: Combination | null): PerMessageDeflateOptions {
  if (combination === null) return { threshold: 0, zlibDeflateOptions: { level: LEVEL } };
  return {
    threshold: 0,
    zlibDeflateOptions: { level: LEVEL },
    serverNoContextTakeover: combination.serverNoContextTakeover,
    clientNoContextTakeover: combination.clientNoContextTakeover,
    ...(combination.serverMaxWindowBits === null ? {} : { serverMaxWindowBits: combination.serverMaxWindowBits }),
    // Left out, a ws client still offers client_max_window_bits without a value.
    ...(combination.clientMaxWindowBits === null ? {} : { clientMaxWindowBits: combination.clientMaxWindowBits }),
  };
}

/** The parameters of the negotiated extension, as a name -> value map. */
function negotiatedParameters(header: string): Record<string, string | null> {
  const elements = parseExtensionList(header);
  expect(elements.map((element) => element?.name)).toEqual(['permessage-deflate']);
  return Object.fromEntries(elements[0]!.params.map(({ name, value }) => [name, value]));
}

function expectedParameters(combination: Combination): Record<string, string | null> {
  const expected: Record<string, string | null> = {};
  if (combination.serverNoContextTakeover) expected.server_no_context_takeover = null;
  if (combination.clientNoContextTakeover) expected.client_no_context_takeover = null;
  if (combination.serverMaxWindowBits !== null) expected.server_max_window_bits = String(combination.serverMaxWindowBits);
  if (combination.clientMaxWindowBits !== null) expected.client_max_window_bits = String(combination.clientMaxWindowBits);
  return expected;
}

interface TestMessage {
  isText: boolean;
  data: Buffer;
  fragmented: boolean;
}

/**
 * Every combination exchanges messages of 0, 100, 64 KiB and 300 KiB bytes (several
 * zlib pieces, past every window size), whole and fragmented; the first one (the
 * defaults) also 4 MiB ones. Compressing 16 MiB in every one of the 64 cases took a
 * minute and said nothing the parameters change.
 */
function messageSet(sizes: readonly number[]): TestMessage[] {
  const messages: TestMessage[] = [];
  for (const fragmented of [false, true]) {
    for (const size of sizes) {
      messages.push({ isText: true, data: textPayload(size, size + 1), fragmented });
      messages.push({ isText: false, data: binaryPayload(size, size + 2), fragmented });
    }
  }
  return messages;
}
const MESSAGES = messageSet([0, 100, 64 * 1024, 300 * 1024]);
const MESSAGES_WITH_LARGE = messageSet([0, 100, 64 * 1024, 300 * 1024, 4 * 1024 * 1024]);
const totalBytes = (messages: readonly TestMessage[]): number => messages.reduce((sum, message) => sum + message.data.length, 0);

/** ws sends a message whole, or in three fragments (first compressed, the rest continuations). */
function sendFromWs(socket: WebSocket, message: TestMessage): void {
  const binary = !message.isText;
  if (!message.fragmented) {
    socket.send(message.data, { binary, compress: true });
    return;
  }
  const third = Math.floor(message.data.length / 3);
  socket.send(message.data.subarray(0, third), { binary, compress: true, fin: false });
  socket.send(message.data.subarray(third, 2 * third), { binary, compress: true, fin: false });
  socket.send(message.data.subarray(2 * third), { binary, compress: true, fin: true });
}

/** Sends the whole set from `socket` and resolves once all echoes are back, checked. */
async function exchangeFromWs(socket: WebSocket, messages: readonly TestMessage[]): Promise<void> {
  const received: Array<{ isText: boolean; data: Buffer }> = [];
  const allBack = new Promise<void>((resolve, reject) => {
    socket.on('message', (data, isBinary) => {
      received.push({ isText: !isBinary, data: data as Buffer });
      if (received.length === messages.length) resolve();
    });
    socket.once('close', (code) => reject(new Error(`closed with ${code} after ${received.length} echoes`)));
  });
  for (const message of messages) sendFromWs(socket, message);
  await allBack;
  for (let index = 0; index < messages.length; index++) {
    const sent = messages[index]!;
    const echoed = received[index]!;
    const label = `message ${index}: ${sent.isText ? 'text' : 'binary'} ${sent.data.length} B ${sent.fragmented ? 'fragmented' : 'whole'}`;
    expect(echoed.isText, label).toBe(sent.isText);
    expect(echoed.data.length, label).toBe(sent.data.length);
    expect(echoed.data.equals(sent.data), label).toBe(true);
  }
}

function configureLimits(target: WebSocketServer | WebSocketClient): void {
  target.inboundBufferSize = 8 << 20;
  target.outboundBufferSize = 64 << 20;
}

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function gdwsServerWithWsClient(serverDeflate: DeflateOptions, clientDeflate: PerMessageDeflateOptions) {
  const server = new WebSocketServer();
  server.bindIp = '127.0.0.1';
  server.deflate = serverDeflate;
  configureLimits(server);
  server.on('dataReceived', (id) => echoQueuedPackets(server.getPeer(id)!));
  expect(await server.listen(0)).toBe(GodotError.OK);
  cleanups.push(() => server.stop());
  const client = new WebSocket(`ws://127.0.0.1:${server.getListeningPort()}/`, { perMessageDeflate: clientDeflate, maxPayload: 8 << 20 });
  cleanups.push(() => client.terminate());
  await once(client, 'open');
  const peer = server.getPeer(server.getPeerIds()[0]!)!;
  return { client, peer };
}

async function wsServerWithGdwsClient(serverDeflate: PerMessageDeflateOptions, clientDeflate: DeflateOptions) {
  const wss = new WsServer({ host: '127.0.0.1', port: 0, perMessageDeflate: serverDeflate, maxPayload: 8 << 20 });
  cleanups.push(() => new Promise((resolve) => wss.close(resolve)));
  await once(wss, 'listening');
  const accepted = once(wss, 'connection') as Promise<[WebSocket]>;
  const client = new WebSocketClient();
  client.deflate = clientDeflate;
  configureLimits(client);
  client.on('dataReceived', () => echoQueuedPackets(client.getPeer(1)!));
  cleanups.push(() => client.disconnectFromHost());
  const port = (wss.address() as AddressInfo).port;
  expect(await client.connectToUrl(`ws://127.0.0.1:${port}/`)).toBe(GodotError.OK);
  const [serverSide] = await accepted;
  for (const socket of wss.clients) cleanups.push(() => socket.terminate());
  return { serverSide, peer: client.getPeer(1)! };
}

function bytesOnTheWire(socket: WebSocket): number {
  return ((socket as unknown as { _socket: Socket })._socket).bytesRead;
}

describe.each(COMBINATIONS.map((combination, index) => [describeCombination(combination), combination, index === 0 ? MESSAGES_WITH_LARGE : MESSAGES] as const))(
  'permessage-deflate with ws: %s',
  (_name, combination, messages) => {
    const TOTAL_BYTES = totalBytes(messages);
    it('gdws server, ws client offering the parameters', async () => {
      const { client, peer } = await gdwsServerWithWsClient(gdwsOptions(null), wsOptions(combination));
      expect(negotiatedParameters(peer.getExtensions())).toEqual(expectedParameters(combination));
      expect(client.extensions).toBe('permessage-deflate');
      await exchangeFromWs(client, messages);
      expect(bytesOnTheWire(client)).toBeLessThan(TOTAL_BYTES * 0.6);
    });

    it('gdws server imposing the parameters on a ws client', async () => {
      const required = imposed(combination);
      const { client, peer } = await gdwsServerWithWsClient(gdwsOptions(required), wsOptions(null));
      expect(negotiatedParameters(peer.getExtensions())).toEqual(expectedParameters(required));
      await exchangeFromWs(client, messages);
      expect(bytesOnTheWire(client)).toBeLessThan(TOTAL_BYTES * 0.6);
    });

    it('ws server, gdws client offering the parameters', async () => {
      const { serverSide, peer } = await wsServerWithGdwsClient(wsOptions(null), gdwsOptions(combination));
      expect(negotiatedParameters(peer.getExtensions())).toEqual(expectedParameters(combination));
      await exchangeFromWs(serverSide, messages);
      expect(bytesOnTheWire(serverSide)).toBeLessThan(TOTAL_BYTES * 0.6);
    });

    it('ws server imposing the parameters on a gdws client', async () => {
      const required = imposed(combination);
      const { serverSide, peer } = await wsServerWithGdwsClient(wsOptions(required), gdwsOptions(null));
      expect(negotiatedParameters(peer.getExtensions())).toEqual(expectedParameters(required));
      await exchangeFromWs(serverSide, messages);
      expect(bytesOnTheWire(serverSide)).toBeLessThan(TOTAL_BYTES * 0.6);
    });
  },
);
