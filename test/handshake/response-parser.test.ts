import { describe, expect, it } from 'vitest';
import { GodotError } from '../../src/godot-error.js';
import { HandshakeError, ServerResponseParser } from '../../src/handshake/index.js';
import type { ServerResponseParserOptions } from '../../src/handshake/index.js';
import { RFC_KEY, VALID_RESPONSE_LINES, expectHandshakeError, requestHead, responseWith } from './fixtures.js';

function parse(bytes: Buffer, options: Partial<ServerResponseParserOptions> = {}) {
  return new ServerResponseParser({ key: RFC_KEY, ...options }).push(bytes);
}

function failure(bytes: Buffer, message: RegExp, options: Partial<ServerResponseParserOptions> = {}): HandshakeError {
  return expectHandshakeError(() => parse(bytes, options), GodotError.ERR_CONNECTION_ERROR, message);
}

describe('ServerResponseParser: accepted responses', () => {
  it('accepts a valid 101 and exposes its headers', () => {
    const response = parse(responseWith('X-Server', 'X-Server: yes', 'X-Server: again'));
    expect(response).not.toBeNull();
    expect(response!.protocol).toBe('');
    expect(response!.extensions).toBe('');
    expect(response!.headers.get('x-server')).toBe('yes, again');
    expect(response!.rest).toHaveLength(0);
  });

  it('hands on bytes after the blank line, whatever the chunking', () => {
    const frame = Buffer.from([0x81, 0x02, 0x68, 0x69]);
    const bytes = Buffer.concat([requestHead(VALID_RESPONSE_LINES), frame]);
    const parser = new ServerResponseParser({ key: RFC_KEY });
    for (let index = 0; index < bytes.length - frame.length - 1; index++) {
      expect(parser.push(bytes.subarray(index, index + 1))).toBeNull();
    }
    expect(parser.push(bytes.subarray(bytes.length - frame.length - 1))!.rest).toEqual(frame);
  });

  it('reads Upgrade and Connection case-insensitively, as comma lists', () => {
    expect(parse(responseWith('Connection', 'connection: keep-alive, UPGRADE'))).not.toBeNull();
    expect(parse(responseWith('Upgrade', 'upgrade: WebSocket'))).not.toBeNull();
  });

  it('accepts the offered subprotocol the server chose', () => {
    const response = parse(responseWith('Sec-WebSocket-Protocol', 'Sec-WebSocket-Protocol: b'), { protocols: ['a', 'b'] });
    expect(response!.protocol).toBe('b');
  });

  it('accepts an offered extension, with parameters, and passes its value on raw', () => {
    const value = 'permessage-deflate; server_no_context_takeover; client_max_window_bits="10"';
    const response = parse(responseWith('Sec-WebSocket-Extensions', `Sec-WebSocket-Extensions: ${value}`), {
      offeredExtensions: ['permessage-deflate'],
    });
    expect(response!.extensions).toBe(value);
  });

  it('accepts a status line without a reason phrase', () => {
    const bytes = Buffer.from(requestHead(VALID_RESPONSE_LINES).toString('latin1').replace('101 Switching Protocols', '101'), 'latin1');
    expect(parse(bytes)).not.toBeNull();
  });
});

