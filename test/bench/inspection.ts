/**
 * Benchmark: spot checks at county size (issue 14), on PostgreSQL or PGlite.
 *
 * Loads the demo county, gives two thirds of its households a cadre form
 * (written straight into the table: what the draw and visit proof read of
 * a form is its outcome, problems, members and visit log), then times:
 * - floor:    one read of the county's households (id, village): the least
 *             a draw must read;
 * - input:    drawInput, the draw's whole input read from the database
 *             (households with their latest cadre form and open anomalies);
 * - draw:     drawSample over it (pure: SHA-256 ranks, the rule);
 * - publish:  publishRound (input read again, drawn, hash checked, the round
 *             and its sample stored, audited);
 * - visit:    visit proof of every cadre form of the county (read + flags);
 * - pull:     an inspector's first download of one township's sample against
 *             a cadre's of one whole village (rows and time).
 *
 * Run:  npx tsx test/bench/inspection.ts [--people 50000] [--db pg|pglite]
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names
 * the server to create the throw-away database on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { DEFAULT_SAMPLE_RULE, drawSample } from '#shared/domain/inspection/sample.ts';
import { visitFlags } from '#shared/domain/inspection/visit-proof.ts';
import { regionPrefix } from '#shared/domain/region-code.ts';
import { ensureDemoData } from '#server/cli/demo-data.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { openDatabase, rowsOf, type Database } from '#server/db/client.ts';
import { visitRecords } from '#server/db/inspection-repository.ts';
import { findUserByUsername } from '#server/db/users-repository.ts';
import { assignRound, drawInput, publishRound } from '#server/inspection/inspection-service.ts';
import type { AuthUser } from '#server/plugins/auth.ts';
import { pull } from '#server/sync/pull-service.ts';
import { createScratchPostgres } from '#test/helpers/scratch-postgres.ts';

const { values } = parseArgs({ options: { people: { type: 'string', default: '50000' }, db: { type: 'string', default: 'pg' } } });
const people = Number(values.people);
const COUNTY = '421321000000';
const TOWNSHIP = '421321101000';

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: Math.round(performance.now() - t0), value };
}

async function user(db: Database, username: string): Promise<AuthUser> {
  const row = await findUserByUsername(db.db, username);
  if (!row) throw new Error(username);
  return { id: row.id, username: row.username, displayName: row.displayName, role: row.role, areaCode: row.areaCode, areaPrefix: regionPrefix(row.areaCode), sessionId: 'bench', mustChangePassword: false };
}

/** Every page of a first download: rows and time. */
async function download(db: Database, who: AuthUser): Promise<{ ms: number; rows: number }> {
  const t0 = performance.now();
  let cursor: string | undefined;
  let rows = 0;
  for (;;) {
    const answer = await pull(db.db, who, { cursor, limit: 10_000, columns: true, regions: false, deviceId: undefined });
    if (!('json' in answer)) throw new Error('expected the column format');
    const page = JSON.parse(answer.json) as { cursor: string; hasMore: boolean; columns: Record<string, { n: number }>; changes: Record<string, unknown[]> };
    rows += Object.values(page.columns).reduce((n, b) => n + b.n, 0) + Object.values(page.changes).reduce((n, c) => n + c.length, 0);
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  return { ms: Math.round(performance.now() - t0), rows };
}

const onPglite = values.db === 'pglite';
const scratch = onPglite ? null : await createScratchPostgres(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', 'ykt_bench_inspection');
const dir = onPglite ? mkdtempSync(join(tmpdir(), 'ykt-bench-insp-')) : null;
const database = dir !== null ? await openDatabase({ kind: 'pglite', dataDir: dir }) : await openDatabase({ kind: 'postgres', url: scratch?.url ?? '' });
try {
  await database.migrate();
  await ensureDemoData(database.db, { password: 'Bench-2026-demo' });
  await loadDemoCounty(database.db, { people });
  // One cadre per village (the demo has one account; these are made for the bench, password unusable).
  await database.db.execute(sql`
    insert into users (username, display_name, role, area_code, password_hash)
    select 'bench-' || village_code, '村干部' || village_code, 'cadre', village_code, 'x' from (select distinct village_code from households) v`);
  // Two thirds of the households checked by their village's cadre: a visit log each (40 minutes apart, a
  // few hundred metres around the village), one form in ten with a problem.
  await database.db.execute(sql`
    insert into check_forms (id, household_id, village_code, kind, rev, body, author_user_id, device_id)
    select gen_random_uuid(), h.id, h.village_code, 'cadre', 1,
      jsonb_build_object('outcome', 'checked', 'members', jsonb_build_array(jsonb_build_object('personId', 'x', 'name', 'x', 'idNumber', null, 'isNew', false)), 'accounts', '[]'::jsonb,
        'problems', case when n % 10 = 0 then jsonb_build_array(jsonb_build_object('code', 'A5')) else '[]'::jsonb end,
        'evidence', jsonb_build_object('gps', null),
        'visit', jsonb_build_object('openedAt', to_char(timestamp '2026-11-01' + (k * 40 || ' minutes')::interval, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
          'submittedAt', to_char(timestamp '2026-11-01' + (k * 40 + 15 || ' minutes')::interval, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
          'activeSeconds', jsonb_build_object('household', 300 + n % 200),
          'gpsOpen', null,
          'gpsSubmit', jsonb_build_object('lat', 31 + (right(h.village_code, 5)::int % 997) * 0.01 + (k % 20) * 0.0004, 'lon', 113 + (right(h.village_code, 5)::int % 991) * 0.01 + (k / 20) * 0.0004, 'accuracyM', 15))),
      u.id, 'bench'
    from (select id, village_code, row_number() over (order by id) as n, row_number() over (partition by village_code order by id) as k from households) h
    join users u on u.username = 'bench-' || h.village_code
    where n % 3 <> 0`);
  const [counts] = rowsOf<{ households: number; forms: number }>(await database.db.execute(sql`select (select count(*)::int from households) as households, (select count(*)::int from check_forms) as forms`));
  const supervisor = await user(database, 'supervisor');
  const inspector = await user(database, 'inspector');

  const floor = await time(async () => rowsOf<{ id: string }>(await database.db.execute(sql`select id, village_code from households where village_code >= '421321' and village_code < '421322'`)).length);
  const input = await time(() => drawInput(database.db, COUNTY));
  const draw = await time(() => Promise.resolve(drawSample('bench', DEFAULT_SAMPLE_RULE, input.value)));
  const inputHash = draw.value.inputHash;
  const publish = await time(() => publishRound(database.db, supervisor, { name: 'bench', areaCode: COUNTY, seed: 'bench', rule: DEFAULT_SAMPLE_RULE, inputHash }, null));
  const township = draw.value.townships.find((t) => t.code === TOWNSHIP);
  await assignRound(database.db, supervisor, publish.value, { inspectorId: inspector.id, villageCodes: township?.sampledVillages.map((v) => v.code) ?? [] }, null);
  const visit = await time(async () => visitFlags(await visitRecords(database.db, '421321', 'cadre')).size);
  const inspectorPull = await download(database, inspector);
  const cadrePull = await download(database, await user(database, 'cadre'));

  const result = {
    db: values.db,
    people,
    households: counts?.households,
    cadreForms: counts?.forms,
    sampled: draw.value.households.length,
    cpus: cpus().length,
    load: loadavg().map((x) => Math.round(x * 100) / 100),
    ms: { floor: floor.ms, input: input.ms, draw: draw.ms, publish: publish.ms, visit: visit.ms },
    ratio: { inputToFloor: Math.round((input.ms / Math.max(1, floor.ms)) * 10) / 10, publishToFloor: Math.round((publish.ms / Math.max(1, floor.ms)) * 10) / 10 },
    flaggedForms: visit.value,
    inspectorPull,
    cadrePull,
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await database.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await scratch?.drop();
}
