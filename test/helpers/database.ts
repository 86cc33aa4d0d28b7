import { openDatabase, type Database } from '#server/db/client.ts';
import { createScratchPostgres } from './scratch-postgres.ts';

export type TestDbKind = 'pglite' | 'postgres';

/** Which database this Vitest project runs the server suite on (vitest.config.ts sets it). */
export function testDbKind(): TestDbKind {
  return process.env.TEST_DB_KIND === 'pg' ? 'postgres' : 'pglite';
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or a new
 * database on the PostgreSQL server of TEST_DATABASE_URL, dropped afterwards.
 */
export async function createTestDatabase(kind: TestDbKind = testDbKind()): Promise<{ database: Database; cleanup: () => Promise<void> }> {
  if (kind === 'pglite') {
    const database = await openDatabase({ kind: 'pglite' });
    await database.migrate();
    return { database, cleanup: () => database.close() };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is required for the PostgreSQL test project');
  const scratch = await createScratchPostgres(adminUrl, 'ykt_test');
  // The forced drop terminates any connection still closing: expected, not a failure.
  const database = await openDatabase({ kind: 'postgres', url: scratch.url, poolSize: 5, onIdleError: () => undefined });
  await database.migrate();
  return {
    database,
    cleanup: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}
