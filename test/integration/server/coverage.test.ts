import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { sql } from 'drizzle-orm';
import { computeCoverage } from '#shared/domain/coverage.ts';
import { CoverageReportSchema, type CoverageReport } from '#shared/schemas/coverage.ts';
import { PullResponseSchema, PushResponseSchema, type SyncHousehold, type SyncPaymentLine, type SyncPerson } from '#shared/schemas/sync.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import { rowsOf } from '#server/db/client.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { refreshCoverage } from '#server/db/coverage-repository.ts';
import { buildTestApp, signIn, type TestApp } from '#test/helpers/app.ts';
import { checkFormBody } from '#test/fixtures/check-form.ts';

/**
 * Coverage at every level (issue 15, item 1) on the server: counted by
 * triggers as forms arrive and against the roster after an import, and
 * equal to the device's rule (computeCoverage) on the same data.
 */
const COUNTY = '421321000000';

let t: TestApp;
let cadre: string;
let supervisor: string;
let households: SyncHousehold[];
let persons: SyncPerson[];
let lines: SyncPaymentLine[];
const bodies = new Map<string, CheckFormBody>();
let counter = 0;
const deviceId = randomUUID();

async function coverage(area?: string, cookie = supervisor) {
  return t.app.inject({ method: 'GET', url: `/api/coverage${area ? `?area=${area}` : ''}`, headers: { cookie } });
}
async function report(area?: string): Promise<CoverageReport> {
  const res = await coverage(area);
  expect(res.statusCode, res.body).toBe(200);
  return z.parse(CoverageReportSchema, res.json());
}

async function put(body: CheckFormBody, formId: string, baseRev: number) {
  counter += 1;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: { cookie: cadre },
    payload: { deviceId, appVersion: 'test', outboxSize: 1, mutations: [{ id: randomUUID(), counter, kind: 'form.put', formId, baseRev, body, blobs: [], clientTime: new Date().toISOString() }] },
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(z.parse(PushResponseSchema, res.json()).results[0]?.status).toBe('applied');
}

/** A form answering every member and every ledger item of the household. */
function fullBody(h: SyncHousehold): CheckFormBody {
  const members = persons.filter((p) => p.householdId === h.id).map((p) => ({ personId: p.id, name: p.name, idNumber: null, isNew: false, present: true, identityChecked: true, status: 'living' as const, statusDate: null, relation: null, note: '' }));
  const pairs = [...new Map(lines.filter((l) => l.householdId === h.id).map((l) => [`${l.beneficiaryPersonId}|${l.itemCode}`, l])).values()];
  const items = pairs.map((l) => ({ personId: l.beneficiaryPersonId, itemCode: l.itemCode, ledgerAmountFen: 0, ledgerLineCount: 1, knows: true, received: 'yes' as const, amountReceivedFen: null, onTime: true, intoOwnCard: true, distribution: null, note: '' }));
  return checkFormBody(h, { members, items });
}

/** What the device's rule says for the village, from the same roster and forms. */
function deviceRule() {
  return computeCoverage({
    households: households.map((h) => ({ id: h.id })),
    persons: persons.map((p) => ({ id: p.id, householdId: p.householdId })),
    itemLines: lines.map((l) => ({ householdId: l.householdId, personId: l.beneficiaryPersonId, itemCode: l.itemCode })),
    submittedForms: [...bodies.values()].map((b) => ({ householdId: b.householdId, members: b.members, items: b.items })),
  });
}

const formIds = new Map<string, string>();

beforeAll(async () => {
  t = await buildTestApp();
  await loadDemoCounty(t.database.db, { people: 4000 });
  cadre = await signIn(t.app, 'cadre');
  supervisor = await signIn(t.app, 'supervisor');
  const page = z.parse(PullResponseSchema, (await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadre } })).json());
  households = page.changes.household;
  persons = page.changes.person;
  lines = page.changes.paymentLine;
  expect(households.length).toBeGreaterThanOrEqual(4);
  // Household 0 fully answered, 1 only its head, 2 not found; the rest not visited.
  const [h0, h1, h2] = households as [SyncHousehold, SyncHousehold, SyncHousehold];
  expect(lines.some((l) => l.householdId === h0.id)).toBe(true);
  const plan: [SyncHousehold, CheckFormBody][] = [
    [h0, fullBody(h0)],
    [h1, checkFormBody(h1)],
    [h2, checkFormBody(h2, { outcome: 'not-found', outcomeReason: '全家外出务工，三次未遇', members: [] })],
  ];
  for (const [h, body] of plan) {
    const id = randomUUID();
    formIds.set(h.id, id);
    bodies.set(h.id, body);
    await put(body, id, 0);
  }
});
afterAll(async () => {
  await t.close();
});

