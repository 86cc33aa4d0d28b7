import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { AuditPageSchema, AuditVerifySchema, type AuditEntry } from '#shared/schemas/audit.ts';
import { PullResponseSchema, PushResponseSchema } from '#shared/schemas/sync.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { appendAudit, verifyAudit } from '#server/db/audit-repository.ts';
import { buildTestApp, signIn, type TestApp } from '#test/helpers/app.ts';
import { checkFormBody } from '#test/fixtures/check-form.ts';

/**
 * The audit log (issue 12, item 4): sign-ins and failures, reviews, imports
 * and the log's own check and export are recorded with who, when and from
 * where; the log is append-only, and an entry edited or deleted behind the
 * database's back is found by the check.
 */
let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signIn(t.app, 'admin');
});
afterAll(async () => {
  await t.close();
});

async function entries(query = ''): Promise<AuditEntry[]> {
  const res = await t.app.inject({ method: 'GET', url: `/api/admin/audit${query}`, headers: { cookie: admin } });
  expect(res.statusCode, res.body).toBe(200);
  return z.parse(AuditPageSchema, res.json()).entries;
}

async function verify() {
  const res = await t.app.inject({ method: 'GET', url: '/api/admin/audit/verify', headers: { cookie: admin } });
  expect(res.statusCode, res.body).toBe(200);
  return z.parse(AuditVerifySchema, res.json());
}

