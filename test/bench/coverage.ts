/**
 * Benchmark: coverage at every level (issue 15's scale section) on the city
 * simulation: five counties of 随州市 (the generated county and four copies,
 * city-clone.ts), two thirds of the households with a cadre form.
 *
 * Measured, each through the real app (app.inject, a city supervisor's
 * session), five runs, median:
 * - coverage of the city, a county, a township, a village of median size
 *   and the largest village
 *   (targets: city ≤ 300 ms, village ≤ 50 ms);
 * and, to compare with:
 * - floor: the city's sums straight from the summary tables in one
 *   statement, no server;
 * - naive: counting the city's households and people straight from the
 *   roster, which is what the summary tables spare each request.
 * Also the one-off costs: the forms written in one statement with and
 * without the coverage trigger, and the recount of the city after an import.
 *
 * Run:  npx tsx test/bench/coverage.ts [--people 200000] [--counties 5] [--db pg|pglite]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { buildApp } from '#server/app.ts';
import { hashPassword } from '#server/auth/password.ts';
import { ensureDemoData } from '#server/cli/demo-data.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { openDatabase, rowsOf, type Database } from '#server/db/client.ts';
import { refreshCoverage } from '#server/db/coverage-repository.ts';
import { insertUser } from '#server/db/users-repository.ts';
import { createScratchPostgres } from '#test/helpers/scratch-postgres.ts';
import { DEMO_PASSWORD, signIn } from '../helpers/app.ts';
import { cloneCounty } from './city-clone.ts';

const { values } = parseArgs({ options: { people: { type: 'string', default: '200000' }, counties: { type: 'string', default: '5' }, db: { type: 'string', default: 'pg' } } });
const COUNTIES = Number(values.counties);
const CITY = '421300000000';
const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function timed(fn: () => Promise<unknown>): Promise<number[]> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/** Two thirds of the households get a cadre form answering every member and item (one in fifty not found). */
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

async function bench(kind: string, database: Database): Promise<void> {
  const db = database.db;
  await database.migrate();
  const county = await loadDemoCounty(db, { people: Number(values.people) });
  for (let i = 1; i < COUNTIES; i++) await cloneCounty(db, '421321', String(421321 + i));
  await ensureDemoData(db, { password: DEMO_PASSWORD });
  let t = performance.now();
  await refreshCoverage(db, '4213');
  const recountMs = performance.now() - t;
  await db.execute(sql`analyze`);

  // The forms: once without the trigger (rolled back), once with it.
  t = performance.now();
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(writeForms);
    tx.rollback();
  }).catch((err: unknown) => {
    if (!(err instanceof Error && err.message.includes('Rollback'))) throw err;
  });
  const formsBareMs = performance.now() - t;
  t = performance.now();
  await db.execute(writeForms);
  const formsMs = performance.now() - t;
  await db.execute(sql`analyze`);
  const [n] = rowsOf<{ forms: number; households: number; persons: number }>(
    await db.execute(sql`select (select count(*)::int from check_forms) as forms, (select count(*)::int from households) as households, (select count(*)::int from persons) as persons`),
  );
  console.log(`[${kind}] ${n?.persons} people, ${n?.households} households, ${n?.forms} forms (${COUNTIES} counties of ${county.counts.persons} people)`);

  await insertUser(db, { username: 'city', displayName: '市督导', role: 'supervisor', areaCode: CITY, passwordHash: await hashPassword(DEMO_PASSWORD) });
  const app = await buildApp({ database });
  await app.ready();
  const cookie = await signIn(app, 'city');
  const get = async (area: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/coverage?area=${area}`, headers: { cookie } });
    if (res.statusCode !== 200) throw new Error(`${area}: ${res.statusCode} ${res.body}`);
    return res;
  };
  const village = rowsOf<{ code: string }>(await db.execute(sql`select village_code as code from coverage_villages order by households desc limit 1`))[0]?.code ?? '';
  const sizes = rowsOf<{ code: string; households: number }>(await db.execute(sql`select village_code as code, households from coverage_villages where households > 0 order by households, village_code`));
  const mid = sizes[Math.floor(sizes.length / 2)];
  const largest = sizes.at(-1);
  console.log(`villages: ${sizes.length}, median ${mid?.households} households, largest ${largest?.households}`);
  const cases: [string, string, number | null][] = [
    ['city (5 counties)', CITY, 300],
    ['county', '421323000000', null],
    ['township', `${village.slice(0, 9)}000`, null],
    [`village (median, ${mid?.households} households)`, mid?.code ?? '', 50],
    [`village (largest, ${largest?.households} households)`, village, 50],
  ];
  const floor = median(await timed(() => db.execute(sql`select sum(households), sum(persons), sum(items) from coverage_villages where village_code >= '4213' and village_code < '4214'`)));
  const naive = median(await timed(() => db.execute(sql`select (select count(*) from households where village_code >= '4213' and village_code < '4214'), (select count(*) from persons where village_code >= '4213' and village_code < '4214')`)));
  console.log(`\nmachine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log(`one-off: city recount after an import ${secs(recountMs)}; ${n?.forms} forms in one statement ${secs(formsMs)} with the coverage trigger, ${secs(formsBareMs)} without`);
  console.log(`floor: the city's sums from the summary table ${floor.toFixed(1)} ms; naive: counting the city's households and people from the roster ${naive.toFixed(1)} ms`);
  console.log(`| database | request | median (${RUNS} runs) | ratio to floor | target |`);
  console.log('| --- | --- | --- | --- | --- |');
  for (const [name, area, target] of cases) {
    const runs = await timed(() => get(area));
    const m = median(runs);
    console.log(`| ${kind} | ${name} | ${m.toFixed(1)} ms (${runs.map((x) => x.toFixed(0)).join(' / ')}) | ×${(m / floor).toFixed(1)} | ${target === null ? '—' : `≤ ${target} ms: ${m <= target ? 'within' : 'OVER'}`} |`);
  }
  await app.close();
}

if (values.db === 'pglite') {
  const dir = mkdtempSync(join(tmpdir(), 'ykt-bench-coverage-'));
  const database = await openDatabase({ kind: 'pglite', dataDir: dir });
  try {
    await bench('PGlite', database);
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  const scratch = await createScratchPostgres(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', 'ykt_bench_coverage');
  const database = await openDatabase({ kind: 'postgres', url: scratch.url });
  try {
    await bench('PostgreSQL', database);
  } finally {
    await database.close();
    await scratch.drop();
  }
}
