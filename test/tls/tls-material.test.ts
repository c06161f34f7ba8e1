// X509Certificate / CryptoKey: loading PEM files and text, and the errors a person
// gets for the usual mistakes; TLSOptions taking them or plain PEM.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CryptoKey, GodotError, GodotErrorException, TLSOptions, WebSocketPeer, WebSocketServer, X509Certificate } from '../../src/index.js';
import { Cleanup } from '../server/support/endpoints.js';
import { useTestCertificates } from './support/use-test-certificates.js';

const certs = useTestCertificates();
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function thrown(action: () => unknown): GodotErrorException {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(GodotErrorException);
    return error as GodotErrorException;
  }
  throw new Error('expected a GodotErrorException');
}

// Files a test writes go to a directory of their own, never next to the checked-in certificates.
const scratch = mkdtempSync(join(tmpdir(), 'gdws-tls-material-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeTemp(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe('X509Certificate', () => {
  it('loads a certificate file and PEM text or bytes alike', () => {
    const fromFile = X509Certificate.load(certs.localhost.certificatePath);
    const fromText = X509Certificate.fromPem(certs.localhost.certificate);
    const fromBytes = X509Certificate.fromPem(Buffer.from(certs.localhost.certificate));
    expect(fromFile.count).toBe(1);
    expect(fromFile.toPem()).toBe(fromText.toPem());
    expect(fromBytes.toPem()).toBe(fromText.toPem());
    expect(fromText.toPem()).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
  });

  it('keeps a chain in order and leaves out text around the blocks', () => {
    const text = `subject=leaf\n${certs.behindIntermediate.certificate}issuer text\n${certs.intermediate.certificate}`;
    const chain = X509Certificate.fromPem(text);
    expect(chain.count).toBe(2);
    expect(chain.toPem()).toBe(certs.behindIntermediate.certificate + certs.intermediate.certificate);
  });

  it('says when a file is missing', () => {
    const error = thrown(() => X509Certificate.load(join(certs.directory, 'missing.crt')));
    expect(error.code).toBe(GodotError.ERR_FILE_NOT_FOUND);
    expect(error.message).toMatch(/Cannot read the certificate file .*missing\.crt/);
  });

  it('says when the PEM is a private key, or no PEM at all', () => {
    const key = thrown(() => X509Certificate.load(certs.localhost.keyPath));
    expect(key.code).toBe(GodotError.ERR_INVALID_DATA);
    expect(key.message).toMatch(/No PEM certificate in the file .*localhost\.key.*holds a private key/);
    const garbage = thrown(() => X509Certificate.fromPem('not a certificate'));
    expect(garbage.message).toMatch(/No PEM certificate in the given PEM.*BEGIN CERTIFICATE/);
  });

  it('says which certificate of a chain is damaged', () => {
    const damaged = certs.intermediate.certificate.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!!!!!!!!!!!!!!!!!');
    const error = thrown(() => X509Certificate.fromPem(certs.localhost.certificate + damaged));
    expect(error.code).toBe(GodotError.ERR_INVALID_DATA);
    expect(error.message).toMatch(/Certificate 2 of 2 in the given PEM is not a valid X\.509 certificate/);
  });

  it('tells whether a key belongs to its certificate', () => {
    const certificate = X509Certificate.fromPem(certs.localhost.certificate);
    expect(certificate.matchesKey(CryptoKey.fromPem(certs.localhost.key))).toBe(true);
    expect(certificate.matchesKey(CryptoKey.fromPem(certs.selfSigned.key))).toBe(false);
  });
});

