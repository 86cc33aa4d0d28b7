/**
 * Benchmark: the ledger list with 100,000 items (issue 13: a page ≤ 200 ms).
 *
 * A fresh database (PostgreSQL 15 on BENCH_DATABASE_URL, and an on-disk
 * PGlite) gets the demo regions and accounts, then `--items` ledger items
 * written straight in one set-based insert, spread over the demo county's
 * villages, states, codes, amounts and deadlines (some overdue). Through the
 * real app (`app.inject`, the county supervisor's session), five runs each
 * of: the first page, a page deep in the list (keyset), each filter of the
 * list screen, and the counts the charts draw. Floor: the same first page
 * read straight from the table with one SQL statement, no server.
 *
 * Run:  npx tsx test/bench/ledger-list.ts [--items 100000] [--db pg|pglite|both]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { buildApp } from '#server/app.ts';
import { ensureDemoData } from '#server/cli/demo-data.ts';
import { openDatabase, rowsOf, type Database } from '#server/db/client.ts';
import { DEMO_PASSWORD, signIn } from '../helpers/app.ts';
import { createScratchPostgres } from '#test/helpers/scratch-postgres.ts';

const TARGET_MS = 200;
const RUNS = 5;
const { values } = parseArgs({ options: { items: { type: 'string', default: '100000' }, db: { type: 'string', default: 'both' } } });
const items = Number(values.items);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function timed(fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function bench(kind: string, database: Database): Promise<string[]> {
  await database.migrate();
  await ensureDemoData(database.db, { password: DEMO_PASSWORD });
  const villages = rowsOf<{ code: string }>(await database.db.execute(sql`select code from regions where level = 'village' order by code`)).map((r) => r.code);
  const t0 = performance.now();
  await database.db.execute(sql`
    with v as (select array_agg(code order by code) as codes, count(*)::int as n from regions where level = 'village')
    insert into ledger_items (problem_code, category, state, area_code, dedupe_key, title, description, amount_involved_fen, assignment)
    select (array['A1','A2','A3','A4','A5','A6','B1','B2','B3','C1','C2','C3','C4'])[1 + i % 13],
           (array['A','A','A','A','A','A','B','B','B','C','C','C','C'])[1 + i % 13],
           (array['found','confirmed','dismissed','assigned','rectifying','evidence-submitted','reverified','closed'])[1 + (i / 7) % 8],
           v.codes[1 + (i * 7919) % v.n],
           'bench:' || i, '基准测试问题 ' || i, '基准测试用的问题描述', case when i % 3 = 0 then null else (i % 500000) * 10 end,
           case when (i / 7) % 8 in (3, 4) then jsonb_build_object('unit', '民政办', 'person', '主任', 'measure', '整改', 'deadline', case when i % 5 = 0 then '2020-01-31' else '2099-12-31' end) end
    from generate_series(1, ${items}) as i, v`);
  await database.db.execute(sql`analyze ledger_items`);
  const loadMs = performance.now() - t0;
  console.log(`[${kind}] ${items} items written in ${(loadMs / 1000).toFixed(1)} s`);

  const app = await buildApp({ database });
  await app.ready();
  const cookie = await signIn(app, 'supervisor');
  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url, headers: { cookie } });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res;
  };
  const township = `${villages[0]?.slice(0, 9) ?? ''}000`;
  const deep = Math.floor(items / 2);
  const cases: [string, string][] = [
    ['first page (50)', '/api/ledger?limit=50'],
    [`deep page (before ${deep})`, `/api/ledger?limit=50&before=${deep}`],
    ['state = rectifying', '/api/ledger?limit=50&state=rectifying'],
    ['code = C3', '/api/ledger?limit=50&code=C3'],
    ['category = C', '/api/ledger?limit=50&category=C'],
    ['one township', `/api/ledger?limit=50&area=${township}`],
    ['one village', `/api/ledger?limit=50&area=${villages[villages.length - 1] ?? ''}`],
    ['overdue', '/api/ledger?limit=50&overdue=1'],
    ['amount ≥ 4,000 元', '/api/ledger?limit=50&minAmountFen=400000'],
    ['counts (charts)', '/api/ledger/counts'],
  ];
  const floor = median(await timed(() => database.db.execute(sql`select * from ledger_items order by number desc limit 51`)));
  const lines: string[] = [];
  for (const [name, url] of cases) {
    await get(url);
    const runs = await timed(() => get(url));
    const m = median(runs);
    lines.push(`| ${kind} | ${items} | ${name} | ${m.toFixed(1)} ms (${runs.map((x) => x.toFixed(0)).join(' / ')}) | ${floor.toFixed(1)} ms | ×${(m / floor).toFixed(1)} | ${m <= TARGET_MS ? 'within' : 'OVER'} |`);
  }
  await app.close();
  return lines;
}

const lines: string[] = [];
if (values.db === 'pg' || values.db === 'both') {
  const scratch = await createScratchPostgres(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', 'ykt_bench_ledger_list');
  const database = await openDatabase({ kind: 'postgres', url: scratch.url });
  try {
    lines.push(...(await bench('PostgreSQL', database)));
  } finally {
    await database.close();
    await scratch.drop();
  }
}
if (values.db === 'pglite' || values.db === 'both') {
  const dir = mkdtempSync(join(tmpdir(), 'ykt-bench-ledger-'));
  const database = await openDatabase({ kind: 'pglite', dataDir: dir });
  try {
    lines.push(...(await bench('PGlite', database)));
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`\nmachine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`| database | items | request | median (5 runs) | floor: first page straight from SQL | ratio | ≤ ${TARGET_MS} ms |`);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const l of lines) console.log(l);
if (lines.some((l) => l.endsWith('OVER |'))) process.exitCode = 1;
