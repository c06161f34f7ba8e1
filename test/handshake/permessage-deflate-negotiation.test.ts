import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GodotError } from '../../src/godot-error.js';
import {
  acceptDeflateOffer,
  formatDeflateOffer,
  formatExtensionElement,
  HandshakeError,
  parseExtensionList,
  readDeflateResponse,
  type DeflateNegotiationOptions,
} from '../../src/handshake/index.js';

const DEFAULTS: DeflateNegotiationOptions = {
  serverNoContextTakeover: false,
  clientNoContextTakeover: false,
  serverMaxWindowBits: 15,
  clientMaxWindowBits: 15,
};

function options(overrides: Partial<DeflateNegotiationOptions> = {}): DeflateNegotiationOptions {
  return { ...DEFAULTS, ...overrides };
}

function expectClientFailure(header: string, offered: DeflateNegotiationOptions, message: RegExp): void {
  let caught: unknown;
  try {
    readDeflateResponse(header, offered);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HandshakeError);
  expect((caught as HandshakeError).godotError).toBe(GodotError.ERR_CONNECTION_ERROR);
  expect((caught as HandshakeError).message).toMatch(message);
}

describe('Sec-WebSocket-Extensions grammar (RFC 6455 section 9.1)', () => {
  it('splits extensions and parameters, with optional whitespace and lower-cased names', () => {
    expect(parseExtensionList('permessage-deflate ;Client_Max_Window_Bits , x-foo; a=1 ;b="two"')).toEqual([
      { name: 'permessage-deflate', params: [{ name: 'client_max_window_bits', value: null }] },
      {
        name: 'x-foo',
        params: [
          { name: 'a', value: '1' },
          { name: 'b', value: 'two' },
        ],
      },
    ]);
  });

  it('unquotes quoted values, escapes included, and keeps commas inside quotes in one element', () => {
    expect(parseExtensionList('x; a="1\\0", y')).toEqual([
      { name: 'x', params: [{ name: 'a', value: '10' }] },
      { name: 'y', params: [] },
    ]);
  });

  it('marks malformed elements as null without losing the others', () => {
    const list = parseExtensionList('bad name, ok; p=1, x; =3, y; a=b c, z; q="a,b", w; v="open');
    expect(list.map((element) => element?.name ?? null)).toEqual([null, 'ok', null, null, null, null]);
  });

  it('formats values that are not tokens as quoted strings', () => {
    expect(formatExtensionElement({ name: 'x', params: [{ name: 'a', value: 'b c' }, { name: 'd', value: null }] })).toBe('x; a="b c"; d');
  });
});

