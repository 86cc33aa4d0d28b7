import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { AuditPageSchema } from '#shared/schemas/audit.ts';
import { LatestLedgerScanSchema, LedgerScanSchema } from '#shared/schemas/ledger.ts';
import { runAnomalyChecks } from '#shared/domain/anomalies/index.ts';
import { hashPassword } from '#server/auth/password.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { crossUnitLines, loadAnomalyInput, scanUnits } from '#server/db/anomaly-repository.ts';
import { rowsOf } from '#server/db/client.ts';
import { insertScan } from '#server/db/scan-repository.ts';
import { insertUser } from '#server/db/users-repository.ts';
import { ScanRunner } from '#server/ledger/scan-runner.ts';
import { apiText } from '#server/messages/api.zh-CN.ts';
import { buildTestApp, DEMO_PASSWORD, signIn, type TestApp } from '#test/helpers/app.ts';

/**
 * The anomaly scan as a background job (issue 13, item 4): it walks the area
 * township by township, with its progress on its row, and finds exactly what
 * one scan of the whole county at once finds — including an account in one
 * township collecting for households of another, the one rule that looks
 * across townships. A second request joins the scan under way; a scan a
 * restart cut off is marked failed; scans are seen inside one's area only.
 */
let t: TestApp;
let county: string;
let countyPrefix: string;
/** The account planted to collect for households of another township. */
let collector: { number: string; bankName: string; township: string };

beforeAll(async () => {
  t = await buildTestApp();
  const demo = await loadDemoCounty(t.database.db, { seed: 31337, people: 3000 });
  const code = demo.regions.find((r) => r.level === 'county')?.code ?? '';
  countyPrefix = code.slice(0, 6);
  county = await signIn(t.app, 'supervisor');

  // Plant a collector across township borders: one line of each of two
  // households of the first township and two of the second, paid into an
  // account held in the third. Each of the first two sees a C2 of two
  // households; only the whole county (or the third, given every line paid
  // into its accounts) sees the C3 of four.
  const [t1, t2, t3] = await scanUnits(t.database.db, countyPrefix);
  if (t1 === undefined || t2 === undefined || t3 === undefined) throw new Error('the demo county has fewer than three townships');
  const [acc] = rowsOf<{ number: string; bank_name: string }>(
    await t.database.db.execute(sql`select number, bank_name from accounts where village_code like ${`${t3}%`} order by number limit 1`),
  );
  if (!acc) throw new Error('no account in the third township');
  collector = { number: acc.number, bankName: acc.bank_name, township: t3 };
  for (const township of [t1, t2]) {
    await t.database.db.execute(sql`
      insert into payment_lines (id, item_code, beneficiary_person_id, household_id, village_code, period, amount_fen, paid_on, account_number, bank_name)
      select id || ':planted', item_code, beneficiary_person_id, household_id, village_code, period, amount_fen, paid_on, ${acc.number}, ${acc.bank_name}
      from (
        select distinct on (household_id) * from payment_lines
        where village_code like ${`${township}%`} order by household_id, id
      ) l
      order by household_id
      limit 2`);
  }
}, 120_000);
afterAll(async () => {
  await t.close();
});

const get = async <T,>(cookie: string, url: string, schema: z.ZodMiniType<T>) => {
  const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return z.parse(schema, res.json());
};
const startScan = async (cookie: string) => {
  const res = await t.app.inject({ method: 'POST', url: '/api/ledger/scan', headers: { cookie } });
  expect(res.statusCode, res.body).toBe(202);
  return z.parse(LedgerScanSchema, res.json());
};

