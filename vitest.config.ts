import { defineConfig } from 'vitest/config';

/**
 * The API and delivery tests run twice: on SQLite (project "sqlite", with every other test) and on PostgreSQL
 * (project "postgres", where test/support/test-app.ts opens a fresh PostgreSQL database per app). The store
 * conformance suite covers both engines from within the "sqlite" project. HOOKD_TEST_ENGINE=sqlite leaves
 * PostgreSQL out (for a machine without it); otherwise a PostgreSQL that is down fails the run.
 */
const ENGINE_SUITES = [
  'packages/server/test/*.api.test.ts',
  'packages/server/test/delivery-{log,actions,retries,network-errors,network-policy,fairness,shutdown}.test.ts',
  'packages/server/test/{claim-ahead,fresh-deliveries,ordering-and-rate-limit,publish-events}.test.ts',
];
const withPostgres = process.env.HOOKD_TEST_ENGINE !== 'sqlite';

export default defineConfig({
  test: {
    // dist/ rebuilt from the source first: the SQLite thread runs dist/'s code (see the file).
    globalSetup: ['./test-setup/build-before-tests.ts'],
    testTimeout: 20_000,
    // The JSON report lets .ci/run close with a plain "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'] },
      },
      ...(withPostgres
        ? [
            {
              extends: true as const,
              test: { name: 'postgres', include: ENGINE_SUITES, env: { HOOKD_TEST_STORE: 'postgres' } },
            },
          ]
        : []),
    ],
  },
});
