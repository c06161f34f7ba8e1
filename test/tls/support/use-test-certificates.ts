import { checkedInCertificates } from './checked-in-certificates.js';
import type { TestCertificates } from './test-certificates.js';

/** The test certificates for a file's tests: the checked-in set (no openssl needed to run the tests). */
export function useTestCertificates(): TestCertificates {
  return checkedInCertificates();
}
