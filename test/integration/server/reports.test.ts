import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { MonthlyReportSchema, StageReportSchema, type MonthlyReport } from '#shared/schemas/report.ts';
import { PullResponseSchema, PushResponseSchema } from '#shared/schemas/sync.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { demoAreas } from '#server/cli/demo-data.ts';
import { rowsOf } from '#server/db/client.ts';
import { currentMonth } from '#server/reports/monthly-report.ts';
import { buildTestApp, signIn, type TestApp } from '#test/helpers/app.ts';
import { checkFormBody } from '#test/fixtures/check-form.ts';

/**
 * The monthly report (issue 15, item 3): per township, what the month added
 * (forms, problems by category and code, closed items and recovered money,
 * referrals) and where the ledger stood at its end.
 */
let t: TestApp;
let supervisor: string;
const THIS = currentMonth();
const [y, m] = THIS.split('-').map(Number) as [number, number];
const LAST = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
const NEXT = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
/** The middle of last month, China time. */
const LAST_MID = `${LAST}-15T10:00:00+08:00`;

async function item(code: string, category: 'A' | 'B' | 'C', createdAt: string | null, extra: { state?: string; amount?: number; recovered?: number; referral?: object } = {}) {
  const area = demoAreas().village.code;
  const [row] = rowsOf<{ id: string }>(
    await t.database.db.execute(sql`insert into ledger_items (problem_code, category, state, area_code, dedupe_key, title, description, amount_involved_fen, amount_recovered_fen, referral, created_at)
      values (${code}, ${category}, ${extra.state ?? 'found'}, ${area}, ${`report-test:${randomUUID()}`}, '测试问题', '月报测试', ${extra.amount ?? null}, ${extra.recovered ?? null}, ${extra.referral ? JSON.stringify(extra.referral) : null}::jsonb, coalesce(${createdAt}::timestamptz, now()))
      returning id::text as id`),
  );
  const id = row?.id ?? '';
  await t.database.db.execute(sql`insert into ledger_events (item_id, at, action, to_state) values (${id}, coalesce(${createdAt}::timestamptz, now()), 'record', 'found')`);
  return id;
}

async function get(query: string) {
  return t.app.inject({ method: 'GET', url: `/api/reports/monthly${query}`, headers: { cookie: supervisor } });
}
async function report(month: string): Promise<MonthlyReport> {
  const res = await get(`?month=${month}`);
  expect(res.statusCode, res.body).toBe(200);
  return z.parse(MonthlyReportSchema, res.json());
}

beforeAll(async () => {
  t = await buildTestApp();
  await loadDemoCounty(t.database.db, { people: 1500, anomalies: false });
  const cadre = await signIn(t.app, 'cadre');
  supervisor = await signIn(t.app, 'supervisor');
  const page = z.parse(PullResponseSchema, (await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadre } })).json());
  const deviceId = randomUUID();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: { cookie: cadre },
    payload: { deviceId, appVersion: 'test', outboxSize: 2, mutations: page.changes.household.slice(0, 2).map((h, i) => ({ id: randomUUID(), counter: i + 1, kind: 'form.put', formId: randomUUID(), baseRev: 0, body: checkFormBody(h), blobs: [], clientTime: new Date().toISOString() })) },
  });
  expect(z.parse(PushResponseSchema, res.json()).results.every((r) => r.status === 'applied')).toBe(true);

  // Last month: two found; one of them closed this month with money back.
  await item('A2', 'A', LAST_MID, { amount: 120_000 });
  const closed = await item('C1', 'C', LAST_MID, { state: 'closed', amount: 300_000, recovered: 250_000 });
  await t.database.db.execute(sql`insert into ledger_events (item_id, action, from_state, to_state) values (${closed}, 'close', 'reverified', 'closed')`);
  // This month: three found (one referred this month, one dismissed).
  await item('A5', 'A', null);
  await item('C2', 'C', null, { amount: 50_000, referral: { date: `${THIS}-01`, reference: '随纪移〔2026〕1号' } });
  const dismissed = await item('B1', 'B', null, { state: 'dismissed' });
  await t.database.db.execute(sql`insert into ledger_events (item_id, action, from_state, to_state) values (${dismissed}, 'dismiss', 'found', 'dismissed')`);
});
afterAll(async () => {
  await t.close();
});

