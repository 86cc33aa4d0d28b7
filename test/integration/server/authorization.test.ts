import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { DEFAULT_CHECK_PERIOD, prefillForm } from '#shared/domain/check-form-rules.ts';
import { PullResponseSchema, PushResponseSchema } from '#shared/schemas/sync.ts';
import { hashPassword } from '#server/auth/password.ts';
import { rowsOf } from '#server/db/client.ts';
import { insertUser } from '#server/db/users-repository.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { giveToInspector } from '#test/helpers/inspection.ts';
import { buildTestApp, DEMO_PASSWORD, sessionCookie, type TestApp } from '#test/helpers/app.ts';

/**
 * The authorization matrix (issue 12): every API route × every role, and for
 * the routes about one thing of an area (a form, a device, an account) a
 * township's supervisor and admin on a thing inside and outside their
 * township. The route list comes from the server's own OpenAPI document, so a
 * new route fails this test until its row is written here.
 */
const ROLES = ['anonymous', 'cadre', 'inspector', 'supervisor', 'admin'] as const;
type Caller = (typeof ROLES)[number];
type Access = 'public' | 'signed-in' | readonly Exclude<Caller, 'anonymous'>[];

interface Ctx {
  formA: string;
  formB: string;
  deviceA: string;
  deviceB: string;
  targetA: string;
  targetB: string;
  villageA: string;
  villageB: string;
  roundA: string;
  roundB: string;
  seq: () => number;
}

interface Route {
  access: Access;
  /** A request that passes validation, so what answers is the authorization (and, allowed, the handler). */
  request: (ctx: Ctx, which: 'A' | 'B') => InjectOptions;
  /** The route is about one thing of an area: out of the caller's area it answers like a missing thing. */
  scoped?: { status: 403 | 404; message: string };
  /** Ends the caller's session: run it on a session of its own. */
  endsSession?: true;
}

const REVIEWERS = ['supervisor', 'admin'] as const;
const ADMIN = ['admin'] as const;
const FORM_MISSING = { status: 404, message: '表单不存在' } as const;
const SHA = 'a'.repeat(64);
const ROUND_MISSING = { status: 404, message: '抽查批次不存在' } as const;
const SAMPLE_RULE = { villageShare: 0.3, weakVillageShare: 0.5, householdShare: 0.3, minVillages: 1, minHouseholds: 1 };
const json = (method: NonNullable<InjectOptions['method']>, url: string, payload?: Record<string, unknown>): InjectOptions => (payload ? { method, url, payload } : { method, url });

