import { isIP } from 'node:net';
import { checkServerIdentity, type ConnectionOptions, type PeerCertificate, type SecureContextOptions } from 'node:tls';

/** PEM text or bytes. */
export type Pem = string | Buffer;

/**
 * Godot 4's TLSOptions: how a client verifies a server, or what a server
 * presents. Build one with `TLSOptions.client()`, `TLSOptions.clientUnsafe()`
 * or `TLSOptions.server()`.
 */
export class TLSOptions {
  private constructor(
    readonly mode: 'client' | 'client-unsafe' | 'server',
    readonly trustedChain: Pem | null,
    readonly commonNameOverride: string,
    readonly privateKey: Pem | null,
    readonly certificate: Pem | null,
  ) {}

  /** Verify the server's chain and name; `trustedChain` replaces the system roots (pinning). */
  static client(trustedChain: Pem | null = null, commonNameOverride = ''): TLSOptions {
    return new TLSOptions('client', trustedChain, commonNameOverride, null, null);
  }

  /** UNSAFE: skips certificate verification entirely. For testing only. */
  static clientUnsafe(trustedChain: Pem | null = null): TLSOptions {
    return new TLSOptions('client-unsafe', trustedChain, '', null, null);
  }

  static server(privateKey: Pem, certificate: Pem): TLSOptions {
    return new TLSOptions('server', null, '', privateKey, certificate);
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

  /** node:tls options for a client connecting to `host`. */
  toClientConnectionOptions(host: string): ConnectionOptions {
    const serverName = this.commonNameOverride !== '' ? this.commonNameOverride : host;
    const options: ConnectionOptions = { rejectUnauthorized: this.mode !== 'client-unsafe' };
    if (this.trustedChain !== null) options.ca = this.trustedChain;
    if (!isIpAddress(serverName)) options.servername = serverName;
    if (this.commonNameOverride !== '') {
      options.checkServerIdentity = (_host, certificate) => checkName(serverName, certificate);
    }
    return options;
  }

  /** node:tls options for a server. */
  toServerContextOptions(): SecureContextOptions {
    if (this.privateKey === null || this.certificate === null) throw new Error('TLSOptions.server() needs a key and a certificate');
    return { key: this.privateKey, cert: this.certificate };
  }
}

function isIpAddress(host: string): boolean {
  return isIP(host) !== 0;
}

function checkName(name: string, certificate: PeerCertificate): Error | undefined {
  return checkServerIdentity(name, certificate);
}
