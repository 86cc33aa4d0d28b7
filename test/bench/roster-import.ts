/**
 * Benchmark: importing a county's roster and payment lines from CSV.
 * Target (issue 3): 50,000 people and ~500,000 payment lines in ≤ 30 s on
 * PostgreSQL and ≤ 60 s on PGlite, with memory flat as the file grows.
 *
 * Method: the demo county generator (src/server/cli/demo/generate.ts) writes
 * the six CSV files of a county (regions, items, households, persons,
 * accounts, payment lines) with the Chinese template headers, amounts in
 * yuan. Each import runs in a child process on a fresh database (a new
 * PostgreSQL database, or a new PGlite data directory), through the same
 * planImport/runImport as the CLI and the upload route; the child reports
 * the wall time of the six files and its peak RSS (getrusage maxrss). Two
 * county sizes are run so that the memory of the larger can be compared
 * with the smaller.
 *
 * Run: npx tsx test/bench/roster-import.ts [--people 25000,50000] [--db pg,pglite]
 * Only write a county's files: npx tsx test/bench/roster-import.ts --out <dir> [--people 50000]
 * PostgreSQL: TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test
 * (a database named ykt_bench_… is created next to it and dropped after).
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateDemoCounty } from '../../src/server/cli/demo/generate.ts';
import { KIND_SPECS, type RosterDataKind } from '../../src/server/import/columns.ts';
import { csvLine, UTF8_BOM } from '../../src/server/import/csv-write.ts';
import { createScratchPostgres } from '#test/helpers/scratch-postgres.ts';

const SEED = 20_220_601;
const FILES: readonly RosterDataKind[] = ['regions', 'subsidy-items', 'households', 'persons', 'accounts', 'payment-lines'];

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

/** A CSV writer that respects the stream's backpressure. */
async function writeCsv(path: string, kind: RosterDataKind, rows: Iterable<(string | number | null | undefined)[]>): Promise<number> {
  const out = createWriteStream(path);
  const header = KIND_SPECS[kind].columns.map((c) => c.zh);
  out.write(UTF8_BOM + csvLine(header));
  let n = 0;
  let buf = '';
  for (const r of rows) {
    buf += csvLine(r, { guardFormula: false });
    n++;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  return n;
}

/** Columns in KIND_SPECS order for each kind. */
async function generateFiles(dir: string, people: number): Promise<{ lines: number; bytes: number }> {
  const county = generateDemoCounty({ seed: SEED, people });
  await writeCsv(join(dir, 'regions.csv'), 'regions', (function* () {
    for (const r of county.regions) yield [r.code, r.name, null, r.parentCode];
  })());
  await writeCsv(join(dir, 'subsidy-items.csv'), 'subsidy-items', (function* () {
    const basis = { fixed: '固定标准', 'per-mu': '按亩', variable: '据实' } as const;
    const period = { month: '按月', quarter: '按季', 'half-year': '按半年', year: '按年', once: '一次性' } as const;
    for (const i of county.items) {
      yield [i.code, i.name, i.department, i.unit === 'household' ? '按户' : '按人', yuan(i.standardAmountFen), period[i.period], basis[i.amountBasis], i.meansTested ? '是' : '否', i.description];
    }
  })());
  await writeCsv(join(dir, 'households.csv'), 'households', (function* () {
    for (const h of county.households()) yield [h.id, h.villageCode, h.groupName, h.houseNumber, h.headPersonId, h.phone, h.farmlandMu];
  })());
  const status = { living: '正常', deceased: '死亡', 'moved-out': '迁出', 'not-member': '非本户成员' } as const;
  await writeCsv(join(dir, 'persons.csv'), 'persons', (function* () {
    for (const p of county.persons()) {
      yield [p.id, p.householdId, p.name, p.sex === 'M' ? '男' : '女', p.birthDate, p.relation, status[p.status], p.statusDate, p.phone, p.isCadreRelative === true ? '是' : '否'];
    }
  })());
  const type = { card: '银行卡', passbook: '存折', sscard: '社保卡' } as const;
  await writeCsv(join(dir, 'accounts.csv'), 'accounts', (function* () {
    for (const a of county.accounts()) yield [a.number, type[a.type], a.bankName, a.holderPersonId, a.openedOn];
  })());
  const lines = await writeCsv(join(dir, 'payment-lines.csv'), 'payment-lines', (function* () {
    for (const l of county.paymentLines()) {
      const seq = l.id.split(':')[3];
      yield [l.itemCode, l.beneficiaryPersonId, l.period, yuan(l.amountFen), l.paidOn, l.accountNumber, l.bankName, l.householdId, null, null, seq];
    }
  })());
  let bytes = 0;
  for (const k of FILES) bytes += statSync(join(dir, `${k}.csv`)).size;
  return { lines, bytes };
}

interface ChildResult {
  seconds: number;
  /** CPU time of the importing process (PGlite runs inside it): less sensitive than wall time to a busy machine. */
  cpuSeconds: number;
  /** PostgreSQL only: CPU time of the server backends still connected at the end (the import transaction's among them). */
  pgBackendCpuSeconds: number | null;
  perFile: Record<string, number>;
  maxRssMb: number;
  rows: number;
  errors: number;
  warnings: number;
}

/** Child mode: import the six files of `dir` into one database and print the result as JSON. */
async function child(dir: string, db: string): Promise<void> {
  const { openDatabase } = await import('../../src/server/db/client.ts');
  const { planImport, runImport } = await import('../../src/server/import/service.ts');
  const { configureZodMessages } = await import('../../src/shared/schemas/zod-locale.ts');
  configureZodMessages();
  const database = db.startsWith('postgres') ? await openDatabase({ kind: 'postgres', url: db }) : await openDatabase({ kind: 'pglite', dataDir: db });
  await database.migrate();
  const perFile: Record<string, number> = {};
  let rows = 0;
  let errors = 0;
  let warnings = 0;
  const started = performance.now();
  for (const k of FILES) {
    const t0 = performance.now();
    const path = join(dir, `${k}.csv`);
    const plan = await planImport(path, `${k}.csv`);
    const o = await runImport(database.db, path, `${k}.csv`, plan, { user: null });
    if (o.status !== 'succeeded') throw new Error(`${k}: ${o.fileError ?? 'failed'}`);
    perFile[k] = (performance.now() - t0) / 1000;
    rows += o.counts.ok + o.counts.warning + o.counts.error;
    errors += o.counts.error;
    warnings += o.counts.warning;
  }
  const seconds = (performance.now() - started) / 1000;
  let pgBackendCpuSeconds: number | null = null;
  if (database.kind === 'postgres') {
    const { sql } = await import('drizzle-orm');
    const res: unknown = await database.db.execute(sql`select pid from pg_stat_activity where datname = current_database()`);
    pgBackendCpuSeconds = 0;
    for (const { pid } of (res as { rows: { pid: number }[] }).rows) {
      // /proc/<pid>/stat fields 14 and 15: user and system time in clock ticks (100 a second on Linux).
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /su, '').split(' ');
      pgBackendCpuSeconds += (Number(fields[11]) + Number(fields[12])) / 100;
    }
  }
  await database.close();
  const usage = process.resourceUsage();
  const result: ChildResult = { seconds, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, pgBackendCpuSeconds, perFile, maxRssMb: usage.maxRSS / 1024, rows, errors, warnings };
  console.log(JSON.stringify(result));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { people: { type: 'string' }, db: { type: 'string' }, child: { type: 'string' }, target: { type: 'string' }, out: { type: 'string' } },
  });
  if (values.child !== undefined && values.target !== undefined) return child(values.child, values.target);
  if (values.out !== undefined) {
    // Only write the files (to try the CLI or the upload screen by hand).
    mkdirSync(values.out, { recursive: true });
    const people = Number(values.people ?? '50000');
    const { lines, bytes } = await generateFiles(values.out, people);
    console.log(`${values.out}: ${people} people, ${lines} payment lines, ${(bytes / 1024 / 1024).toFixed(1)} MB`);
    return;
  }

  const sizes = (values.people ?? '25000,50000').split(',').map(Number);
  const kinds = (values.db ?? 'pg,pglite').split(',');
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const self = fileURLToPath(import.meta.url);
  const tsx = join(fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url)));

  for (const people of sizes) {
    const dir = mkdtempSync(join(tmpdir(), `ykt-bench-import-${people}-`));
    try {
      const g0 = performance.now();
      const { lines, bytes } = await generateFiles(dir, people);
      console.log(`county of ${people} people: ${lines} payment lines, ${(bytes / 1024 / 1024).toFixed(1)} MB of CSV (generated in ${((performance.now() - g0) / 1000).toFixed(1)} s)`);
      for (const kind of kinds) {
        let target: string;
        let cleanup: () => Promise<void>;
        if (kind === 'pg') {
          const scratch = await createScratchPostgres(adminUrl, 'ykt_bench');
          target = scratch.url;
          cleanup = scratch.drop;
        } else {
          target = join(dir, 'pglite');
          cleanup = () => {
            rmSync(target, { recursive: true, force: true });
            return Promise.resolve();
          };
        }
        try {
          const out = execFileSync(tsx, [self, '--child', dir, '--target', target], { encoding: 'utf8', maxBuffer: 1 << 24 });
          const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as ChildResult;
          const files = Object.entries(r.perFile)
            .map(([k, s]) => `${k} ${s.toFixed(1)}s`)
            .join(', ');
          console.log(
            `  ${kind.padEnd(6)} ${r.seconds.toFixed(1)} s (process CPU ${r.cpuSeconds.toFixed(1)} s${r.pgBackendCpuSeconds === null ? '' : `, PostgreSQL backend CPU ${r.pgBackendCpuSeconds.toFixed(1)} s`}), peak RSS ${r.maxRssMb.toFixed(0)} MB, ${r.rows} rows (${r.errors} errors, ${r.warnings} warnings) [${files}] load ${loadavg()[0]?.toFixed(1) ?? '?'}`,
          );
          console.log(JSON.stringify({ bench: 'roster-import', db: kind, people, lines, csvBytes: bytes, ...r }));
        } finally {
          await cleanup();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

await main();