const ROUTES: Record<string, Route> = {
  'get /api/health': { access: 'public', request: () => json('GET', '/api/health') },
  'post /api/auth/sign-in': { access: 'public', request: () => json('POST', '/api/auth/sign-in', { username: 'signer', password: DEMO_PASSWORD }) },
  'post /api/auth/sign-out': { access: 'signed-in', request: () => json('POST', '/api/auth/sign-out'), endsSession: true },
  'get /api/me': { access: 'signed-in', request: () => json('GET', '/api/me') },
  'get /api/me/sessions': { access: 'signed-in', request: () => json('GET', '/api/me/sessions') },
  'delete /api/me/sessions/{id}': { access: 'signed-in', request: () => json('DELETE', `/api/me/sessions/${'c'.repeat(64)}`) },
  'post /api/me/password': { access: 'signed-in', request: () => json('POST', '/api/me/password', { current: 'not-the-password', next: 'Matrix@2026x' }) },
  'post /api/admin/imports': { access: ADMIN, request: () => json('POST', '/api/admin/imports') },
  'get /api/admin/imports': { access: ADMIN, request: () => json('GET', '/api/admin/imports') },
  'get /api/admin/imports/{id}': { access: ADMIN, request: () => json('GET', `/api/admin/imports/${randomUUID()}`) },
  'get /api/admin/imports/{id}/report.csv': { access: ADMIN, request: () => json('GET', `/api/admin/imports/${randomUUID()}/report.csv`) },
  'get /api/admin/import-templates/{file}': { access: ADMIN, request: () => json('GET', '/api/admin/import-templates/workbook.xlsx') },
  'post /api/anomalies/scan': {
    access: REVIEWERS,
    request: (c, w) => json('POST', '/api/anomalies/scan', { villageCode: w === 'A' ? c.villageA : c.villageB, limit: 1 }),
    scoped: { status: 403, message: '所选村（社区）不在您的管辖范围内' },
  },
  'get /api/sync/pull': { access: 'signed-in', request: () => json('GET', '/api/sync/pull?limit=1') },
  'post /api/sync/push': { access: 'signed-in', request: () => json('POST', '/api/sync/push', { deviceId: randomUUID(), appVersion: 'matrix', mutations: [] }) },
  'put /api/blobs/{sha256}': {
    access: 'signed-in',
    request: () => ({ method: 'PUT', url: `/api/blobs/${SHA}`, headers: { 'content-type': 'image/jpeg' }, payload: Buffer.from('not the bytes of that hash') }),
  },
  'get /api/blobs/{sha256}': { access: 'signed-in', request: () => json('GET', `/api/blobs/${SHA}`) },
  'post /api/uploads': { access: 'signed-in', request: (c) => json('POST', '/api/uploads', { sha256: c.seq().toString(16).padStart(64, '0'), size: 10, contentType: 'image/jpeg' }) },
  'patch /api/uploads/{sha256}': {
    access: 'signed-in',
    request: () => ({ method: 'PATCH', url: `/api/uploads/${'b'.repeat(64)}`, headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' }, payload: Buffer.from('x') }),
  },
  'get /api/forms': { access: REVIEWERS, request: () => json('GET', '/api/forms?limit=1') },
  'get /api/forms/filters': { access: REVIEWERS, request: () => json('GET', '/api/forms/filters') },
  'get /api/forms/{id}': { access: REVIEWERS, request: (c, w) => json('GET', `/api/forms/${w === 'A' ? c.formA : c.formB}`), scoped: FORM_MISSING },
  'post /api/forms/{id}/review': {
    access: REVIEWERS,
    // A stale revision: allowed callers get 409 and nothing changes.
    request: (c, w) => json('POST', `/api/forms/${w === 'A' ? c.formA : c.formB}/review`, { action: 'return', comment: '矩阵测试', rev: 999 }),
    scoped: FORM_MISSING,
  },
  'post /api/forms/{id}/resolve': {
    access: REVIEWERS,
    request: (c, w) => json('POST', `/api/forms/${w === 'A' ? c.formA : c.formB}/resolve`, { rev: 999, resolutions: [{ path: 'x', value: 1 }] }),
    scoped: FORM_MISSING,
  },
  'post /api/forms/{id}/reveal': {
    access: REVIEWERS,
    request: (c, w) => json('POST', `/api/forms/${w === 'A' ? c.formA : c.formB}/reveal`, { kind: 'citizen-id', key: 'pNoSuchKey00', reason: '矩阵测试' }),
    scoped: FORM_MISSING,
  },
  'get /api/devices': { access: REVIEWERS, request: () => json('GET', '/api/devices') },
  'post /api/devices/{id}/revoke': {
    access: REVIEWERS,
    request: (c, w) => json('POST', `/api/devices/${w === 'A' ? c.deviceA : c.deviceB}/revoke`),
    scoped: { status: 404, message: '设备不存在' },
  },
  // A revoked phone reports its wipe without a session (it has none left).
  'post /api/devices/{id}/wiped': { access: 'public', request: () => json('POST', `/api/devices/${randomUUID()}/wiped`, { lostForms: 0, lostMutations: 0 }) },
  'post /api/ledger/scan': { access: REVIEWERS, request: () => json('POST', '/api/ledger/scan') },
  'get /api/ledger/scans/latest': { access: REVIEWERS, request: () => json('GET', '/api/ledger/scans/latest') },
  'get /api/ledger/scans/{id}': { access: REVIEWERS, request: () => json('GET', `/api/ledger/scans/${randomUUID()}`) },
  'get /api/ledger': { access: ['cadre', 'supervisor', 'admin'], request: () => json('GET', '/api/ledger?limit=1') },
  'get /api/public/regions': { access: 'public', request: () => json('GET', '/api/public/regions') },
  'get /api/public/disclosure/{villageCode}': {
    access: 'public',
    request: (c) => ({ method: 'GET', url: `/api/public/disclosure/${c.villageA}`, remoteAddress: `10.2.${c.seq() % 250}.${c.seq() % 250}` }),
  },
  'post /api/public/tips': {
    access: 'public',
    request: (c) => ({ method: 'POST', url: '/api/public/tips', remoteAddress: `10.1.${c.seq() % 250}.${c.seq() % 250}`, payload: { kind: 'other', areaCode: c.villageA, description: '矩阵测试：一条举报线索的内容' } }),
  },
  'post /api/ledger/tips': { access: REVIEWERS, request: (c) => json('POST', '/api/ledger/tips', { kind: 'other', areaCode: c.villageA, description: '矩阵测试：电话举报的内容' }) },
  // County supervisors only (a township's gets 403 by level, covered in tips.test.ts); the admin is turned away.
  'get /api/ledger/{id}/contact': { access: ['supervisor'], request: () => json('GET', `/api/ledger/${randomUUID()}/contact`) },
  'get /api/ledger/tasks': { access: ['cadre', 'supervisor', 'admin'], request: () => json('GET', '/api/ledger/tasks') },
  'get /api/ledger/counts': { access: ['cadre', 'supervisor', 'admin'], request: () => json('GET', '/api/ledger/counts') },
  'get /api/ledger/{id}': { access: ['cadre', 'supervisor', 'admin'], request: () => json('GET', `/api/ledger/${randomUUID()}`) },
  'post /api/ledger/{id}/actions': { access: ['cadre', 'supervisor', 'admin'], request: () => json('POST', `/api/ledger/${randomUUID()}/actions`, { kind: 'confirm' }) },
  'get /api/inspection/areas': { access: REVIEWERS, request: () => json('GET', '/api/inspection/areas') },
  'get /api/inspection/inspectors': { access: REVIEWERS, request: () => json('GET', '/api/inspection/inspectors') },
  'post /api/inspection/preview': { access: REVIEWERS, request: (c) => json('POST', '/api/inspection/preview', { areaCode: `${c.villageA.slice(0, 9)}000`, seed: 'matrix', rule: SAMPLE_RULE }) },
  'post /api/inspection/rounds': {
    access: REVIEWERS,
    request: (c) => json('POST', '/api/inspection/rounds', { areaCode: `${c.villageA.slice(0, 9)}000`, seed: 'matrix', rule: SAMPLE_RULE, name: '矩阵', inputHash: '0'.repeat(64) }),
  },
  'get /api/inspection/rounds': { access: REVIEWERS, request: () => json('GET', '/api/inspection/rounds') },
  'get /api/inspection/rounds/{id}': { access: REVIEWERS, request: (c, w) => json('GET', `/api/inspection/rounds/${w === 'A' ? c.roundA : c.roundB}`), scoped: ROUND_MISSING },
  'get /api/inspection/rounds/{id}/input': { access: REVIEWERS, request: (c, w) => json('GET', `/api/inspection/rounds/${w === 'A' ? c.roundA : c.roundB}/input`), scoped: ROUND_MISSING },
  'get /api/inspection/rounds/{id}/households': { access: REVIEWERS, request: (c, w) => json('GET', `/api/inspection/rounds/${w === 'A' ? c.roundA : c.roundB}/households`), scoped: ROUND_MISSING },
  'get /api/inspection/rounds/{id}/quality': { access: REVIEWERS, request: (c, w) => json('GET', `/api/inspection/rounds/${w === 'A' ? c.roundA : c.roundB}/quality`), scoped: ROUND_MISSING },
  'post /api/inspection/rounds/{id}/assign': {
    access: REVIEWERS,
    request: (c, w) => json('POST', `/api/inspection/rounds/${w === 'A' ? c.roundA : c.roundB}/assign`, { inspectorId: null, villageCodes: [w === 'A' ? c.villageA : c.villageB] }),
    scoped: ROUND_MISSING,
  },
  'get /api/exports/forms.{format}': { access: REVIEWERS, request: (c, w) => json('GET', `/api/exports/forms.csv?area=${w === 'A' ? c.villageA : c.villageB}`), scoped: { status: 403, message: '该地区不在您的工作区域内' } },
  'get /api/exports/coverage.{format}': { access: REVIEWERS, request: (c, w) => json('GET', `/api/exports/coverage.csv?area=${w === 'A' ? c.villageA : c.villageB}`), scoped: { status: 403, message: '该地区不在您的工作区域内' } },
  'get /api/exports/rounds/{id}/households.{format}': { access: REVIEWERS, request: (c, w) => json('GET', `/api/exports/rounds/${w === 'A' ? c.roundA : c.roundB}/households.csv`), scoped: ROUND_MISSING },
  'get /api/exports/ledger.{format}': { access: REVIEWERS, request: (c, w) => json('GET', `/api/exports/ledger.csv?area=${w === 'A' ? c.villageA : c.villageB}`), scoped: { status: 403, message: '该地区不在您的工作区域内' } },
  'get /api/exports/form-items.{format}': { access: REVIEWERS, request: (c, w) => json('GET', `/api/exports/form-items.csv?area=${w === 'A' ? c.villageA : c.villageB}`), scoped: { status: 403, message: '该地区不在您的工作区域内' } },
  'get /api/reports/monthly': { access: REVIEWERS, request: (c, w) => json('GET', `/api/reports/monthly?month=2026-11&area=${w === 'A' ? c.villageA : c.villageB}`), scoped: { status: 403, message: '该地区不在您的工作区域内' } },
  'get /api/reports/monthly.xlsx': { access: REVIEWERS, request: (c, w) => json('GET', `/api/reports/monthly.xlsx?month=2026-11&area=${w === 'A' ? c.villageA : c.villageB}`), scoped: { status: 403, message: '该地区不在您的工作区域内' } },
  'get /api/reports/stage': { access: REVIEWERS, request: (c, w) => json('GET', `/api/reports/stage?year=2026&stage=1&area=${w === 'A' ? c.villageA : c.villageB}`), scoped: { status: 403, message: '该地区不在您的工作区域内' } },
  'get /api/reports/stage.xlsx': { access: REVIEWERS, request: (c, w) => json('GET', `/api/reports/stage.xlsx?year=2026&stage=1&area=${w === 'A' ? c.villageA : c.villageB}`), scoped: { status: 403, message: '该地区不在您的工作区域内' } },
  'get /api/coverage': { access: REVIEWERS, request: (c, w) => json('GET', `/api/coverage?area=${w === 'A' ? c.villageA : c.villageB}`), scoped: { status: 403, message: '该地区不在您的工作区域内' } },
  'get /api/inspection/visit-quality': { access: REVIEWERS, request: () => json('GET', '/api/inspection/visit-quality') },
  'get /api/inspection/households/{householdId}/comparison': { access: ['inspector', 'supervisor', 'admin'], request: () => json('GET', '/api/inspection/households/no-such-household/comparison') },
  'get /api/admin/audit': { access: ADMIN, request: () => json('GET', '/api/admin/audit?limit=1') },
  'get /api/admin/audit/verify': { access: ADMIN, request: () => json('GET', '/api/admin/audit/verify') },
  'get /api/admin/audit/export.csv': { access: ADMIN, request: () => json('GET', '/api/admin/audit/export.csv') },
  'get /api/admin/regions': { access: ADMIN, request: () => json('GET', '/api/admin/regions') },
  'get /api/admin/users': { access: ADMIN, request: () => json('GET', '/api/admin/users') },
  'post /api/admin/users': {
    access: ADMIN,
    request: (c, w) => json('POST', '/api/admin/users', { username: `matrix-${c.seq()}`, displayName: '矩阵', role: 'cadre', areaCode: w === 'A' ? c.villageA : c.villageB, phone: null, password: '' }),
    scoped: { status: 403, message: '该账号或区域不在您的管理范围内' },
  },
  'post /api/admin/users/import': {
    access: ADMIN,
    request: (c) => ({
      method: 'POST',
      url: '/api/admin/users/import',
      headers: { 'content-type': 'text/csv' },
      payload: `用户名,姓名,角色,区划代码\r\nbulk-${c.seq()},矩阵,村干部,${c.villageA}\r\n`,
    }),
  },
  'patch /api/admin/users/{id}': {
    access: ADMIN,
    request: (c, w) => json('PATCH', `/api/admin/users/${w === 'A' ? c.targetA : c.targetB}`, { phone: null }),
    scoped: { status: 404, message: '账号不存在' },
  },
  'post /api/admin/users/{id}/disable': {
    access: ADMIN,
    request: (c, w) => json('POST', `/api/admin/users/${w === 'A' ? c.targetA : c.targetB}/disable`),
    scoped: { status: 404, message: '账号不存在' },
  },
  'post /api/admin/users/{id}/enable': {
    access: ADMIN,
    request: (c, w) => json('POST', `/api/admin/users/${w === 'A' ? c.targetA : c.targetB}/enable`),
    scoped: { status: 404, message: '账号不存在' },
  },
  'post /api/admin/users/{id}/password': {
    access: ADMIN,
    request: (c, w) => json('POST', `/api/admin/users/${w === 'A' ? c.targetA : c.targetB}/password`, { password: '' }),
    scoped: { status: 404, message: '账号不存在' },
  },
};

let t: TestApp;
let ctx: Ctx;
const sessions = new Map<string, string>();
let n = 0;

async function newSession(username: string): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password: DEMO_PASSWORD } });
  expect(res.statusCode, `${username}: ${res.body}`).toBe(200);
  return sessionCookie(res);
}

