/**
 * Benchmark: what the county shows upward and outward, on the city simulation
 * (issue 15's scale section): five counties of 随州市 (the generated county
 * and four copies, city-clone.ts), two thirds of the households with a cadre
 * form written this month, and the anomaly scan's findings on the ledger.
 *
 * Measured, each through the real app:
 * - the public disclosure (公示) of a village: cold (the first request for a
 *   village, a fresh one each run) and cached, for villages of median size
 *   and the largest (target ≤ 100 ms);
 *   floor: the same village's payment lines read in one plain statement;
 * - the monthly report of the city for this month, JSON and XLSX (target ≤ 5 s);
 *   floor: the month's forms and ledger items counted per township in one statement;
 * - the annual stage summary of the city (the year to 30 November; forms and
 *   items set back 40 days so it holds them), JSON and XLSX, against the same
 *   count over the year;
 * - a county's form export, CSV and XLSX, streamed over a real socket and
 *   read in chunks: time, bytes, and the server process's peak heap and RSS
 *   above its level before, against a township's export (flat memory: the
 *   county's peak near the township's, though it has ~20× the rows).
 *
 * Run:  npx tsx test/bench/city-reports.ts [--people 200000] [--counties 5]
 * (PostgreSQL at BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
 */
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { buildApp } from '#server/app.ts';
import { hashPassword } from '#server/auth/password.ts';
import { ensureDemoData } from '#server/cli/demo-data.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { openDatabase, rowsOf, type Database } from '#server/db/client.ts';
import { refreshCoverage } from '#server/db/coverage-repository.ts';
import { insertScan } from '#server/db/scan-repository.ts';
import { insertUser } from '#server/db/users-repository.ts';
import { runScan } from '#server/ledger/scan-runner.ts';
import { chinaMonth } from '#shared/domain/china-month.ts';
import { createScratchPostgres } from '#test/helpers/scratch-postgres.ts';
import { DEMO_PASSWORD, signIn } from '../helpers/app.ts';
import { cloneCounty } from './city-clone.ts';

const { values } = parseArgs({ options: { people: { type: 'string', default: '200000' }, counties: { type: 'string', default: '5' } } });
const COUNTIES = Number(values.counties);
const CITY = '421300000000';
const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

async function timed(fn: () => Promise<unknown>, runs = RUNS): Promise<number[]> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/** Two thirds of the households get a cadre form answering every member and item (as coverage.ts). */
const writeForms = sql`
  insert into check_forms (id, household_id, village_code, kind, rev, body, author_user_id, device_id)
  select gen_random_uuid(), h.id, h.village_code, 'cadre', 1,
    jsonb_build_object(
      'outcome', case when abs(hashtext(h.id)) % 50 = 0 then 'not-found' else 'checked' end,
      'household', jsonb_build_object('houseNumber', h.house_number),
      'members', coalesce((select jsonb_agg(jsonb_build_object('personId', p.id, 'present', true, 'status', 'living')) from persons p where p.household_id = h.id), '[]'::jsonb),
      'items', coalesce((select jsonb_agg(jsonb_build_object('personId', x.beneficiary_person_id, 'itemCode', x.item_code, 'received', 'yes'))
        from (select distinct beneficiary_person_id, item_code from payment_lines pl where pl.household_id = h.id) x), '[]'::jsonb)),
    u.id, 'bench'
  from households h, (select id from users where username = 'cadre') u
  where abs(hashtext(h.id)) % 3 <> 0`;

/** Peak heap and RSS of this process while `fn` runs, above their level just before (sampled every 5 ms). */
async function peakMemory<T>(fn: () => Promise<T>): Promise<{ value: T; heap: number; rss: number }> {
  global.gc?.();
  const base = process.memoryUsage();
  let heap = 0;
  let rss = 0;
  const sample = () => {
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed - base.heapUsed);
    rss = Math.max(rss, m.rss - base.rss);
  };
  const timer = setInterval(sample, 5);
  try {
    const value = await fn();
    sample();
    return { value, heap, rss };
  } finally {
    clearInterval(timer);
  }
}

