// How a gdws client verifies a gdws wss:// server: chain and host name by default,
// caller-given trust replacing the roots (pinning), commonNameOverride, the unsafe
// modes, and refusals whose reason names the TLS failure. Certificates come from
// the openssl CLI at test time.

import { afterEach, describe, expect, it } from 'vitest';
import { GodotError, ReadyState, TLSOptions, WebSocketClient, X509Certificate, type WebSocketPeer } from '../../src/index.js';
import { nextEvent } from '../peer/support/waiting.js';
import { Cleanup } from '../server/support/endpoints.js';
import { useTestCertificates } from './support/use-test-certificates.js';
import { connectPeer, startGodot3TlsEchoServer, startTlsEchoServer, type ConnectOutcome } from './support/tls-endpoints.js';

const certs = useTestCertificates();
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function echoes(peer: WebSocketPeer, text: string): Promise<string> {
  const received = nextEvent(peer, 'dataReceived');
  expect(peer.sendText(text)).toBe(GodotError.OK);
  await received;
  return peer.getPacket().toString('utf8');
}

async function expectOpenAndEchoing(outcome: ConnectOutcome): Promise<void> {
  expect(outcome.peer.lastError?.message ?? '', 'connect should succeed').toBe('');
  expect(outcome.result).toBe(GodotError.OK);
  expect(outcome.peer.getReadyState()).toBe(ReadyState.OPEN);
  expect(await echoes(outcome.peer, 'over tls')).toBe('over tls');
}

/** A refusal is an error result plus a connectionError naming the cause, and the peer ends closed. */
function expectRefused(outcome: ConnectOutcome, reasonPattern: RegExp): void {
  expect(outcome.result).toBe(GodotError.ERR_CONNECTION_ERROR);
  expect(outcome.errorReason).toMatch(reasonPattern);
  expect(outcome.peer.lastError?.message).toBe(outcome.errorReason);
  expect(outcome.peer.getReadyState()).toBe(ReadyState.CLOSED);
}

const NOT_TRUSTED = /TLS certificate refused: .*not issued by a trusted authority.*(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)/;
const SELF_SIGNED = /TLS certificate refused: .*self-signed.*DEPTH_ZERO_SELF_SIGNED_CERT/;
const EXPIRED = /TLS certificate refused: .*has expired.*CERT_HAS_EXPIRED/;
const WRONG_NAME = /TLS certificate refused: .*not for this host name.*ERR_TLS_CERT_ALTNAME_INVALID.*localhost.*other\.example/;

describe('default verification (TLSOptions.client)', () => {
  it('accepts a server whose chain leads to the trusted CA and whose certificate names the host', async () => {
    const { url } = await startTlsEchoServer(cleanup, certs.localhost);
    await expectOpenAndEchoing(await connectPeer(cleanup, url, TLSOptions.client(X509Certificate.load(certs.ca.certificatePath))));
  });

  it('checks an IP-address host against the certificate IP entries', async () => {
    const { port } = await startTlsEchoServer(cleanup, certs.localhost);
    await expectOpenAndEchoing(await connectPeer(cleanup, `wss://127.0.0.1:${port}`, TLSOptions.client(certs.ca.certificate)));
    const other = await startTlsEchoServer(cleanup, certs.otherName);
    const outcome = await connectPeer(cleanup, `wss://127.0.0.1:${other.port}`, TLSOptions.client(certs.ca.certificate));
    expectRefused(outcome, /not for this host name.*ERR_TLS_CERT_ALTNAME_INVALID.*IP: 127\.0\.0\.1/);
  });

  it('without a trusted chain uses the system roots, which do not include the test CA', async () => {
    const { url, connected } = await startTlsEchoServer(cleanup, certs.localhost);
    expectRefused(await connectPeer(cleanup, url), NOT_TRUSTED);
    expectRefused(await connectPeer(cleanup, url, TLSOptions.client()), NOT_TRUSTED);
    expect(connected).toEqual([]);
  });

  it('refuses a self-signed certificate, saying so', async () => {
    const { url, connected } = await startTlsEchoServer(cleanup, certs.selfSigned);
    expectRefused(await connectPeer(cleanup, url, TLSOptions.client()), SELF_SIGNED);
    expect(connected).toEqual([]);
  });

  it('refuses an expired certificate, saying so', async () => {
    const { url, connected } = await startTlsEchoServer(cleanup, certs.expired);
    expectRefused(await connectPeer(cleanup, url, TLSOptions.client(certs.ca.certificate)), EXPIRED);
    expect(connected).toEqual([]);
  });

  it('refuses a certificate for another name, naming the host and the certificate names', async () => {
    const { url, connected } = await startTlsEchoServer(cleanup, certs.otherName);
    expectRefused(await connectPeer(cleanup, url, TLSOptions.client(certs.ca.certificate)), WRONG_NAME);
    expect(connected).toEqual([]);
  });

  it('refuses a server whose chain leads to another CA', async () => {
    const { url } = await startTlsEchoServer(cleanup, certs.localhost);
    expectRefused(await connectPeer(cleanup, url, TLSOptions.client(certs.otherCa.certificate)), NOT_TRUSTED);
  });
});

describe('commonNameOverride', () => {
  it('checks the given name instead of the URL host', async () => {
    const { url } = await startTlsEchoServer(cleanup, certs.otherName);
    await expectOpenAndEchoing(await connectPeer(cleanup, url, TLSOptions.client(certs.ca.certificate, 'other.example')));
  });

  it('refuses a certificate that names the URL host but not the override', async () => {
    const { url } = await startTlsEchoServer(cleanup, certs.localhost);
    expectRefused(await connectPeer(cleanup, url, TLSOptions.client(certs.ca.certificate, 'other.example')), /not for this host name.*other\.example/);
  });

  it('still verifies the chain', async () => {
    const { url } = await startTlsEchoServer(cleanup, certs.otherName);
    expectRefused(await connectPeer(cleanup, url, TLSOptions.client(certs.otherCa.certificate, 'other.example')), NOT_TRUSTED);
  });
});

