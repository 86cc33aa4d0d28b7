import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import { PullResponseSchema, PushResponseSchema } from '#shared/schemas/sync.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { checkForms, devices, syncMutations } from '#server/db/schema/index.ts';
import { giveToInspector } from '#test/helpers/inspection.ts';
import { buildTestApp, signIn, type TestApp } from '#test/helpers/app.ts';
import { checkFormBody } from '#test/fixtures/check-form.ts';

/**
 * The holes black-box testing found (issue 9), one reproduction each: a
 * poison batch, U+0000, broken multipart and gzip, forms overwritten across
 * kinds, uploads and device or mutation ids taken over. Runs on PGlite and
 * on PostgreSQL.
 */
let t: TestApp;
let cadre: string;
let inspector: string;
let supervisor: string;
let admin: string;
let h: { id: string; villageCode: string; headPersonId: string };

beforeAll(async () => {
  t = await buildTestApp();
  await loadDemoCounty(t.database.db, { people: 400 });
  cadre = await signIn(t.app, 'cadre');
  inspector = await signIn(t.app, 'inspector');
  supervisor = await signIn(t.app, 'supervisor');
  admin = await signIn(t.app, 'admin');
  const res = await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadre } });
  const all = z.parse(PullResponseSchema, res.json()).changes.household;
  h = all[0]!;
  // The demo inspector re-checks the cadre's village (an inspector writes only households given to them).
  await giveToInspector(t.database.db, 'inspector', all.map((x) => x.id));
});
afterAll(async () => {
  await t.close();
});

type ApiErr = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };
const CJK = /[\u4e00-\u9fff]/u;

function mutation(counter: number, formId: string, baseRev: number, body: unknown, blobs: string[] = []) {
  return { id: randomUUID(), counter, kind: 'form.put', formId, baseRev, body, blobs, clientTime: new Date().toISOString() };
}

function pushRaw(cookie: string, payload: unknown) {
  return t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie, 'content-type': 'application/json' }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
}

async function push(cookie: string, deviceId: string, mutations: unknown[]) {
  const res = await pushRaw(cookie, { deviceId, appVersion: 'test', mutations });
  expect(res.statusCode, res.body).toBe(200);
  return z.parse(PushResponseSchema, res.json()).results;
}

/** `depth` arrays inside each other, as JSON text (JSON.stringify would recurse). */
const deepArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const deepObjects = (depth: number, leaf: string) => `${'{"a":'.repeat(depth)}${JSON.stringify(leaf)}${'}'.repeat(depth)}`;

/** A push request as text, with one mutation's body replaced by raw JSON text. */
function batchWithRawBody(deviceId: string, good: unknown[], poison: { id: string; counter: number; formId: string }, rawBody: string) {
  const poisonText = `{"id":"${poison.id}","counter":${poison.counter},"kind":"form.put","formId":"${poison.formId}","baseRev":0,"body":${rawBody},"blobs":[],"clientTime":"${new Date().toISOString()}"}`;
  const goodText = good.map((g) => JSON.stringify(g));
  return `{"deviceId":"${deviceId}","appVersion":"test","mutations":[${[goodText[0], poisonText, ...goodText.slice(1)].join(',')}]}`;
}

