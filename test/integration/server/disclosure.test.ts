/**
 * The public disclosure of a village (公示, issue 15, item 6): no sign-in,
 * masked names, amounts that add up to the ledger, never an ID or account
 * number; cached, throttled, and a clear 4xx in Chinese for a village or a
 * year that does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DisclosureSchema, type Disclosure } from '#shared/schemas/disclosure.ts';
import * as z from 'zod/mini';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { rowsOf } from '#server/db/client.ts';
import { nextPeriod, paymentRuns } from '#server/disclosure/disclosure-service.ts';
import { buildTestApp, type TestApp } from '#test/helpers/app.ts';

const VILLAGE = '421321101200';
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp({ disclosureThrottle: { points: 1000, duration: 60 } });
  await loadDemoCounty(t.database.db, { people: 2000 });
}, 120_000);

afterAll(async () => {
  await t.close();
});

const open = (url: string, ip = '203.0.113.7') => t.app.inject({ method: 'GET', url, remoteAddress: ip });

describe('the public disclosure of a village', () => {
  it('answers without a session: masked names, and amounts that add up to the ledger, item by item', async () => {
    const res = await open(`/api/public/disclosure/${VILLAGE}`);
    expect(res.statusCode).toBe(200);
    const d: Disclosure = z.parse(DisclosureSchema, res.json());
    expect(d.village.name).toContain('星亮村');
    expect(d.village.township).toBe('厉山镇');
    expect(d.years).toEqual([...d.years].sort().reverse());
    expect(d.year).toBe(d.years[0]);

    const year = d.year ?? '';
    const ledger = rowsOf<{ item_code: string; people: number; fen: number }>(
      await t.database.db.execute(sql`select item_code, count(distinct beneficiary_person_id)::int as people, sum(amount_fen)::int as fen
        from payment_lines where village_code = ${VILLAGE} and left(period, 4) = ${year} group by item_code`),
    );
    expect(ledger.length).toBeGreaterThan(0);
    for (const l of ledger) {
      const item = d.items.find((i) => i.code === l.item_code);
      expect(item, l.item_code).toMatchObject({ beneficiaries: l.people, amountFen: l.fen });
    }
    expect(d.totalFen).toBe(ledger.reduce((s, l) => s + l.fen, 0));
    // Every row's runs account for its total.
    for (const r of d.rows) expect(r.runs.reduce((s, run) => s + run.periods * run.amountFen, 0)).toBe(r.totalFen);

    // Names: masked, each the roster name with its middle hidden.
    const names = rowsOf<{ name: string }>(await t.database.db.execute(sql`select distinct p.name from persons p join payment_lines l on l.beneficiary_person_id = p.id where l.village_code = ${VILLAGE}`)).map((r) => r.name);
    for (const r of d.rows) {
      expect(names, r.name).not.toContain(r.name);
      expect(r.name).toMatch(/\*/);
    }
  });

  it('never carries an ID number, an account number or a phone number', async () => {
    const text = (await open(`/api/public/disclosure/${VILLAGE}`)).body;
    const secrets = rowsOf<{ v: string }>(
      await t.database.db.execute(sql`select id as v from persons where village_code = ${VILLAGE}
        union all select number from accounts where village_code = ${VILLAGE}
        union all select phone from persons where village_code = ${VILLAGE} and phone <> ''
        union all select phone from households where village_code = ${VILLAGE} and phone <> ''`),
    );
    expect(secrets.length).toBeGreaterThan(0);
    for (const s of secrets) expect(text.includes(s.v), s.v).toBe(false);
    // Nothing longer than a region code (12 digits), and nothing shaped like a mobile number.
    expect(text.match(/\d{13,}/)?.[0]).toBeUndefined();
    expect(text.match(/(?<!\d)1[3-9]\d{9}(?!\d)/)?.[0]).toBeUndefined();
  });

  it('shows another year on request, and names the years there are when asked for one without payments', async () => {
    const first = z.parse(DisclosureSchema, (await open(`/api/public/disclosure/${VILLAGE}`)).json());
    const other = first.years.at(-1) ?? '';
    const res = await open(`/api/public/disclosure/${VILLAGE}?year=${other}`);
    expect(res.json<Disclosure>().year).toBe(other);
    const none = await open(`/api/public/disclosure/${VILLAGE}?year=1999`);
    expect(none.statusCode).toBe(404);
    expect(none.json<{ error: { message: string } }>().error.message).toContain('没有1999年的发放记录');
    expect(none.json<{ error: { message: string } }>().error.message).toContain(`${other}年`);
  });

  it('answers an unknown village and a malformed code with a 4xx in Chinese', async () => {
    const unknown = await open('/api/public/disclosure/421321999999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ error: { message: string } }>().error.message).toBe('没有找到代码为 421321999999 的村（社区），请从列表中选择');
    // A township is not a village.
    expect((await open('/api/public/disclosure/421321101000')).statusCode).toBe(404);
    const bad = await open('/api/public/disclosure/xingliang');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('村代码应为12位数字');
    expect(bad.body).toContain('villageCode');
    expect((await open(`/api/public/disclosure/${VILLAGE}?year=21`)).statusCode).toBe(400);
  });

  it('serves a village from its cache after the first request, and lets browsers keep it a few minutes', async () => {
    const code = '421321101201';
    const first = await open(`/api/public/disclosure/${code}`);
    const second = await open(`/api/public/disclosure/${code}`);
    expect(first.headers['x-cache']).toBe('miss');
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    expect(second.json<Disclosure>().generatedAt).toBe(first.json<Disclosure>().generatedAt);
  });
});

describe('throttling', () => {
  it('refuses an address that asks too often, with when to try again, and not the next address', async () => {
    const small = await buildTestApp({ disclosureThrottle: { points: 3, duration: 60 } });
    try {
      const get = (ip: string) => small.app.inject({ method: 'GET', url: `/api/public/disclosure/${VILLAGE}`, remoteAddress: ip });
      for (let i = 0; i < 3; i++) expect((await get('198.51.100.1')).statusCode).not.toBe(429);
      const refused = await get('198.51.100.1');
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.json<{ error: { message: string } }>().error.message).toMatch(/^查询过于频繁，请.+后再试$/);
      expect((await get('198.51.100.2')).statusCode).not.toBe(429);
    } finally {
      await small.close();
    }
  });
});

describe('payment runs', () => {
  it('joins consecutive periods of one amount, across the kinds of period', () => {
    expect(nextPeriod('2021-12')).toBe('2022-01');
    expect(nextPeriod('2021-09')).toBe('2021-10');
    expect(nextPeriod('2021-Q4')).toBe('2022-Q1');
    expect(nextPeriod('2021-H1')).toBe('2021-H2');
    expect(nextPeriod('2021')).toBe('2022');
    expect(
      paymentRuns([
        { period: '2021-01', amountFen: 100 },
        { period: '2021-02', amountFen: 100 },
        { period: '2021-03', amountFen: 120 },
        { period: '2021-05', amountFen: 120 },
      ]),
    ).toEqual([
      { from: '2021-01', to: '2021-02', periods: 2, amountFen: 100 },
      { from: '2021-03', to: '2021-03', periods: 1, amountFen: 120 },
      { from: '2021-05', to: '2021-05', periods: 1, amountFen: 120 },
    ]);
  });
});
