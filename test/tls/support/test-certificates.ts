// Test-only TLS material, made with the openssl command-line tool: a root CA, an
// intermediate CA, and leaf certificates that are valid, self-signed, expired, or for
// another name. The tests use a set made once and checked in (test/tls/fixtures, see
// checked-in-certificates.ts), so they need no openssl; `npm run make:tls-fixtures`
// makes it anew. Nothing here is meant to be trusted.

import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const OPENSSL_COMMAND = 'openssl';

/** A key and the certificate for it, as files and as PEM text. */
export interface KeyAndCertificate {
  readonly keyPath: string;
  readonly certificatePath: string;
  readonly key: string;
  readonly certificate: string;
}

export interface TestCertificates {
  readonly directory: string;
  /** Root CA that signed `localhost`, `expired` and `otherName`. */
  readonly ca: KeyAndCertificate;
  /** A second, unrelated root CA. */
  readonly otherCa: KeyAndCertificate;
  /** Signed by `ca`: DNS:localhost and IP:127.0.0.1. */
  readonly localhost: KeyAndCertificate;
  /** Another certificate signed by `ca` for the same names, with its own key. */
  readonly localhostAgain: KeyAndCertificate;
  /** Self-signed, for DNS:localhost and IP:127.0.0.1. */
  readonly selfSigned: KeyAndCertificate;
  /** Signed by `ca` for localhost, but its validity ended in 2020. */
  readonly expired: KeyAndCertificate;
  /** Signed by `ca` for DNS:other.example only. */
  readonly otherName: KeyAndCertificate;
  /** Intermediate CA signed by `ca`. */
  readonly intermediate: KeyAndCertificate;
  /** Signed by `intermediate` for localhost: needs the intermediate served to verify against `ca`. */
  readonly behindIntermediate: KeyAndCertificate;
  /** Removes the temporary directory. */
  remove(): void;
}

const LOCALHOST_NAMES = 'subjectAltName=DNS:localhost,IP:127.0.0.1';

