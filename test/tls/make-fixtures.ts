// `npm run make:tls-fixtures`: makes the checked-in test certificates anew with openssl
// (valid for 100 years; `expired` ended in 2020). Run it when a certificate must change.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_DIRECTORY } from './support/checked-in-certificates.js';
import { makeTestCertificates } from './support/test-certificates.js';

makeTestCertificates(FIXTURE_DIRECTORY, 36500);
// Keep the keys and certificates only; requests, extension files and the CA state are by-products.
for (const name of readdirSync(FIXTURE_DIRECTORY)) {
  if (!/\.(key|crt)$/.test(name)) rmSync(join(FIXTURE_DIRECTORY, name), { recursive: true, force: true });
}
console.log(`test certificates written to ${FIXTURE_DIRECTORY}`);