async function call(username: string | null, route: Route, which: 'A' | 'B') {
  const options = route.request(ctx, which);
  let cookie: string | undefined;
  if (username !== null) {
    if (route.endsSession) cookie = await newSession(username);
    else {
      cookie = sessions.get(username) ?? (await newSession(username));
      sessions.set(username, cookie);
    }
  }
  const headers = { ...(options.headers ?? {}), ...(cookie ? { cookie } : {}) };
  return t.app.inject({ ...options, headers });
}

async function addUser(username: string, role: 'cadre' | 'supervisor' | 'admin', areaCode: string) {
  const row = await insertUser(t.database.db, { username, displayName: username, role, areaCode, passwordHash: await hashPassword(DEMO_PASSWORD) });
  return row.id;
}

/** A cadre's first sync with a form: the device and the form now exist on the server. */
async function cadreForm(username: string, village: string): Promise<{ formId: string; deviceId: string }> {
  const cookie = await newSession(username);
  const pull = z.parse(PullResponseSchema, (await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie } })).json()).changes;
  const household = pull.household.find((h) => h.villageCode === village)!;
  const body = prefillForm(household, pull.person, pull.account, pull.paymentLine, pull.item, DEFAULT_CHECK_PERIOD, username);
  const formId = randomUUID();
  const deviceId = randomUUID();
  const mutation = { id: randomUUID(), counter: 1, kind: 'form.put', formId, baseRev: 0, body, blobs: [], clientTime: new Date().toISOString() };
  const res = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie }, payload: { deviceId, appVersion: 'matrix', mutations: [mutation] } });
  expect(z.parse(PushResponseSchema, res.json()).results[0]?.status).toBe('applied');
  return { formId, deviceId };
}

