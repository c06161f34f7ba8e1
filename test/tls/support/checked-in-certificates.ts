import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KeyAndCertificate, TestCertificates } from './test-certificates.js';

/** Where `npm run make:tls-fixtures` writes the set: valid for a century, except `expired`. */
export const FIXTURE_DIRECTORY = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures');

const NAMES = {
  ca: 'ca',
  otherCa: 'other-ca',
  intermediate: 'intermediate',
  localhost: 'localhost',
  localhostAgain: 'localhost-again',
  selfSigned: 'self-signed',
  expired: 'expired',
  otherName: 'other-name',
  behindIntermediate: 'behind-intermediate',
} as const;

function load(name: string): KeyAndCertificate {
  const keyPath = join(FIXTURE_DIRECTORY, `${name}.key`);
  const certificatePath = join(FIXTURE_DIRECTORY, `${name}.crt`);
  return { keyPath, certificatePath, key: readFileSync(keyPath, 'utf8'), certificate: readFileSync(certificatePath, 'utf8') };
}

/** The checked-in set; nothing to remove afterwards. */
export function checkedInCertificates(): TestCertificates {
  const entries = Object.entries(NAMES).map(([field, name]) => [field, load(name)]);
  return { directory: FIXTURE_DIRECTORY, ...(Object.fromEntries(entries) as Omit<TestCertificates, 'directory' | 'remove'>), remove: () => {} };
}
