import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Network tests use loopback servers on free ports; two cores are shared, so keep the pool small.
    maxWorkers: 2,
  },
});
