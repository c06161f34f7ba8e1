import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GodotError, WebSocketServer } from '../../src/index.js';
import { parseExtensionList } from '../../src/handshake/index.js';
import { Opcode } from './driver/frame-builder.js';
import { RawDeflatePeer, type CompressionState } from '../peer/deflate-support/raw-deflate-peer.js';
import { echoOnGdwsServer } from '../server/support/endpoints.js';
import { binaryPayload, htmlPayload, jsonPayload, noisePayload, textPayload } from '../peer/deflate-support/payloads.js';

/**
 * The Autobahn testsuite's compression sections against a gdws echo server
 * with `deflate = true`: the driver negotiates permessage-deflate by hand,
 * sends compressed messages one at a time (whole, or its compressed payload
 * cut into frames of the auto-fragment size), waits for each echo and checks
 * every byte, then closes cleanly.
 *
 * 12.x: five kinds of data with the default offer. 13.x: JSON with the
 * seven offers of section 13, which ask the server for no context takeover
 * and for 8- or 15-bit windows. Autobahn sends 1000 messages a case; eight
 * keep the whole run short while still crossing context from one message to
 * the next. The testsuite's data files are replaced by generated data of the
 * same kinds.
 */

const MESSAGES_PER_CASE = 8;
const DATA_LENGTH = 300 * 1024;

/** Autobahn's MSG_SIZES: payload length and auto-fragment size (0 = one frame). */
const MESSAGE_SIZES: Array<[length: number, fragmentSize: number]> = [
  [16, 0], [64, 0], [256, 0], [1024, 0], [4096, 0], [8192, 0], [16384, 0], [32768, 0], [65536, 0], [131072, 0],
  [8192, 256], [16384, 256], [32768, 256], [65536, 256], [131072, 256], [131072, 1024], [131072, 4096], [131072, 32768],
];

interface TestData {
  description: string;
  isBinary: boolean;
  bytes: Buffer;
}

const TEST_DATA: TestData[] = [
  { description: 'Human readable text (binary)', isBinary: true, bytes: textPayload(DATA_LENGTH, 12) },
  { description: 'Bitmap-like records (binary)', isBinary: true, bytes: binaryPayload(DATA_LENGTH, 12) },
  { description: 'Incompressible data, like a PDF (binary)', isBinary: true, bytes: noisePayload(DATA_LENGTH, 12) },
  { description: 'Large JSON data (utf8)', isBinary: false, bytes: jsonPayload(DATA_LENGTH, 12) },
  { description: 'Large HTML data (utf8)', isBinary: false, bytes: htmlPayload(DATA_LENGTH, 12) },
];

/** Autobahn's PerMessageDeflateOffer(requestNoContextTakeover, requestMaxWindowBits), as header elements. */
function autobahnOffer(requestNoContextTakeover: boolean, requestMaxWindowBits: number): string {
  let offer = 'permessage-deflate; client_no_context_takeover; client_max_window_bits';
  if (requestNoContextTakeover) offer += '; server_no_context_takeover';
  if (requestMaxWindowBits !== 0) offer += `; server_max_window_bits=${requestMaxWindowBits}`;
  return offer;
}

/** Section 13's client offers, and what the server must then do. */
const OFFERS: Array<{ offers: Array<[boolean, number]>; noContextTakeover: boolean; windowBits: number }> = [
  { offers: [[false, 0]], noContextTakeover: false, windowBits: 15 },
  { offers: [[true, 0]], noContextTakeover: true, windowBits: 15 },
  { offers: [[false, 8]], noContextTakeover: false, windowBits: 8 },
  { offers: [[false, 15]], noContextTakeover: false, windowBits: 15 },
  { offers: [[true, 8]], noContextTakeover: true, windowBits: 8 },
  { offers: [[true, 15]], noContextTakeover: true, windowBits: 15 },
  { offers: [[true, 8], [true, 0], [false, 0]], noContextTakeover: true, windowBits: 8 },
];