async function bench(database: Database): Promise<void> {
  const db = database.db;
  await database.migrate();
  let t = performance.now();
  const county = await loadDemoCounty(db, { people: Number(values.people) });
  for (let i = 1; i < COUNTIES; i++) await cloneCounty(db, '421321', String(421321 + i));
  await ensureDemoData(db, { password: DEMO_PASSWORD });
  await refreshCoverage(db, '4213');
  console.log(`city built in ${secs(performance.now() - t)}`);
  t = performance.now();
  await db.execute(writeForms);
  console.log(`forms written in ${secs(performance.now() - t)}`);
  await insertUser(db, { username: 'city', displayName: '市督导', role: 'supervisor', areaCode: CITY, passwordHash: await hashPassword(DEMO_PASSWORD) });
  const [sup] = rowsOf<{ id: string }>(await db.execute(sql`select id::text as id from users where username = 'city'`));
  const who = { userId: sup?.id ?? null, username: 'city', ip: null };
  t = performance.now();
  const scan = await insertScan(db, { areaCode: CITY, trigger: 'manual', ...who });
  const found = await runScan(database, scan.id, who);
  console.log(`anomaly scan in ${secs(performance.now() - t)}: ${JSON.stringify(found)}`);
  await db.execute(sql`analyze`);
  const [n] = rowsOf<{ forms: number; households: number; persons: number; lines: number; items: number }>(
    await db.execute(sql`select (select count(*)::int from check_forms) as forms, (select count(*)::int from households) as households, (select count(*)::int from persons) as persons,
      (select count(*)::int from payment_lines) as lines, (select count(*)::int from ledger_items) as items`),
  );
  console.log(`${n?.persons} people, ${n?.households} households, ${n?.lines} payment lines, ${n?.forms} forms, ${n?.items} ledger items (${COUNTIES} counties of ${county.counts.persons} people)`);

  const app = await buildApp({ database, disclosureThrottle: { points: 1_000_000, duration: 60 } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const cookie = await signIn(app, 'city');
  const ok = async (url: string, headers: Record<string, string> = {}) => {
    const res = await app.inject({ method: 'GET', url, headers });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res;
  };
  console.log(`\nmachine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

  // --- The public disclosure.
  const sizes = rowsOf<{ code: string; lines: number }>(await db.execute(sql`select village_code as code, count(*)::int as lines from payment_lines group by village_code order by 2, 1`));
  const mid = Math.floor(sizes.length / 2);
  const largest = sizes.at(-1);
  console.log(`\n公示: ${sizes.length} villages with payments; median ${sizes[mid]?.lines} lines, largest ${largest?.lines}`);
  console.log('| village | floor: its lines in one statement | cold (first request) | cached | target ≤ 100 ms |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const [name, pick] of [
    ['median', (i: number) => sizes[mid + i]],
    ['largest', (i: number) => sizes[sizes.length - 1 - i]],
  ] as const) {
    // Cold: a different village of about that size each run (each the cache's first request for it).
    const cold: number[] = [];
    const floors: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const v = pick(i)?.code ?? '';
      let s = performance.now();
      await db.execute(sql`select item_code, beneficiary_person_id, period, amount_fen from payment_lines where village_code = ${v}`);
      if (i > 0) floors.push(performance.now() - s);
      s = performance.now();
      const res = await ok(`/api/public/disclosure/${v}`);
      if (res.headers['x-cache'] !== 'miss') throw new Error(`${v} was not a miss`);
      if (i > 0) cold.push(performance.now() - s);
    }
    const v = pick(0)?.code ?? '';
    const cached = await timed(() => ok(`/api/public/disclosure/${v}`));
    const c = median(cold);
    console.log(
      `| ${name} (${pick(0)?.lines} lines) | ${median(floors).toFixed(1)} ms | ${c.toFixed(1)} ms (×${(c / median(floors)).toFixed(1)}) | ${median(cached).toFixed(1)} ms | ${c <= 100 && median(cached) <= 100 ? 'within' : 'OVER'} |`,
    );
  }

  // --- The monthly report of the city.
  const month = chinaMonth(new Date());
  const [from, to] = [`${month}-01`, month.endsWith('12') ? `${Number(month.slice(0, 4)) + 1}-01-01` : `${month.slice(0, 5)}${String(Number(month.slice(5)) + 1).padStart(2, '0')}-01`];
  const floor = median(
    await timed(() =>
      db.execute(sql`select left(village_code, 9) as t, count(*) from check_forms where created_at >= ${from}::date and created_at < ${to}::date group by 1
        union all select left(area_code, 9), count(*) from ledger_items group by 1`),
    ),
  );
  const json = await timed(() => ok(`/api/reports/monthly?month=${month}&area=${CITY}`, { cookie }), 3);
  const xlsx = await timed(() => ok(`/api/reports/monthly.xlsx?month=${month}&area=${CITY}`, { cookie }), 3);
  console.log(`\n月报 ${month} of the city: floor ${floor.toFixed(0)} ms; JSON ${median(json).toFixed(0)} ms (${json.map((x) => x.toFixed(0)).join(' / ')}), XLSX ${median(xlsx).toFixed(0)} ms; target ≤ 5 s: ${Math.max(median(json), median(xlsx)) <= 5000 ? 'within' : 'OVER'}`);

  // --- The annual stage summary of the city (年度工作总结). Its period ends on 30 November, so the
  // forms and ledger items (written today) are set back 40 days first: on this scratch database,
  // triggers off, as if the campaign had run through October.
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`update check_forms set created_at = created_at - interval '40 days'`);
    await tx.execute(sql`update ledger_items set created_at = created_at - interval '40 days'`);
    await tx.execute(sql`update ledger_events set at = at - interval '40 days'`);
  });
  const year = new Date(Date.now() - 40 * 86_400_000 + 8 * 3_600_000).getUTCFullYear();
  const stageFloor = median(
    await timed(() =>
      db.execute(sql`select left(village_code, 9) as t, count(*) from check_forms where created_at >= ${`${year}-01-01`}::date and created_at < ${`${year}-12-01`}::date group by 1
        union all select left(area_code, 9), count(*) from ledger_items where created_at >= ${`${year}-01-01`}::date and created_at < ${`${year}-12-01`}::date group by 1`),
    ),
  );
  const stageJson = await timed(() => ok(`/api/reports/stage?year=${year}&stage=2&area=${CITY}`, { cookie }), 3);
  const stageXlsx = await timed(() => ok(`/api/reports/stage.xlsx?year=${year}&stage=2&area=${CITY}`, { cookie }), 3);
  console.log(
    `年度工作总结 ${year} of the city: floor ${stageFloor.toFixed(0)} ms; JSON ${median(stageJson).toFixed(0)} ms (${stageJson.map((x) => x.toFixed(0)).join(' / ')}), XLSX ${median(stageXlsx).toFixed(0)} ms; target (as the monthly report) ≤ 5 s: ${Math.max(median(stageJson), median(stageXlsx)) <= 5000 ? 'within' : 'OVER'}`,
  );

  // --- A county's form export, streamed, against a township's.
  const township = `${largest?.code.slice(0, 9) ?? ''}000`;
  console.log('\n| export | forms | time | bytes | peak heap above before | peak RSS above before |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const format of ['csv', 'xlsx'] as const) {
    for (const area of [township, '421321000000']) {
      const [c] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from check_forms where village_code like ${`${area.replace(/0+$/, '')}%`}`));
      const s = performance.now();
      const m = await peakMemory(async () => {
        const res = await fetch(`${base}/api/exports/forms.${format}?area=${area}`, { headers: { cookie } });
        if (!res.ok || !res.body) throw new Error(`export ${area}: ${res.status}`);
        const reader = res.body.getReader();
        let bytes = 0;
        for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.byteLength;
        return bytes;
      });
      console.log(`| ${format} ${area === township ? 'township' : 'county'} ${area} | ${c?.n} | ${secs(performance.now() - s)} | ${mib(m.value)} | ${mib(m.heap)} | ${mib(m.rss)} |`);
    }
  }
  await app.close();
}

const scratch = await createScratchPostgres(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', 'ykt_bench_city_reports');
const database = await openDatabase({ kind: 'postgres', url: scratch.url });
try {
  await bench(database);
} finally {
  await database.close();
  await scratch.drop();
}
