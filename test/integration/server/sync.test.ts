import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PullResponseSchema, PushResponseSchema, type PullResponse } from '#shared/schemas/sync.ts';
import * as z from 'zod/mini';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { demoAreas } from '#server/cli/demo-data.ts';
import { hashPassword } from '#server/auth/password.ts';
import { insertUser } from '#server/db/users-repository.ts';
import { buildTestApp, DEMO_PASSWORD, signIn, type TestApp } from '#test/helpers/app.ts';
import { checkFormBody } from '#test/fixtures/check-form.ts';

let t: TestApp;
let cadre: string;
let supervisor: string;
const village = demoAreas().village.code;

beforeAll(async () => {
  t = await buildTestApp();
  await loadDemoCounty(t.database.db, { people: 1200 });
  cadre = await signIn(t.app, 'cadre');
  supervisor = await signIn(t.app, 'supervisor');
});
afterAll(async () => {
  await t.close();
});

async function pullAll(cookie: string, cursor: string | null = null, limit = 40) {
  const pages: PullResponse[] = [];
  for (;;) {
    const q = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
    const res = await t.app.inject({ method: 'GET', url: `/api/sync/pull?${q.toString()}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    const page = z.parse(PullResponseSchema, res.json());
    pages.push(page);
    cursor = page.cursor;
    if (!page.hasMore) return { pages, cursor };
  }
}

let mutationCounter = 0;
function formPut(formId: string, baseRev: number, body: unknown, extra: Record<string, unknown> = {}) {
  mutationCounter += 1;
  return { id: randomUUID(), counter: mutationCounter, kind: 'form.put', formId, baseRev, body, blobs: [], clientTime: new Date().toISOString(), ...extra };
}

async function push(cookie: string, deviceId: string, mutations: unknown[]) {
  const res = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie }, payload: { deviceId, appVersion: 'test', mutations } });
  expect(res.statusCode, res.body).toBe(200);
  return z.parse(PushResponseSchema, res.json()).results;
}

describe('pull', () => {
  it("downloads exactly the cadre's village, in pages, with totals and pinyin", async () => {
    const { pages } = await pullAll(cadre);
    expect(pages.length).toBeGreaterThan(1);
    const totals = pages[0]!.totals!;
    const households = pages.flatMap((p) => p.changes.household);
    const persons = pages.flatMap((p) => p.changes.person);
    const lines = pages.flatMap((p) => p.changes.paymentLine);
    expect(households.length).toBe(totals.household);
    expect(persons.length).toBe(totals.person);
    expect(lines.length).toBe(totals.paymentLine);
    expect(households.length).toBeGreaterThan(0);
    for (const h of households) expect(h.villageCode).toBe(village);
    for (const p of persons) {
      expect(p.villageCode).toBe(village);
      expect(p.pinyinInitials).toMatch(/^[a-z]+$/);
    }
    for (const l of lines) expect(l.villageCode).toBe(village);
    // No row twice across pages.
    expect(new Set(lines.map((l) => l.id)).size).toBe(lines.length);
    expect(pages.flatMap((p) => p.changes.item).length).toBeGreaterThan(20);
  });

  it("sends the names of the area's regions when asked, in both formats, and only the area's", async () => {
    const inspector = await signIn(t.app, 'inspector');
    const { township } = demoAreas();
    const ask = async (cookie: string, query: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/sync/pull?limit=1&${query}`, headers: { cookie } });
      expect(res.statusCode, res.body).toBe(200);
      return z.parse(PullResponseSchema, res.json()).regions;
    };
    expect(await ask(cadre, '')).toBeUndefined();
    expect(await ask(cadre, 'regions=1')).toEqual([{ code: village, name: demoAreas().village.name, level: 'village' }]);
    const regions = (await ask(inspector, 'regions=1&format=columns'))!;
    expect(regions[0]).toEqual({ code: township.code, name: township.name, level: 'township' });
    expect(regions.length).toBeGreaterThan(10);
    for (const r of regions.slice(1)) {
      expect(r.code.startsWith(township.code.slice(0, 9))).toBe(true);
      expect(r.level).toBe('village');
      expect(r.name).toMatch(/[村居]/);
    }
    expect(regions.map((r) => r.code)).toContain(village);
  });

  it('returns nothing new on an incremental pull, then only what changed', async () => {
    const { cursor } = await pullAll(cadre);
    const again = await pullAll(cadre, cursor);
    const count = (p: PullResponse) => Object.values(p.changes).reduce((a, r) => a + r.length, 0);
    expect(again.pages.reduce((a, p) => a + count(p), 0)).toBe(0);
  });

  it('rejects a forged cursor with 400', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/sync/pull?cursor=bm90LWEtY3Vyc29y', headers: { cookie: cadre } });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('invalid_cursor');
  });

  it('requires a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/sync/pull' });
    expect(res.statusCode).toBe(401);
  });
});

