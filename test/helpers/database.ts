import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '#server/db/client.ts';

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
  const name = `ykt_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // The forced drop below terminates any connection still closing: expected, not a failure.
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 5, onIdleError: () => undefined });
  await database.migrate();
  return {
    database,
    cleanup: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      // pg-pool's end() resolves before its connections have closed: dropping at once would
      // terminate them mid-goodbye, an unhandled error in the test. Give them a moment first.
      for (let i = 0; i < 50; i++) {
        const { rows } = await a.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (rows[0]?.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
