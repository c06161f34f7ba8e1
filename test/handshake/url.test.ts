import { describe, expect, it } from 'vitest';
import { GodotError } from '../../src/godot-error.js';
import { parseWebSocketUrl } from '../../src/handshake/index.js';
import { expectHandshakeError } from './fixtures.js';

describe('parseWebSocketUrl', () => {
  it('uses port 80 for ws:// and 443 for wss://, leaving default ports out of Host', () => {
    expect(parseWebSocketUrl('ws://example.com')).toEqual({
      secure: false,
      host: 'example.com',
      port: 80,
      resource: '/',
      hostHeader: 'example.com',
      href: 'ws://example.com/',
    });
    expect(parseWebSocketUrl('wss://example.com/')).toMatchObject({ secure: true, port: 443, hostHeader: 'example.com' });
    expect(parseWebSocketUrl('wss://example.com:443/').hostHeader).toBe('example.com');
    expect(parseWebSocketUrl('ws://example.com:80/').hostHeader).toBe('example.com');
  });

  it('puts a non-default port in Host', () => {
    expect(parseWebSocketUrl('ws://127.0.0.1:9001/').hostHeader).toBe('127.0.0.1:9001');
    expect(parseWebSocketUrl('ws://example.com:443/').hostHeader).toBe('example.com:443');
    expect(parseWebSocketUrl('wss://example.com:80/').hostHeader).toBe('example.com:80');
  });

  it('keeps path and query', () => {
    expect(parseWebSocketUrl('ws://h/a/b?c=1&d=%20x').resource).toBe('/a/b?c=1&d=%20x');
    expect(parseWebSocketUrl('ws://h?room=2').resource).toBe('/?room=2');
    expect(parseWebSocketUrl('ws://h:8080?room=2').resource).toBe('/?room=2');
    expect(parseWebSocketUrl('ws://h/a/../b').resource).toBe('/a/../b');
  });

  it('takes IPv6 literals in brackets, without them in host and with them in Host', () => {
    const url = parseWebSocketUrl('ws://[::1]:9001/chat');
    expect(url).toMatchObject({ host: '::1', port: 9001, hostHeader: '[::1]:9001', href: 'ws://[::1]:9001/chat' });
    expect(parseWebSocketUrl('wss://[2001:db8::7]/').hostHeader).toBe('[2001:db8::7]');
  });

  it('reads the scheme case-insensitively and takes a URL without one as ws://, as Godot does', () => {
    expect(parseWebSocketUrl('WSS://Example.com/').secure).toBe(true);
    expect(parseWebSocketUrl('localhost:8080/game')).toMatchObject({ secure: false, host: 'localhost', port: 8080, resource: '/game' });
  });

  it('percent-encodes spaces and non-ASCII text in the path instead of breaking the request line', () => {
    expect(parseWebSocketUrl('ws://h/a b/ü?q=✓').resource).toBe('/a%20b/%C3%BC?q=%E2%9C%93');
  });

  it('sends internationalized host names in their ASCII form', () => {
    expect(parseWebSocketUrl('ws://bücher.example/').host).toBe('xn--bcher-kva.example');
  });

  it('trims surrounding whitespace', () => {
    expect(parseWebSocketUrl('  ws://h:1/x \n').href).toBe('ws://h:1/x');
  });

  const invalid: Array<[string, string, RegExp]> = [
    ['another scheme', 'http://example.com/', /scheme/],
    ['another scheme (https)', 'https://example.com/', /scheme/],
    ['a fragment', 'ws://example.com/#top', /fragment/],
    ['a missing host', 'ws:///path', /no host/],
    ['a missing host before a port', 'ws://:8080/', /no host/],
    ['port 0', 'ws://h:0/', /1 to 65535/],
    ['port 65536', 'ws://h:65536/', /1 to 65535/],
    ['a huge port', 'ws://h:99999999999/', /1 to 65535/],
    ['a negative port', 'ws://h:-1/', /1 to 65535/],
    ['a non-numeric port', 'ws://h:http/', /1 to 65535/],
    ['an empty port', 'ws://h:/', /1 to 65535/],
    ['an empty URL', '   ', /empty/],
    ['user info', 'ws://user:pw@h/', /user info/],
    ['an unbracketed IPv6 address', 'ws://::1/', /brackets/],
    ['a broken IPv6 address', 'ws://[::g]/', /IPv6/],
    ['an unclosed IPv6 bracket', 'ws://[::1/', /closing/],
    ['text after an IPv6 address', 'ws://[::1]x/', /after the IPv6/],
    ['a host with spaces', 'ws://ex ample.com/', /host name/],
    ['a host with CR LF', 'ws://h\r\nX: y/', /host name/],
    ['a path with a control character', 'ws://h/a\r\nInjected: yes', /control character/],
    ['a path with an unpaired surrogate', 'ws://h/\ud800', /surrogate/],
  ];
  for (const [what, url, message] of invalid) {
    it(`refuses ${what} with ERR_INVALID_PARAMETER`, () => {
      expectHandshakeError(() => parseWebSocketUrl(url), GodotError.ERR_INVALID_PARAMETER, message);
    });
  }

  it('refuses a non-string', () => {
    expectHandshakeError(() => parseWebSocketUrl(42 as unknown as string), GodotError.ERR_INVALID_PARAMETER);
  });
});
