/**
 * The demo county as a campaign in progress (issue 15, item 7): built
 * through the product's own doors, it must leave every supervisor screen
 * something real: coverage well short of done with villages at zero, forms
 * in each review state with signatures that open, the accepted forms'
 * problems on the ledger, a month before this one in the report, and a
 * sample partly re-checked with differences.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { chinaMonth } from '#shared/domain/china-month.ts';
import { ensureDemoCampaign, ensureDemoRechecks, type DemoCampaign, type DemoRechecks } from '#server/cli/demo/campaign.ts';
import { ensureDemoInspection } from '#server/cli/demo/inspection.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { rowsOf } from '#server/db/client.ts';
import { DEMO_PASSWORD, buildTestApp, signIn, type TestApp } from '#test/helpers/app.ts';

let t: TestApp;
let campaign: DemoCampaign | null;
let rechecks: DemoRechecks | null;
let supervisor: string;
const NOW = Date.parse('2026-11-20T10:00:00+08:00');

beforeAll(async () => {
  t = await buildTestApp();
  await loadDemoCounty(t.database.db, { people: 2500 });
  campaign = await ensureDemoCampaign(t.app, { password: DEMO_PASSWORD, now: NOW });
  await ensureDemoInspection(t.database);
  rechecks = await ensureDemoRechecks(t.app, { password: DEMO_PASSWORD, now: NOW });
  supervisor = await signIn(t.app, 'supervisor');
}, 300_000);

afterAll(async () => {
  await t.close();
});

const get = async <T>(url: string, cookie = supervisor): Promise<T> => {
  const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json<T>();
};

describe('the demo campaign', () => {
  it('checks about two thirds of the county, unevenly, with villages not yet started', async () => {
    expect(campaign).not.toBeNull();
    const report = await get<{ area: { households: number; visited: number; villagesStarted: number; villages: number }; villagesAtZero: unknown[] }>('/api/coverage?area=421321000000');
    const share = report.area.visited / report.area.households;
    expect(share).toBeGreaterThan(0.5);
    expect(share).toBeLessThan(0.8);
    expect(report.villagesAtZero.length).toBeGreaterThan(0);
    expect(report.area.villagesStarted).toBeLessThan(report.area.villages);
  });

  it('leaves forms in every review state, each checked one signed with an image that opens', async () => {
    const states = rowsOf<{ review_status: string; n: number }>(await t.database.db.execute(sql`select review_status, count(*)::int as n from check_forms where kind = 'cadre' group by 1`));
    const n = (s: string) => states.find((r) => r.review_status === s)?.n ?? 0;
    expect(n('accepted')).toBe(campaign?.accepted);
    expect(n('returned')).toBe(campaign?.returned);
    expect(n('returned')).toBeGreaterThan(0);
    expect(n('submitted')).toBeGreaterThan(0);
    const [signed] = rowsOf<{ sha: string; unsigned: number }>(
      await t.database.db.execute(sql`select min(body->'evidence'->>'signatureBlob') as sha,
        count(*) filter (where body->>'outcome' = 'checked' and body->'evidence'->>'signatureBlob' is null)::int as unsigned from check_forms`),
    );
    expect(signed?.unsigned).toBe(0);
    const png = await t.app.inject({ method: 'GET', url: `/api/blobs/${signed?.sha ?? ''}`, headers: { cookie: supervisor } });
    expect(png.statusCode).toBe(200);
    expect(png.rawPayload.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('puts the accepted forms’ problems on the ledger', async () => {
    const [row] = rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from ledger_sources where kind = 'form'`));
    expect(campaign?.problems).toBeGreaterThan(0);
    expect(row?.n).toBeGreaterThan(0);
  });

  it('dates each of those ledger items two days after its form’s visit, so last month’s report found problems', async () => {
    const [dates] = rowsOf<{ n: number; off: number }>(
      await t.database.db.execute(sql`select count(*)::int as n,
          count(*) filter (where i.created_at <> c.created_at + interval '2 days' or e.at <> i.created_at)::int as off
        from ledger_items i
        join ledger_sources s on s.item_id = i.id and s.kind = 'form'
        join check_forms c on c.id::text = split_part(s.ref, ':', 1)
        join ledger_events e on e.id = (select min(x.id) from ledger_events x where x.item_id = i.id)`),
    );
    expect(dates?.n).toBeGreaterThan(0);
    expect(dates?.off).toBe(0);
    const month = chinaMonth(new Date(NOW - 31 * 86_400_000));
    const report = await get<{ total: { foundInMonth: number } }>(`/api/reports/monthly?month=${month}&area=421321000000`);
    expect(report.total.foundInMonth).toBeGreaterThan(0);
  });

  it('spreads the visits over the campaign’s months: the report for last month has households checked', async () => {
    const month = chinaMonth(new Date(NOW - 31 * 86_400_000));
    const report = await get<{ total: { checkedInMonth: number; checkedToDate: number } }>(`/api/reports/monthly?month=${month}&area=421321000000`);
    expect(report.total.checkedInMonth).toBeGreaterThan(0);
    expect(report.total.checkedToDate).toBeLessThan(campaign?.forms ?? 0);
  });

  it('re-checks part of the sample, some answers differing from the cadre’s', async () => {
    expect(rechecks?.rechecked).toBeGreaterThan(0);
    const rows = rowsOf<{ household_id: string }>(await t.database.db.execute(sql`select household_id from check_forms where kind = 'inspection'`));
    expect(rows.length).toBe(rechecks?.rechecked);
    let differing = 0;
    for (const r of rows) {
      const c = await get<{ differing: number }>(`/api/inspection/households/${r.household_id}/comparison`);
      if (c.differing > 0) differing += 1;
    }
    expect(differing).toBeGreaterThan(0);
    expect(differing).toBeLessThan(rows.length);
  });

  it('does nothing on a second start', async () => {
    expect(await ensureDemoCampaign(t.app, { password: DEMO_PASSWORD, now: NOW })).toBeNull();
    expect(await ensureDemoRechecks(t.app, { password: DEMO_PASSWORD, now: NOW })).toBeNull();
  });
});