beforeAll(async () => {
  t = await buildTestApp();
  await loadDemoCounty(t.database.db, { people: 1200 });
  const villageA = '421321101200';
  const villageB = rowsOf<{ v: string }>(await t.database.db.execute(sql`select village_code as v from households where village_code not like '421321101%' order by village_code limit 1`))[0]!.v;
  const townshipA = `${villageA.slice(0, 9)}000`;
  await addUser('cadre-b', 'cadre', villageB);
  await addUser('signer', 'cadre', villageA);
  await addUser('sup-a', 'supervisor', townshipA);
  await addUser('adm-a', 'admin', townshipA);
  const targetA = await addUser('target-a', 'cadre', villageA);
  const targetB = await addUser('target-b', 'cadre', villageB);
  const a = await cadreForm('cadre', villageA);
  const b = await cadreForm('cadre-b', villageB);
  const householdOf = async (v: string) => rowsOf<{ id: string }>(await t.database.db.execute(sql`select id from households where village_code = ${v} order by id limit 1`))[0]!.id;
  const roundA = await giveToInspector(t.database.db, 'inspector', [await householdOf(villageA)], townshipA);
  const roundB = await giveToInspector(t.database.db, 'inspector', [await householdOf(villageB)], `${villageB.slice(0, 9)}000`);
  ctx = { formA: a.formId, formB: b.formId, deviceA: a.deviceId, deviceB: b.deviceId, targetA, targetB, villageA, villageB, roundA, roundB, seq: () => ++n };
}, 120_000);
afterAll(async () => {
  await t.close();
});

