import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { AuditPageSchema } from '#shared/schemas/audit.ts';
import { LedgerCountsSchema, LedgerItemDetailSchema, LedgerItemSchema, LedgerPageSchema, LedgerScanSchema, LedgerTasksSchema, type LedgerItem } from '#shared/schemas/ledger.ts';
import { hashPassword } from '#server/auth/password.ts';
import { insertUser } from '#server/db/users-repository.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import type { DemoCounty } from '#server/cli/demo/generate.ts';
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { DEFAULT_CHECK_PERIOD, prefillForm } from '#shared/domain/check-form-rules.ts';
import { PullResponseSchema, PushResponseSchema } from '#shared/schemas/sync.ts';
import { rowsOf } from '#server/db/client.ts';
import { personKey, privacyKeys } from '#server/privacy/keys.ts';
import { chinaToday } from '#server/ledger/ledger-service.ts';
import { ensureDemoLedger } from '#server/cli/demo/ledger.ts';
import { buildTestApp, DEMO_PASSWORD, signIn, type TestApp } from '#test/helpers/app.ts';

/**
 * The problem ledger's first floor (issue 13): anomaly findings become items
 * once, whatever the number of scans; the list filters and pages; every step
 * follows the lifecycle, is refused with 409/403/400 naming what is wrong,
 * and leaves its history and an audit entry; nothing outside an area is seen.
 */
let t: TestApp;
let county: string;
let admin: string;
let all: LedgerItem[];
let demo: DemoCounty;

beforeAll(async () => {
  t = await buildTestApp();
  demo = await loadDemoCounty(t.database.db, { seed: 20220, people: 2000 });
  county = await signIn(t.app, 'supervisor');
  admin = await signIn(t.app, 'admin');
}, 120_000);
afterAll(async () => {
  await t.close();
});