export function requireOpenssl(): void {
  try {
    execFileSync(OPENSSL_COMMAND, ['version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`${OPENSSL_COMMAND} is not on PATH. The TLS tests make their certificates with it: apt-get install -y openssl (.ci/run installs it).`);
  }
}

/** Makes the set in `directory` (a new temporary one by default), valid for `days` from now. */
export function makeTestCertificates(directory = mkdtempSync(join(tmpdir(), 'gdws-tls-')), days = 2): TestCertificates {
  requireOpenssl();
  const maker = new CertificateMaker(directory, days);
  const ca = maker.rootCa('ca', 'gdws test CA');
  const otherCa = maker.rootCa('other-ca', 'gdws other test CA');
  const intermediate = maker.signedBy(ca, 'intermediate', 'gdws test intermediate CA', 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign');
  return {
    directory,
    ca,
    otherCa,
    intermediate,
    localhost: maker.signedBy(ca, 'localhost', 'localhost', LOCALHOST_NAMES),
    localhostAgain: maker.signedBy(ca, 'localhost-again', 'localhost', LOCALHOST_NAMES),
    selfSigned: maker.selfSigned('self-signed', 'localhost', LOCALHOST_NAMES),
    expired: maker.expiredSignedBy(ca, 'expired', 'localhost', LOCALHOST_NAMES),
    otherName: maker.signedBy(ca, 'other-name', 'other.example', 'subjectAltName=DNS:other.example'),
    behindIntermediate: maker.signedBy(intermediate, 'behind-intermediate', 'localhost', LOCALHOST_NAMES),
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** What Chromium's --ignore-certificate-errors-spki-list wants: base64 of SHA-256 over the DER SubjectPublicKeyInfo. */
export function spkiSha256Base64(privateKeyPem: string): string {
  const spki = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

class CertificateMaker {
  private serial = 1;

  constructor(
    private readonly directory: string,
    private readonly days: number,
  ) {}

  rootCa(name: string, commonName: string): KeyAndCertificate {
    const keyPath = this.newKey(name);
    const certificatePath = join(this.directory, `${name}.crt`);
    const extensions = this.extensionsFile(name, 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash');
    this.openssl(['req', '-x509', '-new', '-key', keyPath, '-subj', `/CN=${commonName}`, '-days', String(this.days), '-config', extensions, '-extensions', 'v3', '-out', certificatePath]);
    return this.read(keyPath, certificatePath);
  }

  selfSigned(name: string, commonName: string, extensions: string): KeyAndCertificate {
    const keyPath = this.newKey(name);
    const certificatePath = join(this.directory, `${name}.crt`);
    const config = this.extensionsFile(name, extensions);
    this.openssl(['req', '-x509', '-new', '-key', keyPath, '-subj', `/CN=${commonName}`, '-days', String(this.days), '-config', config, '-extensions', 'v3', '-out', certificatePath]);
    return this.read(keyPath, certificatePath);
  }

  signedBy(issuer: KeyAndCertificate, name: string, commonName: string, extensions: string): KeyAndCertificate {
    const keyPath = this.newKey(name);
    const requestPath = this.request(name, keyPath, commonName);
    const certificatePath = join(this.directory, `${name}.crt`);
    const config = this.extensionsFile(name, extensions);
    this.openssl([
      'x509', '-req', '-in', requestPath, '-CA', issuer.certificatePath, '-CAkey', issuer.keyPath,
      '-set_serial', String(this.serial++), '-days', String(this.days), '-extfile', config, '-extensions', 'v3', '-out', certificatePath,
    ]);
    return this.read(keyPath, certificatePath);
  }

  /** `openssl x509` only signs forward from now, so an already-expired certificate goes through `openssl ca`, which takes explicit dates. */
  expiredSignedBy(issuer: KeyAndCertificate, name: string, commonName: string, extensions: string): KeyAndCertificate {
    const keyPath = this.newKey(name);
    const requestPath = this.request(name, keyPath, commonName);
    const certificatePath = join(this.directory, `${name}.crt`);
    const caDirectory = join(this.directory, `${name}-ca-state`);
    mkdirSync(caDirectory);
    writeFileSync(join(caDirectory, 'index.txt'), '');
    writeFileSync(join(caDirectory, 'serial'), '1000\n');
    const config = join(caDirectory, 'ca.cnf');
    writeFileSync(
      config,
      [
        '[ca]',
        'default_ca = test_ca',
        '[test_ca]',
        `database = ${join(caDirectory, 'index.txt')}`,
        `new_certs_dir = ${caDirectory}`,
        `serial = ${join(caDirectory, 'serial')}`,
        'default_md = sha256',
        'policy = any_name',
        'unique_subject = no',
        '[any_name]',
        'commonName = supplied',
        '[v3]',
        extensions,
        '',
      ].join('\n'),
    );
    this.openssl([
      'ca', '-batch', '-notext', '-config', config, '-extensions', 'v3', '-cert', issuer.certificatePath, '-keyfile', issuer.keyPath,
      '-startdate', '20200101000000Z', '-enddate', '20200102000000Z', '-in', requestPath, '-out', certificatePath,
    ]);
    return this.read(keyPath, certificatePath);
  }

  private newKey(name: string): string {
    const keyPath = join(this.directory, `${name}.key`);
    this.openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', keyPath]);
    return keyPath;
  }

  private request(name: string, keyPath: string, commonName: string): string {
    const requestPath = join(this.directory, `${name}.csr`);
    this.openssl(['req', '-new', '-key', keyPath, '-subj', `/CN=${commonName}`, '-out', requestPath]);
    return requestPath;
  }

  /** A config file whose [v3] section holds the extensions; `req` also needs a [req] section to read it. */
  private extensionsFile(name: string, extensions: string): string {
    const path = join(this.directory, `${name}.ext`);
    writeFileSync(path, `[req]\ndistinguished_name = dn\n[dn]\n[v3]\n${extensions}\n`);
    return path;
  }

  private read(keyPath: string, certificatePath: string): KeyAndCertificate {
    return { keyPath, certificatePath, key: readFileSync(keyPath, 'utf8'), certificate: readFileSync(certificatePath, 'utf8') };
  }

  private openssl(args: string[]): void {
    try {
      execFileSync(OPENSSL_COMMAND, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new Error(`openssl ${args.join(' ')} failed: ${stderr}`);
    }
  }
}