describe('a poison batch never blocks the queue', () => {
  for (const [name, raw] of [
    ['a body nesting 6,000 arrays deep', deepArrays(6000)],
    ['a field nesting 6,000 arrays deep', `{"householdId":"x","remarks":${deepArrays(6000)}}`],
    ['objects 10,000 deep holding U+0000', deepObjects(10_000, 'a\u0000b')],
    ['U+0000 first, beside 6,000 levels of nesting', `{"householdId":"x","remarks":${deepArrays(6000)},"a":"\\u0000"}`],
    ['a body with 200,000 keys', `{${Array.from({ length: 200_000 }, (_, i) => `"k${i}":1`).join(',')}}`],
  ] as const) {
    it(`${name}: rejected naming the field, the rest of the batch applied, and a retry answers the same`, async () => {
      const deviceId = randomUUID();
      const goodA = mutation(1, randomUUID(), 0, checkFormBody(h));
      const goodB = mutation(3, randomUUID(), 0, checkFormBody(h));
      const poison = { id: randomUUID(), counter: 2, formId: randomUUID() };
      const text = batchWithRawBody(deviceId, [goodA, goodB], poison, raw);
      for (let attempt = 0; attempt < 2; attempt++) {
        const res = await pushRaw(cadre, text);
        expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
        const results = z.parse(PushResponseSchema, res.json()).results;
        expect(results.map((r) => r.status)).toEqual(attempt === 0 ? ['applied', 'rejected', 'applied'] : ['duplicate', 'duplicate', 'duplicate']);
        const rejected = results[1]!;
        expect(rejected.fields?.[0]?.path ?? '').toMatch(/^body/);
        expect(rejected.message).toMatch(CJK);
      }
      const [logged] = await t.database.db.select().from(syncMutations).where(eq(syncMutations.id, poison.id));
      expect(logged?.status).toBe('rejected');
      const stored = await t.database.db.select().from(checkForms).where(eq(checkForms.id, goodB.formId));
      expect(stored).toHaveLength(1);
    });
  }

  it('a deep envelope (not a mutation) is a 400 naming the field, never a 5xx', async () => {
    const res = await pushRaw(cadre, `{"deviceId":"${randomUUID()}","appVersion":${deepArrays(6000)},"mutations":[]}`);
    expect(res.statusCode).toBe(400);
    expect(res.json<ApiErr>().error.message).toMatch(CJK);
    expect(res.json<ApiErr>().error.fields?.[0]?.path).toMatch(/^body\.appVersion\.0\.0/u);
  });
});