describe('permessage-deflate: server accepts the first acceptable offer', () => {
  it('accepts a bare offer and answers without parameters', () => {
    const accepted = acceptDeflateOffer('permessage-deflate', DEFAULTS);
    expect(accepted?.response).toBe('permessage-deflate');
    expect(accepted?.parameters).toEqual(DEFAULTS);
  });

  it("accepts a browser's offer (client_max_window_bits without a value)", () => {
    const accepted = acceptDeflateOffer('permessage-deflate; client_max_window_bits', DEFAULTS);
    expect(accepted?.response).toBe('permessage-deflate');
    expect(accepted?.parameters.clientMaxWindowBits).toBe(15);
  });

  it('confirms server_no_context_takeover and client_no_context_takeover when offered', () => {
    const accepted = acceptDeflateOffer('permessage-deflate; server_no_context_takeover; client_no_context_takeover', DEFAULTS);
    expect(accepted?.response).toBe('permessage-deflate; server_no_context_takeover; client_no_context_takeover');
    expect(accepted?.parameters).toMatchObject({ serverNoContextTakeover: true, clientNoContextTakeover: true });
  });

  it('adds the no-context-takeover parameters it requires even when not offered', () => {
    const accepted = acceptDeflateOffer('permessage-deflate', options({ serverNoContextTakeover: true, clientNoContextTakeover: true }));
    expect(accepted?.response).toBe('permessage-deflate; server_no_context_takeover; client_no_context_takeover');
  });

  it('answers server_max_window_bits with the smaller of the offer and its own limit', () => {
    expect(acceptDeflateOffer('permessage-deflate; server_max_window_bits=10', DEFAULTS)?.response).toBe('permessage-deflate; server_max_window_bits=10');
    expect(acceptDeflateOffer('permessage-deflate; server_max_window_bits=12', options({ serverMaxWindowBits: 9 }))?.parameters.serverMaxWindowBits).toBe(9);
    expect(acceptDeflateOffer('permessage-deflate; server_max_window_bits="8"', DEFAULTS)?.parameters.serverMaxWindowBits).toBe(8);
  });

  it('states its own smaller server window even when the offer did not ask', () => {
    const accepted = acceptDeflateOffer('permessage-deflate', options({ serverMaxWindowBits: 11 }));
    expect(accepted?.response).toBe('permessage-deflate; server_max_window_bits=11');
  });

  it('limits the client window only when the client offered client_max_window_bits', () => {
    const limited = options({ clientMaxWindowBits: 10 });
    expect(acceptDeflateOffer('permessage-deflate; client_max_window_bits', limited)?.response).toBe('permessage-deflate; client_max_window_bits=10');
    expect(acceptDeflateOffer('permessage-deflate; client_max_window_bits=9', limited)?.parameters.clientMaxWindowBits).toBe(9);
    // A client that cannot be held to a smaller window is declined rather than allowed the full one.
    expect(acceptDeflateOffer('permessage-deflate', limited)).toBeNull();
  });

  it('records the window a client promised in its offer', () => {
    const accepted = acceptDeflateOffer('permessage-deflate; client_max_window_bits=12', DEFAULTS);
    expect(accepted?.parameters.clientMaxWindowBits).toBe(12);
    expect(accepted?.response).toBe('permessage-deflate; client_max_window_bits=12');
  });

  it.each([
    ['an unknown parameter', 'permessage-deflate; foo'],
    ['a repeated parameter', 'permessage-deflate; server_no_context_takeover; server_no_context_takeover'],
    ['a value on a flag', 'permessage-deflate; client_no_context_takeover=1'],
    ['server_max_window_bits without a value', 'permessage-deflate; server_max_window_bits'],
    ['a window below 8', 'permessage-deflate; server_max_window_bits=7'],
    ['a window above 15', 'permessage-deflate; client_max_window_bits=16'],
    ['a leading zero', 'permessage-deflate; server_max_window_bits=010'],
    ['a quoted value that is not a token', 'permessage-deflate; server_max_window_bits="1 0"'],
    ['a malformed element', 'permessage-deflate; ;'],
    ['another extension only', 'x-webkit-deflate-frame'],
  ])('declines %s (no extension, no failure)', (_label, header) => {
    expect(acceptDeflateOffer(header, DEFAULTS)).toBeNull();
  });

  it('skips declined offers and takes the next one, in the client order', () => {
    const header = 'x-unknown, permessage-deflate; bogus, permessage-deflate; server_max_window_bits=9, permessage-deflate';
    expect(acceptDeflateOffer(header, DEFAULTS)?.response).toBe('permessage-deflate; server_max_window_bits=9');
    const limited = options({ clientMaxWindowBits: 12 });
    expect(acceptDeflateOffer('permessage-deflate, permessage-deflate; client_max_window_bits', limited)?.response).toBe(
      'permessage-deflate; client_max_window_bits=12',
    );
  });
});

