import { describe, expect, it } from 'vitest';
import { GodotError } from '../../src/godot-error.js';
import { HandshakeRefusal, UpgradeRequestParser, validateUpgradeRequest } from '../../src/handshake/index.js';
import {
  RFC_KEY,
  VALID_REQUEST_LINES,
  expectHandshakeError,
  expectRefusal,
  requestHead,
  requestWith,
  splitAt,
} from './fixtures.js';
import { expectRefusalResponse } from './http-response-check.js';

function parseWhole(bytes: Buffer, maxHeadBytes?: number) {
  return new UpgradeRequestParser(maxHeadBytes === undefined ? {} : { maxHeadBytes }).push(bytes);
}

function refusalOf(bytes: Buffer, status: number, maxHeadBytes?: number): { refusal: HandshakeRefusal; body: string } {
  const refusal = expectRefusal(() => parseWhole(bytes, maxHeadBytes), status);
  const { body } = expectRefusalResponse(refusal.response, status);
  return { refusal, body };
}

describe('UpgradeRequestParser: accepted requests', () => {
  it('reads a valid request and exposes what a server needs', () => {
    const request = parseWhole(requestWith('Sec-WebSocket-Protocol', 'Sec-WebSocket-Protocol: chat, superchat', 'X-Custom: 1'));
    expect(request).not.toBeNull();
    expect(request!.method).toBe('GET');
    expect(request!.resource).toBe('/chat?room=1');
    expect(request!.httpVersion).toBe('1.1');
    expect(request!.host).toBe('example.com:9080');
    expect(request!.key).toBe(RFC_KEY);
    expect(request!.protocols).toEqual(['chat', 'superchat']);
    expect(request!.extensions).toBe('');
    expect(request!.headers.get('x-custom')).toBe('1');
    expect(request!.rest).toHaveLength(0);
  });

  it('hands on the bytes after the blank line, never dropping them', () => {
    const frame = Buffer.from([0x81, 0x85, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const whole = parseWhole(Buffer.concat([requestHead(VALID_REQUEST_LINES), frame]));
    expect(whole!.rest).toEqual(frame);
  });

  it('returns null until the blank line arrives, one byte at a time', () => {
    const bytes = Buffer.concat([requestHead(VALID_REQUEST_LINES), Buffer.from('tail')]);
    const parser = new UpgradeRequestParser();
    for (let index = 0; index < bytes.length - 5; index++) expect(parser.push(bytes.subarray(index, index + 1))).toBeNull();
    const request = parser.push(bytes.subarray(bytes.length - 5));
    expect(request!.rest.toString()).toBe('tail');
    expect(request!.resource).toBe('/chat?room=1');
  });

  it('matches header names case-insensitively, joins repeated headers and reads comma lists', () => {
    const request = parseWhole(
      requestHead([
        'GET / HTTP/1.1',
        'HOST: h',
        'upgrade: WebSocket',
        'connection: keep-alive, Upgrade',
        `sec-websocket-key: ${RFC_KEY}`,
        'SEC-WEBSOCKET-VERSION: 13',
        'Sec-WebSocket-Protocol: a',
        'Sec-WebSocket-Protocol: b ,c',
        'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits',
      ]),
    );
    expect(request!.protocols).toEqual(['a', 'b', 'c']);
    expect(request!.headers.get('sec-websocket-protocol')).toBe('a, b ,c');
    expect(request!.extensions).toBe('permessage-deflate; client_max_window_bits');
  });

  it('ignores empty lines before the request line (RFC 9112 section 2.2)', () => {
    expect(parseWhole(Buffer.concat([Buffer.from('\r\n'), requestHead(VALID_REQUEST_LINES)]))!.resource).toBe('/chat?room=1');
  });

  it('accepts an absolute-form request target, keeping its path and query', () => {
    const lines = ['GET ws://example.com:9080/chat?room=1 HTTP/1.1', ...VALID_REQUEST_LINES.slice(1)];
    expect(parseWhole(requestHead(lines))!.resource).toBe('/chat?room=1');
    const bare = ['GET http://example.com HTTP/1.1', ...VALID_REQUEST_LINES.slice(1)];
    expect(parseWhole(requestHead(bare))!.resource).toBe('/');
  });

  it('accepts later HTTP versions', () => {
    const lines = ['GET / HTTP/1.2', ...VALID_REQUEST_LINES.slice(1)];
    expect(parseWhole(requestHead(lines))!.httpVersion).toBe('1.2');
  });

  it('accepts a head of exactly maxHeadBytes, across chunk boundaries', () => {
    const bytes = requestHead(VALID_REQUEST_LINES);
    const parser = new UpgradeRequestParser({ maxHeadBytes: bytes.length });
    const chunks = splitAt(bytes, [3, 40, bytes.length - 3, bytes.length - 1]);
    const results = chunks.map((chunk) => parser.push(chunk));
    expect(results.slice(0, -1).every((result) => result === null)).toBe(true);
    expect(results.at(-1)!.key).toBe(RFC_KEY);
  });
});

describe('UpgradeRequestParser: refusals, each a complete HTTP response', () => {
  it('431 when the request line plus headers exceed the limit', () => {
    const bytes = requestWith('X-Big', `X-Big: ${'a'.repeat(9000)}`);
    refusalOf(bytes, 431);
  });

  it('431 one byte over a custom limit, even when the bytes arrive in small chunks', () => {
    const bytes = requestHead(VALID_REQUEST_LINES);
    const parser = new UpgradeRequestParser({ maxHeadBytes: bytes.length - 1 });
    const chunks = splitAt(bytes, Array.from({ length: bytes.length }, (_, index) => index * 7));
    let refusal: unknown;
    for (const chunk of chunks) {
      try {
        expect(parser.push(chunk)).toBeNull();
      } catch (error) {
        refusal = error;
        break;
      }
    }
    expect(refusal).toBeInstanceOf(HandshakeRefusal);
    expectRefusalResponse((refusal as HandshakeRefusal).response, 431);
  });

  it('431 as soon as the limit is reached, without waiting for the blank line', () => {
    const parser = new UpgradeRequestParser({ maxHeadBytes: 64 });
    expect(parser.push(Buffer.from('GET / HTTP/1.1\r\nX-Long: '))).toBeNull();
    expectRefusal(() => parser.push(Buffer.alloc(100, 0x61)), 431);
  });

  it('405 for a method other than GET, with Allow: GET', () => {
    const { refusal, body } = refusalOf(requestHead(['POST /chat HTTP/1.1', ...VALID_REQUEST_LINES.slice(1)]), 405);
    expect(expectRefusalResponse(refusal.response, 405).headers.get('allow')).toBe('GET');
    expect(body).toMatch(/GET/);
  });

  it('405 as soon as the request line arrives', () => {
    expectRefusal(() => new UpgradeRequestParser().push(Buffer.from('PUT / HTTP/1.1\r\n')), 405);
  });

  it('400 for HTTP/1.0', () => {
    const { body } = refusalOf(requestHead(['GET / HTTP/1.0', ...VALID_REQUEST_LINES.slice(1)]), 400);
    expect(body).toMatch(/HTTP\/1\.1/);
  });

  it('400 for a malformed request line', () => {
    refusalOf(requestHead(['GET  / HTTP/1.1', ...VALID_REQUEST_LINES.slice(1)]), 400);
    refusalOf(requestHead(['GET / FTP/1.1', ...VALID_REQUEST_LINES.slice(1)]), 400);
    refusalOf(requestHead(['GET /', ...VALID_REQUEST_LINES.slice(1)]), 400);
    refusalOf(requestHead(['\x16\x03\x01 / HTTP/1.1', ...VALID_REQUEST_LINES.slice(1)]), 400);
  });

  it('400 for a request target that is not a path', () => {
    refusalOf(requestHead(['GET chat HTTP/1.1', ...VALID_REQUEST_LINES.slice(1)]), 400);
    refusalOf(requestHead(['GET * HTTP/1.1', ...VALID_REQUEST_LINES.slice(1)]), 400);
  });

  it('400 for a missing Upgrade header', () => {
    expect(refusalOf(requestWith('Upgrade'), 400).body).toMatch(/Upgrade/);
  });

  it('400 for a wrong Upgrade header', () => {
    expect(refusalOf(requestWith('Upgrade', 'Upgrade: h2c'), 400).body).toMatch(/h2c/);
  });

  it('400 for a missing Connection header', () => {
    expect(refusalOf(requestWith('Connection'), 400).body).toMatch(/Connection/);
  });

  it('400 for a Connection header without Upgrade', () => {
    expect(refusalOf(requestWith('Connection', 'Connection: keep-alive'), 400).body).toMatch(/keep-alive/);
  });

  it('400 for a missing Host header', () => {
    expect(refusalOf(requestWith('Host'), 400).body).toMatch(/Host/);
  });

  it('400 for an empty or malformed Host header', () => {
    refusalOf(requestWith('Host', 'Host:'), 400);
    refusalOf(requestWith('Host', 'Host: a b'), 400);
    refusalOf(requestWith('Host', 'Host: a', 'Host: b'), 400);
  });

  it('400 for a missing Sec-WebSocket-Key', () => {
    expect(refusalOf(requestWith('Sec-WebSocket-Key'), 400).body).toMatch(/Sec-WebSocket-Key/);
  });

  for (const [what, key] of [
    ['15 bytes', Buffer.alloc(15, 1).toString('base64')],
    ['17 bytes', Buffer.alloc(17, 1).toString('base64')],
    ['not base64', 'this is not base64 at all'],
    ['non-canonical base64', 'dGhlIHNhbXBsZSBub25jZR=='],
  ] as const) {
    it(`400 for a Sec-WebSocket-Key of ${what}`, () => {
      expect(refusalOf(requestWith('Sec-WebSocket-Key', `Sec-WebSocket-Key: ${key}`), 400).body).toMatch(/16 bytes/);
    });
  }

  it('400 for two Sec-WebSocket-Key headers', () => {
    refusalOf(requestWith('Sec-WebSocket-Key', `Sec-WebSocket-Key: ${RFC_KEY}`, `Sec-WebSocket-Key: ${RFC_KEY}`), 400);
  });

  for (const version of ['8', '12', '14', '13, 8']) {
    it(`426 with Sec-WebSocket-Version: 13 for version ${version}`, () => {
      const { refusal } = refusalOf(requestWith('Sec-WebSocket-Version', `Sec-WebSocket-Version: ${version}`), 426);
      const parsed = expectRefusalResponse(refusal.response, 426);
      expect(parsed.headers.get('sec-websocket-version')).toBe('13');
      expect(parsed.headers.get('upgrade')).toBe('websocket');
    });
  }

  it('426 with Sec-WebSocket-Version: 13 when the version is missing', () => {
    const { refusal } = refusalOf(requestWith('Sec-WebSocket-Version'), 426);
    expect(expectRefusalResponse(refusal.response, 426).headers.get('sec-websocket-version')).toBe('13');
  });

  it('400 for lines ending in a bare LF', () => {
    const bytes = Buffer.from(`${VALID_REQUEST_LINES.join('\n')}\n\n`);
    expect(refusalOf(bytes, 400).body).toMatch(/CRLF/);
  });

  it('400 for a malformed header line', () => {
    refusalOf(requestWith('X-Bad', 'X-Bad'), 400);
    refusalOf(requestWith('X-Bad', 'X Bad: 1'), 400);
    refusalOf(requestWith('X-Bad', 'X-Bad : 1'), 400);
    refusalOf(requestWith('X-Bad', ': 1'), 400);
    refusalOf(requestWith('X-Bad', 'X-Bad: a\0b'), 400);
    refusalOf(requestWith('X-Bad', 'X-Bad: a\rb'), 400);
  });

  it('400 for a folded header line', () => {
    expect(refusalOf(requestWith('X-Folded', 'X-Folded: a', ' b'), 400).body).toMatch(/folded/);
  });

  it('400 for a Sec-WebSocket-Protocol that is not a list of names', () => {
    refusalOf(requestWith('Sec-WebSocket-Protocol', 'Sec-WebSocket-Protocol: a b'), 400);
    refusalOf(requestWith('Sec-WebSocket-Protocol', 'Sec-WebSocket-Protocol: "quoted"'), 400);
  });

  it('keeps refusing after a refusal, and refuses bytes after a completed request', () => {
    const parser = new UpgradeRequestParser();
    const first = expectRefusal(() => parser.push(Buffer.from('POST / HTTP/1.1\r\n')), 405);
    expect(expectRefusal(() => parser.push(Buffer.from('more')), 405)).toBe(first);

    const done = new UpgradeRequestParser();
    done.push(requestHead(VALID_REQUEST_LINES));
    expectRefusalResponse(expectRefusal(() => done.push(Buffer.from('x')), 500).response, 500);
  });

  it('rejects a maxHeadBytes that is not a positive integer', () => {
    expectHandshakeError(() => new UpgradeRequestParser({ maxHeadBytes: 0 }), GodotError.ERR_INVALID_PARAMETER);
    expectHandshakeError(() => new UpgradeRequestParser({ maxHeadBytes: 1.5 }), GodotError.ERR_INVALID_PARAMETER);
  });
});

describe('validateUpgradeRequest on headers node:http already parsed', () => {
  const headers = () =>
    new Map([
      ['host', 'localhost:8080'],
      ['upgrade', 'websocket'],
      ['connection', 'Upgrade'],
      ['sec-websocket-key', RFC_KEY],
      ['sec-websocket-version', '13'],
      ['sec-websocket-protocol', 'x, y'],
    ]);

  it('accepts node:http style arguments', () => {
    const request = validateUpgradeRequest('GET', '1.1', '/game?id=3', headers());
    expect(request).toMatchObject({ resource: '/game?id=3', httpVersion: '1.1', host: 'localhost:8080', key: RFC_KEY, protocols: ['x', 'y'] });
  });

  it('refuses the same things the parser refuses', () => {
    expectRefusal(() => validateUpgradeRequest('POST', '1.1', '/', headers()), 405);
    expectRefusal(() => validateUpgradeRequest('GET', '1.0', '/', headers()), 400);
    const noKey = headers();
    noKey.delete('sec-websocket-key');
    expectRefusal(() => validateUpgradeRequest('GET', '1.1', '/', noKey), 400);
    const oldVersion = headers();
    oldVersion.set('sec-websocket-version', '8');
    expectRefusal(() => validateUpgradeRequest('GET', '1.1', '/', oldVersion), 426);
  });
});
