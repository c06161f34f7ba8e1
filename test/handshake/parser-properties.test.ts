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
} from '../../src/handshake/index.js';
import {
  cuts,
  headerLines,
  httpishBytes,
  mutate,
  mutations,
  protocolList,
  randomBytes,
  streamBytes,
  token,
  webSocketKey,
  webSocketUrl,
} from './arbitraries.js';
import { feed, splitAt, summarize } from './fixtures.js';
import type { FeedOutcome } from './fixtures.js';
import { parseWellFormedResponse } from './http-response-check.js';

const RUNS = { numRuns: 400 };

const validRequest = fc
  .record({
    url: webSocketUrl,
    protocols: protocolList,
    headers: headerLines,
    extensions: fc.constantFrom('', 'permessage-deflate', 'x-a; b=1, x-c'),
  })
  .map(({ url, protocols, headers, extensions }) =>
    buildClientRequest({ url: parseWebSocketUrl(url), protocols, headers, extensions }).request,
  );

const validResponse = fc
  .record({
    key: webSocketKey,
    protocols: protocolList,
    headers: headerLines,
    extensions: fc.constantFrom('', 'permessage-deflate; server_no_context_takeover'),
  })
  .chain(({ key, protocols, headers, extensions }) =>
    (protocols.length === 0 ? fc.constant('') : fc.constantFrom(...protocols)).map((protocol) => {
      const response = buildAcceptResponse({ key, protocol, extensions, extraHeaders: headers });
      return { key, protocols, offeredExtensions: ['permessage-deflate'], response };
    }),
  );

const limits = fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined });

function parseRequest(bytes: Buffer, cutPoints: readonly number[], maxHeadBytes?: number): FeedOutcome<{ rest: Buffer }> {
  const parser = new UpgradeRequestParser(maxHeadBytes === undefined ? {} : { maxHeadBytes });
  return feed((chunk) => parser.push(chunk), splitAt(bytes, cutPoints));
}

function parseResponse(
  bytes: Buffer,
  cutPoints: readonly number[],
  options: { key: string; protocols?: readonly string[]; offeredExtensions?: readonly string[]; maxHeadBytes?: number },
): FeedOutcome<{ rest: Buffer }> {
  const parser = new ServerResponseParser(options);
  return feed((chunk) => parser.push(chunk), splitAt(bytes, cutPoints));
}

/** Only the two handshake error types may escape, and every refusal must be a well-formed response of its status. */
function expectCleanOutcome(outcome: FeedOutcome<{ rest: Buffer }>): void {
  if (outcome.kind !== 'error') return;
  if (outcome.error instanceof HandshakeRefusal) {
    expect(parseWellFormedResponse(outcome.error.response).status).toBe(outcome.error.status);
    return;
  }
  expect(outcome.error).toBeInstanceOf(HandshakeError);
}

describe('UpgradeRequestParser properties', () => {
  it('parses any valid request split at any positions exactly as when fed whole', () => {
    fc.assert(
      fc.property(validRequest, streamBytes, cuts, (request, stream, cutPoints) => {
        const bytes = Buffer.concat([request, stream]);
        const whole = parseRequest(bytes, []);
        expect(whole.kind).toBe('result');
        expect((whole as { after: Buffer }).after).toEqual(stream);
        expect(summarize(parseRequest(bytes, cutPoints))).toEqual(summarize(whole));
      }),
      RUNS,
    );
  });

  it('gives mutated requests a result or a refusal, the same one whatever the chunking', () => {
    fc.assert(
      fc.property(validRequest, mutations, cuts, limits, (request, changes, cutPoints, limit) => {
        const bytes = mutate(request, changes);
        const whole = parseRequest(bytes, [], limit);
        expectCleanOutcome(whole);
        expect(summarize(parseRequest(bytes, cutPoints, limit))).toEqual(summarize(whole));
      }),
      RUNS,
    );
  });

  it('gives random bytes a result or a refusal, the same one whatever the chunking', () => {
    fc.assert(
      fc.property(fc.oneof(randomBytes, httpishBytes), cuts, limits, (bytes, cutPoints, limit) => {
        const whole = parseRequest(bytes, [], limit);
        expectCleanOutcome(whole);
        expect(summarize(parseRequest(bytes, cutPoints, limit))).toEqual(summarize(whole));
      }),
      RUNS,
    );
  });

  it('refuses with 431, never buffering more, when a head without a blank line reaches the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 3000 }), cuts, (limit, cutPoints) => {
        const bytes = Buffer.concat([Buffer.from('GET / HTTP/1.1\r\nX: '), Buffer.alloc(limit, 0x61)]);
        const outcome = parseRequest(bytes, cutPoints.map((cut) => cut * 5), limit);
        expect(outcome.kind).toBe('error');
        expect((outcome as { error: HandshakeRefusal }).error.status).toBe(431);
      }),
      RUNS,
    );
  });
});

describe('ServerResponseParser properties', () => {
  it('parses any valid response split at any positions exactly as when fed whole', () => {
    fc.assert(
      fc.property(validResponse, streamBytes, cuts, ({ response, ...options }, stream, cutPoints) => {
        const bytes = Buffer.concat([response, stream]);
        const whole = parseResponse(bytes, [], options);
        expect(whole.kind).toBe('result');
        expect((whole as { after: Buffer }).after).toEqual(stream);
        expect(summarize(parseResponse(bytes, cutPoints, options))).toEqual(summarize(whole));
      }),
      RUNS,
    );
  });

  it('gives mutated responses a result or a HandshakeError, the same one whatever the chunking', () => {
    fc.assert(
      fc.property(validResponse, mutations, cuts, limits, ({ response, ...options }, changes, cutPoints, limit) => {
        const bytes = mutate(response, changes);
        const withLimit = { ...options, ...(limit === undefined ? {} : { maxHeadBytes: limit }) };
        const whole = parseResponse(bytes, [], withLimit);
        expectCleanOutcome(whole);
        if (whole.kind === 'error') expect(whole.error).toBeInstanceOf(HandshakeError);
        expect(summarize(parseResponse(bytes, cutPoints, withLimit))).toEqual(summarize(whole));
      }),
      RUNS,
    );
  });

  it('gives random bytes a result or a HandshakeError, the same one whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.oneof(randomBytes, httpishBytes),
        webSocketKey,
        fc.array(token, { maxLength: 2 }),
        cuts,
        limits,
        (bytes, key, protocols, cutPoints, limit) => {
          const options = { key, protocols, ...(limit === undefined ? {} : { maxHeadBytes: limit }) };
          const whole = parseResponse(bytes, [], options);
          expectCleanOutcome(whole);
          if (whole.kind === 'error') expect(whole.error).toBeInstanceOf(HandshakeError);
          expect(summarize(parseResponse(bytes, cutPoints, options))).toEqual(summarize(whole));
        },
      ),
      RUNS,
    );
  });
});