describe('CryptoKey', () => {
  it('loads a private key file and PEM text or bytes alike', () => {
    const fromFile = CryptoKey.load(certs.localhost.keyPath);
    expect(fromFile.toPem()).toBe(CryptoKey.fromPem(certs.localhost.key).toPem());
    expect(CryptoKey.fromPem(Buffer.from(certs.localhost.key)).toPem()).toBe(fromFile.toPem());
  });

  it('says when the PEM is a certificate, or no PEM at all', () => {
    const certificate = thrown(() => CryptoKey.load(certs.localhost.certificatePath));
    expect(certificate.code).toBe(GodotError.ERR_INVALID_DATA);
    expect(certificate.message).toMatch(/No PEM private key in the file .*localhost\.crt.*holds a certificate/);
    expect(thrown(() => CryptoKey.fromPem('')).message).toMatch(/No PEM private key in the given PEM/);
  });

  it('refuses an encrypted key and says how to decrypt it', () => {
    const encrypted = writeTemp('encrypted.key', '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n');
    const error = thrown(() => CryptoKey.load(encrypted));
    expect(error.message).toMatch(/is encrypted; decrypt it first .*openssl pkey/);
  });

  it('refuses a damaged key and two keys in one PEM', () => {
    const damaged = certs.localhost.key.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA');
    expect(thrown(() => CryptoKey.fromPem(damaged)).message).toMatch(/The private key in the given PEM cannot be read/);
    expect(thrown(() => CryptoKey.fromPem(certs.localhost.key + certs.selfSigned.key)).message).toMatch(/holds 2 private keys/);
  });
});

describe('TLSOptions with PEM and material', () => {
  it('exposes what it was given, as Godot 4 getters', () => {
    const server = TLSOptions.server(certs.localhost.key, X509Certificate.load(certs.localhost.certificatePath));
    expect(server.isServer()).toBe(true);
    expect(server.getPrivateKey()?.toPem()).toBe(CryptoKey.fromPem(certs.localhost.key).toPem());
    expect(server.getOwnCertificate()?.count).toBe(1);
    const client = TLSOptions.client(certs.ca.certificate, 'example.org');
    expect(client.isServer()).toBe(false);
    expect(client.isUnsafeClient()).toBe(false);
    expect(client.getCommonNameOverride()).toBe('example.org');
    expect(client.getTrustedCaChain()?.count).toBe(1);
    expect(TLSOptions.clientUnsafe().isUnsafeClient()).toBe(true);
    expect(TLSOptions.clientUnsafe().getTrustedCaChain()).toBeNull();
  });

  it('a server with bad PEM does not listen, and says which part is wrong', async () => {
    const cases: Array<[TLSOptions, GodotError, RegExp]> = [
      [TLSOptions.server(certs.localhost.certificate, certs.localhost.certificate), GodotError.ERR_INVALID_DATA, /No PEM private key in the PEM given as the server's private key/],
      [TLSOptions.server(certs.localhost.key, 'nonsense'), GodotError.ERR_INVALID_DATA, /No PEM certificate in the PEM given as the server's certificate/],
      [TLSOptions.server(certs.selfSigned.key, certs.localhost.certificate), GodotError.ERR_INVALID_PARAMETER, /private key does not belong to its certificate/],
      [TLSOptions.client(certs.ca.certificate), GodotError.ERR_INVALID_PARAMETER, /A server needs TLSOptions\.server/],
    ];
    for (const [tls, code, message] of cases) {
      const server = new WebSocketServer();
      const result = await server.listen({ port: 0, bindIp: '127.0.0.1', tls });
      expect(result).toBe(code);
      expect(server.lastError?.message).toMatch(message);
      expect(server.isListening()).toBe(false);
    }
  });

  it('a client with a bad trusted chain does not connect, and says why', async () => {
    const peer = new WebSocketPeer();
    const errors: string[] = [];
    peer.on('connectionError', (reason) => errors.push(reason));
    const result = await peer.connectToUrl('wss://localhost:9/', TLSOptions.client(certs.localhost.key));
    expect(result).toBe(GodotError.ERR_INVALID_DATA);
    expect(errors).toEqual([expect.stringMatching(/No PEM certificate in the PEM given as the trusted chain.*holds a private key/)]);
  });

  it('a client refuses server options', async () => {
    const peer = new WebSocketPeer();
    const result = await peer.connectToUrl('wss://localhost:9/', TLSOptions.server(certs.localhost.key, certs.localhost.certificate));
    expect(result).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(peer.lastError?.message).toMatch(/A client needs TLSOptions\.client\(\)/);
  });
});
