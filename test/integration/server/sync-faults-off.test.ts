import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { PullResponseSchema, PushResponseSchema } from '#shared/schemas/sync.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { syncMutations } from '#server/db/schema/index.ts';
import { buildTestApp, signIn, type TestApp } from '#test/helpers/app.ts';
import { checkFormBody } from '#test/fixtures/check-form.ts';

/**
 * Fault injection (src/server/sync/faults.ts) is inert unless the process
 * runs with YKT_FAULTS=1: here a plan that would kill the process on the
 * next push sits in YKT_FAULTS_FILE, and nothing happens.
 */
let t: TestApp;
let cadre: string;
let admin: string;
const dir = mkdtempSync(join(tmpdir(), 'ykt-faults-off-'));

beforeAll(async () => {
  const file = join(dir, 'faults.json');
  writeFileSync(file, JSON.stringify({ killAfterCommit: 1, killMidBatch: 1, pullPageLimit: 3, delayPullMs: 60_000 }));
  process.env.YKT_FAULTS_FILE = file;
  delete process.env.YKT_FAULTS;
  t = await buildTestApp();
  await loadDemoCounty(t.database.db, { people: 1200 });
  cadre = await signIn(t.app, 'cadre');
  admin = await signIn(t.app, 'admin');
});
afterAll(async () => {
  delete process.env.YKT_FAULTS_FILE;
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The first pull page (no cursor, no limit: the server's default page size). */
async function firstPage() {
  const res = await t.app.inject({ method: 'GET', url: '/api/sync/pull', headers: { cookie: cadre } });
  expect(res.statusCode).toBe(200);
  return z.parse(PullResponseSchema, res.json());
}

async function aHousehold() {
  const res = await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadre } });
  const h = z.parse(PullResponseSchema, res.json()).changes.household[0];
  if (!h) throw new Error('no household in the village');
  return h;
}

describe('fault injection is off by default', () => {
  it('ignores a fault plan without YKT_FAULTS=1: pushes commit and answer, pulls are neither delayed nor cut short', async () => {
    const started = Date.now();
    const page = await firstPage();
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(Object.values(page.changes).reduce((n, rows) => n + rows.length, 0) + Object.values(page.columns ?? {}).reduce((n, c) => n + (c?.n ?? 0), 0)).toBeGreaterThan(3);
    const h = await aHousehold();
    const mutations = [1, 2, 3].map((counter) => ({ id: randomUUID(), counter, kind: 'form.put', formId: randomUUID(), baseRev: 0, body: checkFormBody(h), blobs: [], clientTime: new Date().toISOString() }));
    const res = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie: cadre }, payload: { deviceId: randomUUID(), appVersion: 'test', mutations } });
    expect(res.statusCode).toBe(200);
    expect(z.parse(PushResponseSchema, res.json()).results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
  });

  it('has no test-only route', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/faults/ledger', headers: { cookie: admin }, payload: { devices: [], forms: [] } });
    expect(res.statusCode).toBe(404);
  });
});

describe('a mutation PostgreSQL cannot store', () => {
  it('is rejected and kept as escaped text; the rest of the batch applies and the next push goes through', async () => {
    const h = await aHousehold();
    const deviceId = randomUUID();
    const m = (counter: number, remarks: string) => {
      const body = checkFormBody(h);
      body.evidence.remarks = remarks;
      return { id: randomUUID(), counter, kind: 'form.put', formId: randomUUID(), baseRev: 0, body, blobs: [], clientTime: new Date().toISOString() };
    };
    const batch = [m(1, 'ok'), m(2, 'nul \u0000 here'), m(3, 'lone \ud800 surrogate'), m(4, 'ok too')];
    const res = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie: cadre }, payload: { deviceId, appVersion: 'test', mutations: batch } });
    expect(res.statusCode, res.body).toBe(200);
    const results = z.parse(PushResponseSchema, res.json()).results;
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected', 'rejected', 'applied']);
    expect(results[1]!.message).toContain('无法保存的字符');

    const kept = await t.database.db.select().from(syncMutations).where(eq(syncMutations.deviceId, deviceId)).orderBy(syncMutations.counter);
    expect(kept.map((k) => k.status)).toEqual(['applied', 'rejected', 'rejected', 'applied']);
    const payload = kept[1]!.payload as { unstorable: boolean; json: string };
    expect(payload.unstorable).toBe(true);
    expect(JSON.parse(payload.json)).toEqual(batch[1]);

    const retry = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie: cadre }, payload: { deviceId, appVersion: 'test', mutations: [batch[1], m(5, 'later')] } });
    expect(z.parse(PushResponseSchema, retry.json()).results.map((r) => r.status)).toEqual(['duplicate', 'applied']);
  });
});