describe('the anomaly scan in the background', () => {
  it('walks the county township by township and finds exactly what one scan of the whole county finds', async () => {
    const whole = runAnomalyChecks(await loadAnomalyInput(t.database, countyPrefix), { areaPrefix: countyPrefix });
    // The planted collector is a C3 case of the first township, proven by the other township's lines.
    const planted = whole.find((f) => f.rule === 'account-for-other-households' && f.accountNumbers.includes(collector.number));
    expect(planted?.problemCode).toBe('C3');
    expect([...(await crossUnitLines(t.database.db, countyPrefix)).keys()]).toContain(collector.township);

    // Two presses at once: one scan.
    const [started, second] = await Promise.all([startScan(county), startScan(county)]);
    expect(['queued', 'running']).toContain(started.status);
    expect(second.id).toBe(started.id);
    await t.app.scans.idle();

    const scan = await get(county, `/api/ledger/scans/${started.id}`, LedgerScanSchema);
    const units = await scanUnits(t.database.db, countyPrefix);
    expect(scan).toMatchObject({ status: 'done', trigger: 'manual', username: 'supervisor', unitsTotal: units.length, unitsDone: units.length, error: null });
    expect(units.length).toBeGreaterThan(5);
    expect(scan.findings).toBe(whole.length);
    expect(scan.created + scan.linked + scan.known).toBe(whole.length);

    const refs = rowsOf<{ ref: string }>(await t.database.db.execute(sql`select ref from ledger_sources where kind = 'anomaly' order by ref`)).map((r) => r.ref);
    expect(refs).toEqual(whole.map((f) => f.id).sort());
    // Each item made by one finding holds that finding's code and amount, the planted C3 too.
    const items = rowsOf<{ ref: string; problem_code: string; amount: number | null }>(
      await t.database.db.execute(sql`
        select s.ref, i.problem_code, i.amount_involved_fen::float8 as amount
        from ledger_items i join ledger_sources s on s.item_id = i.id
        where (select count(*) from ledger_sources o where o.item_id = i.id) = 1`),
    );
    const byId = new Map(whole.map((f) => [f.id, f]));
    expect(items.length).toBeGreaterThan(whole.length / 2);
    for (const i of items) expect([i.ref, i.problem_code, i.amount], i.ref).toEqual([i.ref, byId.get(i.ref)?.problemCode, byId.get(i.ref)?.amountFen || null]);
    expect(items.find((i) => i.ref === planted?.id)).toMatchObject({ problem_code: 'C3', amount: planted?.amountFen });

    // The newest scan of the area, and the audit entry with its counts.
    expect((await get(county, '/api/ledger/scans/latest', LatestLedgerScanSchema)).scan?.id).toBe(started.id);
    const admin = await signIn(t.app, 'admin');
    const audit = await get(admin, '/api/admin/audit?action=ledger.scan', AuditPageSchema);
    expect(audit.entries[0]).toMatchObject({ targetType: 'scan', targetId: started.id, details: { units: units.length, findings: whole.length, trigger: 'manual' } });
  });

  it('is seen inside its area only: a township supervisor sees the county scan, not another township’s', async () => {
    const [t1, t2] = await scanUnits(t.database.db, countyPrefix);
    await insertUser(t.database.db, { username: 'scan-t1', displayName: '一镇督导', role: 'supervisor', areaCode: `${t1}000`, passwordHash: await hashPassword(DEMO_PASSWORD) });
    await insertUser(t.database.db, { username: 'scan-t2', displayName: '二镇督导', role: 'supervisor', areaCode: `${t2}000`, passwordHash: await hashPassword(DEMO_PASSWORD) });
    const town1 = await signIn(t.app, 'scan-t1');
    const town2 = await signIn(t.app, 'scan-t2');
    const countyScan = (await get(county, '/api/ledger/scans/latest', LatestLedgerScanSchema)).scan;
    expect((await get(town1, '/api/ledger/scans/latest', LatestLedgerScanSchema)).scan?.id).toBe(countyScan?.id);

    const own = await startScan(town1);
    await t.app.scans.idle();
    const done = await get(town1, `/api/ledger/scans/${own.id}`, LedgerScanSchema);
    // One unit, and everything in it already on the ledger from the county's scan.
    expect(done).toMatchObject({ status: 'done', unitsTotal: 1, unitsDone: 1, created: 0, linked: 0 });
    expect(done.known).toBe(done.findings);
    expect((await get(county, `/api/ledger/scans/${own.id}`, LedgerScanSchema)).id).toBe(own.id);
    expect((await t.app.inject({ method: 'GET', url: `/api/ledger/scans/${own.id}`, headers: { cookie: town2 } })).statusCode).toBe(404);

    const cadre = await signIn(t.app, 'cadre');
    expect((await t.app.inject({ method: 'POST', url: '/api/ledger/scan', headers: { cookie: cadre } })).statusCode).toBe(403);
  });

  it('marks a scan a restart cut off as failed, keeping what it wrote', async () => {
    const before = rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from ledger_items`))[0]?.n;
    const cut = await insertScan(t.database.db, { areaCode: `${countyPrefix}000000`, trigger: 'import', userId: null, username: null });
    await t.database.db.execute(sql`update anomaly_scans set status = 'running', started_at = now(), units_total = 9, units_done = 4 where id = ${cut.id}`);
    const runner = new ScanRunner(t.database, { onError: () => undefined });
    expect(await runner.recover()).toBe(1);
    const scan = await get(county, `/api/ledger/scans/${cut.id}`, LedgerScanSchema);
    expect(scan).toMatchObject({ status: 'failed', unitsDone: 4, error: apiText.ledger.scanInterrupted });
    expect(scan.finishedAt).not.toBeNull();
    expect(rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from ledger_items`))[0]?.n).toBe(before);
  });
});
