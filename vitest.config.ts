import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    // Generous bounds: a slow, busy machine must not fail a test that would pass; they only stop a hung one.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Two cores: one test file per core (vitest would otherwise run one at a time here).
    maxWorkers: 2,
  },
});
