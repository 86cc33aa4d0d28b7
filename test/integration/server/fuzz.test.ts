import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { PullResponseSchema, PushResponseSchema } from '#shared/schemas/sync.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { buildTestApp, signIn, type TestApp } from '#test/helpers/app.ts';
import { checkFormBody } from '#test/fixtures/check-form.ts';

/**
 * Seeded fuzzing of the routes an attacker or a broken client reaches first
 * (issue 9): push, sign-in, review, roster import, and raw bodies of any
 * encoding. Every answer must be below 500, with a Chinese message when it
 * is an error, and afterwards the server still answers and a valid batch
 * still applies once and answers `duplicate` on retry.
 *
 * FUZZ_RUNS sets the number of payloads (2,000 by default, in CI); FUZZ_SEED
 * replays a run (the seed of a failure is printed by fast-check).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);

let t: TestApp;
let cadre: string;
let supervisor: string;
let admin: string;
let h: { id: string; villageCode: string; headPersonId: string };
let formId: string;
const answers = new Map<number, number>();
const CJK = /[\u4e00-\u9fff]/u;
/** The fuzzer's own address: its failed sign-ins are throttled without locking out the checks after it. */
const FUZZ_ADDRESS = '10.66.0.1';

beforeAll(async () => {
  t = await buildTestApp();
  await loadDemoCounty(t.database.db, { people: 300 });
  cadre = await signIn(t.app, 'cadre');
  supervisor = await signIn(t.app, 'supervisor');
  admin = await signIn(t.app, 'admin');
  const res = await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadre } });
  h = z.parse(PullResponseSchema, res.json()).changes.household[0]!;
  formId = randomUUID();
  const first = await push([mutation(1, formId, checkFormBody(h))]);
  expect(first.statusCode).toBe(200);
}, 120_000);
afterAll(async () => {
  await t.close();
});

function mutation(counter: number, id: string, body: unknown) {
  return { id: randomUUID(), counter, kind: 'form.put', formId: id, baseRev: 0, body, blobs: [], clientTime: new Date().toISOString() };
}

function push(mutations: unknown[], deviceId = randomUUID()) {
  return t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie: cadre }, payload: { deviceId, appVersion: 'fuzz', mutations } });
}

/** Below 500, and an error answer is `{error: {code, message}}` with a Chinese message. */
function expectSane(res: LightMyRequestResponse, what: string): void {
  answers.set(res.statusCode, (answers.get(res.statusCode) ?? 0) + 1);
  expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode >= 400) {
    const message = res.json<{ error?: { message?: unknown } }>().error?.message;
    expect(typeof message === 'string' && CJK.test(message), `${what}: an error in Chinese, got ${res.body.slice(0, 200)}`).toBe(true);
  }
}

// ---------------------------------------------------------------------------
// Values that have broken servers before: U+0000, lone surrogates, huge and deep.

const nasty = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\uffff', '😀', ' ', '', '\\u0000', '__proto__', 'constructor', '1e400', '-0'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, false, Number.MAX_SAFE_INTEGER, -1, 1e308),
);
const value: fc.Arbitrary<unknown> = fc.oneof({ weight: 4, arbitrary: nasty }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) }, { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) });
/** A placeholder the request text replaces with `depth` nested arrays or objects (JSON.stringify would recurse). */
const deep = fc.record({ depth: fc.integer({ min: 20, max: 12_000 }), objects: fc.boolean(), nul: fc.boolean() }).map((d) => `__DEEP_${d.depth}_${d.objects ? 'o' : 'a'}_${d.nul ? 'n' : 'x'}__`);
const anyValue = fc.oneof({ weight: 5, arbitrary: value }, { weight: 1, arbitrary: deep });

