// The error paths of the small pure pieces of src/peer: the settings objects
// (PeerConfig, a WebSocketPeer's own settings, deflate options), compact
// headers, Fifo.peek, PEM input checks and TLSOptions' JSON form.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GodotError, GodotErrorException, TLSOptions, WebSocketPeer, X509Certificate, CryptoKey } from '../../src/index.js';
import { compactHeaders, expandHeaders } from '../../src/peer/compact-headers.js';
import { resolveDeflateOption } from '../../src/peer/deflate-options.js';
import { Fifo } from '../../src/peer/fifo.js';
import { PeerConfig } from '../../src/peer/peer-config.js';
import type { PeerOptions } from '../../src/peer/peer-options.js';
import { useTestCertificates } from '../tls/support/use-test-certificates.js';

const certs = useTestCertificates();
const directory = mkdtempSync(join(tmpdir(), 'gdws-pem-dir-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

class Config extends PeerConfig<Record<never, unknown[]>> {
  get options(): Readonly<PeerOptions> {
    return this.peerOptions;
  }
}

function thrown(action: () => unknown): GodotErrorException {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(GodotErrorException);
    return error as GodotErrorException;
  }
  throw new Error('expected a GodotErrorException');
}

describe('PeerConfig (the settings of servers and multiplayer peers)', () => {
  it('heartbeatInterval: reads back, refuses negatives and NaN, and each change is a new frozen options object', () => {
    const config = new Config();
    const before = config.options;
    expect(config.heartbeatInterval).toBe(0);
    config.heartbeatInterval = 2.5;
    expect(config.heartbeatInterval).toBe(2.5);
    expect(config.options).not.toBe(before);
    expect(before.heartbeatInterval).toBe(0);
    expect(Object.isFrozen(config.options)).toBe(true);
    expect(() => (config.heartbeatInterval = -1)).toThrow(RangeError);
    expect(() => (config.heartbeatInterval = Number.NaN)).toThrow(/heartbeatInterval must be a number of seconds >= 0/);
    expect(config.heartbeatInterval).toBe(2.5);
  });

  it('handshakeTimeout: seconds in, milliseconds kept; zero and NaN refused', () => {
    const config = new Config();
    config.handshakeTimeout = 1.25;
    expect(config.options.handshakeTimeoutMs).toBe(1250);
    expect(config.handshakeTimeout).toBe(1.25);
    expect(() => (config.handshakeTimeout = 0)).toThrow(/handshakeTimeout must be a number of seconds > 0/);
    expect(() => (config.handshakeTimeout = Number.NaN)).toThrow(RangeError);
    expect(config.handshakeTimeout).toBe(1.25);
  });

  it('admit: a function or null, anything else is a TypeError', () => {
    const config = new Config();
    expect(config.admit).toBeNull();
    const check = () => true;
    config.admit = check;
    expect(config.admit).toBe(check);
    expect(() => (config.admit = 'yes' as never)).toThrow(TypeError);
    expect(config.admit).toBe(check);
    config.admit = null;
    expect(config.admit).toBeNull();
  });
});

describe("a WebSocketPeer's own settings", () => {
  it('handshakeTimeoutMs and deflate read back what was set, without touching other peers', () => {
    const peer = new WebSocketPeer();
    const other = new WebSocketPeer();
    expect(peer.handshakeTimeoutMs).toBe(3000);
    expect(peer.deflate).toBeNull();
    peer.handshakeTimeoutMs = 750;
    peer.deflate = { level: 3 };
    expect(peer.handshakeTimeoutMs).toBe(750);
    expect(peer.deflate).toMatchObject({ level: 3, serverNoContextTakeover: false });
    expect(other.handshakeTimeoutMs).toBe(3000);
    expect(other.deflate).toBeNull();
    peer.deflate = false;
    expect(peer.deflate).toBeNull();
    expect(() => (peer.handshakeTimeoutMs = 0)).toThrow(/handshakeTimeoutMs must be a positive integer, got 0/);
  });

  it('reports nothing about a connection before the first one', () => {
    const peer = new WebSocketPeer();
    expect(peer.getConnectedHost()).toBe('');
    expect(peer.getConnectedPort()).toBe(0);
    expect(peer.getExtensions()).toBe('');
    expect(peer.getRequestedUrl()).toBe('');
    expect(peer.getSelectedProtocol()).toBe('');
    expect(peer.admission).toBeUndefined();
    expect(peer.getHandshakeHeaders()).toEqual(new Map());
  });
});

describe('deflate options', () => {
  it('refuses a value that is neither a boolean nor an object', () => {
    expect(() => resolveDeflateOption(1 as never)).toThrow('deflate must be true, false or an options object');
  });

  it.each([
    [{ level: 10 }, 'deflate.level must be an integer from 0 to 9, got 10'],
    [{ memLevel: 0 }, 'deflate.memLevel must be an integer from 1 to 9, got 0'],
    [{ serverMaxWindowBits: 7 }, 'deflate.serverMaxWindowBits must be an integer from 8 to 15, got 7'],
    [{ clientMaxWindowBits: 9.5 }, 'deflate.clientMaxWindowBits must be an integer from 8 to 15, got 9.5'],
    [{ threshold: -1 }, /deflate\.threshold must be an integer from 0 to/],
    [{ serverNoContextTakeover: 'yes' }, 'deflate.serverNoContextTakeover must be true or false'],
    [{ clientNoContextTakeover: 1 }, 'deflate.clientNoContextTakeover must be true or false'],
  ])('refuses %o', (options, message) => {
    expect(() => resolveDeflateOption(options as never)).toThrow(message);
  });
});

describe('compact headers', () => {
  it('round-trips headers through one flat string, and an empty one to an empty Map', () => {
    const headers = new Map([
      ['host', 'example.test'],
      ['x-empty', ''],
    ]);
    const compact = compactHeaders(headers);
    expect(typeof compact).toBe('string');
    expect(expandHeaders(compact)).toEqual(headers);
    expect(expandHeaders(compactHeaders(new Map()))).toEqual(new Map());
  });

  it('keeps headers holding a NUL (from an outside parser) as the Map itself, and expands them to a copy', () => {
    for (const headers of [new Map([['x-a', 'one\0two']]), new Map([['x\0b', 'v']])]) {
      const compact = compactHeaders(headers);
      expect(compact).toBe(headers);
      const expanded = expandHeaders(compact);
      expect(expanded).toEqual(headers);
      expect(expanded).not.toBe(headers);
    }
  });
});

describe('Fifo.peek', () => {
  it('shows the next item without removing it', () => {
    const fifo = new Fifo<string>();
    fifo.push('a', 1);
    fifo.push('b', 2);
    expect(fifo.peek()).toBe('a');
    expect(fifo.peekTag()).toBe(1);
    expect(fifo.count).toBe(2);
    expect(fifo.shift()).toBe('a');
    expect(fifo.peek()).toBe('b');
  });
});

describe('PEM input checks', () => {
  it.each([
    [null, 'null'],
    [42, 'number'],
    [new Uint8Array(4), 'Uint8Array'],
    [Object.create(null) as object, 'object'],
  ])('PEM that is not a string or a Buffer (%o) is ERR_INVALID_PARAMETER naming its type', (value, type) => {
    for (const parse of [() => X509Certificate.fromPem(value as never), () => CryptoKey.fromPem(value as never)]) {
      const error = thrown(parse);
      expect(error.code).toBe(GodotError.ERR_INVALID_PARAMETER);
      expect(error.message).toBe(`PEM must be a string or a Buffer, got ${type}`);
    }
  });

  it('a path that is a directory cannot be opened: ERR_FILE_CANT_OPEN', () => {
    const certificate = thrown(() => X509Certificate.load(directory));
    expect(certificate.code).toBe(GodotError.ERR_FILE_CANT_OPEN);
    expect(certificate.message).toMatch(/^Cannot read the certificate file .*EISDIR/);
    const key = thrown(() => CryptoKey.load(directory));
    expect(key.code).toBe(GodotError.ERR_FILE_CANT_OPEN);
    expect(key.message).toMatch(/^Cannot read the private key file /);
  });
});

describe('TLSOptions', () => {
  it('server options cannot make client connection options', () => {
    const error = thrown(() => TLSOptions.server(certs.localhost.key, certs.localhost.certificate).toClientConnectionOptions('localhost'));
    expect(error.code).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(error.message).toMatch(/not TLSOptions\.server\(\)/);
  });

  it('JSON shows a chain given as a Buffer or an X509Certificate as PEM text', () => {
    const pem = certs.ca.certificate;
    expect(TLSOptions.client(Buffer.from(pem)).toJSON()).toEqual({ mode: 'client', trustedChain: pem, commonNameOverride: '' });
    expect(TLSOptions.clientUnsafe(X509Certificate.fromPem(pem)).toJSON()).toEqual({ mode: 'client-unsafe', trustedChain: pem, commonNameOverride: '' });
    expect(TLSOptions.server(certs.localhost.key, Buffer.from(certs.localhost.certificate)).toJSON()).toEqual({
      mode: 'server',
      privateKey: 'CryptoKey { <private key, redacted> }',
      certificate: certs.localhost.certificate,
    });
  });
});
