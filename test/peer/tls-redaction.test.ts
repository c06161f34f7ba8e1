import { generateKeyPairSync } from 'node:crypto';
import { format, inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CryptoKey, TLSOptions, WebSocketServer } from '../../src/index.js';

const keyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
// The body of the key, which must never appear in what is shown or serialized.
const secret = keyPem.split('\n')[1]!;
// TLSOptions checks PEM only when used, so a placeholder certificate is enough here.
const certificatePem = '-----BEGIN CERTIFICATE-----\nMIIBplaceholder\n-----END CERTIFICATE-----\n';

function shown(value: unknown): string[] {
  return [
    inspect(value),
    inspect(value, { depth: Infinity, showHidden: true }),
    inspect({ nested: { deeper: value } }, { depth: Infinity }),
    format('%o', value),
    format('%O', value),
    format('%s', value),
    JSON.stringify(value),
    JSON.stringify({ nested: value }),
  ];
}

describe('private keys stay out of logs', () => {
  it('CryptoKey is shown redacted by console.log/util.inspect and JSON.stringify', () => {
    const key = CryptoKey.fromPem(keyPem);
    expect(key.toPem()).toContain(secret);
    for (const text of shown(key)) {
      expect(text).not.toContain(secret);
      expect(text).toContain('<private key, redacted>');
    }
  });

  it.each([
    ['a CryptoKey', () => CryptoKey.fromPem(keyPem)],
    ['PEM text', () => keyPem],
    ['PEM bytes', () => Buffer.from(keyPem)],
  ])('TLSOptions.server with %s shows its mode and certificate but not the key', (_label, key) => {
    const options = TLSOptions.server(key(), certificatePem);
    for (const text of shown(options)) {
      expect(text).not.toContain(secret);
      expect(text).toContain('redacted');
      expect(text).toContain('server');
    }
    expect(inspect(options)).toMatch(/^TLSOptions \{/);
    expect(JSON.parse(JSON.stringify(options))).toEqual({
      mode: 'server',
      privateKey: 'CryptoKey { <private key, redacted> }',
      certificate: certificatePem,
    });
  });

  it('client TLSOptions show what they verify against', () => {
    expect(JSON.parse(JSON.stringify(TLSOptions.client(certificatePem, 'example.test')))).toEqual({
      mode: 'client',
      trustedChain: certificatePem,
      commonNameOverride: 'example.test',
    });
    expect(inspect(TLSOptions.clientUnsafe())).toContain("mode: 'client-unsafe'");
  });

  it("Godot 3's WebSocketServer.privateKey as PEM text stays out of console.log(server)", () => {
    const server = new WebSocketServer();
    server.privateKey = keyPem;
    server.sslCertificate = certificatePem;
    expect(server.privateKey).toBe(keyPem);
    for (const text of [inspect(server), inspect(server, { depth: Infinity, showHidden: true }), format('%o', server)]) expect(text).not.toContain(secret);
  });
});
