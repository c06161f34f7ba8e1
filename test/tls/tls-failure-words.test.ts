// describeTlsFailure / describeTlsClientError: every OpenSSL code a person can
// meet gets plain words, the code stays in the text, and anything else falls
// through (null on the client side, the first line of OpenSSL's message on the server side).

import { describe, expect, it } from 'vitest';
import { describeTlsClientError, describeTlsFailure } from '../../src/peer/tls-failure.js';

function failure(code: string | undefined, message = 'openssl said no', extra: Record<string, unknown> = {}): NodeJS.ErrnoException {
  return Object.assign(new Error(message), code === undefined ? {} : { code }, extra) as NodeJS.ErrnoException;
}

describe('describeTlsFailure (client side)', () => {
  it.each([
    ['CERT_HAS_EXPIRED', /has expired/],
    ['CERT_NOT_YET_VALID', /not valid yet \(check the clocks\)/],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', /self-signed and not trusted/],
    ['SELF_SIGNED_CERT_IN_CHAIN', /self-signed root that is not trusted/],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /not issued by a trusted authority/],
    ['UNABLE_TO_GET_ISSUER_CERT', /not issued by a trusted authority/],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', /not issued by a trusted authority/],
    ['CERT_UNTRUSTED', /is not trusted$/],
    ['CERT_REJECTED', /rejected by the trust settings/],
    ['CERT_REVOKED', /has been revoked/],
    ['CERT_SIGNATURE_FAILURE', /invalid signature/],
    ['CERT_CHAIN_TOO_LONG', /chain is too long/],
    ['INVALID_CA', /not allowed to act as an authority/],
    ['PATH_LENGTH_EXCEEDED', /path length limit/],
    ['INVALID_PURPOSE', /not meant for TLS servers/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', /not for this host name/],
    ['HOSTNAME_MISMATCH', /not for this host name/],
    ['ERR_TLS_CERT_ALTNAME_FORMAT', /malformed names/],
  ])('%s is a refused certificate in plain words, with the code', (code, words) => {
    const text = describeTlsFailure(failure(code));
    expect(text).toMatch(/^TLS certificate refused: /);
    expect(text!.replace(/ \([^)]*\)$/, '')).toMatch(words);
    expect(text).toMatch(new RegExp(`\\(${code}\\)$`));
  });

  it("keeps Node's reason (the host and the certificate's names) after the code", () => {
    const reason = 'Host: example.test. is not in the cert\'s altnames: DNS:localhost';
    expect(describeTlsFailure(failure('ERR_TLS_CERT_ALTNAME_INVALID', 'x', { reason }))).toBe(
      `TLS certificate refused: the server's certificate is not for this host name (ERR_TLS_CERT_ALTNAME_INVALID: ${reason})`,
    );
  });

  it('leaves out an empty or non-text reason', () => {
    const plain = "TLS certificate refused: the server's certificate has expired (CERT_HAS_EXPIRED)";
    expect(describeTlsFailure(failure('CERT_HAS_EXPIRED', 'x', { reason: '' }))).toBe(plain);
    expect(describeTlsFailure(failure('CERT_HAS_EXPIRED', 'x', { reason: 42 }))).toBe(plain);
  });

  it.each([
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'the server did not answer in TLS (is it a plain ws:// server?)'],
    ['ERR_SSL_PACKET_LENGTH_TOO_LONG', 'the server did not answer in TLS (is it a plain ws:// server?)'],
    ['ERR_SSL_UNSUPPORTED_PROTOCOL', 'the server only offers a TLS version Node refuses'],
    ['ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'no TLS version both sides accept'],
    ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'the server refused the TLS handshake (no cipher or version in common?)'],
  ])('%s is a failed handshake in plain words', (code, words) => {
    expect(describeTlsFailure(failure(code))).toBe(`TLS handshake failed: ${words} (${code})`);
  });

  it("gives other ERR_SSL_ / ERR_TLS_ codes with Node's own message", () => {
    expect(describeTlsFailure(failure('ERR_SSL_SOMETHING_NEW', 'an unheard-of alert'))).toBe('TLS handshake failed: an unheard-of alert (ERR_SSL_SOMETHING_NEW)');
    expect(describeTlsFailure(failure('ERR_TLS_INVALID_STATE', 'bad state'))).toBe('TLS handshake failed: bad state (ERR_TLS_INVALID_STATE)');
  });

  it('is null for failures that are not TLS ones, with or without a code', () => {
    expect(describeTlsFailure(failure('ECONNREFUSED'))).toBeNull();
    expect(describeTlsFailure(failure(undefined))).toBeNull();
  });
});

describe('describeTlsClientError (server side)', () => {
  it('names the handshake timeout with its length', () => {
    expect(describeTlsClientError(failure('ERR_TLS_HANDSHAKE_TIMEOUT'), 2500)).toBe(
      'TLS handshake failed: the client did not finish it within 2500 ms (ERR_TLS_HANDSHAKE_TIMEOUT)',
    );
  });

  it.each([
    ['ERR_SSL_HTTP_REQUEST', 'the client spoke plain HTTP to the TLS port (a ws:// client on a wss:// server?)'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'the client did not speak TLS'],
    ['ERR_SSL_PACKET_LENGTH_TOO_LONG', 'the client did not speak TLS'],
    ['ERR_SSL_UNSUPPORTED_PROTOCOL', 'the client only offers a TLS version Node refuses'],
    ['ERR_SSL_NO_SHARED_CIPHER', 'no cipher in common with the client'],
    ['ECONNRESET', 'the client closed the connection during the TLS handshake (it may have refused our certificate)'],
    ['ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'the client refused our certificate'],
    ['ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN', 'the client refused our certificate'],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'the client does not trust the authority that issued our certificate'],
    ['ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED', 'the client says our certificate has expired'],
  ])('%s in plain words', (code, words) => {
    expect(describeTlsClientError(failure(code), 1000)).toBe(`TLS handshake failed: ${words} (${code})`);
  });

  it("gives an unknown code with the first line of OpenSSL's message only", () => {
    const message = 'error:0A000412:SSL routines::sslv3 alert bad record mac\n    at ssl/record/rec_layer_s3.c:1584';
    expect(describeTlsClientError(failure('ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC', message), 1000)).toBe(
      'TLS handshake failed: error:0A000412:SSL routines::sslv3 alert bad record mac (ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC)',
    );
  });

  it('leaves the parentheses out when there is no code', () => {
    expect(describeTlsClientError(failure(undefined, 'socket hang up'), 1000)).toBe('TLS handshake failed: socket hang up');
  });
});