let server: WebSocketServer;

beforeAll(async () => {
  server = new WebSocketServer();
  server.bindIp = '127.0.0.1';
  server.deflate = true;
  server.inboundBufferSize = 1 << 20;
  server.outboundBufferSize = 4 << 20;
  echoOnGdwsServer(server);
  expect(await server.listen(0)).toBe(GodotError.OK);
});

afterAll(async () => {
  await server.stop();
});

/** Cuts successive messages out of the data, wrapping around like the testsuite does. */
function messageSource(data: Buffer, length: number): () => Buffer {
  let position = 0;
  return () => {
    const end = position + length;
    const message = end <= data.length ? data.subarray(position, end) : Buffer.concat([data.subarray(position), data.subarray(0, end - data.length)]);
    position = end % data.length;
    return message;
  };
}

async function runEchoCase(offer: string, state: CompressionState, data: TestData, length: number, fragmentSize: number): Promise<string> {
  const { peer, responseExtensions } = await RawDeflatePeer.connect(server.getListeningPort(), offer, state);
  try {
    const next = messageSource(data.bytes, length);
    for (let count = 1; count <= MESSAGES_PER_CASE; count++) {
      const message = next();
      peer.sendCompressed(data.isBinary ? Opcode.BINARY : Opcode.TEXT, message, fragmentSize === 0 ? {} : { fragmentSize });
      await peer.waitForMessages(count);
      const echo = peer.messages[count - 1]!;
      expect(echo.opcode, `type of echo ${count}`).toBe(data.isBinary ? Opcode.BINARY : Opcode.TEXT);
      expect(echo.data.length, `length of echo ${count}`).toBe(length);
      expect(echo.data.equals(message), `content of echo ${count}`).toBe(true);
    }
    peer.sendClose(1000);
    await peer.waitForClose();
    expect(peer.closeFrame?.code).toBe(1000);
    expect(peer.problems).toEqual([]);
    return responseExtensions;
  } finally {
    peer.dispose();
  }
}

describe.each(TEST_DATA.map((data, index) => [`12.${index + 1}`, data] as const))('%s compression: %s', (section, data) => {
  it.each(MESSAGE_SIZES.map(([length, fragmentSize], index) => [`${section}.${index + 1}`, length, fragmentSize] as const))(
    'case %s: %i-byte messages, auto-fragment %i',
    async (_id, length, fragmentSize) => {
      const state: CompressionState = { sendWithoutContext: true, receiveWithoutContext: false, receiveWindowBits: 15 };
      const response = await runEchoCase(autobahnOffer(false, 0), state, data, length, fragmentSize);
      expect(parseExtensionList(response)[0]?.name).toBe('permessage-deflate');
    },
  );
});

describe.each(OFFERS.map((entry, index) => [`13.${index + 1}`, entry] as const))('%s compression with offers', (section, entry) => {
  const offer = entry.offers.map(([noContext, bits]) => autobahnOffer(noContext, bits)).join(', ');
  it.each(MESSAGE_SIZES.map(([length, fragmentSize], index) => [`${section}.${index + 1}`, length, fragmentSize] as const))(
    `case %s: %i-byte JSON messages, auto-fragment %i; offer "${offer}"`,
    async (_id, length, fragmentSize) => {
      const state: CompressionState = {
        sendWithoutContext: true,
        receiveWithoutContext: entry.noContextTakeover,
        // Inflating with exactly the requested window catches a server that reaches further back.
        receiveWindowBits: entry.windowBits,
      };
      const response = await runEchoCase(offer, state, TEST_DATA[3]!, length, fragmentSize);
      const params = Object.fromEntries(parseExtensionList(response)[0]!.params.map(({ name, value }) => [name, value]));
      expect('server_no_context_takeover' in params).toBe(entry.noContextTakeover);
      expect(params.server_max_window_bits ?? '15').toBe(String(entry.windowBits));
      expect(params).toHaveProperty('client_no_context_takeover', null);
    },
  );
});