describe('one rule for U+0000', () => {
  it('sign-in with a NUL username is a 400 naming the field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: '\u0000', password: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json<ApiErr>().error.fields?.[0]?.path).toBe('body.username');
    expect(res.json<ApiErr>().error.message).toMatch(CJK);
  });

  it('a review comment with NUL is a 400 naming the field', async () => {
    const formId = randomUUID();
    expect((await push(cadre, randomUUID(), [mutation(1, formId, 0, checkFormBody(h))]))[0]?.status).toBe('applied');
    const res = await t.app.inject({ method: 'POST', url: `/api/forms/${formId}/review`, headers: { cookie: supervisor }, payload: { action: 'return', comment: 'a\u0000b', rev: 1 } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json<ApiErr>().error.fields?.[0]?.path).toBe('body.comment');
  });

  it('a push whose appVersion holds NUL is a 400 naming the field', async () => {
    const res = await pushRaw(cadre, { deviceId: randomUUID(), appVersion: '\u0000', mutations: [] });
    expect(res.statusCode).toBe(400);
    expect(res.json<ApiErr>().error.fields?.[0]?.path).toBe('body.appVersion');
  });

  it('a NUL inside a mutation is that mutation rejected, the rest applied', async () => {
    const body = checkFormBody(h);
    body.evidence.remarks = 'a\u0000b';
    const results = await push(cadre, randomUUID(), [mutation(1, randomUUID(), 0, checkFormBody(h)), mutation(2, randomUUID(), 0, body)]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected']);
    expect(results[1]?.fields?.[0]?.path).toBe('body.evidence.remarks');
  });
});

async function upload(files: { name: string; content: Buffer | string }[]) {
  const boundary = `----ykt${randomBytes(8).toString('hex')}`;
  const parts = files.map((f) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: text/csv\r\n\r\n`),
      Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content),
      Buffer.from('\r\n'),
    ]),
  );
  const payload = Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]);
  return t.app.inject({ method: 'POST', url: '/api/admin/imports', headers: { cookie: admin, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
}

async function finished(id: string) {
  for (let i = 0; i < 400; i++) {
    const res = await t.app.inject({ method: 'GET', url: `/api/admin/imports/${id}`, headers: { cookie: admin } });
    expect(res.statusCode, res.body).toBe(200);
    const run = res.json<{ status: string; counts: { ok: number; error: number }; problems: { row: number | null; column: string | null; reason: string; file: string }[] }>();
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('import did not finish');
}

describe('U+0000 in a roster file', () => {
  const header = '项目编码,项目名称,主管部门,发放对象,标准金额(元),发放周期\n';

  it('a NUL cell is a row error naming file, row and column; the good rows beside it are imported', async () => {
    const csv = `${header}ZZ1,测试项目一,民政,按户,100,按月\nZZ2,测试\u0000项目,民政,按户,100,按月\nZZ3,测试项目三,民政,按户,100,按月\n`;
    const res = await upload([{ name: 'items-nul.csv', content: csv }]);
    expect(res.statusCode, res.body).toBe(202);
    const run = await finished(res.json<{ imports: { id: string }[] }>().imports[0]!.id);
    expect(run.status).toBe('succeeded');
    expect(run.counts).toMatchObject({ ok: 2, error: 1 });
    const problem = run.problems.find((p) => p.row === 3);
    expect(problem).toMatchObject({ file: 'items-nul.csv', column: '项目名称' });
    expect(problem?.reason).toContain('U+0000');
  });

  it('a NUL in the first line: the run is recorded, listed, and ends failed or succeeded', async () => {
    const res = await upload([{ name: 'header-nul.csv', content: `项目\u0000编码,名称\nA,B\n` }]);
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json<{ imports: { id: string }[] }>().imports[0]!.id;
    const run = await finished(id);
    expect(['failed', 'succeeded']).toContain(run.status);
    const list = await t.app.inject({ method: 'GET', url: '/api/admin/imports', headers: { cookie: admin } });
    expect(list.json<{ runs: { id: string }[] }>().runs.map((r) => r.id)).toContain(id);
  });

  it('an unknown column holding NUL in its name does not leave the run running', async () => {
    const res = await upload([{ name: 'extra-nul.csv', content: `${header.trimEnd()},备\u0000注x\nZZ9,测试项目九,民政,按户,100,按月,x\n` }]);
    const run = await finished(res.json<{ imports: { id: string }[] }>().imports[0]!.id);
    expect(run.status).toBe('succeeded');
    expect(run.counts.ok).toBe(1);
  });
});

describe('broken multipart and gzip are a 400 in Chinese', () => {
  const post = (contentType: string, payload: string | Buffer, extra: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/admin/imports', headers: { cookie: admin, 'content-type': contentType, ...extra }, payload });

  it('no boundary', async () => {
    const res = await post('multipart/form-data', '--x\r\n\r\n');
    expect(res.statusCode).toBe(400);
    expect(res.json<ApiErr>().error.message).toMatch(CJK);
  });

  it('a boundary over 256 characters', async () => {
    const b = 'b'.repeat(300);
    const res = await post(`multipart/form-data; boundary=${b}`, `--${b}\r\nContent-Disposition: form-data; name="f"; filename="a.csv"\r\n\r\nx\r\n--${b}--\r\n`);
    expect(res.statusCode).toBe(400);
    expect(res.json<ApiErr>().error.message).toMatch(CJK);
  });

  it('a truncated body', async () => {
    const res = await post('multipart/form-data; boundary=zz', '--zz\r\nContent-Disposition: form-data; name="f"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n项目编码,项目名称\nA,');
    expect(res.statusCode).toBe(400);
    expect(res.json<ApiErr>().error.message).toMatch(CJK);
  });

  it('an invalid gzip body', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie: cadre, 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: Buffer.from('not gzip at all') });
    expect(res.statusCode).toBe(400);
    expect(res.json<ApiErr>().error.message).toMatch(CJK);
  });

  it('a valid gzip body still works', async () => {
    const payload = gzipSync(JSON.stringify({ deviceId: randomUUID(), appVersion: 'test', mutations: [] }));
    const res = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie: cadre, 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload });
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe("a form's kind and household are fixed at creation", () => {
  it("an inspector cannot overwrite a cadre's form, nor a cadre an inspection form", async () => {
    const cadreForm = randomUUID();
    expect((await push(cadre, randomUUID(), [mutation(1, cadreForm, 0, checkFormBody(h))]))[0]?.status).toBe('applied');
    const asInspection: CheckFormBody = { ...checkFormBody(h), kind: 'inspection' };
    asInspection.evidence.remarks = '检查组的备注';
    const [r1] = await push(inspector, randomUUID(), [mutation(1, cadreForm, 1, asInspection)]);
    expect(r1?.status).toBe('rejected');
    const [row] = await t.database.db.select().from(checkForms).where(eq(checkForms.id, cadreForm));
    expect(row?.rev).toBe(1);
    expect((row?.body as CheckFormBody).kind).toBe('cadre');

    const inspectionForm = randomUUID();
    expect((await push(inspector, randomUUID(), [mutation(1, inspectionForm, 0, asInspection)]))[0]?.status).toBe('applied');
    const [r2] = await push(cadre, randomUUID(), [mutation(1, inspectionForm, 1, checkFormBody(h))]);
    expect(r2?.status).toBe('rejected');
    const [row2] = await t.database.db.select().from(checkForms).where(eq(checkForms.id, inspectionForm));
    expect(row2?.rev).toBe(1);
  });

  it('inspection forms are not sent to cadres', async () => {
    const inspectionForm = randomUUID();
    expect((await push(inspector, randomUUID(), [mutation(1, inspectionForm, 0, { ...checkFormBody(h), kind: 'inspection' })]))[0]?.status).toBe('applied');
    const res = await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadre } });
    const forms = z.parse(PullResponseSchema, res.json()).changes.form;
    expect(forms.length).toBeGreaterThan(0);
    expect(forms.some((f) => f.kind === 'inspection')).toBe(false);
    const asInspector = await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: inspector } });
    expect(z.parse(PullResponseSchema, asInspector.json()).changes.form.some((f) => f.id === inspectionForm)).toBe(true);
  });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('a pending upload belongs to whoever declared it', () => {
  it("another user's chunk is refused without disturbing the owner's upload", async () => {
    const photo = randomBytes(300 * 1024);
    const h256 = sha(photo);
    const start = await t.app.inject({ method: 'POST', url: '/api/uploads', headers: { cookie: cadre }, payload: { sha256: h256, size: photo.length, contentType: 'image/jpeg' } });
    expect(start.statusCode).toBe(200);
    const chunk = (cookie: string, offset: number, bytes: Buffer) =>
      t.app.inject({ method: 'PATCH', url: `/api/uploads/${h256}`, headers: { cookie, 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) }, payload: bytes });
    expect((await chunk(cadre, 0, photo.subarray(0, 100 * 1024))).statusCode).toBe(200);
    const intruder = await chunk(inspector, 100 * 1024, randomBytes(100 * 1024));
    expect(intruder.statusCode).toBe(409);
    expect(intruder.json<ApiErr>().error.message).toMatch(CJK);
    // Declaring it again does not take it over either.
    const redeclare = await t.app.inject({ method: 'POST', url: '/api/uploads', headers: { cookie: inspector }, payload: { sha256: h256, size: photo.length, contentType: 'image/jpeg' } });
    expect(redeclare.statusCode).toBe(409);
    const rest = await chunk(cadre, 100 * 1024, photo.subarray(100 * 1024));
    expect(rest.json()).toMatchObject({ complete: true, offset: photo.length });
  });
});

describe('a form may only reference blobs its sender may read', () => {
  it("a hash of another village's photo is refused and stays unreadable", async () => {
    // The inspector (township) uploads a photo and references it from its own form.
    const photo = randomBytes(2048);
    const h256 = sha(photo);
    const put = await t.app.inject({ method: 'PUT', url: `/api/blobs/${h256}`, headers: { cookie: inspector, 'content-type': 'image/jpeg' }, payload: photo });
    expect(put.statusCode).toBe(201);
    expect((await t.app.inject({ method: 'GET', url: `/api/blobs/${h256}`, headers: { cookie: cadre } })).statusCode).toBe(404);
    const body = checkFormBody(h);
    body.evidence.photoBlobs = [h256];
    const [r] = await push(cadre, randomUUID(), [mutation(1, randomUUID(), 0, body, [h256])]);
    expect(r?.status).toBe('rejected');
    expect((await t.app.inject({ method: 'GET', url: `/api/blobs/${h256}`, headers: { cookie: cadre } })).statusCode).toBe(404);
  });

  it('a blob the sender uploaded, or one a form of its area references, is accepted', async () => {
    const photo = randomBytes(2048);
    const h256 = sha(photo);
    await t.app.inject({ method: 'PUT', url: `/api/blobs/${h256}`, headers: { cookie: inspector, 'content-type': 'image/jpeg' }, payload: photo });
    const body = { ...checkFormBody(h), kind: 'inspection' as const };
    body.evidence = { ...body.evidence, photoBlobs: [h256] };
    expect((await push(inspector, randomUUID(), [mutation(1, randomUUID(), 0, body, [h256])]))[0]?.status).toBe('applied');
    // Now a form of the cadre's village references it: the cadre may reference it too.
    const own = checkFormBody(h);
    own.evidence.photoBlobs = [h256];
    expect((await push(cadre, randomUUID(), [mutation(1, randomUUID(), 0, own, [h256])]))[0]?.status).toBe('applied');
  });
});

describe('device ids and mutation ids cannot be borrowed', () => {
  it("a push under another user's device id is refused; the owner's queue goes on; the device stays theirs", async () => {
    const deviceId = randomUUID();
    expect((await push(inspector, deviceId, [mutation(1, randomUUID(), 0, { ...checkFormBody(h), kind: 'inspection' })]))[0]?.status).toBe('applied');
    const taken = await pushRaw(cadre, { deviceId, appVersion: 'test', mutations: [mutation(2, randomUUID(), 0, checkFormBody(h))] });
    expect(taken.statusCode).toBe(409);
    expect(taken.json<ApiErr>().error.code).toBe('device_taken');
    expect(taken.json<ApiErr>().error.message).toMatch(CJK);
    expect((await push(inspector, deviceId, [mutation(2, randomUUID(), 0, { ...checkFormBody(h), kind: 'inspection' })]))[0]?.status).toBe('applied');
    const [row] = await t.database.db.select().from(devices).where(eq(devices.id, deviceId));
    const owner = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: inspector } });
    expect(row?.userId).toBe(owner.json<{ id: string }>().id);
    // A pull under that id does not take it over either.
    await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=1', headers: { cookie: cadre, 'x-device-id': deviceId } });
    const [after] = await t.database.db.select().from(devices).where(eq(devices.id, deviceId));
    expect(after?.userId).toBe(row?.userId);
  });

  it("another user's mutation id is rejected, never answered with that user's result", async () => {
    const theirs = mutation(1, randomUUID(), 0, { ...checkFormBody(h), kind: 'inspection' });
    expect((await push(inspector, randomUUID(), [theirs]))[0]?.status).toBe('applied');
    const mine = { ...mutation(1, randomUUID(), 0, checkFormBody(h)), id: theirs.id };
    const [r] = await push(cadre, randomUUID(), [mine]);
    expect(r?.status).toBe('rejected');
    expect(r?.message).toMatch(CJK);
    expect(r?.rev).toBeUndefined();
    expect(await t.database.db.select().from(checkForms).where(eq(checkForms.id, mine.formId))).toHaveLength(0);
  });
});

describe('sign-in throttling counts failures', () => {
  it('successful sign-ins do not count (and clear the count); 10 failures for one account answer 429 with Retry-After in Chinese', async () => {
    const signInAs = (password: string, ip = '10.0.0.7') =>
      t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'supervisor', password }, remoteAddress: ip });
    // Today: 4 good + 6 bad were already a 429.
    for (let i = 0; i < 12; i++) expect((await signInAs('Test-Demo-2026')).statusCode).toBe(200);
    for (let i = 0; i < 9; i++) expect((await signInAs('wrong')).statusCode).toBe(401);
    expect((await signInAs('Test-Demo-2026')).statusCode).toBe(200);
    for (let i = 0; i < 10; i++) expect((await signInAs('wrong')).statusCode).toBe(401);
    const limited = await signInAs('Test-Demo-2026');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json<ApiErr>().error.message).toMatch(/请.*(秒|分钟)后再试/u);
    // Another address is not affected.
    expect((await signInAs('Test-Demo-2026', '10.0.0.8')).statusCode).toBe(200);
  });

  it('spraying many usernames from one address is limited', async () => {
    let status = 0;
    for (let i = 0; i < 200 && status !== 429; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: `nobody${i}`, password: 'guess' }, remoteAddress: '10.9.9.9' });
      status = res.statusCode;
    }
    expect(status).toBe(429);
  });
});
