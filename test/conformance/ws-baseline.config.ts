import { defineConfig, mergeConfig } from 'vitest/config';
import baseConfig from '../../vitest.config.js';

/**
 * Runs the conformance cases against `ws` to prove the raw driver, outside
 * `npm test` (ws's known strict misses each wait out the driver's 5 s bound):
 *   npx vitest run --config test/conformance/ws-baseline.config.ts
 */
export default mergeConfig(
  baseConfig,
  defineConfig({
    test: { include: ['test/conformance/ws-baseline.check.ts'] },
  }),
);
