import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HandshakeError,
  HandshakeRefusal,
  ServerResponseParser,
  UpgradeRequestParser,
  buildAcceptResponse,
  buildClientRequest,
  parseWebSocketUrl,
  selectProtocol,
} from '../../src/handshake/index.js';
import { cuts, headerLines, protocolList, webSocketUrl } from './arbitraries.js';
import { feed, splitAt } from './fixtures.js';
import { expectRefusalResponse } from './http-response-check.js';

interface Handshake {
  readonly url: string;
  readonly offered: readonly string[];
  readonly supported: readonly string[];
  readonly customHeaders: readonly string[];
  readonly extraHeaders: readonly string[];
}

/** Runs both sides of a handshake entirely through the handshake layer, as the client and server will. */
function runHandshake(handshake: Handshake, clientToServer: readonly number[] = [], serverToClient: readonly number[] = []) {
  const url = parseWebSocketUrl(handshake.url);
  const { request, key } = buildClientRequest({ url, protocols: handshake.offered, headers: handshake.customHeaders });
  const clientFrame = Buffer.from([0x81, 0x80, 1, 2, 3, 4]);
  const requestParser = new UpgradeRequestParser();
  const received = feed((chunk) => requestParser.push(chunk), splitAt(Buffer.concat([request, clientFrame]), clientToServer));
  if (received.kind !== 'result') throw new Error(`server did not accept the request: ${JSON.stringify(received)}`);
  expect(received.after).toEqual(clientFrame);

  const responseParser = new ServerResponseParser({ key, protocols: handshake.offered });
  let protocol: string;
  try {
    protocol = selectProtocol(received.value.protocols, handshake.supported);
  } catch (error) {
    if (!(error instanceof HandshakeRefusal)) throw error;
    const refused = feed((chunk) => responseParser.push(chunk), splitAt(error.response, serverToClient));
    return { url, request: received.value, refusal: error, clientOutcome: refused };
  }
  const serverFrame = Buffer.from([0x82, 0x01, 0xff]);
  const response = buildAcceptResponse({ key: received.value.key, protocol, extraHeaders: handshake.extraHeaders });
  const accepted = feed((chunk) => responseParser.push(chunk), splitAt(Buffer.concat([response, serverFrame]), serverToClient));
  if (accepted.kind !== 'result') throw new Error(`client did not accept the response: ${JSON.stringify(accepted)}`);
  expect(accepted.after).toEqual(serverFrame);
  return { url, request: received.value, protocol, response: accepted.value };
}

function headerValues(lines: readonly string[], name: string): string | undefined {
  const values = lines
    .filter((line) => line.split(':')[0]!.toLowerCase() === name)
    .map((line) => line.slice(line.indexOf(':') + 1).replace(/^[\t ]+|[\t ]+$/g, ''));
  return values.length === 0 ? undefined : values.join(', ');
}

const offeredLists = [[], ['a'], ['a', 'b'], ['b', 'a'], ['x']];
const supportedLists = [[], ['a'], ['b', 'a'], ['y']];
const customHeaderLists = [[], ['X-One: 1', 'X-Two: two words', 'X-One: again']];
const extraHeaderLists = [[], ['X-Server: gdws', 'Set-Cookie: id=7']];

describe('round trip: client request -> server -> server response -> client', () => {
  for (const offered of offeredLists) {
    for (const supported of supportedLists) {
      for (const customHeaders of customHeaderLists) {
        for (const extraHeaders of extraHeaderLists) {
          const expected = offered.length === 0 && supported.length === 0 ? '' : offered.find((protocol) => supported.includes(protocol));
          const name = `offered [${offered}] supported [${supported}] custom ${customHeaders.length} extra ${extraHeaders.length}: ${
            expected === undefined ? 'refused' : `protocol "${expected}"`
          }`;
          it(name, () => {
            const outcome = runHandshake({ url: 'ws://127.0.0.1:9001/game?room=4', offered, supported, customHeaders, extraHeaders });
            expect(outcome.request.resource).toBe('/game?room=4');
            expect(outcome.request.host).toBe('127.0.0.1:9001');
            expect(outcome.request.protocols).toEqual(offered);
            for (const header of ['x-one', 'x-two']) {
              expect(outcome.request.headers.get(header)).toBe(headerValues(customHeaders, header));
            }
            if (expected === undefined) {
              expect(outcome.refusal!.status).toBe(400);
              const body = expectRefusalResponse(outcome.refusal!.response, 400).body;
              expect(body).toContain(`client offered ${offered.length === 0 ? 'none' : offered.join(', ')}`);
              expect(body).toContain(`server supports ${supported.length === 0 ? 'none' : supported.join(', ')}`);
              expect(outcome.clientOutcome!.kind).toBe('error');
              const error = (outcome.clientOutcome as { error: unknown }).error as HandshakeError;
              expect(error).toBeInstanceOf(HandshakeError);
              expect(error.status).toBe(400);
              expect(error.statusText).toBe('Bad Request');
            } else {
              expect(outcome.protocol).toBe(expected);
              expect(outcome.response!.protocol).toBe(expected);
              for (const header of ['x-server', 'set-cookie']) {
                expect(outcome.response!.headers.get(header)).toBe(headerValues(extraHeaders, header));
              }
            }
          });
        }
      }
    }
  }

  it('holds for random URLs, protocols, headers and chunkings', () => {
    fc.assert(
      fc.property(
        webSocketUrl,
        protocolList,
        protocolList,
        headerLines,
        headerLines,
        cuts,
        cuts,
        (url, offered, supported, customHeaders, extraHeaders, requestCuts, responseCuts) => {
          const outcome = runHandshake({ url, offered, supported, customHeaders, extraHeaders }, requestCuts, responseCuts);
          expect(outcome.request.resource).toBe(outcome.url.resource);
          expect(outcome.request.host).toBe(outcome.url.hostHeader);
          for (const line of customHeaders) {
            const name = line.slice(0, line.indexOf(':')).toLowerCase();
            expect(outcome.request.headers.get(name)).toBe(headerValues(customHeaders, name));
          }
          if (outcome.refusal !== undefined) {
            expect(outcome.clientOutcome!.kind).toBe('error');
          } else {
            expect(outcome.response!.protocol).toBe(outcome.protocol);
            for (const line of extraHeaders) {
              const name = line.slice(0, line.indexOf(':')).toLowerCase();
              expect(outcome.response!.headers.get(name)).toBe(headerValues(extraHeaders, name));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
