/**
 * Benchmark: the background anomaly scan into the ledger (issue 13, item 4)
 * against the old whole-area scan, on PostgreSQL.
 *
 * Loads the demo county (seeded, anomalies planted) into a fresh PostgreSQL
 * database, then runs each measurement in a fresh Node process of its own,
 * so one's heap does not inflate the next one's peak:
 * - floor:    one read of the area's payment lines into Node (the columns
 *             the rules read; a city's township by township): the least any
 *             scan must do;
 * - whole:    the old way, the whole county loaded at once and the rules run
 *             over it (no ledger writes);
 * - streamed: the scan job (runScan), township by township, findings
 *             written to the ledger; run twice, the second a rescan that
 *             finds everything already there.
 * Peak RSS is sampled every 20 ms. The streamed scan must find exactly the
 * findings of the whole one.
 *
 * Then each way again in a V8 heap capped at --heap MiB (default 160): the
 * job must finish in it, whatever the area's size; the whole-area load need not.
 *
 * With --counties N (N > 1) the area is the city (随州市, 4213): the generated
 * county copied N-1 times into counties of its own (city-clone.ts), the
 * city simulation of issue 13's scale section; --no-whole skips the
 * whole-area load there (it would need gigabytes).
 *
 * Run:  npx tsx test/bench/ledger-scan.ts [--people 50000] [--heap 160] [--db pg|pglite] [--counties 5 --no-whole]
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) is the
 * server to create the throw-away database on.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { ensureDemoData } from '#server/cli/demo-data.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { loadAnomalyInput } from '#server/db/anomaly-repository.ts';
import { openDatabase, rowsOf } from '#server/db/client.ts';
import { insertScan } from '#server/db/scan-repository.ts';
import { runScan } from '#server/ledger/scan-runner.ts';
import { runAnomalyChecks } from '#shared/domain/anomalies/index.ts';
import { createScratchPostgres } from '#test/helpers/scratch-postgres.ts';
import { cloneCounty } from './city-clone.ts';

const COUNTY = '421321';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '50000' },
    seed: { type: 'string', default: '20220601' },
    child: { type: 'string' },
    heap: { type: 'string', default: '160' },
    db: { type: 'string', default: 'pg' },
    url: { type: 'string' },
    counties: { type: 'string', default: '1' },
    'no-whole': { type: 'boolean', default: false },
  },
});
const COUNTIES = Number(values.counties);
/** The area scanned: the county, or with more counties the city. */
const AREA = COUNTIES > 1 ? COUNTY.slice(0, 4) : COUNTY;
const AREA_CODE = AREA.padEnd(12, '0');

interface Measure {
  ms: number;
  /** RSS just before: Node, the app's modules, an open pool. */
  baseRssMiB: number;
  peakRssMiB: number;
  rows: number;
}

/** Runs `fn`, sampling this process's RSS; answers wall time and peak RSS. */
async function measure(fn: () => Promise<number>): Promise<Measure> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t = performance.now();
  const rows = await fn();
  const ms = performance.now() - t;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, baseRssMiB: Math.round(base / 1024 / 1024), peakRssMiB: Math.round(peak / 1024 / 1024), rows };
}

/** `pglite:<dir>` or a PostgreSQL URL. */
const open = (url: string) => (url.startsWith('pglite:') ? openDatabase({ kind: 'pglite', dataDir: url.slice('pglite:'.length) }) : openDatabase({ kind: 'postgres', url }));

async function child(kind: string, url: string): Promise<void> {
  const database = await open(url);
  try {
    let result: Measure;
    if (kind === 'floor') {
      // A county is read in one statement; a city township by township (its 9,000,000
      // lines at once would need gigabytes in Node, which is no floor for anything).
      const read = async (prefix: string) =>
        rowsOf(
          await database.db.execute(
            sql`select id, item_code, beneficiary_person_id, household_id, village_code, period, amount_fen, paid_on, account_number, bank_name from payment_lines where village_code >= ${prefix.padEnd(12, '0')} and village_code < ${String(Number(prefix) + 1).padEnd(12, '0')}`,
          ),
        ).length;
      result = await measure(async () => {
        if (COUNTIES === 1) return read(AREA);
        const townships = rowsOf<{ code: string }>(await database.db.execute(sql`select code from regions where level = 'township' and code like ${`${AREA}%`} order by code`));
        let n = 0;
        for (const t of townships) n += await read(t.code.slice(0, 9));
        return n;
      });
    } else if (kind === 'whole') {
      result = await measure(async () => runAnomalyChecks(await loadAnomalyInput(database, AREA), { areaPrefix: AREA }).length);
    } else {
      const [sup] = rowsOf<{ id: string }>(await database.db.execute(sql`select id::text as id from users where username = 'supervisor'`));
      const who = { userId: sup?.id ?? null, username: 'supervisor', ip: null };
      result = await measure(async () => {
        const scan = await insertScan(database.db, { areaCode: AREA_CODE, trigger: 'manual', ...who });
        return (await runScan(database, scan.id, who)).findings;
      });
    }
    console.log(JSON.stringify(result));
  } finally {
    await database.close();
  }
}

