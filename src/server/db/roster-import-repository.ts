/**
 * SQL of the roster import: the batched upserts and lookups behind
 * RosterImportStore, and the `roster_imports` records.
 *
 * Upserts pass each column as one array parameter and expand it with
 * `unnest`: a batch costs a dozen bind parameters whatever its size (far
 * from PostgreSQL's 65,535) and is four times faster than a multi-row
 * VALUES list on both drivers (measured for BENCHMARKS.md). `on conflict do
 * update … where (stored) is distinct from (incoming)` leaves identical rows
 * alone, so re-importing a file changes nothing — not even `updated_at`, the
 * import id or the sync xid that makes devices download a row again.
 */
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { storableText } from '#shared/domain/json-limits.ts';
import type { RosterImportStatus } from './schema/roster.ts';
import type { RosterImportKind } from './schema/roster.ts';
import { type Db, rowsOf } from './client.ts';
import { rosterImports, users } from './schema/index.ts';
import type {
  AccountRow,
  HouseholdRow,
  PaymentLineRow,
  PersonRow,
  RegionRow,
  RosterImportStore,
  SubsidyItemRow,
  WriteCounts,
} from '#server/import/store.ts';
import { accountKey } from '#server/import/store.ts';

type PgType = 'text' | 'int' | 'bool' | 'date' | 'numeric';

interface UpsertSpec {
  table: string;
  columns: readonly (readonly [name: string, type: PgType])[];
  key: readonly string[];
  /** Tables with import_id and updated_at (all but regions). */
  tracked: boolean;
}

/** What a column of a batch holds. */
type Cell = string | number | boolean | null | undefined;

/**
 * A column as a PostgreSQL array literal ('{"a","b",NULL}'), sent as one text
 * parameter: cheaper than letting the driver escape half a million values
 * one by one, and the same for both drivers.
 */
function arrayLiteral(values: readonly Cell[], type: PgType): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else if (type === 'bool') parts[i] = v === true ? 't' : 'f';
    else if (type === 'int') parts[i] = String(v);
    else parts[i] = `"${String(v).replace(/["\\]/gu, '\\$&')}"`;
  }
  return `{${parts.join(',')}}`;
}

async function upsert(db: Db, spec: UpsertSpec, columns: readonly Cell[][], importId: string): Promise<WriteCounts> {
  const n = columns[0]?.length ?? 0;
  if (n === 0) return { inserted: 0, updated: 0 };
  const names = spec.columns.map(([name]) => name);
  const data = names.filter((c) => !spec.key.includes(c));
  const arrays = sql.join(
    spec.columns.map(([, type], i) => sql`${arrayLiteral(columns[i] ?? [], type)}::${sql.raw(type)}[]`),
    sql`, `,
  );
  const list = (prefix: string, cols: readonly string[]) => sql.raw(cols.map((c) => `${prefix}${c}`).join(', '));
  const tracked = spec.tracked ? sql`, ${importId}::uuid` : sql``;
  const insertCols = spec.tracked ? [...names, 'import_id'] : names;
  const set = [...data.map((c) => `${c} = excluded.${c}`), ...(spec.tracked ? ['import_id = excluded.import_id', 'updated_at = now()'] : [])].join(', ');
  // Rows skipped by the WHERE (identical to what is stored) are not returned;
  // xmax = 0 tells an inserted row from an updated one. Counted in SQL so a
  // batch answers one row, not thousands.
  const query: SQL = sql`with written as (
      insert into ${sql.raw(spec.table)} (${list('', insertCols)})
      select u.*${tracked} from unnest(${arrays}) as u(${list('', names)})
      on conflict (${list('', spec.key)}) do update set ${sql.raw(set)}
      where (${list(`${spec.table}.`, data)}) is distinct from (${list('excluded.', data)})
      returning (xmax = 0) as inserted
    )
    select (count(*) filter (where inserted))::int as inserted, (count(*) filter (where not inserted))::int as updated from written`;
  const [row] = rowsOf<Record<string, unknown>>(await db.execute(query));
  return { inserted: Number(row?.inserted ?? 0), updated: Number(row?.updated ?? 0) };
}

/** Column-wise arrays of `rows`, in the order of `pick`'s result. */
function columnsOf<T>(rows: readonly T[], pick: (row: T) => Cell[]): Cell[][] {
  const cols: Cell[][] = [];
  for (const row of rows) {
    const values = pick(row);
    values.forEach((v, i) => (cols[i] ??= []).push(v ?? null));
  }
  return cols;
}

