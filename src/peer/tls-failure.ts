/**
 * Plain words for the TLS failures Node reports by OpenSSL code, so that a
 * refused wss:// connection says what is wrong with the certificate.
 */

const CERTIFICATE_PROBLEMS: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  CERT_NOT_YET_VALID: "the server's certificate is not valid yet (check the clocks)",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is self-signed and not trusted (pass it as the trusted certificate to pin it)",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate chain ends in a self-signed root that is not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate was not issued by a trusted authority (or the server does not send its intermediate certificates)",
  UNABLE_TO_GET_ISSUER_CERT: "the server's certificate was not issued by a trusted authority (or the server does not send its intermediate certificates)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's certificate was not issued by a trusted authority (or the server does not send its intermediate certificates)",
  CERT_UNTRUSTED: "the server's certificate is not trusted",
  CERT_REJECTED: "the server's certificate is rejected by the trust settings",
  CERT_REVOKED: "the server's certificate has been revoked",
  CERT_SIGNATURE_FAILURE: "the server's certificate has an invalid signature",
  CERT_CHAIN_TOO_LONG: "the server's certificate chain is too long",
  INVALID_CA: 'a certificate in the chain is not allowed to act as an authority',
  PATH_LENGTH_EXCEEDED: "the server's certificate chain exceeds an authority's path length limit",
  INVALID_PURPOSE: "the server's certificate is not meant for TLS servers",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate is not for this host name",
  HOSTNAME_MISMATCH: "the server's certificate is not for this host name",
  ERR_TLS_CERT_ALTNAME_FORMAT: "the server's certificate has malformed names",
};

const HANDSHAKE_PROBLEMS: Readonly<Record<string, string>> = {
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server did not answer in TLS (is it a plain ws:// server?)',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'the server did not answer in TLS (is it a plain ws:// server?)',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'the server only offers a TLS version Node refuses',
  ERR_SSL_NO_PROTOCOLS_AVAILABLE: 'no TLS version both sides accept',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'the server refused the TLS handshake (no cipher or version in common?)',
};

/** Server side: why a client never finished its TLS handshake. */
const CLIENT_PROBLEMS: Readonly<Record<string, string>> = {
  ERR_SSL_HTTP_REQUEST: 'the client spoke plain HTTP to the TLS port (a ws:// client on a wss:// server?)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the client did not speak TLS',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'the client did not speak TLS',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'the client only offers a TLS version Node refuses',
  ERR_SSL_NO_SHARED_CIPHER: 'no cipher in common with the client',
  ECONNRESET: 'the client closed the connection during the TLS handshake (it may have refused our certificate)',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'the client refused our certificate',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: 'the client refused our certificate',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'the client does not trust the authority that issued our certificate',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: 'the client says our certificate has expired',
};

/** A client-side TLS failure in plain words, or null when `error` is not a TLS failure. */
export function describeTlsFailure(error: NodeJS.ErrnoException): string | null {
  const code = error.code ?? '';
  const certificateProblem = CERTIFICATE_PROBLEMS[code];
  if (certificateProblem !== undefined) {
    // For a name mismatch Node's `reason` names the host and the certificate's names: keep it.
    const reason = (error as { reason?: unknown }).reason;
    const detail = typeof reason === 'string' && reason !== '' ? `: ${reason}` : '';
    return `TLS certificate refused: ${certificateProblem} (${code}${detail})`;
  }
  const handshakeProblem = HANDSHAKE_PROBLEMS[code];
  if (handshakeProblem !== undefined) return `TLS handshake failed: ${handshakeProblem} (${code})`;
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return `TLS handshake failed: ${error.message} (${code})`;
  return null;
}

/** A server-side TLS handshake failure (Node's `tlsClientError`) in plain words. */
export function describeTlsClientError(error: NodeJS.ErrnoException, handshakeTimeoutMs: number): string {
  const code = error.code ?? '';
  if (code === 'ERR_TLS_HANDSHAKE_TIMEOUT') return `TLS handshake failed: the client did not finish it within ${handshakeTimeoutMs} ms (${code})`;
  const problem = CLIENT_PROBLEMS[code];
  if (problem !== undefined) return `TLS handshake failed: ${problem} (${code})`;
  return `TLS handshake failed: ${firstLine(error.message)}${code === '' ? '' : ` (${code})`}`;
}

/** OpenSSL's messages carry a source location after a newline; people need the first line. */
function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end === -1 ? text : text.slice(0, end);
}