describe('permessage-deflate: client offer and answer checks', () => {
  it('always offers client_max_window_bits, with a value only when limited', () => {
    expect(formatDeflateOffer(DEFAULTS)).toBe('permessage-deflate; client_max_window_bits');
    expect(
      formatDeflateOffer({ serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10, clientMaxWindowBits: 11 }),
    ).toBe('permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=11');
  });

  it('reads no extension as null', () => {
    expect(readDeflateResponse('', DEFAULTS)).toBeNull();
  });

  it('reads accepted parameters, filling in unstated windows', () => {
    expect(readDeflateResponse('permessage-deflate', options({ clientMaxWindowBits: 11 }))).toEqual({ ...DEFAULTS, clientMaxWindowBits: 11 });
    expect(readDeflateResponse('permessage-deflate; server_no_context_takeover; client_max_window_bits=9; server_max_window_bits=10', DEFAULTS)).toEqual({
      serverNoContextTakeover: true,
      clientNoContextTakeover: false,
      serverMaxWindowBits: 10,
      clientMaxWindowBits: 9,
    });
  });

  it('keeps its own promise of client_no_context_takeover whatever the server answers', () => {
    expect(readDeflateResponse('permessage-deflate', options({ clientNoContextTakeover: true }))?.clientNoContextTakeover).toBe(true);
    expect(readDeflateResponse('permessage-deflate; client_no_context_takeover', DEFAULTS)?.clientNoContextTakeover).toBe(true);
  });

  it.each([
    ['an unknown parameter', 'permessage-deflate; foo=1', DEFAULTS, /unknown parameter foo/],
    ['a repeated parameter', 'permessage-deflate; client_no_context_takeover; client_no_context_takeover', DEFAULTS, /appears twice/],
    ['the extension twice', 'permessage-deflate, permessage-deflate', DEFAULTS, /more than once/],
    ['a malformed value', 'permessage-deflate; server_max_window_bits=1 5', DEFAULTS, /malformed/],
    ['a window out of range', 'permessage-deflate; server_max_window_bits=16', DEFAULTS, /from 8 to 15/],
    ['client_max_window_bits without a value', 'permessage-deflate; client_max_window_bits', DEFAULTS, /needs a value/],
    ['a larger server window than requested', 'permessage-deflate; server_max_window_bits=12', options({ serverMaxWindowBits: 10 }), /more than the 10 requested/],
    ['a larger client window than offered', 'permessage-deflate; client_max_window_bits=12', options({ clientMaxWindowBits: 11 }), /more than the 11 offered/],
    ['a dropped server_no_context_takeover', 'permessage-deflate', options({ serverNoContextTakeover: true }), /not confirmed/],
  ])('fails the connection on %s', (_label, header, offered, message) => {
    expectClientFailure(header, offered, message);
  });
});

const negotiationOptions = fc.record({
  serverNoContextTakeover: fc.boolean(),
  clientNoContextTakeover: fc.boolean(),
  serverMaxWindowBits: fc.integer({ min: 8, max: 15 }),
  clientMaxWindowBits: fc.integer({ min: 8, max: 15 }),
});

describe('permessage-deflate: both sides agree', () => {
  it('a gdws client accepts what a gdws server answers to its offer, and both read the same parameters', () => {
    fc.assert(
      fc.property(negotiationOptions, negotiationOptions, (client, server) => {
        const accepted = acceptDeflateOffer(formatDeflateOffer(client), server);
        expect(accepted).not.toBeNull();
        const agreed = readDeflateResponse(accepted!.response, client);
        expect(agreed).toEqual(accepted!.parameters);
        // Each side's window and takeover promises are kept.
        expect(agreed!.serverMaxWindowBits).toBeLessThanOrEqual(Math.min(client.serverMaxWindowBits, server.serverMaxWindowBits));
        expect(agreed!.clientMaxWindowBits).toBeLessThanOrEqual(Math.min(client.clientMaxWindowBits, server.clientMaxWindowBits));
        expect(agreed!.serverNoContextTakeover).toBe(client.serverNoContextTakeover || server.serverNoContextTakeover);
        expect(agreed!.clientNoContextTakeover).toBe(client.clientNoContextTakeover || server.clientNoContextTakeover);
      }),
    );
  });

  it('never throws on arbitrary offers and answers only with a response its own client reader accepts', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), negotiationOptions, (header, server) => {
        const accepted = acceptDeflateOffer(header, server);
        if (accepted !== null) expect(parseExtensionList(accepted.response)).toHaveLength(1);
      }),
    );
  });
});
