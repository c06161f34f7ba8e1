import { defineConfig } from 'vitest/config';

/** The gate of issue 15: every src folder at least this covered by `npm test`. */
const FOLDER_FLOOR = { lines: 95, branches: 90 };
const FOLDERS = ['frame', 'handshake', 'variant', 'peer', 'server', 'multiplayer', 'godot3', 'rooms'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Network tests use loopback servers on free ports; two cores are shared, so keep the pool small.
    maxWorkers: 2,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // Re-export lists only.
      exclude: ['src/**/index.ts'],
      reporter: ['text-summary'],
      thresholds: Object.fromEntries(FOLDERS.map((folder) => [`src/${folder}/**`, FOLDER_FLOOR])),
    },
  },
});