describe('the audit log', () => {
  it('records a sign-in and a failed one, with who, when, from where and why', async () => {
    const before = Date.now();
    await signIn(t.app, 'supervisor');
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'supervisor', password: 'wrong-Password-1' }, remoteAddress: '10.1.2.3' });
    expect(bad.statusCode).toBe(401);
    const nobody = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'no-such-user', password: 'x' } });
    expect(nobody.statusCode).toBe(401);

    const [ok] = await entries('?action=auth.sign_in&user=supervisor');
    expect(ok).toMatchObject({ action: 'auth.sign_in', username: 'supervisor', areaCode: '421321000000', ip: '127.0.0.1' });
    expect(Date.parse(ok!.at)).toBeGreaterThanOrEqual(before - 1000);
    const failed = await entries('?action=auth.sign_in_failed');
    expect(failed.map((e) => [e.username, e.details.reason, e.ip])).toEqual([
      ['no-such-user', 'unknown_user', '127.0.0.1'],
      ['supervisor', 'wrong_password', '10.1.2.3'],
    ]);
  });

  it('records a review in the same transaction as the version it makes', async () => {
    await loadDemoCounty(t.database.db, { people: 600 });
    const cadre = await signIn(t.app, 'cadre');
    const supervisor = await signIn(t.app, 'supervisor');
    const page = z.parse(PullResponseSchema, (await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadre } })).json());
    const h = page.changes.household[0]!;
    const formId = randomUUID();
    const mutation = { id: randomUUID(), counter: 1, kind: 'form.put', formId, baseRev: 0, body: checkFormBody(h), blobs: [], clientTime: new Date().toISOString() };
    const pushed = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie: cadre }, payload: { deviceId: randomUUID(), appVersion: 'test', mutations: [mutation] } });
    expect(z.parse(PushResponseSchema, pushed.json()).results[0]?.status).toBe('applied');

    const review = (rev: number) => t.app.inject({ method: 'POST', url: `/api/forms/${formId}/review`, headers: { cookie: supervisor }, payload: { action: 'return', comment: '请补签名', rev } });
    expect((await review(1)).statusCode).toBe(200);
    // A refused review (stale revision) changes nothing and records nothing.
    expect((await review(1)).statusCode).toBe(409);
    const reviews = await entries('?action=form.review');
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ username: 'supervisor', targetType: 'form', targetId: formId, areaCode: h.villageCode, details: { review: 'return', rev: 2, householdId: h.id } });
  });

  it('pages newest first and filters by date (China time)', async () => {
    const all = await entries('?limit=2');
    expect(all).toHaveLength(2);
    expect(all[0]!.seq).toBeGreaterThan(all[1]!.seq);
    const res = await t.app.inject({ method: 'GET', url: `/api/admin/audit?limit=2&before=${all[1]!.seq}`, headers: { cookie: admin } });
    expect(z.parse(AuditPageSchema, res.json()).entries[0]!.seq).toBeLessThan(all[1]!.seq);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect((await entries(`?from=${today}&to=${today}`)).length).toBeGreaterThan(0);
    expect(await entries('?from=2020-01-01&to=2020-01-02')).toEqual([]);
  });

  it('is for admins only', async () => {
    const supervisor = await signIn(t.app, 'supervisor');
    for (const url of ['/api/admin/audit', '/api/admin/audit/verify', '/api/admin/audit/export.csv']) {
      expect((await t.app.inject({ method: 'GET', url, headers: { cookie: supervisor } })).statusCode).toBe(403);
    }
  });

  it('exports the filtered log as CSV with BOM, and records the export', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/admin/audit/export.csv?action=auth.sign_in_failed', headers: { cookie: admin } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''");
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(res.body.startsWith('\uFEFF')).toBe(true);
    expect(lines[0]).toBe('序号,时间,账号,操作,对象类型,对象,区划代码,地址,详情,哈希');
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(['supervisor', 'no-such-user']);
    const [exported] = await entries('?action=audit.export');
    expect(exported).toMatchObject({ username: 'admin', details: { filter: { action: 'auth.sign_in_failed' } } });
  });

  it('holds as a chain, refuses to be edited, and the check finds an entry edited or deleted behind its back', async () => {
    const good = await verify();
    expect(good.ok).toBe(true);
    expect(good.checked).toBeGreaterThan(8);
    expect(good.head?.hash).toMatch(/^[0-9a-f]{64}$/);
    // The check is recorded too, with the head it saw.
    expect((await entries('?action=audit.verify'))[0]?.details).toMatchObject({ ok: true, head: good.head?.hash });

    const db = t.database.db;
    await expect(db.execute(sql`update audit_log set ip = '1.1.1.1' where seq = 2`)).rejects.toThrow();
    await expect(db.execute(sql`delete from audit_log where seq = 3`)).rejects.toThrow();

    // Someone who can switch the guard off edits one entry and deletes another.
    await db.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    try {
      await db.execute(sql`update audit_log set details = '{"reason":"edited"}'::jsonb where seq = 2`);
      await db.execute(sql`delete from audit_log where seq = 4`);
    } finally {
      await db.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    }
    const bad = await verify();
    expect(bad.ok).toBe(false);
    // The edited entry no longer matches its hash; the one after the deleted entry no longer links.
    expect(bad.broken).toEqual([
      { seq: 2, reason: 'hash' },
      { seq: 5, reason: 'link' },
    ]);
  });
});

describe('appends at once from many requests', () => {
  it('keeps one unbroken chain', async () => {
    const app = await buildTestApp();
    try {
      await Promise.all(Array.from({ length: 12 }, (_, i) => app.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: i % 2 ? 'cadre' : `nobody-${i}`, password: i % 2 ? 'Test-Demo-2026' : 'x' } })));
      const cookie = await signIn(app.app, 'admin');
      const res = await app.app.inject({ method: 'GET', url: '/api/admin/audit/verify', headers: { cookie } });
      const result = z.parse(AuditVerifySchema, res.json());
      expect(result).toMatchObject({ ok: true, broken: [] });
      expect(result.checked).toBe(13);
    } finally {
      await app.close();
    }
  });

  it('keeps one chain when appends come outside any transaction, many at once', async () => {
    const app = await buildTestApp();
    try {
      // Autocommit callers (a failed sign-in, an import's end): the lock must
      // still cover reading the previous hash and inserting.
      await Promise.all(Array.from({ length: 60 }, (_, i) => appendAudit(app.database.db, { action: 'auth.sign_in_failed', userId: null, username: `u${i}`, areaCode: null, ip: '10.0.0.1' })));
      const result = await verifyAudit(app.database.db);
      expect(result).toMatchObject({ ok: true, broken: [], checked: 60 });
    } finally {
      await app.close();
    }
  });
});