describe('the monthly report', () => {
  it("counts this month's forms, problems, closings, recoveries and referrals per township, with a total", async () => {
    const r = await report(THIS);
    const township = demoAreas().township;
    expect(r.area).toEqual({ code: '421321000000', name: '随县' });
    const row = r.rows.find((x) => x.code === township.code);
    expect(row).toMatchObject({
      name: township.name,
      checkedInMonth: 2,
      checkedToDate: 2,
      foundInMonth: 3,
      byCategory: { A: 1, B: 1, C: 1 },
      byCode: { A5: 1, B1: 1, C2: 1 },
      amountInvolvedFen: 50_000,
      closedInMonth: 1,
      amountRecoveredFen: 250_000,
      referredInMonth: 1,
      // Found so far and not closed or dismissed: A2 from last month, A5 and C2.
      openAtEnd: 3,
      closedToDate: 1,
    });
    expect(row?.households).toBeGreaterThan(0);
    expect(r.total).toMatchObject({ name: '合计', foundInMonth: 3, closedInMonth: 1, checkedInMonth: 2 });
    expect(r.total.households).toBe(r.rows.reduce((n, x) => n + x.households, 0));
  });

  it('shows last month as it stood at its end', async () => {
    const r = await report(LAST);
    const row = r.rows.find((x) => x.code === demoAreas().township.code);
    expect(row).toMatchObject({ checkedInMonth: 0, checkedToDate: 0, foundInMonth: 2, byCode: { A2: 1, C1: 1 }, amountInvolvedFen: 420_000, closedInMonth: 0, openAtEnd: 2, closedToDate: 0 });
  });

  it('gives the report as an XLSX workbook and logs it', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/reports/monthly.xlsx?month=${THIS}`, headers: { cookie: supervisor } });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    expect(sheet?.getCell(1, 1).text).toBe(`随县惠民惠农财政补贴资金“一卡通”专项治理月报（${THIS}）`);
    expect(sheet?.getRow(2).getCell(1).text).toBe('乡镇');
    const last = sheet?.getRow(sheet.rowCount);
    expect(last?.getCell(1).text).toBe('合计');
    expect(last?.getCell(5).value).toBe(3);
    expect(last?.getCell(11).value).toBe(2500);
    const logged = rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from audit_log where action = 'export.report'`))[0]?.n;
    expect(logged).toBe(1);
  });

  it('refuses a month not yet begun, a malformed month and an area outside, in Chinese and naming the field', async () => {
    const future = await get(`?month=${NEXT}`);
    expect(future.statusCode).toBe(400);
    expect(future.json<{ error: { message: string; fields: { path: string }[] } }>().error).toMatchObject({ message: '不能选择尚未开始的月份', fields: [{ path: 'query.month' }] });
    const bad = await get('?month=2026-13');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('月份格式应为 YYYY-MM');
    const outside = await get(`?month=${THIS}&area=420102000000`);
    expect(outside.statusCode).toBe(403);
  });
});

