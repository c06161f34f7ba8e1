import { describe, expect, it } from 'vitest';
import { GodotError } from '../../src/godot-error.js';
import { HandshakeRefusal, buildAcceptResponse, buildRefusalResponse, selectProtocol } from '../../src/handshake/index.js';
import { RFC_ACCEPT, RFC_KEY, expectHandshakeError, expectRefusal } from './fixtures.js';
import { expectRefusalResponse, parseWellFormedResponse } from './http-response-check.js';

describe('selectProtocol (Godot rules)', () => {
  it("takes the first of the client's protocols that the server supports, in the client's order", () => {
    expect(selectProtocol(['b', 'a'], ['a', 'b'])).toBe('b');
    expect(selectProtocol(['x', 'a', 'b'], ['b', 'a'])).toBe('a');
    expect(selectProtocol(['a'], ['a'])).toBe('a');
  });

  it("returns '' when neither side has protocols", () => {
    expect(selectProtocol([], [])).toBe('');
  });

  it('compares names exactly, case included', () => {
    expectRefusal(() => selectProtocol(['Chat'], ['chat']), 400);
  });

  const refused: Array<[string, string[], string[], RegExp]> = [
    ['the client offered protocols and none match', ['x', 'y'], ['a', 'b'], /client offered x, y; the server supports a, b/],
    ['the server requires protocols and the client offered none', [], ['a', 'b'], /client offered none; the server supports a, b/],
    ['the client offered protocols and the server has none', ['x'], [], /client offered x; the server supports none/],
  ];
  for (const [what, offered, supported, message] of refused) {
    it(`refuses with a 400 naming both lists when ${what}`, () => {
      const refusal = expectRefusal(() => selectProtocol(offered, supported), 400);
      expect(refusal.message).toMatch(message);
      expect(expectRefusalResponse(refusal.response, 400).body).toMatch(message);
    });
  }
});

describe('buildAcceptResponse', () => {
  it('lays the 101 out as Godot does', () => {
    expect(buildAcceptResponse({ key: RFC_KEY }).toString('latin1')).toBe(
      'HTTP/1.1 101 Switching Protocols\r\n' +
        'Upgrade: websocket\r\n' +
        'Connection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${RFC_ACCEPT}\r\n` +
        '\r\n',
    );
  });

  it('names the chosen protocol, the extensions and the extra headers', () => {
    const response = buildAcceptResponse({
      key: RFC_KEY,
      protocol: 'chat',
      extensions: 'permessage-deflate',
      extraHeaders: ['X-Server: gdws', 'Set-Cookie: a=1'],
    });
    const parsed = parseWellFormedResponse(response);
    expect(parsed.status).toBe(101);
    expect(parsed.headers.get('sec-websocket-protocol')).toBe('chat');
    expect(parsed.headers.get('sec-websocket-extensions')).toBe('permessage-deflate');
    expect(parsed.headers.get('x-server')).toBe('gdws');
    expect(parsed.headers.get('set-cookie')).toBe('a=1');
  });

  it('refuses extra headers like a client refuses custom headers', () => {
    expectHandshakeError(() => buildAcceptResponse({ key: RFC_KEY, extraHeaders: ['X: a\r\nInjected: 1'] }), GodotError.ERR_INVALID_PARAMETER);
    expectHandshakeError(() => buildAcceptResponse({ key: RFC_KEY, extraHeaders: ['Sec-WebSocket-Accept: x'] }), GodotError.ERR_INVALID_PARAMETER, /writes it itself/);
    expectHandshakeError(() => buildAcceptResponse({ key: RFC_KEY, extraHeaders: ['bad name: x'] }), GodotError.ERR_INVALID_PARAMETER);
  });

  it('refuses a bad key, protocol or extensions value', () => {
    expectHandshakeError(() => buildAcceptResponse({ key: 'x' }), GodotError.ERR_INVALID_PARAMETER);
    expectHandshakeError(() => buildAcceptResponse({ key: RFC_KEY, protocol: 'a b' }), GodotError.ERR_INVALID_PARAMETER);
    expectHandshakeError(() => buildAcceptResponse({ key: RFC_KEY, extensions: 'a\nb' }), GodotError.ERR_INVALID_PARAMETER);
  });
});

describe('buildRefusalResponse', () => {
  it('is a complete response that closes the connection and says why in plain text', () => {
    const parsed = expectRefusalResponse(buildRefusalResponse(403, 'origin not allowed'), 403);
    expect(parsed.reason).toBe('Forbidden');
    expect(parsed.body).toBe('origin not allowed\n');
    expect(parsed.headers.get('connection')).toBe('close');
  });

  it('counts Content-Length in bytes for non-ASCII reasons', () => {
    const parsed = expectRefusalResponse(buildRefusalResponse(400, 'protocole non pris en charge: «jeu»'), 400);
    expect(parsed.body).toBe('protocole non pris en charge: «jeu»\n');
  });

  it('adds extra headers, and lists Upgrade in Connection when it announces one', () => {
    const parsed = expectRefusalResponse(buildRefusalResponse(426, 'use version 13', ['Sec-WebSocket-Version: 13', 'Upgrade: websocket']), 426);
    expect(parsed.headers.get('connection')).toBe('Upgrade, close');
    expect(parsed.headers.get('sec-websocket-version')).toBe('13');
  });

  it('refuses statuses that are not refusals and headers that would break its framing', () => {
    expectHandshakeError(() => buildRefusalResponse(101, 'no'), GodotError.ERR_INVALID_PARAMETER);
    expectHandshakeError(() => buildRefusalResponse(200, 'no'), GodotError.ERR_INVALID_PARAMETER);
    expectHandshakeError(() => buildRefusalResponse(400.5, 'no'), GodotError.ERR_INVALID_PARAMETER);
    expectHandshakeError(() => buildRefusalResponse(400, 'no', ['Content-Length: 0']), GodotError.ERR_INVALID_PARAMETER);
    expectHandshakeError(() => buildRefusalResponse(400, 'no', ['X: a\r\nY: b']), GodotError.ERR_INVALID_PARAMETER);
  });

  it('gives unusual statuses a reason phrase too', () => {
    expect(parseWellFormedResponse(buildRefusalResponse(499, 'custom')).reason.length).toBeGreaterThan(0);
  });

  it('travels inside HandshakeRefusal', () => {
    const refusal = expectRefusal(() => selectProtocol(['a'], ['b']), 400);
    expect(refusal).toBeInstanceOf(HandshakeRefusal);
    expect(refusal.response.toString('latin1')).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });
});
