import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { PullResponseSchema, PushResponseSchema } from '#shared/schemas/sync.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { buildTestApp, signIn, type TestApp } from '#test/helpers/app.ts';
import { checkFormBody } from '#test/fixtures/check-form.ts';

/**
 * Two runners (or a replay) pushing the same batch at the same moment, on
 * PostgreSQL where the two transactions really interleave: the pushes of one
 * device are serialized, so one answers applied and the other duplicate
 * (never a 500 from two inserts of the same ids). PGlite is one connection
 * and serializes every transaction anyway.
 */
describe('the same batch pushed twice at once (PostgreSQL)', () => {
  let t: TestApp;
  let cadre: string;
  beforeAll(async () => {
    t = await buildTestApp();
    await loadDemoCounty(t.database.db, { people: 1200 });
    cadre = await signIn(t.app, 'cadre');
  });
  afterAll(async () => {
    await t.close();
  });

  it('applies once and answers the other copy as duplicate', async () => {
    const page = z.parse(PullResponseSchema, (await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadre } })).json());
    const h = page.changes.household[0]!;
    const formId = randomUUID();
    const first = { id: randomUUID(), counter: 1, kind: 'form.put', formId, baseRev: 0, body: checkFormBody(h), blobs: [], clientTime: new Date().toISOString() };
    const deviceId = randomUUID();
    await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie: cadre }, payload: { deviceId, appVersion: 'test', mutations: [first] } });
    // A batch with a new form and an edit of an existing one.
    const edit = { ...first, id: randomUUID(), counter: 2, baseRev: 1, body: checkFormBody(h, { outcomeReason: '' }) };
    const fresh = { ...first, id: randomUUID(), counter: 3, formId: randomUUID() };
    const payload = { deviceId, appVersion: 'test', mutations: [edit, fresh] };
    const answers = await Promise.all(Array.from({ length: 4 }, () => t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie: cadre }, payload })));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    const statuses = answers.map((a) => z.parse(PushResponseSchema, a.json()).results.map((r) => r.status).join(','));
    expect(statuses.sort()).toEqual(['applied,applied', 'duplicate,duplicate', 'duplicate,duplicate', 'duplicate,duplicate']);
  });
});
