import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { FormFiltersSchema, FormSummarySchema, type FormSummary } from '#shared/schemas/review.ts';
import { PullResponseSchema, PushResponseSchema, type SyncHousehold } from '#shared/schemas/sync.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { demoAreas } from '#server/cli/demo-data.ts';
import { buildTestApp, signIn, type TestApp } from '#test/helpers/app.ts';
import { checkFormBody } from '#test/fixtures/check-form.ts';

/**
 * The review list reaches every form (issue 15, item 2): pages of any size
 * without a gap or a repeat, filters by township or village, state and
 * cadre, search by head or house number.
 */
let t: TestApp;
let supervisor: string;
let households: SyncHousehold[];
let headNames: Map<string, string>;
const N = 7;

async function list(query: string) {
  return t.app.inject({ method: 'GET', url: `/api/forms?${query}`, headers: { cookie: supervisor } });
}
async function rows(query: string): Promise<FormSummary[]> {
  const res = await list(query);
  expect(res.statusCode, res.body).toBe(200);
  return z.parse(z.array(FormSummarySchema), res.json());
}

beforeAll(async () => {
  t = await buildTestApp();
  await loadDemoCounty(t.database.db, { people: 2000 });
  const cadre = await signIn(t.app, 'cadre');
  supervisor = await signIn(t.app, 'supervisor');
  const page = z.parse(PullResponseSchema, (await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadre } })).json());
  households = page.changes.household.slice(0, N);
  expect(households).toHaveLength(N);
  headNames = new Map(page.changes.person.map((p) => [p.id, p.name]));
  // One push of seven forms: one transaction, so all seven share one updated_at, and the pages must still split cleanly.
  const deviceId = randomUUID();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: { cookie: cadre },
    payload: {
      deviceId,
      appVersion: 'test',
      outboxSize: N,
      mutations: households.map((h, i) => ({ id: randomUUID(), counter: i + 1, kind: 'form.put', formId: randomUUID(), baseRev: 0, body: checkFormBody(h, { household: { ...checkFormBody(h).household, houseNumber: `${900 + i}` } }), blobs: [], clientTime: new Date().toISOString() })),
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(z.parse(PushResponseSchema, res.json()).results.every((r) => r.status === 'applied')).toBe(true);
});
afterAll(async () => {
  await t.close();
});

describe('the review list', () => {
  it('pages through every form, newest first, without a gap or a repeat, even when they share a time', async () => {
    const all = await rows('status=submitted&limit=1000');
    expect(all).toHaveLength(N);
    const seen: string[] = [];
    let before = '';
    for (let i = 0; i < 10; i++) {
      const page = await rows(`status=submitted&limit=3${before}`);
      seen.push(...page.map((f) => f.id));
      const last = page.at(-1);
      if (page.length < 3 || !last) break;
      before = `&before=${encodeURIComponent(`${last.updatedAt}|${last.id}`)}`;
    }
    expect(seen).toEqual(all.map((f) => f.id));
    expect(new Set(seen).size).toBe(N);
  });

  it('filters by township or village, by cadre, and finds a household by its head or house number', async () => {
    const { township, village } = demoAreas();
    expect(await rows(`area=${village.code}`)).toHaveLength(N);
    expect(await rows(`area=${township.code}`)).toHaveLength(N);
    expect(await rows('area=421321102000')).toHaveLength(0);

    const filters = z.parse(FormFiltersSchema, (await t.app.inject({ method: 'GET', url: '/api/forms/filters', headers: { cookie: supervisor } })).json());
    expect(filters.regions.find((r) => r.code === village.code)).toMatchObject({ level: 'village', name: village.name });
    expect(filters.regions.some((r) => r.code === township.code && r.level === 'township')).toBe(true);
    expect(filters.authors.map((a) => a.name)).toEqual(['李建国']);
    const cadreId = filters.authors[0]?.id ?? '';
    expect(await rows(`author=${cadreId}`)).toHaveLength(N);
    expect(await rows(`author=${randomUUID()}`)).toHaveLength(0);

    const h = households[3]!;
    const name = headNames.get(h.headPersonId) ?? '';
    expect(name).not.toBe('');
    const byName = await rows(`q=${encodeURIComponent(name.slice(1))}`);
    expect(byName.map((f) => f.householdId)).toContain(h.id);
    expect(byName.every((f) => (f.headName ?? '').includes(name.slice(1)))).toBe(true);
    expect((await rows('q=903')).map((f) => f.householdId)).toEqual([h.id]);
    // LIKE's wildcards are searched as themselves.
    expect(await rows(`q=${encodeURIComponent('%')}`)).toHaveLength(0);
  });

  it('refuses an area outside, a bad code and a bad page position, naming the field', async () => {
    const outside = await list('area=420102000000');
    expect(outside.statusCode).toBe(403);
    expect(outside.json<{ error: { message: string; fields: { path: string }[] } }>().error).toMatchObject({ message: '所选地区不在您的工作区域内', fields: [{ path: 'query.area' }] });
    expect((await list('area=12')).statusCode).toBe(400);
    const badPage = await list('before=yesterday');
    expect(badPage.statusCode).toBe(400);
    expect(badPage.body).toContain('翻页位置无效');
  });
});
