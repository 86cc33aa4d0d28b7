import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { AuditPageSchema } from '#shared/schemas/audit.ts';
import { LedgerItemDetailSchema, LedgerPageSchema, TipContactSchema, TipReceiptSchema } from '#shared/schemas/ledger.ts';
import { RegionNameSchema } from '#shared/schemas/sync.ts';
import { hashPassword } from '#server/auth/password.ts';
import { insertUser } from '#server/db/users-repository.ts';
import { buildTestApp, DEMO_PASSWORD, signIn, type TestApp } from '#test/helpers/app.ts';

/**
 * Tip-offs (issue 13, item 5): the public form needs no sign-in and takes an
 * anonymous report; each becomes a ledger item in `found`; the reporter's
 * contact is shown to county-level supervisors only, every look logged; a
 * flood from one address is refused with 429 and stores nothing.
 */
let t: TestApp;
const VILLAGE = '421321101200';
const tip = (over: Record<string, unknown> = {}) => ({ kind: 'card-held', areaCode: VILLAGE, place: '三组', description: '村里有人把我们家的一卡通拿走了，一直不还', contactName: '张大爷', contactPhone: '13907221234', ...over });
const post = (payload: unknown, ip = '10.0.0.1') => t.app.inject({ method: 'POST', url: '/api/public/tips', payload: payload as Record<string, unknown>, remoteAddress: ip });

beforeAll(async () => {
  t = await buildTestApp({ tipThrottle: { points: 3, duration: 3600 } });
});
afterAll(async () => {
  await t.close();
});

describe('the public tip-off form', () => {
  it('lists the townships and villages to choose from, without a sign-in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/public/regions' });
    expect(res.statusCode).toBe(200);
    const regions = z.parse(z.array(RegionNameSchema), res.json());
    expect(regions.some((r) => r.code === VILLAGE && r.level === 'village')).toBe(true);
    expect(regions.every((r) => r.level === 'township' || r.level === 'village')).toBe(true);
  });

  it('takes a report without a sign-in; it is a ledger item in found, its contact hidden from everyone but county supervisors', async () => {
    const res = await post(tip());
    expect(res.statusCode, res.body).toBe(201);
    const { number } = z.parse(TipReceiptSchema, res.json());
    const supervisor = await signIn(t.app, 'supervisor');
    const list = z.parse(LedgerPageSchema, (await t.app.inject({ method: 'GET', url: '/api/ledger', headers: { cookie: supervisor } })).json());
    const item = list.items.find((i) => i.number === number)!;
    expect(item).toMatchObject({ problemCode: 'C4', category: 'C', state: 'found', areaCode: VILLAGE, title: '“一卡通”被干部或他人扣押、保管' });
    expect(item.description).toContain('（地点：三组）');
    const detail = await t.app.inject({ method: 'GET', url: `/api/ledger/${item.id}`, headers: { cookie: supervisor } });
    expect(z.parse(LedgerItemDetailSchema, detail.json()).sources.map((s) => s.kind)).toEqual(['tip']);
    // The contact is in neither the list nor the item.
    expect(JSON.stringify(list)).not.toContain('13907221234');
    expect(detail.body).not.toContain('13907221234');

    const contact = await t.app.inject({ method: 'GET', url: `/api/ledger/${item.id}/contact`, headers: { cookie: supervisor } });
    expect(contact.statusCode).toBe(200);
    expect(z.parse(TipContactSchema, contact.json())).toMatchObject({ contactName: '张大爷', contactPhone: '13907221234', via: 'web', place: '三组' });
    const admin = await signIn(t.app, 'admin');
    const log = z.parse(AuditPageSchema, (await t.app.inject({ method: 'GET', url: '/api/admin/audit?action=tip.contact_view', headers: { cookie: admin } })).json());
    expect(log.entries.map((e) => [e.username, e.targetId])).toEqual([['supervisor', item.id]]);

    // A township supervisor handles the item but does not see who reported it; nor does an admin.
    await insertUser(t.database.db, { username: 'town-sup', displayName: '镇督导', role: 'supervisor', areaCode: '421321101000', passwordHash: await hashPassword(DEMO_PASSWORD) });
    const town = await signIn(t.app, 'town-sup');
    expect((await t.app.inject({ method: 'GET', url: `/api/ledger/${item.id}`, headers: { cookie: town } })).statusCode).toBe(200);
    const refused = await t.app.inject({ method: 'GET', url: `/api/ledger/${item.id}/contact`, headers: { cookie: town } });
    expect(refused.statusCode).toBe(403);
    expect(ApiErrorSchema.parse(refused.json()).error.message).toBe('举报人联系方式只有县级督导可以查看');
    expect((await t.app.inject({ method: 'GET', url: `/api/ledger/${item.id}/contact`, headers: { cookie: admin } })).statusCode).toBe(403);
  });

  it('takes an anonymous report, and names the field of a bad one', async () => {
    expect((await post(tip({ contactName: undefined, contactPhone: undefined }), '10.0.0.2')).statusCode).toBe(201);
    const short = await post(tip({ description: '太短' }), '10.0.0.2');
    expect(short.statusCode).toBe(400);
    expect(ApiErrorSchema.parse(short.json()).error.fields?.[0]).toMatchObject({ path: 'body.description', message: '请把情况写清楚（至少10个字）' });
    const phone = await post(tip({ contactPhone: '12345' }), '10.0.0.3');
    expect(ApiErrorSchema.parse(phone.json()).error.fields?.[0]?.path).toBe('body.contactPhone');
    const area = await post(tip({ areaCode: '421321000000' }), '10.0.0.3');
    expect(ApiErrorSchema.parse(area.json()).error.fields?.[0]).toMatchObject({ path: 'body.areaCode', message: '请选择到乡镇或村（社区）' });
  });

  it('refuses a flood from one address with 429, storing nothing more', async () => {
    const supervisor = await signIn(t.app, 'supervisor');
    const count = async () => z.parse(LedgerPageSchema, (await t.app.inject({ method: 'GET', url: '/api/ledger?limit=200', headers: { cookie: supervisor } })).json()).items.length;
    const before = await count();
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) answers.push((await post(tip(), '10.9.9.9')).statusCode);
    expect(answers).toEqual([201, 201, 201, 429, 429]);
    const flood = await post(tip(), '10.9.9.9');
    expect(flood.headers['retry-after']).toMatch(/^\d+$/);
    expect(ApiErrorSchema.parse(flood.json()).error.message).toMatch(/^提交过于频繁，请\d+ ?分钟后再试/);
    expect(await count()).toBe(before + 3);
    // Another address is not held back.
    expect((await post(tip(), '10.9.9.10')).statusCode).toBe(201);
  });

  it('lets a supervisor enter a clue taken by phone, inside their area only', async () => {
    await insertUser(t.database.db, { username: 'town-sup2', displayName: '镇督导', role: 'supervisor', areaCode: '421321101000', passwordHash: await hashPassword(DEMO_PASSWORD) });
    const town = await signIn(t.app, 'town-sup2');
    const ok = await t.app.inject({ method: 'POST', url: '/api/ledger/tips', headers: { cookie: town }, payload: tip({ contactName: undefined }) });
    expect(ok.statusCode, ok.body).toBe(201);
    const elsewhere = await t.app.inject({ method: 'POST', url: '/api/ledger/tips', headers: { cookie: town }, payload: tip({ areaCode: '421321102200' }) });
    expect(elsewhere.statusCode).toBe(403);
  });
});
