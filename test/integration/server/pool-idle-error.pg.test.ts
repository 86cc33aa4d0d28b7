import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '#server/db/client.ts';

/**
 * PostgreSQL restarted, or an administrator terminated a backend: the pool's
 * idle connection dies while nobody is using it. pg-pool re-emits that as
 * 'error' on the pool; unhandled, it would crash the server (and it failed a
 * CI run when a test's database was dropped). The server must shrug it off
 * and open a new connection for the next query.
 */
describe('an idle pooled connection terminated by PostgreSQL', () => {
  it('is reported, replaced, and the next query succeeds', async () => {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is required');
    const errors: Error[] = [];
    const database = await openDatabase({ kind: 'postgres', url, poolSize: 1, onIdleError: (e) => errors.push(e) });
    try {
      const pidOf = async () => {
        const result: unknown = await database.db.execute(sql`select pg_backend_pid() as pid`);
        return (result as { rows: { pid: number }[] }).rows[0]!.pid;
      };
      const before = await pidOf();

      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ ok: boolean }>('select pg_terminate_backend($1) as ok', [before]);
        expect(rows[0]?.ok).toBe(true);
      } finally {
        await admin.end();
      }
      for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 20));

      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toMatch(/terminat/i);
      const after = await pidOf();
      expect(after).not.toBe(before);
    } finally {
      await database.close();
    }
  });
});