const allowed = (access: Access, caller: Caller) =>
  access === 'public' || (caller !== 'anonymous' && (access === 'signed-in' || (access as readonly string[]).includes(caller)));

describe('the authorization matrix', () => {
  it('has a row for every route the server documents, and no row for a route it does not have', async () => {
    await t.app.ready();
    const spec = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(spec.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
    expect([...documented].sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it.each(Object.entries(ROUTES))('%s: each role is let in or turned away', async (_name, route) => {
    for (const caller of ROLES) {
      const res = await call(caller === 'anonymous' ? null : caller, route, 'A');
      const what = `${caller}: ${res.statusCode} ${res.body.slice(0, 200)}`;
      if (allowed(route.access, caller)) {
        expect([401, 403], what).not.toContain(res.statusCode);
        expect(res.statusCode, what).toBeLessThan(500);
      } else {
        expect(res.statusCode, what).toBe(caller === 'anonymous' ? 401 : 403);
      }
    }
  });

  const scoped = Object.entries(ROUTES).filter(([, r]) => r.scoped !== undefined);
  it.each(scoped)("%s: a township's supervisor or admin reaches its own area's, never another's", async (_name, route) => {
    for (const username of ['sup-a', 'adm-a']) {
      const caller = username === 'sup-a' ? 'supervisor' : 'admin';
      if (!allowed(route.access, caller)) continue;
      const inside = await call(username, route, 'A');
      const what = `${username} in area: ${inside.statusCode} ${inside.body.slice(0, 200)}`;
      expect([401, 403], what).not.toContain(inside.statusCode);
      expect(inside.statusCode, what).toBeLessThan(500);
      if (inside.statusCode === route.scoped!.status) expect(inside.body, what).not.toContain(route.scoped!.message);
      const outside = await call(username, route, 'B');
      expect(outside.statusCode, `${username} out of area: ${outside.body.slice(0, 200)}`).toBe(route.scoped!.status);
      expect(outside.body).toContain(route.scoped!.message);
    }
  });

  it("lists a township's forms, devices and accounts, and no other township's", async () => {
    const get = async (username: string, url: string) => (await call(username, { access: 'signed-in', request: () => json('GET', url) }, 'A')).json<{ id: string }[]>();
    for (const username of ['sup-a', 'adm-a']) {
      const forms = (await get(username, '/api/forms?limit=200')).map((f) => f.id);
      expect(forms).toContain(ctx.formA);
      expect(forms).not.toContain(ctx.formB);
      const devices = (await get(username, '/api/devices')).map((d) => d.id);
      expect(devices).toContain(ctx.deviceA);
      expect(devices).not.toContain(ctx.deviceB);
    }
    const accounts = (await get('adm-a', '/api/admin/users')).map((u) => u.id);
    expect(accounts).toContain(ctx.targetA);
    expect(accounts).not.toContain(ctx.targetB);
  });
});