const get = async <T,>(cookie: string, url: string, schema: z.ZodMiniType<T>) => {
  const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return z.parse(schema, res.json());
};
const act = (cookie: string, id: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/api/ledger/${id}/actions`, headers: { cookie }, payload });

async function listAll(cookie: string, query = ''): Promise<LedgerItem[]> {
  const out: LedgerItem[] = [];
  let before: number | null = null;
  for (;;) {
    const page: z.infer<typeof LedgerPageSchema> = await get(cookie, `/api/ledger?limit=7${query}${before === null ? '' : `&before=${before}`}`, LedgerPageSchema);
    out.push(...page.items);
    if (page.next === null) return out;
    before = page.next;
  }
}

/** Starts a scan, waits for the background runner, and answers the finished scan. */
async function scanNow(cookie: string) {
  const res = await t.app.inject({ method: 'POST', url: '/api/ledger/scan', headers: { cookie } });
  expect(res.statusCode, res.body).toBe(202);
  const started = z.parse(LedgerScanSchema, res.json());
  await t.app.scans.idle();
  return get(cookie, `/api/ledger/scans/${started.id}`, LedgerScanSchema);
}

describe('findings into the ledger', () => {
  it('puts every anomaly on the ledger once, and a rescan adds nothing', async () => {
    const first = await scanNow(county);
    expect(first.status).toBe('done');
    expect(first.findings).toBeGreaterThan(10);
    expect(first.created + first.linked).toBe(first.findings);
    expect(first.known).toBe(0);
    const again = await scanNow(county);
    expect(again).toMatchObject({ findings: first.findings, created: 0, linked: 0, known: first.findings });

    all = await listAll(county);
    expect(all).toHaveLength(first.created);
    // Pages of 7, newest first, none twice.
    expect(new Set(all.map((i) => i.id)).size).toBe(all.length);
    expect(all.map((i) => i.number)).toEqual([...all.map((i) => i.number)].sort((a, b) => b - a));
    expect(all.every((i) => i.state === 'found')).toBe(true);
    expect(JSON.stringify(all)).not.toMatch(/\d{17}[\dX]/);
  });

  it('filters by code, category and area', async () => {
    const a3 = await listAll(county, '&code=A3');
    expect(a3.length).toBeGreaterThan(0);
    expect(a3.every((i) => i.problemCode === 'A3')).toBe(true);
    expect(a3.length).toBe(all.filter((i) => i.problemCode === 'A3').length);
    const c = await listAll(county, '&category=C');
    expect(c.length).toBe(all.filter((i) => i.category === 'C').length);
    const village = all.find((i) => /[1-9]\d{2}$/.test(i.areaCode))!.areaCode;
    const inVillage = await listAll(county, `&area=${village}`);
    expect(inVillage.length).toBeGreaterThan(0);
    expect(inVillage.every((i) => i.areaCode === village)).toBe(true);
    // Named as the regions table names it, for people who do not read codes.
    expect(inVillage[0]?.areaName).toMatch(/[村社区居委会]/u);
    const bad = await t.app.inject({ method: 'GET', url: '/api/ledger?area=999999999999', headers: { cookie: county } });
    expect(bad.statusCode).toBe(400);
  });

  it('exports with the same filters as CSV and XLSX, every item once, amounts in yuan, and logs each export', async () => {
    const csv = await t.app.inject({ method: 'GET', url: '/api/exports/ledger.csv', headers: { cookie: county } });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(String(csv.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('问题台账-')}`);
    const lines = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]?.split(',').slice(0, 4)).toEqual(['编号', '问题代码', '类别', '问题类型']);
    expect(lines).toHaveLength(1 + all.length);
    // Newest first, as the list; the numbers are the list's.
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(all.map((i) => i.number));
    expect(csv.body).not.toMatch(/\d{17}[\dX]/);

    const a3 = all.filter((i) => i.problemCode === 'A3');
    const xlsx = await t.app.inject({ method: 'GET', url: '/api/exports/ledger.xlsx?code=A3', headers: { cookie: county } });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe('问题台账');
    expect(sheet.rowCount).toBe(1 + a3.length);
    const first = a3[0]!;
    const row = sheet.getRow(2);
    expect(row.getCell(1).value).toBe(first.number);
    expect(row.getCell(2).value).toBe('A3');
    // The area code stays text (leading digits, 12 of them); amounts are numbers in yuan.
    expect(row.getCell(7).value).toBe(first.areaCode);
    if (first.amountInvolvedFen !== null) expect(row.getCell(9).value).toBe(first.amountInvolvedFen / 100);
    expect(row.getCell(11).value).toBe('已发现');

    const logged = rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from audit_log where action = 'export.ledger'`))[0]?.n;
    expect(logged).toBe(2);
    const outside = await t.app.inject({ method: 'GET', url: '/api/exports/ledger.csv?area=420102000000', headers: { cookie: county } });
    expect(outside.statusCode).toBe(403);
    expect(outside.json<{ error: { message: string } }>().error.message).toBe('该地区不在您的工作区域内');
  });
});

describe('an item through its lifecycle', () => {
  it('goes found → closed by the right people, each step in its history and the audit log', async () => {
    const item = all.find((i) => i.category === 'C') ?? all[0]!;
    const township = item.areaCode.slice(0, 9) + '000';
    await insertUser(t.database.db, { username: 'town-sup', displayName: '镇督导', role: 'supervisor', areaCode: township, passwordHash: await hashPassword(DEMO_PASSWORD) });
    const town = await signIn(t.app, 'town-sup');

    let detail = await get(county, `/api/ledger/${item.id}`, LedgerItemDetailSchema);
    expect(detail.sources).toEqual([{ kind: 'anomaly', ref: expect.any(String) as string, createdAt: expect.any(String) as string }]);
    expect(detail.history.map((h) => h.action)).toEqual(['found']);
    expect(detail.allowedActions).toEqual(['confirm', 'dismiss', 'record']);

    // Not from this state: 409 naming both; nothing changes.
    const early = await act(county, item.id, { kind: 'close' });
    expect(early.statusCode).toBe(409);
    expect(ApiErrorSchema.parse(early.json()).error).toMatchObject({ code: 'state_not_allowed', message: '“已发现”状态的问题不能“销号”' });

    expect((await act(town, item.id, { kind: 'confirm', comment: '经核实属实' })).statusCode).toBe(200);
    const deadline = chinaToday() < '2099-01-01' ? '2099-01-01' : chinaToday();
    const badAssign = await act(town, item.id, { kind: 'assign', assignment: { unit: '', person: '王主任', measure: '追回', deadline } });
    expect(badAssign.statusCode).toBe(400);
    expect(ApiErrorSchema.parse(badAssign.json()).error.fields).toEqual([{ path: 'body.assignment.unit', message: '请填写责任单位' }]);
    expect((await act(town, item.id, { kind: 'assign', assignment: { unit: '镇民政办', person: '王主任', measure: '追回多发资金', deadline } })).statusCode).toBe(200);
    expect((await act(town, item.id, { kind: 'start' })).statusCode).toBe(200);
    expect((await act(town, item.id, { kind: 'submit-evidence', comment: '已追回全部资金' })).statusCode).toBe(200);

    // The township may not re-verify: the county does.
    const notMine = await act(town, item.id, { kind: 'reverify' });
    expect(notMine.statusCode).toBe(403);
    expect(ApiErrorSchema.parse(notMine.json()).error).toMatchObject({ code: 'role_not_allowed', message: '“复核通过”应由县级督导操作' });

    expect((await act(county, item.id, { kind: 'reverify' })).statusCode).toBe(200);
    expect((await act(county, item.id, { kind: 'record', amountRecoveredFen: 12_000, outcome: '诫勉谈话' })).statusCode).toBe(200);
    const closed = await act(county, item.id, { kind: 'close', comment: '销号' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(z.parse(LedgerItemSchema, closed.json())).toMatchObject({ state: 'closed', amountRecoveredFen: 12_000, outcome: '诫勉谈话', assignment: { unit: '镇民政办', deadline } });

    detail = await get(county, `/api/ledger/${item.id}`, LedgerItemDetailSchema);
    expect(detail.history.map((h) => [h.action, h.toState, h.username])).toEqual([
      ['found', 'found', 'supervisor'],
      ['confirm', 'confirmed', 'town-sup'],
      ['assign', 'assigned', 'town-sup'],
      ['start', 'rectifying', 'town-sup'],
      ['submit-evidence', 'evidence-submitted', 'town-sup'],
      ['reverify', 'reverified', 'supervisor'],
      ['record', 'reverified', 'supervisor'],
      ['close', 'closed', 'supervisor'],
    ]);
    expect(detail.history[1]?.comment).toBe('经核实属实');
    expect(detail.allowedActions).toEqual(item.category === 'C' ? ['reopen', 'refer'] : ['reopen']);

    const log = await get(admin, '/api/admin/audit?action=ledger.action', AuditPageSchema);
    expect(log.entries.filter((e) => e.targetId === item.id).map((e) => e.details.action)).toEqual(['close', 'record', 'reverify', 'submit-evidence', 'start', 'assign', 'confirm']);

    // Another township's supervisor neither sees nor touches it.
    const otherTownship = item.areaCode.slice(0, 6) + (item.areaCode.slice(6, 9) === '101' ? '102' : '101') + '000';
    await insertUser(t.database.db, { username: 'other-sup', displayName: '他镇督导', role: 'supervisor', areaCode: otherTownship, passwordHash: await hashPassword(DEMO_PASSWORD) });
    const other = await signIn(t.app, 'other-sup');
    expect((await t.app.inject({ method: 'GET', url: `/api/ledger/${item.id}`, headers: { cookie: other } })).statusCode).toBe(404);
    expect((await act(other, item.id, { kind: 'reopen', comment: '试' })).statusCode).toBe(404);
    expect((await listAll(other)).some((i) => i.id === item.id)).toBe(false);
  });

  it('is for cadres, supervisors and admins; an inspector is turned away', async () => {
    const inspector = await signIn(t.app, 'inspector');
    expect((await t.app.inject({ method: 'GET', url: '/api/ledger', headers: { cookie: inspector } })).statusCode).toBe(403);
    const cadre = await signIn(t.app, 'cadre');
    expect((await t.app.inject({ method: 'POST', url: '/api/ledger/scan', headers: { cookie: cadre } })).statusCode).toBe(403);
    const mine = await listAll(cadre);
    expect(mine.every((i) => i.areaCode === '421321101200')).toBe(true);
  });
});

describe('evidence photos', () => {
  it('go with the step that submits them, only as blobs the sender may reference; whoever sees the item sees them', async () => {
    // An item of another township than the earlier tests', taken to rectifying by the county.
    const item = all.find((i) => i.state === 'found' && i.category === 'A' && i.areaCode.slice(6, 9) !== '101') ?? all.find((i) => i.state === 'found');
    if (!item) throw new Error('no item left in found');
    for (const step of [{ kind: 'confirm' }, { kind: 'assign', assignment: { unit: '镇民政办', person: '李华', measure: '停发并追回', deadline: '2099-12-31' } }, { kind: 'start' }]) {
      expect((await act(county, item.id, step)).statusCode).toBe(200);
    }
    const township = `${item.areaCode.slice(0, 9)}000`;
    await insertUser(t.database.db, { username: 'photo-sup', displayName: '镇督导', role: 'supervisor', areaCode: township, passwordHash: await hashPassword(DEMO_PASSWORD) });
    const otherTownship = `${item.areaCode.slice(0, 6)}${item.areaCode.slice(6, 9) === '102' ? '103' : '102'}000`;
    await insertUser(t.database.db, { username: 'photo-other', displayName: '他镇督导', role: 'supervisor', areaCode: otherTownship, passwordHash: await hashPassword(DEMO_PASSWORD) });
    const town = await signIn(t.app, 'photo-sup');
    const other = await signIn(t.app, 'photo-other');
    const put = async (cookie: string, bytes: Buffer) => {
      const sha = createHash('sha256').update(bytes).digest('hex');
      const res = await t.app.inject({ method: 'PUT', url: `/api/blobs/${sha}`, headers: { cookie, 'content-type': 'image/jpeg' }, payload: bytes });
      expect(res.statusCode, res.body).toBe(201);
      return sha;
    };
    const mine = await put(town, Buffer.from('整改后的照片：已停发通知书'));
    const theirs = await put(other, Buffer.from('另一个乡镇的照片'));
    const never = 'f'.repeat(64);

    // A photo never uploaded, or another area's: refused naming it; nothing of the step is kept.
    for (const photos of [[mine, never], [theirs]]) {
      const res = await act(town, item.id, { kind: 'submit-evidence', comment: '已整改', photos });
      expect(res.statusCode, res.body).toBe(400);
      const err = z.parse(ApiErrorSchema, res.json()).error;
      expect(err.message).toBe('整改照片尚未上传，请重新提交');
      expect(err.fields).toEqual([{ path: `body.photos[${photos.length - 1}]`, message: '整改照片尚未上传，请重新提交' }]);
      const detail = await get(county, `/api/ledger/${item.id}`, LedgerItemDetailSchema);
      expect(detail.item.state).toBe('rectifying');
      expect(detail.evidence).toEqual([]);
    }
    // A malformed hash is the schema's 400.
    expect((await act(town, item.id, { kind: 'submit-evidence', photos: ['not-a-hash'] })).statusCode).toBe(400);

    // A photo alone is evidence enough.
    const ok = await act(town, item.id, { kind: 'submit-evidence', photos: [mine] });
    expect(ok.statusCode, ok.body).toBe(200);
    const detail = await get(county, `/api/ledger/${item.id}`, LedgerItemDetailSchema);
    expect(detail.item.state).toBe('evidence-submitted');
    expect(detail.evidence).toEqual([{ sha256: mine, username: 'photo-sup', createdAt: expect.any(String) as string }]);
    // The county sees the photo it did not upload; another township does not.
    expect((await t.app.inject({ method: 'GET', url: `/api/blobs/${mine}`, headers: { cookie: county } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/blobs/${mine}`, headers: { cookie: other } })).statusCode).toBe(404);
  });
});

