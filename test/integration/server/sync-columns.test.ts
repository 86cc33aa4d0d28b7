import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { COLUMN_ENTITIES, decodeColumns } from '#shared/schemas/sync-columns.ts';
import { PullResponseSchema, SYNC_ENTITIES, type PullChanges, type PullResponse } from '#shared/schemas/sync.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { insertRosterBatch } from '#server/db/roster-bulk-repository.ts';
import { decodeCursor, encodeCursor } from '#server/sync/cursor.ts';
import { privacyKeys } from '#server/privacy/keys.ts';
import { buildTestApp, signIn, type TestApp } from '#test/helpers/app.ts';

let t: TestApp;
let cadre: string;
let supervisor: string;

beforeAll(async () => {
  t = await buildTestApp();
  const county = await loadDemoCounty(t.database.db, { people: 800 });
  // A line under the platform's own id (not the natural key): it must travel whole.
  // (Its household and person come along only so the batch knows the village; they are already stored.)
  const [bundle] = county.bundles();
  const line = bundle!.paymentLines[0]!;
  await insertRosterBatch(t.database.db, { households: [bundle!.household], persons: bundle!.persons, accounts: [], paymentLines: [{ ...line, id: 'BANK-2021-000123', period: '2021-12' }] });
  cadre = await signIn(t.app, 'cadre');
  supervisor = await signIn(t.app, 'supervisor');
});
afterAll(async () => {
  await t.close();
});

/** Every row of the caller's area, pulled page by page in one format, as rows. */
async function pullEverything(cookie: string, format: 'rows' | 'columns', limit: number): Promise<{ changes: PullChanges; pages: number; bytes: number }> {
  const all: PullChanges = { item: [], household: [], person: [], account: [], paymentLine: [], form: [] };
  let cursor: string | null = null;
  let pages = 0;
  let bytes = 0;
  for (;;) {
    const q = new URLSearchParams({ limit: String(limit), format, ...(cursor ? { cursor } : {}) });
    const res = await t.app.inject({ method: 'GET', url: `/api/sync/pull?${q.toString()}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    bytes += res.rawPayload.length;
    const page: PullResponse = z.parse(PullResponseSchema, res.json());
    pages += 1;
    for (const e of SYNC_ENTITIES) (all[e] as unknown[]).push(...page.changes[e]);
    if (format === 'columns') {
      for (const e of COLUMN_ENTITIES) {
        const block = page.columns?.[e];
        if (block) (all[e] as unknown[]).push(...decodeColumns(e, block));
      }
    } else {
      expect(page.columns).toBeUndefined();
    }
    cursor = page.cursor;
    if (!page.hasMore) return { changes: all, pages, bytes };
  }
}

describe('pull with format=columns', () => {
  it.each([
    ['a village (cadre)', () => cadre],
    ['a county (supervisor)', () => supervisor],
  ])('brings exactly the rows of the row format for %s, in fewer bytes', async (_, who) => {
    const rows = await pullEverything(who(), 'rows', 700);
    const columns = await pullEverything(who(), 'columns', 700);
    expect(columns.pages).toBe(rows.pages);
    for (const e of SYNC_ENTITIES) expect(columns.changes[e], e).toEqual(rows.changes[e]);
    expect(rows.changes.paymentLine.length).toBeGreaterThan(0);
    expect(columns.bytes).toBeLessThan(rows.bytes * 0.7);
  });

  it('covers every optional field, null and set, and a non-natural line id', async () => {
    const { changes } = await pullEverything(supervisor, 'columns', 20000);
    expect(changes.paymentLine.some((l) => l.id === 'BANK-2021-000123')).toBe(true);
    expect(changes.household.some((h) => h.farmlandMu === undefined) && changes.household.some((h) => h.farmlandMu !== undefined)).toBe(true);
    expect(changes.household.some((h) => h.phone === undefined) && changes.household.some((h) => h.phone !== undefined)).toBe(true);
    expect(changes.person.some((p) => p.statusDate !== undefined) && changes.person.some((p) => p.statusDate === undefined)).toBe(true);
    expect(changes.person.some((p) => p.isCadreRelative === true)).toBe(true);
  });

  it('keeps roster rows out of `changes` and sends items and forms as rows', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/sync/pull?format=columns&limit=20000', headers: { cookie: cadre } });
    const page: PullResponse = z.parse(PullResponseSchema, res.json());
    expect(page.changes.household).toEqual([]);
    expect(page.changes.paymentLine).toEqual([]);
    expect(page.changes.item.length).toBeGreaterThan(0);
    expect(page.columns?.person?.n).toBeGreaterThan(0);
    expect(page.columns?.person?.c.pinyinInitials?.every((v) => typeof v === 'string')).toBe(true);
  });

  it('sends a household\'s lines together, and restarts a transaction\'s lines for a cursor from before that order', async () => {
    const { changes } = await pullEverything(cadre, 'columns', 20000);
    // Lines come household by household.
    const order = changes.paymentLine.map((l) => l.householdId);
    const runs = order.filter((h, i) => i === 0 || h !== order[i - 1]).length;
    expect(runs).toBe(new Set(order).size);

    // A cursor saved when lines were ordered by id alone (no separator in the key): no line is skipped.
    const first = await t.app.inject({ method: 'GET', url: '/api/sync/pull?format=columns&limit=20000', headers: { cookie: cadre } });
    const keys = await privacyKeys(t.app.db.db);
    const done = decodeCursor(keys, z.parse(PullResponseSchema, first.json()).cursor);
    const [xid] = done.paymentLine!;
    const old = encodeCursor(keys, { ...done, paymentLine: [xid, changes.paymentLine.at(-1)!.id] });
    const again = await t.app.inject({ method: 'GET', url: `/api/sync/pull?format=columns&limit=20000&cursor=${old}`, headers: { cookie: cadre } });
    const page = z.parse(PullResponseSchema, again.json());
    // The village's lines were all loaded in one transaction, so all of them come again.
    expect(page.columns?.paymentLine?.n).toBe(changes.paymentLine.length);
  });

  it('refuses an unknown format', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/sync/pull?format=csv', headers: { cookie: cadre } });
    expect(res.statusCode).toBe(400);
  });
});