describe('ServerResponseParser: connection errors', () => {
  it('reports a non-101 status with its code and reason phrase', () => {
    const bytes = requestHead(['HTTP/1.1 404 Not Found', 'Content-Length: 0']);
    const error = failure(bytes, /404 Not Found/);
    expect(error.status).toBe(404);
    expect(error.statusText).toBe('Not Found');
  });

  it('reports a non-101 status as soon as the status line arrives', () => {
    const parser = new ServerResponseParser({ key: RFC_KEY });
    expect(parser.push(Buffer.from('HTTP/1.1 403 Forb'))).toBeNull();
    const error = expectHandshakeError(() => parser.push(Buffer.from('idden\r\nX-Partial')), GodotError.ERR_CONNECTION_ERROR);
    expect(error.status).toBe(403);
    expect(error.statusText).toBe('Forbidden');
  });

  it('reports a 200 from a plain HTTP server', () => {
    expect(failure(requestHead(['HTTP/1.1 200 OK', 'Content-Length: 2']), /200 OK/).status).toBe(200);
  });

  it('fails on a response that is not HTTP', () => {
    failure(Buffer.from('SSH-2.0-OpenSSH_9.2\r\n'), /status line/);
  });

  it('fails on a 101 over HTTP/1.0', () => {
    failure(requestHead(['HTTP/1.0 101 Switching Protocols', ...VALID_RESPONSE_LINES.slice(1)]), /HTTP\/1\.1/);
  });

  it('fails without Upgrade: websocket', () => {
    failure(responseWith('Upgrade'), /Upgrade: websocket/);
    failure(responseWith('Upgrade', 'Upgrade: h2c'), /h2c/);
  });

  it('fails without Connection: Upgrade', () => {
    failure(responseWith('Connection'), /Connection: Upgrade/);
    failure(responseWith('Connection', 'Connection: keep-alive'), /keep-alive/);
  });

  it('fails when Sec-WebSocket-Accept is missing or does not match the key', () => {
    failure(responseWith('Sec-WebSocket-Accept'), /no Sec-WebSocket-Accept/);
    failure(responseWith('Sec-WebSocket-Accept', 'Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA='), /does not match/);
    const otherKey = Buffer.alloc(16, 7).toString('base64');
    expectHandshakeError(
      () => new ServerResponseParser({ key: otherKey }).push(requestHead(VALID_RESPONSE_LINES)),
      GodotError.ERR_CONNECTION_ERROR,
      /does not match/,
    );
  });

  it('fails when the server names a subprotocol the client did not offer', () => {
    failure(responseWith('Sec-WebSocket-Protocol', 'Sec-WebSocket-Protocol: c'), /not offered/, { protocols: ['a', 'b'] });
    failure(responseWith('Sec-WebSocket-Protocol', 'Sec-WebSocket-Protocol: c'), /not offered/);
    failure(responseWith('Sec-WebSocket-Protocol', 'Sec-WebSocket-Protocol: a', 'Sec-WebSocket-Protocol: b'), /not offered/, {
      protocols: ['a', 'b'],
    });
  });

  it('fails, as Godot does, when the client offered subprotocols and the server chose none', () => {
    failure(requestHead(VALID_RESPONSE_LINES), /none of the offered subprotocols \(a, b\)/, { protocols: ['a', 'b'] });
  });

  it('fails when the server enables an extension the client did not offer', () => {
    failure(responseWith('Sec-WebSocket-Extensions', 'Sec-WebSocket-Extensions: permessage-deflate'), /not offered/);
    failure(responseWith('Sec-WebSocket-Extensions', 'Sec-WebSocket-Extensions: permessage-deflate, x-other'), /x-other/, {
      offeredExtensions: ['permessage-deflate'],
    });
    failure(responseWith('Sec-WebSocket-Extensions', 'Sec-WebSocket-Extensions: ;x=1'), /malformed/, {
      offeredExtensions: ['permessage-deflate'],
    });
  });

  it('fails on a response head over maxHeadBytes, across chunks', () => {
    const parser = new ServerResponseParser({ key: RFC_KEY, maxHeadBytes: 100 });
    expect(parser.push(Buffer.from('HTTP/1.1 101 Switching Protocols\r\n'))).toBeNull();
    expect(parser.push(Buffer.from(`X-Long: ${'a'.repeat(40)}`))).toBeNull();
    expectHandshakeError(() => parser.push(Buffer.from('a'.repeat(40))), GodotError.ERR_CONNECTION_ERROR, /exceeds 100 bytes/);
  });

  it('fails on malformed header lines and bare LF line ends', () => {
    failure(responseWith('X-Bad', 'X-Bad'), /no colon/);
    failure(responseWith('X-Bad', 'X Bad: 1'), /token/);
    failure(responseWith('X-Bad', 'X-Bad: a\0b'), /control character/);
    failure(responseWith('X-Folded', 'X-Folded: a', '\tb'), /folded/);
    failure(Buffer.from(`${VALID_RESPONSE_LINES.join('\n')}\n\n`), /CRLF/);
  });

  it('keeps failing after a failure, and refuses bytes after a completed response', () => {
    const parser = new ServerResponseParser({ key: RFC_KEY });
    const first = expectHandshakeError(() => parser.push(Buffer.from('HTTP/1.1 500 Oops\r\n')), GodotError.ERR_CONNECTION_ERROR);
    expect(expectHandshakeError(() => parser.push(Buffer.from('x')), GodotError.ERR_CONNECTION_ERROR)).toBe(first);

    const done = new ServerResponseParser({ key: RFC_KEY });
    done.push(requestHead(VALID_RESPONSE_LINES));
    expectHandshakeError(() => done.push(Buffer.from('x')), GodotError.ERR_BUG);
  });

  it('rejects bad options up front', () => {
    expectHandshakeError(() => new ServerResponseParser({ key: 'nope' }), GodotError.ERR_INVALID_PARAMETER);
    expectHandshakeError(() => new ServerResponseParser({ key: RFC_KEY, maxHeadBytes: -1 }), GodotError.ERR_INVALID_PARAMETER);
  });
});