describe("a village cadre's rectification tasks", () => {
  it("reach the cadre's device with the steps allowed, and a step sent twice under one key is taken once", async () => {
    const cadre = await signIn(t.app, 'cadre');
    const tip = await t.app.inject({ method: 'POST', url: '/api/ledger/tips', headers: { cookie: county }, payload: { kind: 'other', areaCode: '421321101200', description: '村民反映：低保金被村干部代领' } });
    expect(tip.statusCode, tip.body).toBe(201);
    const number = z.parse(z.object({ number: z.int() }), tip.json()).number;
    const item = (await listAll(county)).find((i) => i.number === number);
    if (!item) throw new Error('the tip is not on the ledger');
    expect((await act(county, item.id, { kind: 'confirm' })).statusCode).toBe(200);
    expect((await act(county, item.id, { kind: 'assign', assignment: { unit: '星亮村委会', person: '村支书', measure: '核实后整改', deadline: '2099-03-31' } })).statusCode).toBe(200);

    const tasks = async () => z.parse(LedgerTasksSchema, (await t.app.inject({ method: 'GET', url: '/api/ledger/tasks', headers: { cookie: cadre } })).json()).tasks;
    const mine = await tasks();
    expect(mine.every((x) => x.item.areaCode === '421321101200')).toBe(true);
    expect(mine.find((x) => x.item.id === item.id)).toMatchObject({ item: { state: 'assigned' }, allowedActions: ['start'] });

    const key = randomUUID();
    const step = () => t.app.inject({ method: 'POST', url: `/api/ledger/${item.id}/actions`, headers: { cookie: cadre, 'idempotency-key': key }, payload: { kind: 'start', comment: '已入户核实' } });
    const first = await step();
    expect(first.statusCode, first.body).toBe(200);
    // The reply was lost; the outbox sends it again: answered, not taken twice (a second start would be 409).
    const again = await step();
    expect(again.statusCode, again.body).toBe(200);
    expect(z.parse(LedgerItemSchema, again.json()).state).toBe('rectifying');
    const history = (await get(county, `/api/ledger/${item.id}`, LedgerItemDetailSchema)).history;
    expect(history.filter((h) => h.action === 'start')).toHaveLength(1);
    // The same key for another item is refused.
    const other = mine.find((x) => x.item.id !== item.id);
    if (other) {
      const reused = await t.app.inject({ method: 'POST', url: `/api/ledger/${other.item.id}/actions`, headers: { cookie: cadre, 'idempotency-key': key }, payload: { kind: 'start' } });
      expect(reused.statusCode).toBe(409);
    }
    expect((await t.app.inject({ method: 'POST', url: `/api/ledger/${item.id}/actions`, headers: { cookie: cadre, 'idempotency-key': 'not-a-uuid' }, payload: { kind: 'start' } })).statusCode).toBe(400);

    const sent = await t.app.inject({ method: 'POST', url: `/api/ledger/${item.id}/actions`, headers: { cookie: cadre, 'idempotency-key': randomUUID() }, payload: { kind: 'submit-evidence', comment: '已退回代领资金' } });
    expect(sent.statusCode, sent.body).toBe(200);
    expect((await tasks()).find((x) => x.item.id === item.id)).toMatchObject({ item: { state: 'evidence-submitted' }, allowedActions: [] });
  });
});

