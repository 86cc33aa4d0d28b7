import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { PullResponseSchema } from '#shared/schemas/sync.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { buildTestApp, signIn, type TestApp } from '#test/helpers/app.ts';

/**
 * The sequence-before-commit trap: a transaction that started first but
 * commits last must not be skipped by a cursor that moved past a later one.
 * Needs two concurrent connections, so it runs on PostgreSQL only (PGlite is
 * one connection: its transactions cannot interleave). The `.pg.test.ts`
 * suffix keeps it out of the PGlite project (vitest.config.ts).
 */
describe('pull under concurrent commits (PostgreSQL)', () => {
  let t: TestApp;
  let cookie: string;
  let url: string;

  beforeAll(async () => {
    t = await buildTestApp();
    await loadDemoCounty(t.database.db, { people: 1200 });
    cookie = await signIn(t.app, 'cadre');
    const adminUrl = new URL(process.env.TEST_DATABASE_URL ?? '');
    const res: unknown = await t.database.db.execute(sql`select current_database() as db`);
    const dbName = (res as { rows: { db: string }[] }).rows[0]!.db;
    adminUrl.pathname = `/${dbName}`;
    url = adminUrl.toString();
  });
  afterAll(async () => {
    await t.close();
  });

  async function pull(cursor: string | null) {
    const q = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    const res = await t.app.inject({ method: 'GET', url: `/api/sync/pull${q}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return z.parse(PullResponseSchema, res.json());
  }

  async function pullToEnd(cursor: string | null) {
    const households: string[] = [];
    for (;;) {
      const p = await pull(cursor);
      households.push(...p.changes.household.map((h) => `${h.id}:${h.phone ?? ''}`));
      cursor = p.cursor;
      if (!p.hasMore) return { households, cursor };
    }
  }

  it('holds back a later commit until the earlier transaction commits, then serves both', async () => {
    const start = await pullToEnd(null);
    const ids = start.households.map((h) => h.split(':')[0]!);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    const [first, second] = ids as [string, string];

    const early = new pg.Client({ connectionString: url });
    const late = new pg.Client({ connectionString: url });
    await early.connect();
    await late.connect();
    try {
      // The early transaction writes first (takes its xid) but commits last.
      await early.query('begin');
      await early.query(`update households set phone = '13900000001' where id = $1`, [first]);
      await late.query('begin');
      await late.query(`update households set phone = '13900000002' where id = $1`, [second]);
      await late.query('commit');

      // The late commit is visible, but must be held back: serving it would move the cursor past `first`.
      const during = await pullToEnd(start.cursor);
      expect(during.households).toEqual([]);

      await early.query('commit');
      const after = await pullToEnd(during.cursor);
      expect(after.households.sort()).toEqual([`${first}:13900000001`, `${second}:13900000002`].sort());

      const again = await pullToEnd(after.cursor);
      expect(again.households).toEqual([]);
    } finally {
      await early.end();
      await late.end();
    }
  });
});