const REGIONS: UpsertSpec = {
  table: 'regions',
  columns: [['code', 'text'], ['name', 'text'], ['level', 'text'], ['parent_code', 'text']],
  key: ['code'],
  tracked: false,
};
const ITEMS: UpsertSpec = {
  table: 'subsidy_items',
  columns: [
    ['code', 'text'], ['name', 'text'], ['department', 'text'], ['unit', 'text'], ['standard_amount_fen', 'int'],
    ['period', 'text'], ['amount_basis', 'text'], ['means_tested', 'bool'], ['description', 'text'],
  ],
  key: ['code'],
  tracked: true,
};
const HOUSEHOLDS: UpsertSpec = {
  table: 'households',
  columns: [
    ['id', 'text'], ['village_code', 'text'], ['group_name', 'text'], ['house_number', 'text'], ['head_person_id', 'text'],
    ['phone', 'text'], ['farmland_mu', 'numeric'],
  ],
  key: ['id'],
  tracked: true,
};
const PERSONS: UpsertSpec = {
  table: 'persons',
  columns: [
    ['id', 'text'], ['household_id', 'text'], ['village_code', 'text'], ['name', 'text'], ['sex', 'text'], ['birth_date', 'date'],
    ['relation', 'text'], ['status', 'text'], ['status_date', 'date'], ['phone', 'text'], ['is_cadre_relative', 'bool'],
  ],
  key: ['id'],
  tracked: true,
};
const ACCOUNTS: UpsertSpec = {
  table: 'accounts',
  columns: [['number', 'text'], ['bank_name', 'text'], ['type', 'text'], ['holder_person_id', 'text'], ['village_code', 'text'], ['opened_on', 'date']],
  key: ['number', 'bank_name'],
  tracked: true,
};
const LINES: UpsertSpec = {
  table: 'payment_lines',
  columns: [
    ['id', 'text'], ['item_code', 'text'], ['beneficiary_person_id', 'text'], ['household_id', 'text'], ['village_code', 'text'],
    ['period', 'text'], ['amount_fen', 'int'], ['paid_on', 'date'], ['account_number', 'text'], ['bank_name', 'text'],
  ],
  key: ['id'],
  tracked: true,
};

const anyText = (values: readonly string[]) => sql`any(${sql.param(values)}::text[])`;

/** The store of one import, bound to its transaction (`tx`). */
export function rosterImportStore(tx: Db): RosterImportStore {
  const select = async (query: SQL) => rowsOf<Record<string, unknown>>(await tx.execute(query));
  return {
    async findRegions(codes) {
      if (codes.length === 0) return new Map();
      const rows = await select(sql`select code, level from regions where code = ${anyText(codes)}`);
      return new Map(rows.map((r) => [String(r.code), { level: r.level as RegionRow['level'] }]));
    },
    async findSubsidyItemCodes(codes) {
      if (codes.length === 0) return new Set();
      const rows = await select(sql`select code from subsidy_items where code = ${anyText(codes)}`);
      return new Set(rows.map((r) => String(r.code)));
    },
    async findHouseholds(ids) {
      if (ids.length === 0) return new Map();
      const rows = await select(sql`select id, village_code from households where id = ${anyText(ids)}`);
      return new Map(rows.map((r) => [String(r.id), { villageCode: String(r.village_code) }]));
    },
    async findPersons(ids) {
      if (ids.length === 0) return new Map();
      const rows = await select(sql`select id, household_id, village_code from persons where id = ${anyText(ids)}`);
      return new Map(rows.map((r) => [String(r.id), { householdId: String(r.household_id), villageCode: String(r.village_code) }]));
    },
    async findAccounts(numbers) {
      if (numbers.length === 0) return new Map();
      const rows = await select(sql`select number, bank_name, holder_person_id, village_code from accounts where number = ${anyText(numbers)}`);
      return new Map(
        rows.map((r) => [accountKey(String(r.number), String(r.bank_name)), { holderPersonId: String(r.holder_person_id), villageCode: String(r.village_code) }]),
      );
    },
    async findPaymentLines(ids) {
      if (ids.length === 0) return new Map();
      const rows = await select(sql`select id, village_code from payment_lines where id = ${anyText(ids)}`);
      return new Map(rows.map((r) => [String(r.id), { villageCode: String(r.village_code) }]));
    },

    upsertRegions: (rows: readonly RegionRow[], importId) => upsert(tx, REGIONS, columnsOf(rows, (r) => [r.code, r.name, r.level, r.parentCode]), importId),
    upsertSubsidyItems: (rows: readonly SubsidyItemRow[], importId) =>
      upsert(
        tx,
        ITEMS,
        columnsOf(rows, (i) => [i.code, i.name, i.department, i.unit, i.standardAmountFen, i.period, i.amountBasis, i.meansTested, i.description]),
        importId,
      ),
    upsertHouseholds: (rows: readonly HouseholdRow[], importId) =>
      upsert(
        tx,
        HOUSEHOLDS,
        columnsOf(rows, (h) => [h.id, h.villageCode, h.groupName, h.houseNumber, h.headPersonId, h.phone, h.farmlandMu === undefined ? null : String(h.farmlandMu)]),
        importId,
      ),
    upsertPersons: (rows: readonly PersonRow[], importId) =>
      upsert(
        tx,
        PERSONS,
        columnsOf(rows, (p) => [p.id, p.householdId, p.villageCode, p.name, p.sex, p.birthDate, p.relation, p.status, p.statusDate, p.phone, p.isCadreRelative ?? false]),
        importId,
      ),
    upsertAccounts: (rows: readonly AccountRow[], importId) =>
      upsert(tx, ACCOUNTS, columnsOf(rows, (a) => [a.number, a.bankName, a.type, a.holderPersonId, a.villageCode, a.openedOn]), importId),
    upsertPaymentLines: (rows: readonly PaymentLineRow[], importId) =>
      upsert(
        tx,
        LINES,
        columnsOf(rows, (l) => [l.id, l.itemCode, l.beneficiaryPersonId, l.householdId, l.villageCode, l.period, l.amountFen, l.paidOn, l.accountNumber, l.bankName]),
        importId,
      ),
  };
}

