import { afterAll, beforeAll } from 'vitest';
import { makeTestCertificates, type TestCertificates } from './test-certificates.js';

/**
 * Registers hooks that make fresh test certificates before a file's tests and
 * remove them after, and returns a stand-in for them to keep at module level.
 * The set itself only exists from beforeAll on (making it runs openssl), so the
 * stand-in forwards each read to it and says so when read too early.
 */
export function useTestCertificates(): TestCertificates {
  let made: TestCertificates | undefined;
  beforeAll(() => {
    made = makeTestCertificates();
  });
  afterAll(() => made?.remove());
  const current = (): TestCertificates => {
    if (made === undefined) throw new Error('the test certificates are made in beforeAll: read them inside hooks and tests');
    return made;
  };
  return new Proxy({} as TestCertificates, { get: (_target, key) => Reflect.get(current(), key) });
}
