import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The web app imports the server's pure modules as @arbor/... (web/vite.config.ts).
  resolve: { alias: { '@arbor': path.join(path.dirname(fileURLToPath(import.meta.url)), 'src') } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    exclude: [
      'test/e2e/**',
      'node_modules/**',
      // These build PostgreSQL clusters or worker processes: they exist for the PostgreSQL run only.
      ...(process.env.DATABASE_URL ? [] : ['test/performance/replica.test.ts', 'test/performance/worker.test.ts']),
      // These are about the embedded database's one connection and in-process jobs: they exist for the PGlite run only.
      ...(process.env.DATABASE_URL
        ? ['test/quote-to-cash/bill-run-resume.test.ts', 'test/hardening/embedded-bill-run.test.ts']
        : []),
      // The official e-invoice rules judge documents, not the database: the embedded-database run only.
      ...(process.env.DATABASE_URL ? ['test/einvoice/official-rules.test.ts'] : []),
    ],
    // Where the tests' clock starts, the same for every test process (test/helpers/server.ts).
    env: { ARBOR_TEST_ORIGIN: process.env.ARBOR_TEST_ORIGIN ?? String(Date.now()) },
    // Generous bounds: a slow, busy machine must not fail a test that would pass; they only stop a hung one.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Two cores: one test file per core (vitest would otherwise run one at a time here).
    maxWorkers: 2,
  },
});
