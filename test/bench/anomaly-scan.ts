/**
 * Benchmark: the anomaly scan over a county (issue 3: 50,000 people,
 * ~500,000 payment lines; target ≤ 10 s on PostgreSQL).
 *
 * Loads the demo county (seeded, anomalies planted) into a fresh PostgreSQL
 * database and a fresh on-disk PGlite, then times, three runs each:
 * - http:  POST /api/anomalies/scan as the county supervisor through the
 *          real app (app.inject): session check, load, rules, response;
 * - load:  loadAnomalyInput alone (the six range queries and context);
 * - rules: runAnomalyChecks alone on the loaded rows.
 * Also checks that the scan finds exactly the planted cases, so a fast but
 * wrong scan cannot pass.
 *
 * Run:  npx tsx test/bench/anomaly-scan.ts [--people 50000] [--db pg|pglite|both]
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
 * is the server to create the throw-away database on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { buildApp } from '#server/app.ts';
import { ensureDemoData } from '#server/cli/demo-data.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { loadAnomalyInput } from '#server/db/anomaly-repository.ts';
import { openDatabase, type Database } from '#server/db/client.ts';
import { countFindings, runAnomalyChecks } from '#shared/domain/anomalies/index.ts';
import { DEMO_PASSWORD, signIn } from '../helpers/app.ts';
import { createScratchPostgres } from '#test/helpers/scratch-postgres.ts';

const TARGET_PG_MS = 10_000;
const RUNS = 3;

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '50000' },
    db: { type: 'string', default: 'both' },
    seed: { type: 'string', default: '20220601' },
  },
});
const people = Number(values.people);
const seed = Number(values.seed);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MiB`;

async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

interface Result {
  kind: string;
  loadCountyMs: number;
  lines: number;
  persons: number;
  http: number[];
  /** CPU time of this process (user + system) during each HTTP scan: unlike wall time, not inflated by other load on the machine. */
  httpCpu: number[];
  load: number[];
  rules: number[];
  findings: number;
  planted: number;
  rssMiB: number;
}

async function bench(kind: 'postgres' | 'pglite', database: Database): Promise<Result> {
  await database.migrate();
  console.log(`[${kind}] loading the demo county (${people} people, seed ${seed})…`);
  const loaded = await time(() => loadDemoCounty(database.db, { seed, people }));
  const county = loaded.value;
  // Fresh bulk load: give the planner statistics, as autovacuum would soon after an import.
  await database.db.execute(sql`analyze`);
  console.log(`[${kind}] loaded ${county.counts.persons} people, ${county.counts.paymentLines} lines in ${secs(loaded.ms)}`);

  await ensureDemoData(database.db, { password: DEMO_PASSWORD });
  const app = await buildApp({ database });
  await app.ready();
  const cookie = await signIn(app, 'supervisor');

  const result: Result = {
    kind,
    loadCountyMs: loaded.ms,
    lines: county.counts.paymentLines,
    persons: county.counts.persons,
    http: [],
    httpCpu: [],
    load: [],
    rules: [],
    findings: 0,
    planted: county.planted.cases.length,
    rssMiB: 0,
  };
  for (let run = 0; run < RUNS; run++) {
    const cpu = process.cpuUsage();
    const http = await time(() => app.inject({ method: 'POST', url: '/api/anomalies/scan', headers: { cookie } }));
    const cpuUsed = process.cpuUsage(cpu);
    result.httpCpu.push((cpuUsed.user + cpuUsed.system) / 1000);
    if (http.value.statusCode !== 200) throw new Error(`scan answered ${http.value.statusCode}: ${http.value.body}`);
    const total = http.value.json<{ total: number }>().total;
    if (total !== result.planted) throw new Error(`scan found ${total} findings, ${result.planted} planted`);
    result.http.push(http.ms);

    const input = await time(() => loadAnomalyInput(database, '421321'));
    result.load.push(input.ms);
    const rules = await time(() => runAnomalyChecks(input.value, { areaPrefix: '421321' }));
    result.rules.push(rules.ms);
    result.findings = countFindings(rules.value).total;
    result.rssMiB = Math.max(result.rssMiB, Math.round(process.memoryUsage().rss / 1024 / 1024));
    console.log(`[${kind}] run ${run + 1}: http ${secs(http.ms)} (cpu ${secs(result.httpCpu[run] ?? 0)}), load ${secs(input.ms)}, rules ${secs(rules.ms)}, ${result.findings} findings, rss ${mib(process.memoryUsage().rss)}, load average ${loadavg()[0]?.toFixed(1) ?? '?'}`);
  }
  await app.close();
  return result;
}

async function onPostgres(): Promise<Result> {
  const scratch = await createScratchPostgres(adminUrl, 'ykt_bench_anomaly');
  const database = await openDatabase({ kind: 'postgres', url: scratch.url });
  try {
    return await bench('postgres', database);
  } finally {
    await database.close();
    await scratch.drop();
  }
}

async function onPglite(): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'ykt-bench-pglite-'));
  const database = await openDatabase({ kind: 'pglite', dataDir: dir });
  try {
    return await bench('pglite', database);
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: Result[] = [];
if (values.db === 'pg' || values.db === 'both') results.push(await onPostgres());
if (values.db === 'pglite' || values.db === 'both') results.push(await onPglite());

console.log(`\nmachine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log('| database | people | payment lines | county load | scan over HTTP (3 runs) | node CPU of the scan | load rows | rules | findings | peak RSS |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  const runs = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(2)).join(' / ') + ' s';
  console.log(
    `| ${r.kind} | ${r.persons} | ${r.lines} | ${secs(r.loadCountyMs)} | ${runs(r.http)} | ${runs(r.httpCpu)} | ${runs(r.load)} | ${runs(r.rules)} | ${r.findings} (planted ${r.planted}) | ${r.rssMiB} MiB |`,
  );
}
const pgResult = results.find((r) => r.kind === 'postgres');
if (pgResult) {
  const worst = Math.max(...pgResult.http);
  console.log(`\nPostgreSQL end to end, slowest run: ${secs(worst)} (target ≤ ${secs(TARGET_PG_MS)}): ${worst <= TARGET_PG_MS ? 'within target' : 'OVER TARGET'}`);
  if (worst > TARGET_PG_MS) process.exitCode = 1;
}
