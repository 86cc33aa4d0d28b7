import { defineConfig } from 'vitest/config';

const pgUrl = process.env.TEST_DATABASE_URL;

/**
 * Projects: unit (pure, fast), integration (the server through app.inject on
 * PGlite, and again on PostgreSQL when TEST_DATABASE_URL is set), build (the
 * built PWA), e2e (real Chromium against a real server), faults (the real
 * server as a child process killed and restarted under real Chromium devices,
 * on PGlite, and as faults-pg on PostgreSQL). build, e2e and faults need
 * `npm run build` first; scripts/test-all.sh runs them in that order.
 */
const faults = (name: string, dbKind: 'pglite' | 'pg') => ({
  test: {
    name,
    include: ['test/faults/**/*.spec.ts'],
    environment: 'node',
    env: { FAULTS_DB_KIND: dbKind },
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'], environment: 'node' },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // *.pg.test.ts need two concurrent connections: PostgreSQL only.
          exclude: ['test/integration/**/*.pg.test.ts'],
          environment: 'node',
          env: { TEST_DB_KIND: 'pglite' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      ...(pgUrl
        ? [
            {
              test: {
                name: 'integration-pg',
                include: ['test/integration/**/*.test.ts'],
                environment: 'node',
                env: { TEST_DB_KIND: 'pg' },
                testTimeout: 30_000,
                hookTimeout: 60_000,
              },
            },
          ]
        : []),
      {
        test: { name: 'build', include: ['test/build/**/*.test.ts'], environment: 'node' },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      faults('faults', 'pglite'),
      ...(pgUrl ? [faults('faults-pg', 'pg')] : []),
    ],
  },
});
