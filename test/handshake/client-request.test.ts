import { describe, expect, it } from 'vitest';
import { GodotError } from '../../src/godot-error.js';
import { buildClientRequest, isValidKey, parseWebSocketUrl } from '../../src/handshake/index.js';
import { RFC_KEY, expectHandshakeError } from './fixtures.js';

const url = parseWebSocketUrl('ws://127.0.0.1:9001/path?query');

describe('buildClientRequest', () => {
  it('lays the request out as Godot does', () => {
    const { request, key } = buildClientRequest({ url, protocols: ['a', 'b', 'c'], headers: ['X-Test: one', 'X-Other: two'], key: RFC_KEY });
    expect(key).toBe(RFC_KEY);
    expect(request.toString('latin1')).toBe(
      'GET /path?query HTTP/1.1\r\n' +
        'Host: 127.0.0.1:9001\r\n' +
        'Upgrade: websocket\r\n' +
        'Connection: Upgrade\r\n' +
        `Sec-WebSocket-Key: ${RFC_KEY}\r\n` +
        'Sec-WebSocket-Version: 13\r\n' +
        'Sec-WebSocket-Protocol: a,b,c\r\n' +
        'X-Test: one\r\n' +
        'X-Other: two\r\n' +
        '\r\n',
    );
  });

  it('leaves out Sec-WebSocket-Protocol and Sec-WebSocket-Extensions when there are none', () => {
    const text = buildClientRequest({ url: parseWebSocketUrl('ws://example.com'), protocols: [], extensions: '' }).request.toString('latin1');
    expect(text).toMatch(/^GET \/ HTTP\/1\.1\r\nHost: example\.com\r\n/);
    expect(text).not.toMatch(/Sec-WebSocket-Protocol/);
    expect(text).not.toMatch(/Sec-WebSocket-Extensions/);
  });

  it('sends the extensions offer when given', () => {
    const text = buildClientRequest({ url, extensions: 'permessage-deflate; client_max_window_bits' }).request.toString('latin1');
    expect(text).toContain('\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n');
  });

  it('uses a fresh random 16-byte key for every attempt', () => {
    const first = buildClientRequest({ url });
    const second = buildClientRequest({ url });
    expect(isValidKey(first.key)).toBe(true);
    expect(first.key).not.toBe(second.key);
    expect(first.request.toString('latin1')).toContain(`\r\nSec-WebSocket-Key: ${first.key}\r\n`);
  });

  it('trims optional whitespace around custom header values and keeps latin1 text byte for byte', () => {
    const { request } = buildClientRequest({ url, headers: ['X-Name:\t José ', 'X-Empty:'] });
    expect(request.toString('latin1')).toContain('\r\nX-Name: José\r\nX-Empty: \r\n');
    expect(request.includes(Buffer.from([0xe9]))).toBe(true);
  });

  const badHeaders: Array<[string, string, RegExp]> = [
    ['a CR LF in the value (header injection)', 'X-Test: a\r\nInjected: yes', /control character/],
    ['a bare LF in the value', 'X-Test: a\nb', /control character/],
    ['a NUL in the value', 'X-Test: a\0b', /control character/],
    ['a character above U+00FF', 'X-Test: 日本', /above U\+00FF/],
    ['a space in the name', 'X Test: one', /not an HTTP token/],
    ['a space before the colon', 'X-Test : one', /not an HTTP token/],
    ['an empty name', ': one', /not an HTTP token/],
    ['a CR in the name', 'X\r\nY: one', /not an HTTP token/],
    ['no colon', 'X-Test one', /Name: value/],
  ];
  for (const [what, header, message] of badHeaders) {
    it(`refuses a custom header with ${what}, before anything is sent`, () => {
      expectHandshakeError(() => buildClientRequest({ url, headers: [header] }), GodotError.ERR_INVALID_PARAMETER, message);
    });
  }

  for (const name of [
    'Host',
    'Upgrade',
    'Connection',
    'Sec-WebSocket-Key',
    'Sec-WebSocket-Version',
    'Sec-WebSocket-Accept',
    'Sec-WebSocket-Protocol',
    'Sec-WebSocket-Extensions',
    'Content-Length',
    'Transfer-Encoding',
  ]) {
    it(`refuses a custom header overriding ${name}, in any letter case`, () => {
      expectHandshakeError(() => buildClientRequest({ url, headers: [`${name}: x`] }), GodotError.ERR_INVALID_PARAMETER, /writes it itself/);
      expectHandshakeError(() => buildClientRequest({ url, headers: [`${name.toUpperCase()}: x`] }), GodotError.ERR_INVALID_PARAMETER);
    });
  }

  const badProtocols: Array<[string, string[]]> = [
    ['an empty name', ['']],
    ['a space', ['my proto']],
    ['a comma', ['a,b']],
    ['a CR LF', ['a\r\nX: y']],
    ['a duplicate', ['a', 'a']],
  ];
  for (const [what, protocols] of badProtocols) {
    it(`refuses a subprotocol list with ${what}`, () => {
      expectHandshakeError(() => buildClientRequest({ url, protocols }), GodotError.ERR_INVALID_PARAMETER, /subprotocol/);
    });
  }

  it('refuses an extensions value with CR or LF', () => {
    expectHandshakeError(() => buildClientRequest({ url, extensions: 'x\r\nInjected: yes' }), GodotError.ERR_INVALID_PARAMETER);
  });

  it('refuses a key that is not base64 of 16 bytes', () => {
    expectHandshakeError(() => buildClientRequest({ url, key: 'short' }), GodotError.ERR_INVALID_PARAMETER, /16 bytes/);
  });

  it('refuses a hand-made URL whose path or Host could break the request line', () => {
    expectHandshakeError(() => buildClientRequest({ url: { ...url, resource: '/a b' } }), GodotError.ERR_INVALID_PARAMETER);
    expectHandshakeError(() => buildClientRequest({ url: { ...url, resource: 'no-slash' } }), GodotError.ERR_INVALID_PARAMETER);
    expectHandshakeError(() => buildClientRequest({ url: { ...url, hostHeader: 'h\r\nX: y' } }), GodotError.ERR_INVALID_PARAMETER);
  });
});