function expandDeep(text: string): string {
  return text.replace(/"__DEEP_(\d+)_([oa])_([nx])__"/gu, (_m, n: string, kind: string, nul: string) => {
    const depth = Number(n);
    const leaf = nul === 'n' ? '"\\u0000"' : '1';
    return kind === 'o' ? `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}` : `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;
  });
}

/** Every path of a JSON value, so a replacement can land anywhere in a valid request. */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

function replaced(v: unknown, path: (string | number)[], by: unknown): unknown {
  if (path.length === 0) return by;
  const [head, ...rest] = path;
  if (Array.isArray(v)) return (v as unknown[]).map((x, i) => (i === head ? replaced(x, rest, by) : x));
  const o = v as Record<string, unknown>;
  return { ...o, [head as string]: replaced(o[head as string], rest, by) };
}

/** A valid value with one place (anywhere, the root included) replaced by something hostile. */
const mutated = (valid: () => unknown) =>
  fc.tuple(fc.nat(), anyValue, fc.boolean()).map(([at, by, drop]) => {
    const v = valid();
    const all = paths(v);
    const path = all[at % all.length]!;
    if (drop && path.length > 0) {
      const parent = path.slice(0, -1);
      const key = path.at(-1)!;
      return replaced(v, parent, (() => {
        const p = parent.reduce<unknown>((x, k) => (x as Record<string, unknown>)[k as string], v);
        if (Array.isArray(p)) return (p as unknown[]).filter((_, i) => i !== key);
        const { [key as string]: _gone, ...rest } = p as Record<string, unknown>;
        return rest;
      })());
    }
    return replaced(v, path, by);
  });

let counter = 100;
const validPush = () => ({ deviceId: randomUUID(), appVersion: 'fuzz', outboxSize: 3, mutations: [mutation((counter += 1), randomUUID(), checkFormBody(h)), mutation((counter += 1), randomUUID(), checkFormBody(h))] });
const validSignIn = () => ({ username: 'cadre', password: 'wrong-password', deviceId: randomUUID() });
const validReview = () => ({ action: 'return', comment: '请补充照片', rev: 1 });

type Case =
  | { kind: 'push' | 'sign-in' | 'review'; body: unknown }
  | { kind: 'raw'; url: string; contentType: string; encoding: string | null; bytes: Uint8Array }
  | { kind: 'import'; csv: string; contentType: string };

const rawTargets = ['/api/sync/push', '/api/auth/sign-in', `/api/forms/${randomUUID()}/review`, '/api/uploads', '/api/admin/imports', '/api/sync/pull?cursor=%00&limit=-1'];
const csvCell = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('\u0000', '"', '""', '\r', '\n', ',', '4.21321E+17', '421321101200', 'ZZ1', '测试'));
const csvFile = fc.tuple(
  fc.constantFrom('项目编码,项目名称,主管部门,发放对象,标准金额(元),发放周期', '区划代码,区划名称', '户编号,村(社区)代码,组,门牌号,户主身份证号', '\u0000,\ud800', ''),
  fc.array(fc.array(csvCell, { maxLength: 7 }), { maxLength: 6 }),
).map(([header, rows]) => [header, ...rows.map((r) => r.join(','))].join('\n'));

const cases: fc.Arbitrary<Case> = fc.oneof(
  { weight: 6, arbitrary: mutated(validPush).map((body) => ({ kind: 'push' as const, body })) },
  { weight: 2, arbitrary: mutated(validSignIn).map((body) => ({ kind: 'sign-in' as const, body })) },
  { weight: 2, arbitrary: mutated(validReview).map((body) => ({ kind: 'review' as const, body })) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('raw' as const),
      url: fc.constantFrom(...rawTargets),
      contentType: fc.constantFrom('application/json', 'multipart/form-data', 'multipart/form-data; boundary=x', `multipart/form-data; boundary=${'b'.repeat(300)}`, 'text/plain', 'application/offset+octet-stream', 'image/png'),
      encoding: fc.constantFrom(null, 'gzip', 'br', 'deflate', 'zstd', 'gzip, gzip'),
      bytes: fc.uint8Array({ maxLength: 400 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('import' as const), csv: csvFile, contentType: fc.constantFrom('text/csv', 'application/vnd.ms-excel', 'application/octet-stream') }) },
);

const importIds: string[] = [];

async function run(c: Case): Promise<void> {
  if (c.kind === 'raw') {
    const headers: Record<string, string> = { cookie: c.url.includes('admin') ? admin : cadre, 'content-type': c.contentType };
    if (c.encoding !== null) headers['content-encoding'] = c.encoding;
    const res = await t.app.inject({ method: 'POST', url: c.url, headers, payload: Buffer.from(c.bytes), remoteAddress: FUZZ_ADDRESS });
    expectSane(res, `raw ${c.url} ${c.contentType} ${c.encoding ?? ''}`);
    return;
  }
  if (c.kind === 'import') {
    const boundary = 'fuzzboundary';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="fuzz.csv"\r\nContent-Type: ${c.contentType}\r\n\r\n`),
      Buffer.from(c.csv),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({ method: 'POST', url: '/api/admin/imports', headers: { cookie: admin, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    expectSane(res, 'import');
    if (res.statusCode === 202) importIds.push(...res.json<{ imports: { id: string }[] }>().imports.map((i) => i.id));
    return;
  }
  const text = expandDeep(c.body === undefined ? 'null' : JSON.stringify(c.body));
  const target = { push: ['/api/sync/push', cadre], 'sign-in': ['/api/auth/sign-in', ''], review: [`/api/forms/${formId}/review`, supervisor] } as const;
  const [url, cookie] = target[c.kind];
  const res = await t.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/json' }, payload: text, remoteAddress: FUZZ_ADDRESS });
  expectSane(res, c.kind);
  if (c.kind === 'push' && res.statusCode === 200) {
    // Each mutation is answered, in order.
    const results = z.parse(PushResponseSchema, res.json()).results;
    const sent = (c.body as { mutations?: unknown }).mutations;
    if (Array.isArray(sent)) expect(results.map((r) => r.index)).toEqual(sent.map((_, i) => i));
  }
}

describe(`fuzz: ${RUNS} hostile payloads (seed ${SEED})`, () => {
  it('no 5xx, every error in Chinese, no hang', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        await run(c);
      }),
      { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: 10 * 60_000, markInterruptAsFailure: true },
    );
    // The mix reached the server's decisions, not only its parsers.
    expect(answers.get(200) ?? 0).toBeGreaterThan(RUNS / 20);
    expect([...answers.keys()].some((s) => s >= 400)).toBe(true);
  }, 15 * 60_000);

  it('every import run it started ends succeeded or failed', async () => {
    for (const id of importIds) {
      let status = '';
      for (let i = 0; i < 600 && status !== 'succeeded' && status !== 'failed'; i++) {
        const res = await t.app.inject({ method: 'GET', url: `/api/admin/imports/${id}`, headers: { cookie: admin } });
        expect(res.statusCode, res.body).toBe(200);
        status = res.json<{ status: string }>().status;
        if (status !== 'succeeded' && status !== 'failed') await new Promise((r) => setTimeout(r, 50));
      }
      expect(['succeeded', 'failed']).toContain(status);
    }
  }, 120_000);

  it('afterwards the server answers and a valid batch applies once, then answers duplicate', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    const deviceId = randomUUID();
    const batch = [mutation(1, randomUUID(), checkFormBody(h)), mutation(2, randomUUID(), checkFormBody(h))];
    const first = await push(batch, deviceId);
    expect(z.parse(PushResponseSchema, first.json()).results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const again = await push(batch, deviceId);
    expect(z.parse(PushResponseSchema, again.json()).results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect((await signIn(t.app, 'supervisor')).length).toBeGreaterThan(0);
  });
});
