import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildExtendedConnectAccept,
  buildExtendedConnectRequest,
  checkExtendedConnectResponse,
  HandshakeError,
  HandshakeRefusal,
  parseWebSocketUrl,
  refusalHeaders,
  validateExtendedConnect,
} from '../../src/handshake/index.js';
import { headerLines, protocolList, webSocketUrl } from './arbitraries.js';

const GOOD = {
  ':method': 'CONNECT',
  ':protocol': 'websocket',
  ':scheme': 'https',
  ':path': '/chat?room=1',
  ':authority': 'example.com:8443',
  'sec-websocket-version': '13',
};

function refusalOf(block: Record<string, unknown>): HandshakeRefusal {
  try {
    validateExtendedConnect(block as never);
  } catch (error) {
    if (error instanceof HandshakeRefusal) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('validateExtendedConnect (RFC 8441 sections 4 and 5)', () => {
  it('accepts a well-formed extended CONNECT and reads path, authority, scheme, subprotocols and extensions', () => {
    const request = validateExtendedConnect({ ...GOOD, 'sec-websocket-protocol': 'chat, superchat', 'sec-websocket-extensions': 'permessage-deflate', 'x-a': ['1', '2'] });
    expect(request).toMatchObject({ resource: '/chat?room=1', host: 'example.com:8443', scheme: 'https', protocols: ['chat', 'superchat'], extensions: 'permessage-deflate' });
    expect(request.headers.get('x-a')).toBe('1, 2');
    expect(request.headers.has(':path')).toBe(false);
  });

  it('needs no Sec-WebSocket-Key, and the :protocol token is case-insensitive', () => {
    expect(validateExtendedConnect({ ...GOOD, ':protocol': 'WebSocket' }).resource).toBe('/chat?room=1');
  });

  it.each([
    [{ ':method': 'GET' }, 405, 'extended CONNECT'],
    [{ ':protocol': undefined }, 400, 'without :protocol'],
    [{ ':protocol': 'webtransport' }, 501, 'unknown :protocol "webtransport"'],
    [{ ':scheme': undefined }, 400, 'needs :scheme'],
    [{ ':scheme': 'ftp' }, 400, 'unsupported :scheme'],
    [{ ':path': undefined }, 400, 'needs :path'],
    [{ ':path': '*' }, 400, ':path must be a path'],
    [{ ':authority': undefined }, 400, 'needs :authority'],
    [{ ':authority': 'a b' }, 400, 'invalid :authority'],
    [{ 'sec-websocket-version': undefined }, 400, 'missing sec-websocket-version'],
    [{ 'sec-websocket-version': '8' }, 400, 'unsupported sec-websocket-version "8"'],
    [{ 'sec-websocket-protocol': 'a b' }, 400, 'sec-websocket-protocol must be'],
  ])('refuses %o with %i', (change, status, words) => {
    const refusal = refusalOf({ ...GOOD, ...change });
    expect(refusal.status).toBe(status);
    expect(refusal.message).toContain(words);
  });

  it('a version refusal names version 13 in its HTTP/2 headers; a method refusal allows CONNECT', () => {
    expect(refusalHeaders(refusalOf({ ...GOOD, 'sec-websocket-version': '7' })).headers).toMatchObject({ ':status': 400, 'sec-websocket-version': '13' });
    const { headers, body } = refusalHeaders(refusalOf({ ...GOOD, ':method': 'POST' }));
    expect(headers).toEqual({ ':status': 405, 'content-type': 'text/plain; charset=utf-8', allow: 'CONNECT' });
    expect(body.toString()).toMatch(/not "POST"\n$/);
  });

  it('never throws anything but HandshakeRefusal, whatever the header block', () => {
    const value = fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.constant(undefined), fc.integer());
    const block = fc.record({
      ':method': fc.oneof(fc.constant('CONNECT'), fc.string()),
      ':protocol': fc.oneof(fc.constant('websocket'), value),
      ':scheme': fc.oneof(fc.constantFrom('http', 'https'), value),
      ':path': fc.oneof(fc.constant('/'), value),
      ':authority': fc.oneof(fc.constant('h:1'), value),
      'sec-websocket-version': fc.oneof(fc.constant('13'), value),
      'sec-websocket-protocol': value,
    });
    fc.assert(
      fc.property(block, (headers) => {
        try {
          validateExtendedConnect(headers as never);
        } catch (error) {
          expect(error).toBeInstanceOf(HandshakeRefusal);
        }
      }),
    );
  });
});

describe('the client request and the server answer round-trip', () => {
  it('whatever URL, subprotocols and custom headers the client uses, the server reads them back and the client accepts its answer', () => {
    fc.assert(
      fc.property(webSocketUrl, protocolList, headerLines, fc.boolean(), (href, protocols, lines, deflate) => {
        const url = parseWebSocketUrl(href);
        const block = buildExtendedConnectRequest({ url, protocols, headers: lines, extensions: deflate ? 'permessage-deflate' : '' });
        const request = validateExtendedConnect(block);
        expect(request.resource).toBe(url.resource);
        expect(request.host).toBe(url.hostHeader);
        expect(request.scheme).toBe(url.secure ? 'https' : 'http');
        expect(request.protocols).toEqual(protocols);
        const chosen = protocols[protocols.length - 1] ?? '';
        const answer = buildExtendedConnectAccept({ protocol: chosen, extensions: deflate ? 'permessage-deflate' : '', extraHeaders: ['X-Server: gdws'] });
        const response = checkExtendedConnectResponse(answer, { protocols, offeredExtensions: deflate ? ['permessage-deflate'] : [] });
        expect(response).toMatchObject({ protocol: chosen, extensions: deflate ? 'permessage-deflate' : '' });
        expect(response.headers.get('x-server')).toBe('gdws');
      }),
    );
  });

  it('the client refuses connection-specific headers; the server leaves them out of its answer', () => {
    const url = parseWebSocketUrl('ws://h/');
    expect(() => buildExtendedConnectRequest({ url, headers: ['Keep-Alive: 5'] })).toThrow(/connection-specific/);
    expect(() => buildExtendedConnectRequest({ url, headers: ['Upgrade: x'] })).toThrow(HandshakeError);
    expect(() => buildExtendedConnectRequest({ url: { ...url, resource: 'x' } })).toThrow(/must start with "\/"/);
    expect(() => buildExtendedConnectRequest({ url, extensions: 'a\nb' })).toThrow(/control character/);
    expect(buildExtendedConnectRequest({ url, headers: ['X-A: 1', 'x-a: 2'] })['x-a']).toBe('1, 2');
    expect(buildExtendedConnectAccept({ extraHeaders: ['Keep-Alive: 5', 'X-A: 1', 'X-A: 2'] })).toEqual({ ':status': 200, 'x-a': '1, 2' });
    expect(() => buildExtendedConnectAccept({ extensions: 'a\rb' })).toThrow(/control character/);
  });

  it('the client refuses a non-2xx answer, a subprotocol or an extension it did not offer', () => {
    expect(() => checkExtendedConnectResponse({ ':status': 404 })).toThrow(/answered 404 instead of 200/);
    expect(() => checkExtendedConnectResponse({})).toThrow(/without a status/);
    expect(() => checkExtendedConnectResponse({ ':status': 200, 'sec-websocket-protocol': 'x' })).toThrow(/not offered/);
    expect(() => checkExtendedConnectResponse({ ':status': 200 }, { protocols: ['a'] })).toThrow(/none of the offered/);
    expect(() => checkExtendedConnectResponse({ ':status': 200, 'sec-websocket-extensions': 'permessage-deflate' })).toThrow(/not offered/);
    try {
      checkExtendedConnectResponse({ ':status': 503 });
    } catch (error) {
      expect((error as HandshakeError).status).toBe(503);
    }
  });
});
