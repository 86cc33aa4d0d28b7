/**
 * Benchmark: the background anomaly scan into the ledger (issue 13, item 4)
 * against the old whole-area scan, on PostgreSQL.
 *
 * Loads the demo county (seeded, anomalies planted) into a fresh PostgreSQL
 * database, then runs each measurement in a fresh Node process of its own,
 * so one's heap does not inflate the next one's peak:
 * - floor:    one read of the county's payment lines into Node (the columns
 *             the rules read): the least any scan must do;
 * - whole:    the old way, the whole county loaded at once and the rules run
 *             over it (no ledger writes);
 * - streamed: the scan job (runScan), township by township, findings
 *             written to the ledger; run twice, the second a rescan that
 *             finds everything already there.
 * Peak RSS is sampled every 20 ms. The streamed scan must find exactly the
 * findings of the whole one.
 *
 * Run:  npx tsx test/bench/ledger-scan.ts [--people 50000]
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) is the
 * server to create the throw-away database on.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
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

const COUNTY = '421321';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '50000' },
    seed: { type: 'string', default: '20220601' },
    child: { type: 'string' },
    url: { type: 'string' },
  },
});

interface Measure {
  ms: number;
  peakRssMiB: number;
  rows: number;
}

/** Runs `fn`, sampling this process's RSS; answers wall time and peak RSS. */
async function measure(fn: () => Promise<number>): Promise<Measure> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t = performance.now();
  const rows = await fn();
  const ms = performance.now() - t;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, peakRssMiB: Math.round(peak / 1024 / 1024), rows };
}

async function child(kind: string, url: string): Promise<void> {
  const database = await openDatabase({ kind: 'postgres', url });
  try {
    let result: Measure;
    if (kind === 'floor') {
      result = await measure(async () => {
        const r = await database.db.execute(
          sql`select id, item_code, beneficiary_person_id, household_id, village_code, period, amount_fen, paid_on, account_number, bank_name from payment_lines where village_code >= ${`${COUNTY}000000`} and village_code < ${`${String(Number(COUNTY) + 1)}000000`}`,
        );
        return rowsOf(r).length;
      });
    } else if (kind === 'whole') {
      result = await measure(async () => runAnomalyChecks(await loadAnomalyInput(database, COUNTY), { areaPrefix: COUNTY }).length);
    } else {
      const [sup] = rowsOf<{ id: string }>(await database.db.execute(sql`select id::text as id from users where username = 'supervisor'`));
      const who = { userId: sup?.id ?? null, username: 'supervisor', ip: null };
      result = await measure(async () => {
        const scan = await insertScan(database.db, { areaCode: `${COUNTY}000000`, trigger: 'manual', ...who });
        return (await runScan(database, scan.id, who)).findings;
      });
    }
    console.log(JSON.stringify(result));
  } finally {
    await database.close();
  }
}

function inChild(kind: string, url: string): Measure {
  const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1] ?? '', '--child', kind, '--url', url], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const last = out.trim().split('\n').pop() ?? '{}';
  return JSON.parse(last) as Measure;
}

async function main(): Promise<void> {
  const people = Number(values.people);
  const scratch = await createScratchPostgres(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', 'ykt_bench_ledger_scan');
  const database = await openDatabase({ kind: 'postgres', url: scratch.url });
  try {
    await database.migrate();
    const county = await loadDemoCounty(database.db, { seed: Number(values.seed), people });
    await database.db.execute(sql`analyze`);
    await ensureDemoData(database.db, { password: 'Bench-2026-demo' });
    const townships = county.regions.filter((r) => r.level === 'township').length;
    console.log(`loaded ${county.counts.persons} people, ${county.counts.paymentLines} lines, ${townships} townships`);
    const floor = inChild('floor', scratch.url);
    const whole = inChild('whole', scratch.url);
    const first = inChild('streamed', scratch.url);
    const rescan = inChild('streamed', scratch.url);
    const items = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from ledger_items`))[0]?.n ?? 0;
    if (first.rows !== whole.rows || rescan.rows !== whole.rows) throw new Error(`streamed found ${first.rows}/${rescan.rows}, whole ${whole.rows}`);

    const s = (m: Measure) => `${(m.ms / 1000).toFixed(2)} s`;
    const ratio = (m: Measure) => (m.ms / floor.ms).toFixed(1);
    console.log(`\nmachine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    console.log(`| people | lines | townships | floor: read the lines | whole county at once | scan job, first | scan job, rescan | findings / items |`);
    console.log(`| --- | --- | --- | --- | --- | --- | --- | --- |`);
    console.log(
      `| ${county.counts.persons} | ${county.counts.paymentLines} | ${townships} | ${s(floor)}, ${floor.peakRssMiB} MiB | ${s(whole)} (×${ratio(whole)}), ${whole.peakRssMiB} MiB | ${s(first)} (×${ratio(first)}), ${first.peakRssMiB} MiB | ${s(rescan)} (×${ratio(rescan)}), ${rescan.peakRssMiB} MiB | ${whole.rows} / ${items} |`,
    );
  } finally {
    await database.close();
    await scratch.drop();
  }
}

if (values.child !== undefined) await child(values.child, values.url ?? '');
else await main();
