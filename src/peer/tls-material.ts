import { createPrivateKey, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { GodotError, GodotErrorException } from '../godot-error.js';

/** PEM text or bytes. */
export type Pem = string | Buffer;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
const PRIVATE_KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);

/**
 * Godot's X509Certificate: one certificate, or a chain (the certificate first,
 * then the certificates that issued it), in PEM. Parsed when made, so a bad
 * file fails here with a clear message instead of deep inside a TLS handshake.
 */
export class X509Certificate {
  private constructor(
    private readonly pem: string,
    /** How many certificates the chain holds. */
    readonly count: number,
  ) {}

  /** Reads a PEM file (one certificate or a chain). Throws GodotErrorException when the file is missing or is not PEM certificates. */
  static load(path: string): X509Certificate {
    return X509Certificate.parse(readPemFile(path, 'certificate'), `the file ${path}`);
  }

  /**
   * Takes PEM text or bytes (one certificate or a chain). Throws GodotErrorException
   * (ERR_INVALID_DATA) when it is not PEM certificates; `description` names it in that message.
   */
  static fromPem(pem: Pem, description = 'the given PEM'): X509Certificate {
    return X509Certificate.parse(pemText(pem), description);
  }

  /** Whether `key` is the private key of the first certificate (the one a server presents). */
  matchesKey(key: CryptoKey): boolean {
    return new NodeX509Certificate(this.pem).checkPrivateKey(createPrivateKey(key.toPem()));
  }

  /** The PEM text: the certificates only, in order, with anything around them left out. */
  toPem(): string {
    return this.pem;
  }

  private static parse(text: string, source: string): X509Certificate {
    const blocks = pemBlocks(text);
    const certificates = blocks.filter((block) => CERTIFICATE_LABELS.has(block.label));
    if (certificates.length === 0) {
      const hint = blocks.some((block) => block.label.endsWith('PRIVATE KEY'))
        ? ' It holds a private key: load that with CryptoKey, and the certificate with X509Certificate.'
        : ' A certificate starts with "-----BEGIN CERTIFICATE-----" (a DER file converts with `openssl x509 -inform der -in FILE -out FILE.pem`).';
      throw invalidData(`No PEM certificate in ${source}.${hint}`);
    }
    certificates.forEach((block, index) => {
      try {
        new NodeX509Certificate(block.text);
      } catch (error) {
        throw invalidData(`Certificate ${index + 1} of ${certificates.length} in ${source} is not a valid X.509 certificate: ${(error as Error).message}`);
      }
    });
    return new X509Certificate(certificates.map((block) => `${block.text}\n`).join(''), certificates.length);
  }
}

/**
 * Godot's CryptoKey, as TLS uses it: a private key in PEM (PKCS#8, or the
 * traditional RSA/EC forms). Encrypted keys are refused: decrypt them first.
 */
export class CryptoKey {
  private constructor(private readonly pem: string) {}

  /** Reads a PEM private key file. Throws GodotErrorException when the file is missing or holds no usable private key. */
  static load(path: string): CryptoKey {
    return CryptoKey.parse(readPemFile(path, 'private key'), `the file ${path}`);
  }

  /**
   * Takes a PEM private key as text or bytes. Throws GodotErrorException
   * (ERR_INVALID_DATA) when it is not one; `description` names it in that message.
   */
  static fromPem(pem: Pem, description = 'the given PEM'): CryptoKey {
    return CryptoKey.parse(pemText(pem), description);
  }

  toPem(): string {
    return this.pem;
  }

  /** What `console.log` and `util.inspect` show: never the key itself. */
  [inspect.custom](): string {
    return REDACTED_KEY;
  }

  /** What `JSON.stringify` writes: never the key itself. */
  toJSON(): string {
    return REDACTED_KEY;
  }

  private static parse(text: string, source: string): CryptoKey {
    const blocks = pemBlocks(text);
    if (blocks.some((block) => block.label === 'ENCRYPTED PRIVATE KEY') || /Proc-Type: 4,ENCRYPTED/.test(text)) {
      throw invalidData(`The private key in ${source} is encrypted; decrypt it first (\`openssl pkey -in KEY -out KEY.plain\`).`);
    }
    const keys = blocks.filter((block) => PRIVATE_KEY_LABELS.has(block.label));
    if (keys.length === 0) {
      const hint = blocks.some((block) => CERTIFICATE_LABELS.has(block.label))
        ? ' It holds a certificate: load that with X509Certificate, and the key with CryptoKey.'
        : ' A private key starts with "-----BEGIN PRIVATE KEY-----" (or "RSA PRIVATE KEY" / "EC PRIVATE KEY").';
      throw invalidData(`No PEM private key in ${source}.${hint}`);
    }
    if (keys.length > 1) throw invalidData(`${source} holds ${keys.length} private keys; TLS needs exactly one.`);
    const key = keys[0]!;
    try {
      createPrivateKey(key.text);
    } catch (error) {
      throw invalidData(`The private key in ${source} cannot be read: ${(error as Error).message}`);
    }
    return new CryptoKey(`${key.text}\n`);
  }
}

/** How a private key is shown where it might be logged (CryptoKey, TLSOptions, `util.inspect`, `JSON.stringify`). */
export const REDACTED_KEY = 'CryptoKey { <private key, redacted> }';

/** A certificate (or chain) as TLSOptions and the Godot 3 properties take it. */
export type CertificateSource = X509Certificate | Pem;
/** A private key as TLSOptions and the Godot 3 properties take it. */
export type KeySource = CryptoKey | Pem;

export function certificateFrom(source: CertificateSource, description: string): X509Certificate {
  return source instanceof X509Certificate ? source : X509Certificate.fromPem(source, description);
}

export function keyFrom(source: KeySource, description: string): CryptoKey {
  return source instanceof CryptoKey ? source : CryptoKey.fromPem(source, description);
}

interface PemBlock {
  label: string;
  text: string;
}

function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(PEM_BLOCK)].map((match) => ({ label: match[1]!, text: match[0] }));
}

function pemText(pem: Pem): string {
  if (typeof pem === 'string') return pem;
  if (Buffer.isBuffer(pem)) return pem.toString('latin1');
  throw new GodotErrorException(GodotError.ERR_INVALID_PARAMETER, `PEM must be a string or a Buffer, got ${describeType(pem)}`);
}

function readPemFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const godotCode = code === 'ENOENT' ? GodotError.ERR_FILE_NOT_FOUND : code === 'EACCES' ? GodotError.ERR_FILE_NO_PERMISSION : GodotError.ERR_FILE_CANT_OPEN;
    throw new GodotErrorException(godotCode, `Cannot read the ${what} file ${path}: ${(error as Error).message}`);
  }
}

function invalidData(message: string): GodotErrorException {
  return new GodotErrorException(GodotError.ERR_INVALID_DATA, message);
}

function describeType(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}
