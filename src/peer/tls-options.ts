import { isIP } from 'node:net';
import { inspect, type InspectOptions } from 'node:util';
import { checkServerIdentity, type ConnectionOptions, type PeerCertificate, type SecureContextOptions } from 'node:tls';
import { GodotError, GodotErrorException } from '../godot-error.js';
import { certificateFrom, keyFrom, REDACTED_KEY, type CertificateSource, type CryptoKey, type KeySource, type X509Certificate } from './tls-material.js';

export type { Pem } from './tls-material.js';

type Mode = 'client' | 'client-unsafe' | 'server';

/**
 * Godot 4's TLSOptions: how a client verifies a server, or what a server
 * presents. Build one with `TLSOptions.client()`, `TLSOptions.clientUnsafe()`
 * or `TLSOptions.server()`. Keys and certificates are CryptoKey /
 * X509Certificate objects or PEM text/bytes; PEM is checked when the options
 * are used, so a bad one fails that connect or listen with ERR_INVALID_DATA.
 */
export class TLSOptions {
  private constructor(
    private readonly mode: Mode,
    private readonly trustedChain: CertificateSource | null,
    private readonly commonNameOverride: string,
    private readonly privateKey: KeySource | null,
    private readonly certificate: CertificateSource | null,
  ) {}

  /**
   * Verifies the server's certificate chain and its name (the URL's host, or
   * `commonNameOverride`, which is also sent as SNI). With `trustedChain`, those
   * certificates replace the system's roots for the connection: only a server
   * whose chain leads to one of them, or that presents one of them, is accepted
   * (pinning). Without it, Node's bundled root CAs are used.
   */
  static client(trustedChain: CertificateSource | null = null, commonNameOverride = ''): TLSOptions {
    return new TLSOptions('client', trustedChain, commonNameOverride, null, null);
  }

  /**
   * UNSAFE — FOR TESTING ONLY. Without `trustedChain` the server's certificate
   * is NOT VERIFIED AT ALL: anyone between you and the server can read and
   * change the traffic. With `trustedChain`, the chain must lead to one of
   * those certificates but the host name is NEVER CHECKED (as in Godot).
   * Use `TLSOptions.client(trustedChain)` for a self-signed server instead.
   */
  static clientUnsafe(trustedChain: CertificateSource | null = null): TLSOptions {
    return new TLSOptions('client-unsafe', trustedChain, '', null, null);
  }

  /** What a server presents: its private key and its certificate (optionally followed by the intermediate certificates). */
  static server(key: KeySource, certificate: CertificateSource): TLSOptions {
    return new TLSOptions('server', null, '', key, certificate);
  }

  isServer(): boolean {
    return this.mode === 'server';
  }

  isUnsafeClient(): boolean {
    return this.mode === 'client-unsafe';
  }

  getCommonNameOverride(): string {
    return this.commonNameOverride;
  }

  /** Throws GodotErrorException (ERR_INVALID_DATA) if the chain was given as PEM that is not certificates. */
  getTrustedCaChain(): X509Certificate | null {
    return this.trustedChain === null ? null : certificateFrom(this.trustedChain, 'the PEM given as the trusted chain');
  }

  /** Throws GodotErrorException (ERR_INVALID_DATA) if the key was given as PEM that is not a private key. */
  getPrivateKey(): CryptoKey | null {
    return this.privateKey === null ? null : keyFrom(this.privateKey, "the PEM given as the server's private key");
  }

  /** Throws GodotErrorException (ERR_INVALID_DATA) if the certificate was given as PEM that is not certificates. */
  getOwnCertificate(): X509Certificate | null {
    return this.certificate === null ? null : certificateFrom(this.certificate, "the PEM given as the server's certificate");
  }

  /**
   * node:tls options for a client connecting to `host` (the URL's host).
   * Throws GodotErrorException for server options or a trusted chain that is not PEM certificates.
   */
  toClientConnectionOptions(host: string): ConnectionOptions {
    if (this.mode === 'server') {
      throw new GodotErrorException(GodotError.ERR_INVALID_PARAMETER, 'A client needs TLSOptions.client() or TLSOptions.clientUnsafe(), not TLSOptions.server()');
    }
    const expectedName = this.commonNameOverride !== '' ? this.commonNameOverride : host;
    const trusted = this.getTrustedCaChain();
    const options: ConnectionOptions = {
      // Unsafe without a chain is the only mode that lets an unverifiable server through.
      rejectUnauthorized: !(this.mode === 'client-unsafe' && trusted === null),
    };
    // SNI carries host names only (RFC 6066 section 3); an IP address is checked against the certificate's IP entries.
    if (isIP(expectedName) === 0) options.servername = expectedName;
    if (trusted !== null) {
      options.ca = trusted.toPem();
      // Lets a trusted certificate that is not a root (a pinned leaf or intermediate) anchor the chain.
      options.allowPartialTrustChain = true;
    }
    options.checkServerIdentity =
      this.mode === 'client-unsafe' ? skipNameCheck : (_connectedHost, certificate) => checkServerIdentity(expectedName, certificate);
    return options;
  }

  /**
   * node:tls options for a server. `chain` (Godot 3's `ca_chain`) is served
   * after the certificate. Throws GodotErrorException for client options or bad PEM.
   */
  toServerContextOptions(chain: CertificateSource | null = null): SecureContextOptions {
    const key = this.getPrivateKey();
    const certificate = this.getOwnCertificate();
    if (this.mode !== 'server' || key === null || certificate === null) {
      throw new GodotErrorException(GodotError.ERR_INVALID_PARAMETER, 'A server needs TLSOptions.server(key, certificate)');
    }
    if (!certificate.matchesKey(key)) {
      throw new GodotErrorException(
        GodotError.ERR_INVALID_PARAMETER,
        "The server's private key does not belong to its certificate (with a chain, the server's own certificate comes first)",
      );
    }
    const served = chain === null ? certificate.toPem() : certificate.toPem() + certificateFrom(chain, 'the PEM given as the CA chain').toPem();
    return { key: key.toPem(), cert: served };
  }

  /** What `console.log` and `util.inspect` show: the mode and certificates, with the private key redacted. */
  [inspect.custom](_depth: number, options: InspectOptions, nodeInspect: typeof inspect = inspect): string {
    return `TLSOptions ${nodeInspect(this.toJSON(), { ...options, depth: 1 })}`;
  }

  /** What `JSON.stringify` writes: the mode, names and certificates (PEM as given), with the private key redacted. */
  toJSON(): { mode: string; commonNameOverride?: string; trustedChain?: string | null; privateKey?: string | null; certificate?: string | null } {
    if (this.mode === 'server') {
      return { mode: this.mode, privateKey: this.privateKey === null ? null : REDACTED_KEY, certificate: pemOf(this.certificate) };
    }
    return { mode: this.mode, trustedChain: pemOf(this.trustedChain), commonNameOverride: this.commonNameOverride };
  }
}

function pemOf(source: CertificateSource | null): string | null {
  if (source === null) return null;
  if (typeof source === 'string') return source;
  return Buffer.isBuffer(source) ? source.toString('latin1') : source.toPem();
}

function skipNameCheck(_host: string, _certificate: PeerCertificate): undefined {
  return undefined;
}