describe("an accepted form's problems", () => {
  it('go on the ledger once; one about the same person and code as an anomaly is that item, with two sources', async () => {
    const death = demo.planted.cases.find((c) => c.kind === 'payment-after-death')!;
    const householdId = death.householdIds[0]!;
    const village = rowsOf<{ v: string }>(await t.database.db.execute(sql`select village_code as v from households where id = ${householdId}`))[0]!.v;
    await insertUser(t.database.db, { username: 'cadre-death', displayName: '村干部', role: 'cadre', areaCode: village, passwordHash: await hashPassword(DEMO_PASSWORD) });
    const cadre = await signIn(t.app, 'cadre-death');
    const area = z.parse(PullResponseSchema, (await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadre } })).json()).changes;
    const household = area.household.find((h) => h.id === householdId)!;
    const body = prefillForm(household, area.person, area.account, area.paymentLine, area.item, DEFAULT_CHECK_PERIOD, '村干部');
    const deceased = personKey(await privacyKeys(t.app.db.db), death.personIds[0]!);
    body.problems = [
      { key: `auto:A3:${deceased}`, code: 'A3', amountFen: 50_000, description: '已死亡仍发放', personIds: [deceased], source: 'proposed' },
      { key: 'manual:1', code: 'A5', amountFen: null, description: '未见公示', personIds: [], source: 'manual' },
    ];
    const formId = randomUUID();
    const push = await t.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { cookie: cadre },
      payload: { deviceId: randomUUID(), appVersion: 'test', mutations: [{ id: randomUUID(), counter: 1, kind: 'form.put', formId, baseRev: 0, body, blobs: [], clientTime: new Date().toISOString() }] },
    });
    expect(z.parse(PushResponseSchema, push.json()).results[0]?.status).toBe('applied');

    const before = await listAll(county);
    const accept = await t.app.inject({ method: 'POST', url: `/api/forms/${formId}/review`, headers: { cookie: county }, payload: { action: 'accept', comment: '', rev: 1 } });
    expect(accept.statusCode, accept.body).toBe(200);
    const after = await listAll(county);
    // A5 is new; A3 was already on the ledger from the scan.
    expect(after.length).toBe(before.length + 1);
    const a3 = after.find((i) => i.problemCode === 'A3' && i.personKey === deceased)!;
    const detail = await get(county, `/api/ledger/${a3.id}`, LedgerItemDetailSchema);
    expect(detail.sources.map((s) => s.kind).sort()).toEqual(['anomaly', 'form']);
    expect(detail.history.map((h) => h.action)).toEqual(['found', 'linked']);
    const a5 = after.find((i) => !before.some((b) => b.id === i.id))!;
    expect(a5).toMatchObject({ problemCode: 'A5', areaCode: village, householdId, state: 'found', description: '未见公示' });
  });
});