/**
 * Runs a whole file's import in one transaction: an error thrown by `fn`
 * (a file found broken half-way, a crash) rolls back every row written.
 */
export function inImportTransaction<T>(db: Db, fn: (store: RosterImportStore, tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    return fn(rosterImportStore(t), t);
  });
}

// ---------------------------------------------------------------------------
// Import records

export interface NewImportRecord {
  id: string;
  kind: RosterImportKind;
  fileName: string;
  sha256: string;
  userId: string | null;
  status: RosterImportStatus;
  report?: unknown;
}

/**
 * A report as PostgreSQL can store it: what a file held (a header or cell with
 * U+0000) is shown, not refused; a refused report would leave the run unrecorded.
 * Reports are a few levels deep, so JSON.stringify's recursion is safe here.
 */
function storableReport(report: unknown): unknown {
  if (report === null || report === undefined) return null;
  return JSON.parse(JSON.stringify(report, (_key, v: unknown) => (typeof v === 'string' ? storableText(v) : v))) as unknown;
}

export async function insertImportRecord(db: Db, r: NewImportRecord): Promise<void> {
  await db.insert(rosterImports).values({
    id: r.id,
    kind: r.kind,
    fileName: storableText(r.fileName),
    sha256: r.sha256,
    userId: r.userId,
    status: r.status,
    report: storableReport(r.report),
    ...(r.status === 'running' ? {} : { finishedAt: new Date() }),
  });
}

export async function finishImportRecord(
  db: Db,
  id: string,
  r: { status: Exclude<RosterImportStatus, 'running'>; okCount: number; warningCount: number; errorCount: number; report: unknown },
): Promise<void> {
  await db
    .update(rosterImports)
    .set({ status: r.status, finishedAt: new Date(), okCount: r.okCount, warningCount: r.warningCount, errorCount: r.errorCount, report: storableReport(r.report) })
    .where(eq(rosterImports.id, id));
}

export interface ImportRecordRow {
  id: string;
  kind: RosterImportKind;
  fileName: string;
  sha256: string;
  status: RosterImportStatus;
  startedAt: Date;
  finishedAt: Date | null;
  okCount: number;
  warningCount: number;
  errorCount: number;
  userId: string | null;
  userName: string | null;
  userAreaCode: string | null;
}

const recordColumns = {
  id: rosterImports.id,
  kind: rosterImports.kind,
  fileName: rosterImports.fileName,
  sha256: rosterImports.sha256,
  status: rosterImports.status,
  startedAt: rosterImports.startedAt,
  finishedAt: rosterImports.finishedAt,
  okCount: rosterImports.okCount,
  warningCount: rosterImports.warningCount,
  errorCount: rosterImports.errorCount,
  userId: rosterImports.userId,
  userName: users.displayName,
  userAreaCode: users.areaCode,
};

/** One run with its full stored report. */
export async function findImportRecord(db: Db, id: string): Promise<(ImportRecordRow & { report: unknown }) | undefined> {
  const [row] = await db
    .select({ ...recordColumns, report: rosterImports.report })
    .from(rosterImports)
    .leftJoin(users, eq(users.id, rosterImports.userId))
    .where(eq(rosterImports.id, id))
    .limit(1);
  return row;
}

/**
 * Recent runs, newest first, without their reports (which can be large):
 * only the file-level error and the exact problem count are read out of them.
 */
export async function listImportRecords(db: Db, limit: number): Promise<(ImportRecordRow & { fileError: string | null; problemCount: number })[]> {
  return db
    .select({
      ...recordColumns,
      fileError: sql<string | null>`${rosterImports.report} ->> 'fileError'`,
      problemCount: sql<number>`coalesce((${rosterImports.report} ->> 'problemCount')::int, 0)`,
    })
    .from(rosterImports)
    .leftJoin(users, eq(users.id, rosterImports.userId))
    .orderBy(desc(rosterImports.startedAt))
    .limit(limit);
}

/**
 * Runs the server was doing when it stopped: their transaction was rolled
 * back with the process, so nothing of them is stored. Command-line runs
 * (no user) are left alone: one may be running right now.
 */
export async function failInterruptedImports(db: Db, report: unknown): Promise<number> {
  const rows = await db
    .update(rosterImports)
    .set({ status: 'failed', finishedAt: new Date(), report })
    .where(and(eq(rosterImports.status, 'running'), sql`${rosterImports.userId} is not null`))
    .returning({ id: rosterImports.id });
  return rows.length;
}