describe('pinning: a trusted chain replaces the roots', () => {
  it('accepts a self-signed server when its certificate is the trusted one', async () => {
    const { url } = await startTlsEchoServer(cleanup, certs.selfSigned);
    await expectOpenAndEchoing(await connectPeer(cleanup, url, TLSOptions.client(X509Certificate.load(certs.selfSigned.certificatePath))));
  });

  it('accepts a CA-issued server when its own certificate is the pinned one', async () => {
    const { url } = await startTlsEchoServer(cleanup, certs.localhost);
    await expectOpenAndEchoing(await connectPeer(cleanup, url, TLSOptions.client(certs.localhost.certificate)));
  });

  it('refuses a valid certificate that is not the pinned one', async () => {
    // Issued by the same CA for the same names: valid under the CA, but not the pinned certificate.
    const { url, connected } = await startTlsEchoServer(cleanup, certs.localhostAgain);
    expectRefused(await connectPeer(cleanup, url, TLSOptions.client(certs.localhost.certificate)), NOT_TRUSTED);
    const selfSignedPinned = await connectPeer(cleanup, url, TLSOptions.client(certs.selfSigned.certificate));
    expectRefused(selfSignedPinned, NOT_TRUSTED);
    expect(connected).toEqual([]);
  });

  it('still refuses a pinned certificate that has expired', async () => {
    const { url } = await startTlsEchoServer(cleanup, certs.expired);
    expectRefused(await connectPeer(cleanup, url, TLSOptions.client(certs.expired.certificate)), EXPIRED);
  });
});

describe('TLSOptions.clientUnsafe', () => {
  it('without a chain accepts self-signed, expired and wrong-name certificates', async () => {
    for (const identity of [certs.selfSigned, certs.expired, certs.otherName]) {
      const { url } = await startTlsEchoServer(cleanup, identity);
      await expectOpenAndEchoing(await connectPeer(cleanup, url, TLSOptions.clientUnsafe()));
    }
  });

  it('with a chain verifies the chain but never the name, as Godot does', async () => {
    const { url } = await startTlsEchoServer(cleanup, certs.otherName);
    await expectOpenAndEchoing(await connectPeer(cleanup, url, TLSOptions.clientUnsafe(certs.ca.certificate)));
    expectRefused(await connectPeer(cleanup, url, TLSOptions.clientUnsafe(certs.otherCa.certificate)), NOT_TRUSTED);
  });
});

describe('Godot 3 fields', () => {
  async function connectGodot3Client(url: string, configure: (client: WebSocketClient) => void) {
    const client = new WebSocketClient();
    configure(client);
    cleanup.add(() => client.disconnectFromHost(-1));
    const errors: string[] = [];
    client.on('connectionError', (reason) => errors.push(reason));
    const result = await client.connectToUrl(url);
    return { client, result, errors };
  }

  it('verify_ssl with trusted_ssl_certificate connects; without it the test CA is not trusted', async () => {
    const { url } = await startTlsEchoServer(cleanup, certs.localhost);
    const trusted = await connectGodot3Client(url, (client) => {
      client.trustedSslCertificate = X509Certificate.load(certs.ca.certificatePath);
    });
    expect(trusted.result).toBe(GodotError.OK);
    const untrusted = await connectGodot3Client(url, () => {});
    expect(untrusted.result).toBe(GodotError.ERR_CONNECTION_ERROR);
    expect(untrusted.errors).toEqual([expect.stringMatching(NOT_TRUSTED)]);
    expect(untrusted.client.lastError?.message).toMatch(NOT_TRUSTED);
  });

  it('verify_ssl = false checks nothing, even with a trusted certificate set', async () => {
    const { url } = await startTlsEchoServer(cleanup, certs.selfSigned);
    const unsafe = await connectGodot3Client(url, (client) => {
      client.verifySsl = false;
      client.trustedSslCertificate = certs.otherCa.certificate;
    });
    expect(unsafe.result).toBe(GodotError.OK);
  });

  it('a server serves ca_chain after its certificate, so clients that trust only the root can verify it', async () => {
    const withChain = await startGodot3TlsEchoServer(cleanup, (server) => {
      server.privateKey = certs.behindIntermediate.key;
      server.sslCertificate = certs.behindIntermediate.certificate;
      server.caChain = certs.intermediate.certificate;
    });
    await expectOpenAndEchoing(await connectPeer(cleanup, withChain.url, TLSOptions.client(certs.ca.certificate)));

    const withoutChain = await startGodot3TlsEchoServer(cleanup, (server) => {
      server.privateKey = Buffer.from(certs.behindIntermediate.key);
      server.sslCertificate = Buffer.from(certs.behindIntermediate.certificate);
    });
    expectRefused(await connectPeer(cleanup, withoutChain.url, TLSOptions.client(certs.ca.certificate)), NOT_TRUSTED);
  });

  it('a Godot 4 certificate holding the chain serves it too', async () => {
    const chain = X509Certificate.fromPem(certs.behindIntermediate.certificate + certs.intermediate.certificate);
    expect(chain.count).toBe(2);
    const { url } = await startGodot3TlsEchoServer(cleanup, (server) => {
      server.tlsOptions = TLSOptions.server(certs.behindIntermediate.key, chain);
    });
    await expectOpenAndEchoing(await connectPeer(cleanup, url, TLSOptions.client(certs.ca.certificate)));
  });
});