describe('coverage', () => {
  it("counts a village's households, people and items as the device's rule does, and lists each household", async () => {
    const village = households[0]!.villageCode;
    const r = await report(village);
    const expected = deviceRule();
    expect(r.area).toMatchObject({ code: village, level: 'village', villages: 1, villagesStarted: 1, households: households.length, visited: 3, notFound: 1, refused: 0 });
    expect({ persons: r.area.persons, personsCovered: r.area.personsCovered, items: r.area.items, itemsCovered: r.area.itemsCovered }).toEqual({
      persons: expected.persons.total,
      personsCovered: expected.persons.covered,
      items: expected.items.total,
      itemsCovered: expected.items.covered,
    });
    expect(r.area.personsCovered).toBeGreaterThan(1);
    expect(r.area.itemsCovered).toBeGreaterThan(0);
    expect(r.children).toEqual([]);
    expect(r.households).toHaveLength(households.length);
    // Not visited first: the gaps lead.
    expect(r.households.slice(0, households.length - 3).every((h) => h.outcome === null && h.formId === null)).toBe(true);
    const byId = new Map(r.households.map((h) => [h.householdId, h]));
    const full = byId.get(households[0]!.id);
    expect(full).toMatchObject({ outcome: 'checked', formId: formIds.get(households[0]!.id), authorName: '李建国' });
    expect(full?.personsCovered).toBe(full?.persons);
    expect(full?.itemsCovered).toBe(full?.items);
    expect(byId.get(households[1]!.id)?.personsCovered).toBe(1);
    expect(byId.get(households[2]!.id)).toMatchObject({ outcome: 'not-found', personsCovered: 0, itemsCovered: 0 });
  });

  it('sums the county from its townships, drills down to the village, and lists the villages no form reached', async () => {
    const county = await report();
    expect(county.area).toMatchObject({ code: COUNTY, level: 'county', visited: 3, villagesStarted: 1 });
    expect(county.path.map((p) => p.code)).toEqual([COUNTY]);
    expect(county.children.length).toBeGreaterThan(1);
    expect(county.children.every((c) => c.level === 'township')).toBe(true);
    for (const k of ['villages', 'households', 'persons', 'items', 'visited', 'personsCovered', 'itemsCovered'] as const) {
      expect(county.children.reduce((n, c) => n + c[k], 0), k).toBe(county.area[k]);
    }
    const count = async (table: 'households' | 'persons') => rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from ${sql.raw(table)}`))[0]?.n;
    expect(county.area.households).toBe(await count('households'));
    expect(county.area.persons).toBe(await count('persons'));
    expect(county.villagesAtZeroTotal).toBe(county.area.villages - 1);
    expect(county.villagesAtZero.some((v) => v.code === households[0]!.villageCode)).toBe(false);

    const township = county.children.find((c) => c.visited > 0);
    expect(township?.code).toBe(`${households[0]!.villageCode.slice(0, 9)}000`);
    const down = await report(township?.code);
    expect(down.path.map((p) => p.code)).toEqual([COUNTY, township?.code]);
    expect(down.children.every((c) => c.level === 'village')).toBe(true);
    expect(down.children.find((c) => c.code === households[0]!.villageCode)).toMatchObject({ visited: 3, villagesStarted: 1 });
    expect(down.area).toMatchObject({ visited: 3, villages: down.children.length });
  });

  it('follows an edited form at once, and the roster after an import', async () => {
    const h1 = households[1]!;
    const body = fullBody(h1);
    bodies.set(h1.id, body);
    await put(body, formIds.get(h1.id) ?? '', 1);
    const r = await report(h1.villageCode);
    const after = r.households.find((h) => h.householdId === h1.id);
    expect(after?.personsCovered).toBe(after?.persons);
    expect(r.area.personsCovered).toBe(deviceRule().persons.covered);

    // A person added to the roster (as an import would): counted once the area is refreshed.
    await t.database.db.execute(sql`insert into persons (id, household_id, village_code, name, sex, birth_date, relation, status)
      select '42132119990101999X', id, village_code, '新成员', 'F', '2001-01-01', '女', 'living' from households where id = ${h1.id}`);
    await refreshCoverage(t.database.db, h1.villageCode);
    const refreshed = await report(h1.villageCode);
    expect(refreshed.area.persons).toBe(r.area.persons + 1);
    expect(refreshed.households.find((h) => h.householdId === h1.id)?.persons).toBe((after?.persons ?? 0) + 1);
    expect(refreshed.area.personsCovered).toBe(r.area.personsCovered);
  });

  it("keeps the village's sums true under pushes at the same time", async () => {
    // Six devices push six households of the same village at once (on PostgreSQL, truly at once).
    const rest = households.slice(3, 9);
    await Promise.all(
      rest.map(async (h) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/sync/push',
          headers: { cookie: cadre },
          payload: { deviceId: randomUUID(), appVersion: 'test', outboxSize: 1, mutations: [{ id: randomUUID(), counter: 1, kind: 'form.put', formId: randomUUID(), baseRev: 0, body: fullBody(h), blobs: [], clientTime: new Date().toISOString() }] },
        });
        expect(res.statusCode, res.body).toBe(200);
      }),
    );
    const village = households[0]!.villageCode;
    const [truth] = rowsOf<{ visited: number; persons: number; items: number }>(
      await t.database.db.execute(sql`select count(*)::int as visited, sum(persons_covered)::int as persons, sum(items_covered)::int as items from coverage_households where village_code = ${village}`),
    );
    expect(truth?.visited).toBe(3 + rest.length);
    const r = await report(village);
    expect({ visited: r.area.visited, persons: r.area.personsCovered, items: r.area.itemsCovered }).toEqual(truth);
  });

  it('answers a clear 4xx in Chinese for a bad code, an area outside, an unknown village and a cadre', async () => {
    const bad = await coverage('12345');
    expect(bad.statusCode).toBe(400);
    const outside = await coverage('420102000000');
    expect(outside.statusCode).toBe(403);
    expect(outside.json<{ error: { message: string } }>().error.message).toBe('该地区不在您的工作区域内');
    const unknown = await coverage('421321101999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ error: { message: string } }>().error.message).toBe('没有这个地区');
    expect((await coverage(undefined, cadre)).statusCode).toBe(403);
  });
});

describe('the forms export', () => {
  it('streams one row per household with a form as CSV with a BOM and as XLSX with text columns, masked, and logs it', async () => {
    const village = households[0]!.villageCode;
    const csv = await t.app.inject({ method: 'GET', url: `/api/exports/forms.csv?area=${village}`, headers: { cookie: supervisor } });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(String(csv.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('核查表-')}`);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('乡镇,村,组,门牌号,户主,户主身份证（脱敏）,核查结果,在册人数,已确认人数,补贴项目数,已问到项目数,发现问题,填表人,审核状态,最后更新');
    const withForms = rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from coverage_households`))[0]?.n ?? 0;
    expect(withForms).toBeGreaterThanOrEqual(3);
    expect(lines).toHaveLength(1 + withForms);
    expect(lines.filter((l) => l.includes(',未找到,'))).toHaveLength(1);
    expect(csv.body).not.toMatch(/\d{17}[\dX]/);
    expect(csv.body).toMatch(/\d{4}\*{10}\d{3}[\dX]/);

    const xlsx = await t.app.inject({ method: 'GET', url: '/api/exports/forms.xlsx', headers: { cookie: supervisor } });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    expect(sheet?.name).toBe('核查表（每户一行）');
    expect(sheet?.rowCount).toBe(1 + withForms);
    const row = sheet?.getRow(2);
    expect(typeof row?.getCell(6).value).toBe('string');
    expect(typeof row?.getCell(8).value).toBe('number');
    expect(row?.getCell(13).value).toBe('李建国');

    const logged = rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from audit_log where action = 'export.forms'`))[0]?.n;
    expect(logged).toBe(2);
    expect((await t.app.inject({ method: 'GET', url: '/api/exports/forms.csv?area=420102000000', headers: { cookie: supervisor } })).statusCode).toBe(403);
  });

  it('streams one row per person and item answered on the forms, naming the person found by key, masked, and logs it', async () => {
    const csv = await t.app.inject({ method: 'GET', url: '/api/exports/form-items.csv', headers: { cookie: supervisor } });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(String(csv.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('核查表补贴明细-')}`);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]?.split(',').slice(5, 8)).toEqual(['享受人', '享受人身份证（脱敏）', '补贴项目']);
    // As many rows as the latest cadre forms answer items.
    const [expected] = rowsOf<{ n: number }>(
      await t.database.db.execute(sql`select coalesce(sum(jsonb_array_length(f.body -> 'items')), 0)::int as n from coverage_households c join check_forms f on f.id = c.form_id`),
    );
    expect(expected!.n).toBeGreaterThan(0);
    expect(lines).toHaveLength(1 + expected!.n);
    // Every person was found from the key on the form: a name from the roster, and a masked ID.
    const names = new Set(persons.map((p) => p.name));
    for (const line of lines.slice(1)) {
      const cols = line.split(',');
      expect(names.has(cols[5] ?? ''), line).toBe(true);
      expect(cols[6]).toMatch(/^\d{4}\*{10}\d{3}[\dX]$/);
      expect(cols[11]).toBe('已收到');
    }
    expect(csv.body).not.toMatch(/\d{17}[\dX]/);
    expect(csv.body).not.toMatch(/,p[\w-]{11},/);

    const xlsx = await t.app.inject({ method: 'GET', url: `/api/exports/form-items.xlsx?area=${households[0]!.villageCode}`, headers: { cookie: supervisor } });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    expect(sheet?.name).toBe('补贴明细（每人每项一行）');
    expect(sheet?.rowCount).toBeGreaterThan(1);
    const row = sheet?.getRow(2);
    expect(typeof row?.getCell(7).value).toBe('string');
    expect(typeof row?.getCell(9).value).toBe('number');
    expect(typeof row?.getCell(10).value).toBe('number');
    const logged = rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from audit_log where action = 'export.form_items'`))[0]?.n;
    expect(logged).toBe(2);
    expect((await t.app.inject({ method: 'GET', url: '/api/exports/form-items.csv?area=420102000000', headers: { cookie: supervisor } })).statusCode).toBe(403);
  });

  it("exports coverage one row per village, its sums the area's own counts, and logs it", async () => {
    const whole = await report();
    const csv = await t.app.inject({ method: 'GET', url: '/api/exports/coverage.csv', headers: { cookie: supervisor } });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(String(csv.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('核查覆盖-')}`);
    const lines = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]?.split(',').slice(0, 5)).toEqual(['乡镇', '村', '村代码', '在册户数', '已入户']);
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows).toHaveLength(whole.area.villages);
    const sum = (i: number) => rows.reduce((a, r) => a + Number(r[i]), 0);
    expect(sum(3)).toBe(whole.area.households);
    expect(sum(4)).toBe(whole.area.visited);
    expect(sum(5)).toBe(whole.area.notFound);
    expect(sum(9)).toBe(whole.area.persons);
    expect(sum(10)).toBe(whole.area.personsCovered);
    expect(sum(13)).toBe(whole.area.itemsCovered);
    // Households not reached: the gap, per village.
    expect(sum(7)).toBe(whole.area.households - whole.area.visited - whole.area.notFound - whole.area.refused);
    expect(rows.filter((r) => Number(r[4]) + Number(r[5]) + Number(r[6]) === 0)).toHaveLength(whole.villagesAtZeroTotal);

    const village = households[0]!.villageCode;
    const xlsx = await t.app.inject({ method: 'GET', url: `/api/exports/coverage.xlsx?area=${village}`, headers: { cookie: supervisor } });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe('核查覆盖（每村一行）');
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(3).value).toBe(village);
    expect(typeof sheet.getRow(2).getCell(4).value).toBe('number');
    const logged = rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from audit_log where action = 'export.coverage'`))[0]?.n;
    expect(logged).toBe(2);
    expect((await t.app.inject({ method: 'GET', url: '/api/exports/coverage.csv?area=420102000000', headers: { cookie: supervisor } })).statusCode).toBe(403);
  });
});