describe("the demo's ledger", () => {
  it('has items in every state on a first start, one overdue and one referred, and a second start adds nothing', async () => {
    const fresh = await buildTestApp();
    try {
      await loadDemoCounty(fresh.database.db, { seed: 20220, people: 2000 });
      const seeded = await ensureDemoLedger(fresh.database);
      expect(seeded?.items).toBeGreaterThan(10);
      expect(await ensureDemoLedger(fresh.database)).toBeNull();
      const sup = await signIn(fresh.app, 'supervisor');
      const items: LedgerItem[] = [];
      let before: number | null = null;
      for (;;) {
        const url = `/api/ledger?limit=200${before === null ? '' : `&before=${String(before)}`}`;
        const res = await fresh.app.inject({ method: 'GET', url, headers: { cookie: sup } });
        const page: z.infer<typeof LedgerPageSchema> = z.parse(LedgerPageSchema, res.json());
        items.push(...page.items);
        if (page.next === null) break;
        before = page.next;
      }
      expect(new Set(items.map((i) => i.state))).toEqual(new Set(['found', 'confirmed', 'dismissed', 'assigned', 'rectifying', 'evidence-submitted', 'reverified', 'closed']));
      expect(items.filter((i) => i.overdue)).toHaveLength(1);
      expect(items.filter((i) => i.referral !== null)).toHaveLength(1);
      expect(items.find((i) => i.state === 'closed')).toMatchObject({ amountRecoveredFen: 192_000 });
      // The same ledger in numbers, counted by the database.
      const counts = z.parse(LedgerCountsSchema, (await fresh.app.inject({ method: 'GET', url: '/api/ledger/counts', headers: { cookie: sup } })).json());
      const tally = (key: (i: LedgerItem) => string) => items.reduce<Record<string, number>>((acc, i) => ({ ...acc, [key(i)]: (acc[key(i)] ?? 0) + 1 }), {});
      expect(counts.byState).toEqual(tally((i) => i.state));
      expect(counts.byCode).toEqual(tally((i) => i.problemCode));
      expect(counts.overdue).toBe(1);
      expect(counts.amountRecoveredFen).toBe(192_000);
      // The demo cadre has a task to rectify on their phone.
      const cadre = await signIn(fresh.app, 'cadre');
      const tasks = z.parse(LedgerTasksSchema, (await fresh.app.inject({ method: 'GET', url: '/api/ledger/tasks', headers: { cookie: cadre } })).json()).tasks;
      const startable = tasks.filter((x) => x.allowedActions.includes('start'));
      expect(startable.some((x) => x.item.assignment?.unit === '星亮村委会')).toBe(true);
      expect(startable.every((x) => x.item.areaCode === '421321101200')).toBe(true);
      expect(counts.amountInvolvedFen).toBe(items.reduce((sum, i) => sum + (i.amountInvolvedFen ?? 0), 0));
    } finally {
      await fresh.close();
    }
  });
});