describe('push', () => {
  async function firstHousehold() {
    const { pages } = await pullAll(cadre);
    const h = pages.flatMap((p) => p.changes.household)[0];
    if (!h) throw new Error('no household in the demo village');
    return { h, cursor: pages.at(-1)!.cursor };
  }

  it('stores a new form, answers a retry as duplicate, and serves the form on the next pull', async () => {
    const { h, cursor } = await firstHousehold();
    const deviceId = randomUUID();
    const formId = randomUUID();
    const m = formPut(formId, 0, checkFormBody(h));
    const [first] = await push(cadre, deviceId, [m]);
    expect(first).toMatchObject({ status: 'applied', rev: 1, index: 0 });
    const [retry] = await push(cadre, deviceId, [m]);
    expect(retry).toMatchObject({ status: 'duplicate', rev: 1 });

    const next = await pullAll(cadre, cursor);
    const forms = next.pages.flatMap((p) => p.changes.form);
    expect(forms.map((f) => f.id)).toEqual([formId]);
    expect(forms[0]).toMatchObject({ rev: 1, reviewStatus: 'submitted', householdId: h.id });

    const [edit] = await push(cadre, deviceId, [formPut(formId, 1, checkFormBody(h, { outcomeReason: '' , publicity: { sawPolicyList: false, sawResults: false } }))]);
    expect(edit).toMatchObject({ status: 'applied', rev: 2 });
  });

  it('answers each mutation on its own: a bad one never takes the batch down', async () => {
    const { h } = await firstHousehold();
    const deviceId = randomUUID();
    const good1 = formPut(randomUUID(), 0, checkFormBody(h));
    const malformed = { id: 'not-a-uuid', counter: 'x' };
    const badBody = formPut(randomUUID(), 0, { ...checkFormBody(h), evidence: { nope: true } });
    const outside = formPut(randomUUID(), 0, checkFormBody({ ...h, villageCode: '421321102001' }));
    const unknownHousehold = formPut(randomUUID(), 0, checkFormBody({ ...h, id: 'no-such-household' }));
    const missingBlob = formPut(randomUUID(), 0, checkFormBody(h), { blobs: ['a'.repeat(64)] });
    const good2 = formPut(randomUUID(), 0, checkFormBody(h));
    const results = await push(cadre, deviceId, [good1, malformed, badBody, outside, unknownHousehold, missingBlob, good2]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'applied']);
    expect(results[2]!.fields?.some((f) => f.path.startsWith('body.evidence'))).toBe(true);
    expect(results[3]!.message).toContain('工作区域');
    expect(results[4]!.fields?.[0]?.path).toBe('body.householdId');
    expect(results[5]!.message).toContain('附件');
  });

  it('refuses a counter this device already used for another mutation', async () => {
    const { h } = await firstHousehold();
    const deviceId = randomUUID();
    const a = formPut(randomUUID(), 0, checkFormBody(h));
    const b = { ...formPut(randomUUID(), 0, checkFormBody(h)), counter: a.counter };
    const results = await push(cadre, deviceId, [a, b]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected']);
  });

  it('accepts a form once its signature blob is uploaded, and checks the hash', async () => {
    const { h } = await firstHousehold();
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const sha = createHash('sha256').update(png).digest('hex');
    const wrong = await t.app.inject({ method: 'PUT', url: `/api/blobs/${'b'.repeat(64)}`, headers: { cookie: cadre, 'content-type': 'image/png' }, payload: png });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ error: { code: string } }>().error.code).toBe('hash_mismatch');
    const up = await t.app.inject({ method: 'PUT', url: `/api/blobs/${sha}`, headers: { cookie: cadre, 'content-type': 'image/png' }, payload: png });
    expect(up.statusCode).toBe(201);
    const again = await t.app.inject({ method: 'PUT', url: `/api/blobs/${sha}`, headers: { cookie: cadre, 'content-type': 'image/png' }, payload: png });
    expect(again.statusCode).toBe(200);

    const body = checkFormBody(h);
    body.evidence.signatureBlob = sha;
    const [r] = await push(cadre, randomUUID(), [formPut(randomUUID(), 0, body)]);
    expect(r?.status).toBe('applied');
    const get = await t.app.inject({ method: 'GET', url: `/api/blobs/${sha}`, headers: { cookie: supervisor } });
    expect(get.statusCode).toBe(200);
    expect(get.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(get.rawPayload, png)).toBe(0);

    // Evidence stays in its area: another township's supervisor who knows the hash gets 404, as for a missing blob.
    await insertUser(t.database.db, { username: 'supervisor-elsewhere', displayName: '外乡督导', role: 'supervisor', areaCode: '421321102000', passwordHash: await hashPassword(DEMO_PASSWORD) });
    const elsewhere = await signIn(t.app, 'supervisor-elsewhere');
    const denied = await t.app.inject({ method: 'GET', url: `/api/blobs/${sha}`, headers: { cookie: elsewhere } });
    expect(denied.statusCode).toBe(404);
    expect(denied.body).not.toContain(png.toString('latin1'));

    // A blob no form references yet is its uploader's alone.
    const photo = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
    const photoSha = createHash('sha256').update(photo).digest('hex');
    expect((await t.app.inject({ method: 'PUT', url: `/api/blobs/${photoSha}`, headers: { cookie: cadre, 'content-type': 'image/jpeg' }, payload: photo })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'GET', url: `/api/blobs/${photoSha}`, headers: { cookie: cadre } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/blobs/${photoSha}`, headers: { cookie: supervisor } })).statusCode).toBe(404);
    // Once a form of the village lists it as a photo, the village's supervisor may read it.
    const withPhoto = checkFormBody(h);
    withPhoto.evidence.signatureBlob = sha;
    withPhoto.evidence.photoBlobs = [photoSha];
    const [p] = await push(cadre, randomUUID(), [formPut(randomUUID(), 0, withPhoto)]);
    expect(p?.status).toBe('applied');
    expect((await t.app.inject({ method: 'GET', url: `/api/blobs/${photoSha}`, headers: { cookie: supervisor } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/blobs/${photoSha}`, headers: { cookie: elsewhere } })).statusCode).toBe(404);
  });

  it('refuses forms from a supervisor (they review, they do not fill)', async () => {
    const { h } = await firstHousehold();
    const [r] = await push(supervisor, randomUUID(), [formPut(randomUUID(), 0, checkFormBody(h))]);
    expect(r?.status).toBe('rejected');
  });
});