describe('the stage summaries', () => {
  // A past year, so which days each summary counts does not depend on today.
  const YEAR = 2025;
  beforeAll(async () => {
    await item('A1', 'A', '2025-03-10T09:00:00+08:00', { amount: 10_000 });
    const closed = await item('C3', 'C', '2025-04-01T09:00:00+08:00', { state: 'closed', amount: 20_000, recovered: 20_000 });
    await t.database.db.execute(sql`insert into ledger_events (item_id, at, action, from_state, to_state) values (${closed}, '2025-05-20T09:00:00+08:00', 'close', 'reverified', 'closed')`);
    // After 30 June: only in the annual summary; after 30 November: in neither.
    await item('B2', 'B', '2025-09-01T09:00:00+08:00', { amount: 5_000, referral: { date: '2025-10-08', reference: '随纪移〔2025〕3号' } });
    await item('A3', 'A', '2025-12-05T09:00:00+08:00', { amount: 99_900 });
    // A spot-check round drawn in August 2025 over two households of the demo village.
    const [round] = rowsOf<{ id: string }>(
      await t.database.db.execute(sql`insert into inspection_rounds (name, area_code, seed, rule, input_hash, input, households, created_at)
        values ('2025 第一批', '421321101000', 'seed', '{}'::jsonb, 'hash', '{}'::jsonb, 2, '2025-08-01T09:00:00+08:00') returning id::text as id`),
    );
    const households = rowsOf<{ id: string }>(await t.database.db.execute(sql`select id from households where village_code = ${demoAreas().village.code} order by id limit 2`));
    for (const [i, h] of households.entries()) {
      await t.database.db.execute(sql`insert into inspection_sample (round_id, household_id, village_code, position, reason) values (${round?.id ?? ''}::uuid, ${h.id}, ${demoAreas().village.code}, ${i}, 'drawn')`);
    }
  });

  async function stage(query: string) {
    return t.app.inject({ method: 'GET', url: `/api/reports/stage${query}`, headers: { cookie: supervisor } });
  }

  it('counts the year to 30 June for the mid-year summary and to 30 November for the annual one', async () => {
    const first = z.parse(StageReportSchema, (await stage(`?year=${YEAR}&stage=1`)).json());
    expect(first).toMatchObject({ year: YEAR, stage: '1', from: '2025-01-01', through: '2025-06-30', due: '2025-07-10', complete: true });
    expect(first.total).toMatchObject({ foundInMonth: 2, byCategory: { A: 1, C: 1 }, amountInvolvedFen: 30_000, closedToDate: 1, amountRecoveredFen: 20_000, referredInMonth: 0, openAtEnd: 1, checkedToDate: 0 });
    expect(first.inspection).toEqual({ rounds: 0, villages: 0, sampled: 0, rechecked: 0, differing: 0, t1Differing: 0 });
    expect(first.villages.villages).toBeGreaterThan(100);
    expect(first.villages.started).toBe(0);

    const annual = z.parse(StageReportSchema, (await stage(`?year=${YEAR}&stage=2`)).json());
    expect(annual).toMatchObject({ through: '2025-11-30', due: '2025-12-12', complete: true });
    expect(annual.total).toMatchObject({ foundInMonth: 3, byCode: { A1: 1, B2: 1, C3: 1 }, amountInvolvedFen: 35_000, closedToDate: 1, referredInMonth: 1, openAtEnd: 2 });
    expect(annual.inspection).toEqual({ rounds: 1, villages: 1, sampled: 2, rechecked: 0, differing: 0, t1Differing: 0 });
    expect(annual.rows.find((r) => r.code === demoAreas().township.code)?.foundInMonth).toBe(3);
  });

  it("runs to today while its period is open, and counts this year's forms", async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const r = z.parse(StageReportSchema, (await stage(`?year=${y}&stage=2`)).json());
    const open = today <= `${y}-11-30`;
    expect(r.complete).toBe(!open);
    expect(r.through).toBe(open ? today : `${y}-11-30`);
    // The two forms pushed today count only while the period runs to today.
    expect(r.total.checkedToDate).toBe(open ? 2 : 0);
    expect(r.villages.started).toBe(open ? 1 : 0);
  });

  it('gives the key figures and the townships as an XLSX workbook and logs it', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/reports/stage.xlsx?year=${YEAR}&stage=2`, headers: { cookie: supervisor } });
    expect(res.statusCode).toBe(200);
    expect(decodeURIComponent(res.headers['content-disposition'] ?? '')).toContain('年度工作总结-随县-2025.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const [figures, townships] = wb.worksheets;
    expect(figures?.getCell(1, 1).text).toBe('随县惠民惠农财政补贴资金“一卡通”专项治理“回头看”2025年年度工作总结（主要数据）');
    const values = new Map<string, string>();
    figures?.eachRow((row, n) => {
      if (n > 2) values.set(row.getCell(1).text, row.getCell(2).text);
    });
    expect(values.get('发现问题（个）')).toBe('3');
    expect(values.get('涉及金额（元）')).toBe('350');
    expect(values.get('销号率')).toBe('33.3%');
    expect(values.get('抽查村数 / 抽查户数')).toBe('1 / 2');
    expect(values.get('统计期间')).toBe('2025-01-01 至 2025-11-30；2025-12-12 前报送');
    expect(townships?.getRow(2).getCell(5).text).toBe('期内发现问题');
    expect(townships?.getRow(townships.rowCount).getCell(5).value).toBe(3);
    const logged = rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from audit_log where action = 'export.report' and details ->> 'stage' = '2'`))[0]?.n;
    expect(logged).toBe(1);
  });

  it('refuses a year not yet begun, a malformed stage and an area outside, in Chinese', async () => {
    const future = await stage(`?year=${y + 1}&stage=1`);
    expect(future.statusCode).toBe(400);
    expect(future.json<{ error: { message: string; fields: { path: string }[] } }>().error).toMatchObject({ message: '不能选择尚未开始的年份', fields: [{ path: 'query.year' }] });
    const bad = await stage(`?year=${YEAR}&stage=3`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('阶段应为 1');
    const outside = await stage(`?year=${YEAR}&stage=1&area=420102000000`);
    expect(outside.statusCode).toBe(403);
  });
});