/** Runs one measurement in a fresh process; with `heapMiB`, in a V8 heap capped at that size (null: it ran out). */
function inChild(kind: string, url: string, heapMiB?: number): Measure | null {
  const heap = heapMiB === undefined ? [] : [`--max-old-space-size=${heapMiB}`];
  try {
    const out = execFileSync(process.execPath, [...heap, ...process.execArgv, process.argv[1] ?? '', '--child', kind, '--url', url, '--counties', String(COUNTIES)], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const last = out.trim().split('\n').pop() ?? '{}';
    return JSON.parse(last) as Measure;
  } catch (err) {
    if (heapMiB !== undefined) return null;
    throw err;
  }
}

function must(m: Measure | null): Measure {
  if (m === null) throw new Error('a measurement without a heap cap failed');
  return m;
}

async function main(): Promise<void> {
  const people = Number(values.people);
  const onPglite = values.db === 'pglite';
  const scratch = onPglite ? null : await createScratchPostgres(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', 'ykt_bench_ledger_scan');
  const dir = onPglite ? mkdtempSync(join(tmpdir(), 'ykt-bench-scan-')) : null;
  const url = scratch?.url ?? `pglite:${dir ?? ''}`;
  try {
    // Load, then close: a PGlite directory is opened by one process at a time.
    let database = await open(url);
    await database.migrate();
    const county = await loadDemoCounty(database.db, { seed: Number(values.seed), people });
    console.log(`${new Date().toISOString()} generated the county`);
    for (let i = 1; i < COUNTIES; i++) {
      await cloneCounty(database.db, COUNTY, String(Number(COUNTY) + i));
      console.log(`${new Date().toISOString()} copied it to ${Number(COUNTY) + i}`);
    }
    await database.db.execute(sql`analyze`);
    await ensureDemoData(database.db, { password: 'Bench-2026-demo' });
    await database.close();
    const townships = county.regions.filter((r) => r.level === 'township').length * COUNTIES;
    const persons = county.counts.persons * COUNTIES;
    const lines = county.counts.paymentLines * COUNTIES;
    console.log(`loaded ${persons} people, ${lines} lines, ${townships} townships (${COUNTIES} counties) into ${onPglite ? 'PGlite' : 'PostgreSQL'}`);
    const floor = must(inChild('floor', url));
    if (floor.rows !== lines) throw new Error(`the floor read ${floor.rows} lines of ${lines}`);
    console.log(`floor: ${(floor.ms / 1000).toFixed(2)} s`);
    const skipWhole = values['no-whole'];
    const whole = skipWhole ? null : must(inChild('whole', url));
    const first = must(inChild('streamed', url));
    console.log(`scan job, first: ${(first.ms / 1000).toFixed(2)} s, ${first.rows} findings`);
    const rescan = must(inChild('streamed', url));
    console.log(`scan job, rescan: ${(rescan.ms / 1000).toFixed(2)} s`);
    // Flat memory, shown rather than sampled: each way again in a small V8 heap.
    const capped = Number(values.heap);
    const wholeCapped = skipWhole ? null : inChild('whole', url, capped);
    const streamedCapped = inChild('streamed', url, capped);
    const ran = (m: Measure | null) => (m === null ? 'ran out of memory' : `ran, ${(m.ms / 1000).toFixed(2)} s, ${m.rows} findings`);
    database = await open(url);
    const items = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from ledger_items`))[0]?.n ?? 0;
    await database.close();
    if (whole !== null && (first.rows !== whole.rows || rescan.rows !== whole.rows)) throw new Error(`streamed found ${first.rows}/${rescan.rows}, whole ${whole.rows}`);
    if (rescan.rows !== first.rows) throw new Error(`the rescan found ${rescan.rows}, the first scan ${first.rows}`);

    const s = (m: Measure) => `${(m.ms / 1000).toFixed(2)} s, peak ${m.peakRssMiB} MiB (+${m.peakRssMiB - m.baseRssMiB})`;
    const ratio = (m: Measure) => (m.ms / floor.ms).toFixed(1);
    console.log(`\nmachine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    console.log(`| database | people | lines | townships | floor: read the lines | whole county at once | scan job, first | scan job, rescan | findings / items |`);
    console.log(`| --- | --- | --- | --- | --- | --- | --- | --- | --- |`);
    console.log(
      `| ${onPglite ? 'PGlite' : 'PostgreSQL'} | ${persons} | ${lines} | ${townships} | ${s(floor)} | ${whole === null ? 'not run' : `${s(whole)}, ×${ratio(whole)}`} | ${s(first)}, ×${ratio(first)} | ${s(rescan)}, ×${ratio(rescan)} | ${first.rows} / ${items} |`,
    );
    console.log(`\nIn a ${capped} MiB V8 heap: whole area at once ${skipWhole ? 'not run' : ran(wholeCapped)}; scan job ${ran(streamedCapped)}.`);
  } finally {
    await scratch?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (values.child !== undefined) await child(values.child, values.url ?? '');
else await main();
