/**
 * Benchmark: server ingest of check forms through POST /api/sync/push.
 * Targets (issue 5): ≥ 5,000 forms/s on PostgreSQL, ≥ 1,500 on PGlite, on
 * this 2-core machine.
 *
 * Method: the real server (src/server/server.ts) runs as a child process on a
 * fresh database (PostgreSQL: a new database on BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test, dropped afterwards; PGlite: a new
 * data directory), with a small demo county for the cadre's village. Eight
 * simulated devices (each its own device id and session; a township's cadres coming into signal) push concurrently
 * over HTTP on loopback, in batches of 100 mutations, each form ~2 KB of JSON
 * (members, items, accounts, a problem, remarks). Every form is written twice,
 * so each has history: first a batch of new forms (rev 1), later a batch of
 * edits of those forms (baseRev 1 → rev 2). Request bodies are built before
 * the clock starts. One untimed warm-up batch per device. Every answer must be
 * `applied` with the expected revision, so a fast wrong ingest fails.
 * Also reported: the server process's CPU seconds (from /proc), which the
 * load generator and other load on the machine do not inflate, and the time
 * of a fixed CPU workload, to tell a slower machine from slower code.
 *
 * The floor, measured in the same run on the same database once the server
 * has stopped: the same number of forms, versions and mutation-log rows (new
 * ids, the same bodies, the same batches of 100, the same devices in
 * parallel) written straight into the tables, one jsonb_to_recordset statement per
 * batch and no server in between. `ingestToFloor` = ingest rate ÷ floor rate:
 * the share of the database's own write speed the server delivers, a number
 * that a 2.5× slower or faster machine moves far less than either rate.
 *
 * Run: npx tsx test/bench/sync-ingest.ts [--db pg|pglite|both] [--devices 8] [--forms 1300]
 * (--forms: new forms per device; each is also edited once, so 2 × forms mutations per device.)
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import * as z from 'zod/mini';
import type { CheckFormBody } from '../../src/shared/schemas/check-form.ts';
import { PullResponseSchema, PushResponseSchema, type PullResponse } from '../../src/shared/schemas/sync.ts';
import { checkFormBody } from '../fixtures/check-form.ts';
import { openDatabase, rowsOf, type Database } from '../../src/server/db/client.ts';
import { DEMO_PASSWORD, ServerProcess, type FaultDbKind } from '../helpers/server-process.ts';

const TARGET: Record<FaultDbKind, number> = { postgres: 5000, pglite: 1500 };
const BATCH = 100;

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    devices: { type: 'string', default: '8' },
    forms: { type: 'string', default: '1300' },
    /** A directory for a V8 CPU profile of the server (node --cpu-prof), written when it stops. */
    profile: { type: 'string' },
  },
});
const kinds: FaultDbKind[] = args.db === 'pg' ? ['postgres'] : args.db === 'pglite' ? ['pglite'] : ['postgres', 'pglite'];
const deviceCount = Number(args.devices);
const formsPerDevice = Math.ceil(Number(args.forms) / BATCH) * BATCH;
process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  // utime + stime, fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 a second on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The PostgreSQL backends serving the server's database (its pool), found by database name. */
async function backendPids(url: string): Promise<number[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    return r.rows.map((x) => x.pid);
  } finally {
    await c.end();
  }
}

/** CPU seconds of those backends (the database work of the pushes; other sessions' databases excluded). */
function postgresCpuSeconds(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += cpuSeconds(pid);
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

async function signIn(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'cadre', password: DEMO_PASSWORD }) });
  if (!res.ok) throw new Error(`sign-in: ${res.status}`);
  return res.headers.getSetCookie().find((c) => c.startsWith('ykt_sid='))!.split(';')[0]!;
}

async function village(baseUrl: string, cookie: string) {
  const pages: PullResponse[] = [];
  let cursor: string | null = null;
  for (;;) {
    const q: string = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    const page: PullResponse = z.parse(PullResponseSchema, await (await fetch(`${baseUrl}/api/sync/pull${q}`, { headers: { cookie } })).json());
    pages.push(page);
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  const c = pages.map((p) => p.changes);
  if (c.every((x) => x.household.length === 0)) throw new Error('the pull brought no household');
  return {
    households: c.flatMap((x) => x.household),
    persons: c.flatMap((x) => x.person),
    accounts: c.flatMap((x) => x.account),
    lines: c.flatMap((x) => x.paymentLine),
  };
}

/** A realistic ~2 KB form for a household of the village. */
function realisticBody(v: Awaited<ReturnType<typeof village>>, i: number): CheckFormBody {
  const h = v.households[i % v.households.length]!;
  const b = checkFormBody(h);
  const members = v.persons.filter((p) => p.householdId === h.id).slice(0, 5);
  b.members = members.map((p) => ({ personId: p.id, name: p.name, idNumber: null, isNew: false, present: true, identityChecked: true, status: 'living', statusDate: null, relation: p.relation, note: '' }));
  const lines = v.lines.filter((l) => l.householdId === h.id);
  const seen = new Set<string>();
  b.items = lines
    .filter((l) => !seen.has(`${l.beneficiaryPersonId}|${l.itemCode}`) && seen.add(`${l.beneficiaryPersonId}|${l.itemCode}`))
    .slice(0, 3)
    .map((l) => ({ personId: l.beneficiaryPersonId, itemCode: l.itemCode, ledgerAmountFen: l.amountFen, ledgerLineCount: 1, knows: true, received: 'yes', amountReceivedFen: l.amountFen, onTime: true, intoOwnCard: true, distribution: 'direct', note: '' }));
  b.accounts = v.accounts
    .filter((a) => members.some((m) => m.id === a.holderPersonId))
    .slice(0, 2)
    .map((a) => ({ accountId: a.id, accountMasked: a.numberMasked, accountNumber: '', bankName: a.bankName, holderPersonId: a.holderPersonId, heldBy: 'self', cardCount: 1, bankConfirmed: '', feesDeducted: false, feeAmountFen: null, smsReceived: true }));
  b.problems = [{ key: randomUUID(), code: 'A2', amountFen: 12_000, description: '户主称 2021 年耕地地力保护补贴未足额到账，与台账金额不一致', personIds: [h.headPersonId], source: 'manual' }];
  const filler = '入户核实情况说明：户主本人在家，出示身份证和一卡通存折，逐项核对补贴项目与台账一致。';
  while (JSON.stringify(b).length < 1950) b.evidence.remarks += filler;
  b.evidence.remarks = b.evidence.remarks.slice(0, b.evidence.remarks.length - Math.max(0, JSON.stringify(b).length - 2048));
  return b;
}

interface Batch {
  text: string;
  expectRev: number;
}

function buildBatches(deviceId: string, v: Awaited<ReturnType<typeof village>>, offset: number, n: number): Batch[] {
  const forms = Array.from({ length: n }, (_, i) => ({ id: randomUUID(), body: realisticBody(v, offset + i) }));
  let counter = 0;
  const batches: Batch[] = [];
  for (const [rev, pass] of [
    [1, 'new'],
    [2, 'edit'],
  ] as const) {
    for (let i = 0; i < n; i += BATCH) {
      const mutations = forms.slice(i, i + BATCH).map((f) => {
        counter += 1;
        const body = pass === 'new' ? f.body : { ...f.body, evidence: { ...f.body.evidence, remarks: `${f.body.evidence.remarks.slice(0, -4)}（复核）` } };
        return { id: randomUUID(), counter, kind: 'form.put', formId: f.id, baseRev: rev - 1, body, blobs: [], clientTime: new Date().toISOString() };
      });
      batches.push({ text: JSON.stringify({ deviceId, appVersion: 'bench', outboxSize: n * 2 - (counter - mutations.length), mutations }), expectRev: rev });
    }
  }
  return batches;
}

async function push(baseUrl: string, cookie: string, b: Batch): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${baseUrl}/api/sync/push`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: b.text });
  const json: unknown = await res.json();
  if (res.status !== 200) throw new Error(`push: ${res.status} ${JSON.stringify(json)}`);
  const results = z.parse(PushResponseSchema, json).results;
  for (const r of results) if (r.status !== 'applied' || r.rev !== b.expectRev) throw new Error(`unexpected answer ${JSON.stringify(r)}`);
  return performance.now() - started;
}

/**
 * This machine's speed, apart from the code's: the best of five rounds of a
 * fixed CPU workload (2,000 JSON round trips of the sample form, work of the
 * kind the server does per mutation). Machines of the same kind have been
 * seen to differ by 2.5× in the CPU every part of this benchmark needs.
 */
function referenceWorkloadMs(sample: unknown): number {
  const text = JSON.stringify(sample);
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    for (let i = 0; i < 2000; i++) JSON.stringify(JSON.parse(text));
    best = Math.min(best, performance.now() - started);
  }
  return Number(best.toFixed(1));
}

/**
 * The same rows as a push of `batches` writes (check_forms inserted or
 * updated, a version each, a logged mutation each), straight into the
 * database: one statement per batch, each device's batches in order, the
 * devices in parallel. Returns the seconds it took.
 */
async function floorSeconds(database: Database, perDevice: { id: string; batches: Batch[] }[]): Promise<number> {
  const userId = rowsOf<{ id: string }>(await database.db.execute(sql`select id::text as id from users where username = 'cadre'`))[0]!.id;
  const recordsOf = (b: Batch, deviceId: string) =>
    JSON.stringify(
      (JSON.parse(b.text) as { mutations: { id: string; counter: number; formId: string; body: CheckFormBody }[] }).mutations.map((m) => ({
        id: m.id,
        counter: m.counter,
        form_id: m.formId,
        household_id: m.body.householdId,
        village_code: m.body.villageCode,
        rev: b.expectRev,
        body: m.body,
        device_id: deviceId,
      })),
    );
  const prepared = perDevice.map((d) => ({ id: d.id, rows: d.batches.map((b) => recordsOf(b, d.id)) }));
  const started = performance.now();
  await Promise.all(
    prepared.map(async (d) => {
      for (const rows of d.rows) {
        await database.db.execute(sql`
          with x as materialized (
            select * from jsonb_to_recordset(${rows}::jsonb) as x(id uuid, counter bigint, form_id uuid, household_id text, village_code text, rev integer, body jsonb, device_id text)
          ),
          ins as (
            insert into check_forms (id, household_id, village_code, kind, rev, body, author_user_id, device_id)
            select form_id, household_id, village_code, 'cadre', rev, body, ${userId}::uuid, device_id from x where rev = 1
          ),
          upd as (
            update check_forms f set rev = x.rev, body = x.body, updated_at = now() from x where x.rev > 1 and f.id = x.form_id
          ),
          ver as (
            insert into check_form_versions (form_id, rev, body, review_status, mutation_id, user_id, device_id)
            select form_id, rev, body, 'submitted', id, ${userId}::uuid, device_id from x
          )
          insert into sync_mutations (id, device_id, counter, user_id, kind, status, result, payload)
          select id, device_id, counter, ${userId}::uuid, 'form.put', 'applied', jsonb_build_object('id', id, 'status', 'applied', 'rev', rev),
                 jsonb_build_object('formId', form_id, 'baseRev', rev - 1)
          from x`);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

for (const kind of kinds) {
  const server = await ServerProcess.start({ kind, people: 1200, faults: false, nodeArgs: args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [] });
  try {
    const base = server.baseUrl;
    const cookies = await Promise.all(Array.from({ length: deviceCount }, () => signIn(base)));
    const v = await village(base, cookies[0]!);
    const sample = realisticBody(v, 0);
    const referenceMs = referenceWorkloadMs(sample);
    const devices = cookies.map((cookie, d) => {
      const id = randomUUID();
      return { cookie, id, batches: buildBatches(id, v, d * formsPerDevice, formsPerDevice) };
    });
    // Warm-up: JIT, connection pool, plans. Its device ids differ from the timed ones (its counters would collide).
    await Promise.all(devices.map(async (d) => {
      const warmId = randomUUID();
      for (const b of buildBatches(warmId, v, 0, BATCH)) await push(base, d.cookie, b);
    }));
    const cpu0 = cpuSeconds(server.pid);
    const pids = server.pgUrl ? await backendPids(server.pgUrl) : [];
    const pg0 = postgresCpuSeconds(pids);
    const client0 = process.cpuUsage();
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      devices.map(async (d) => {
        for (const b of d.batches) latencies.push(await push(base, d.cookie, b));
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const serverCpu = cpuSeconds(server.pid) - cpu0;
    const pgCpu = postgresCpuSeconds(pids) - pg0;
    const clientUsage = process.cpuUsage(client0);
    const clientCpu = (clientUsage.user + clientUsage.system) / 1e6;
    const mutations = deviceCount * formsPerDevice * 2;
    const rate = mutations / seconds;

    // The floor: the same rows straight into the same database, the server stopped.
    await server.stop();
    const direct = await openDatabase(server.pgUrl ? { kind: 'postgres', url: server.pgUrl, poolSize: deviceCount } : { kind: 'pglite', dataDir: server.dataDir });
    let floor: number;
    try {
      floor = await floorSeconds(direct, cookies.map(() => {
        const id = randomUUID();
        return { id, batches: buildBatches(id, v, 0, formsPerDevice) };
      }));
    } finally {
      await direct.close();
    }
    const floorRate = mutations / floor;
    const line = {
      bench: 'sync-ingest',
      database: kind,
      devices: deviceCount,
      batch: BATCH,
      formBytes: JSON.stringify(sample).length,
      forms: deviceCount * formsPerDevice,
      mutations,
      seconds: Number(seconds.toFixed(2)),
      formsPerSecond: Math.round(rate),
      batchMsP50: Math.round(pct(latencies, 50)),
      batchMsP95: Math.round(pct(latencies, 95)),
      serverCpuSeconds: Number(serverCpu.toFixed(2)),
      serverCpuMsPerForm: Number(((serverCpu * 1000) / mutations).toFixed(3)),
      postgresCpuMsPerForm: Number(((pgCpu * 1000) / mutations).toFixed(3)),
      loadGeneratorCpuMsPerForm: Number(((clientCpu * 1000) / mutations).toFixed(3)),
      /** PostgreSQL: what two cores would sustain running only the server and PostgreSQL (no load generator, nothing else). */
      ...(kind === 'postgres' ? { formsPerSecondOnTwoIdleCores: Math.round(2000 / (((serverCpu + pgCpu) * 1000) / mutations)) } : {}),
      loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      /** referenceWorkloadMs: lower is a faster machine. */
      machineReferenceMs: referenceMs,
      target: TARGET[kind],
      withinTarget: rate >= TARGET[kind],
      floorSeconds: Number(floor.toFixed(2)),
      floorFormsPerSecond: Math.round(floorRate),
      /** Ingest rate ÷ the rate of the same rows written straight into the database. */
      ingestToFloor: Number((rate / floorRate).toFixed(3)),
    };
    console.log(`${kind}: ${mutations} forms (${line.formBytes} B each) from ${deviceCount} devices in ${seconds.toFixed(2)} s = ${line.formsPerSecond} forms/s (target ≥ ${TARGET[kind]}); batch p50 ${line.batchMsP50} ms, p95 ${line.batchMsP95} ms; CPU per form: server ${line.serverCpuMsPerForm} ms, PostgreSQL ${line.postgresCpuMsPerForm} ms, load generator ${line.loadGeneratorCpuMsPerForm} ms; load average ${line.loadAverage}; machine reference ${referenceMs} ms; floor (same rows straight into the database) ${line.floorFormsPerSecond} forms/s, ingest ÷ floor = ${line.ingestToFloor}`);
    console.log(JSON.stringify(line));
  } finally {
    await server.dispose();
  }
}
