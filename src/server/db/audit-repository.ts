/**
 * The audit log (audit_log): appended under one advisory lock, so entries
 * form one chain in seq order; each entry's hash is SHA-256 of ENTRY_TEXT,
 * which includes the previous entry's hash. Hashes are computed by the
 * database from the stored values (jsonb's text form is canonical), so the
 * check recomputes exactly what was hashed, set-based, in one pass.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { AuditAction, AuditEntry, AuditVerify } from '#shared/schemas/audit.ts';
import { inTransaction, rowsOf, type Db } from './client.ts';
import { areaFilter } from './area-filter.ts';
import { auditLog } from './schema/index.ts';

/** Any constant: the key of the advisory lock that serializes appends. */
const APPEND_LOCK = 7_301_2026;

/**
 * The text an entry's hash covers, over the columns of `audit_log` (or a
 * row alias `r`). Time as microseconds since the epoch: its text form would
 * depend on the session's TimeZone.
 */
function entryText(r: string): SQL {
  const c = (name: string) => sql.raw(`${r}.${name}`);
  return sql`concat_ws('|', ${c('prev_hash')}, ${c('seq')}::text, (extract(epoch from ${c('at')}) * 1000000)::bigint::text,
    coalesce(${c('user_id')}::text, ''), coalesce(${c('username')}, ''), ${c('action')}, coalesce(${c('target_type')}, ''),
    coalesce(${c('target_id')}, ''), coalesce(${c('area_code')}, ''), coalesce(${c('ip')}, ''), ${c('details')}::text)`;
}

export interface AuditWrite {
  action: AuditAction;
  userId: string | null;
  username: string | null;
  targetType?: string | null;
  targetId?: string | null;
  areaCode: string | null;
  ip: string | null;
  details?: Record<string, unknown>;
}

/**
 * Appends one entry. Call it inside the transaction of the change it
 * records (both commit or neither), at its end: the lock is held until
 * commit, and every other append waits for it. Called outside a
 * transaction it opens its own: in autocommit the lock would end with its
 * own statement, and two appends could read the same previous hash.
 */
export async function appendAudit(db: Db, e: AuditWrite): Promise<void> {
  await inTransaction(db, (tx) => appendLocked(tx, e));
}

async function appendLocked(db: Db, e: AuditWrite): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${APPEND_LOCK})`);
  // Text fields are bounded: an entry records, it does not store what was sent.
  const clip = (s: string | null | undefined, n: number) => (s === null || s === undefined ? null : s.slice(0, n));
  await db.execute(sql`
    with prev as (select coalesce((select hash from audit_log order by seq desc limit 1), '') as hash),
    r as (
      select nextval('audit_log_seq') as seq, now() as at, ${e.userId}::uuid as user_id, ${clip(e.username, 64)}::text as username,
             ${e.action}::text as action, ${clip(e.targetType, 32)}::text as target_type, ${clip(e.targetId, 128)}::text as target_id,
             ${e.areaCode}::text as area_code, ${clip(e.ip, 64)}::text as ip, ${JSON.stringify(e.details ?? {})}::jsonb as details, prev.hash as prev_hash
      from prev
    )
    insert into audit_log (seq, at, user_id, username, action, target_type, target_id, area_code, ip, details, prev_hash, hash)
    select seq, at, user_id, username, action, target_type, target_id, area_code, ip, details, prev_hash,
           encode(sha256(convert_to(${entryText('r')}, 'UTF8')), 'hex')
    from r`);
}

export interface AuditFilter {
  /** The viewer's area prefix. */
  areaPrefix: string;
  /** Entries of no area (a failed sign-in of no user): county-wide viewers only. */
  withoutArea: boolean;
  action?: AuditAction | undefined;
  username?: string | undefined;
  /** Civil dates (China time): from inclusive, to inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  before?: number | undefined;
  limit: number;
}

function whereOf(f: Omit<AuditFilter, 'limit'>): SQL {
  const inArea = sql`(${areaFilter(auditLog.areaCode, f.areaPrefix)})`;
  const parts: SQL[] = [f.withoutArea ? sql`(area_code is null or ${inArea})` : inArea];
  if (f.action) parts.push(sql`action = ${f.action}`);
  if (f.username) parts.push(sql`username = ${f.username}`);
  if (f.from) parts.push(sql`at >= (${f.from}::date)::timestamp at time zone 'Asia/Shanghai'`);
  if (f.to) parts.push(sql`at < (${f.to}::date + 1)::timestamp at time zone 'Asia/Shanghai'`);
  if (f.before !== undefined) parts.push(sql`seq < ${f.before}`);
  return sql.join(parts, sql` and `);
}

interface AuditDbRow {
  seq: number;
  at: string;
  userId: string | null;
  username: string | null;
  action: AuditEntry['action'];
  targetType: string | null;
  targetId: string | null;
  areaCode: string | null;
  ip: string | null;
  details: Record<string, unknown>;
  hash: string;
}

const COLUMNS = sql`seq::float8 as seq, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, user_id::text as "userId", username, action,
  target_type as "targetType", target_id as "targetId", area_code as "areaCode", ip, details, hash`;

/** Newest first, one page. */
export async function listAudit(db: Db, f: AuditFilter): Promise<AuditEntry[]> {
  const result = await db.execute(sql`select ${COLUMNS} from audit_log where ${whereOf(f)} order by seq desc limit ${f.limit}`);
  return rowsOf<AuditDbRow>(result);
}

/** Every entry the filter selects, oldest first, a page at a time (an export streams them). */
export async function* auditEntries(db: Db, f: Omit<AuditFilter, 'limit' | 'before'>, pageSize = 2000): AsyncGenerator<AuditEntry[]> {
  let after = 0;
  for (;;) {
    const result = await db.execute(sql`select ${COLUMNS} from audit_log where ${whereOf(f)} and seq > ${after} order by seq limit ${pageSize}`);
    const rows = rowsOf<AuditDbRow>(result);
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]?.seq ?? after;
    if (rows.length < pageSize) return;
  }
}

/**
 * Recomputes every hash and checks every link (prev_hash = the hash of the
 * entry before), in one set-based pass. An edited entry fails its hash; a
 * deleted one breaks the link of the entry after it. Entries cut off at the
 * end leave no trace in the chain: compare `head` with one noted earlier.
 */
export async function verifyAudit(db: Db): Promise<AuditVerify> {
  const broken = await db.execute(sql`
    select seq::float8 as seq, case when hash <> recomputed then 'hash' else 'link' end as reason
    from (
      select seq, hash, prev_hash, lag(hash, 1, '') over (order by seq) as expected_prev,
             encode(sha256(convert_to(${entryText('a')}, 'UTF8')), 'hex') as recomputed
      from audit_log a
    ) x
    where hash <> recomputed or prev_hash <> expected_prev
    order by seq
    limit 20`);
  const totals = await db.execute(sql`
    select (select count(*) from audit_log)::float8 as checked,
           (select json_build_object('seq', seq::float8, 'at', to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'hash', hash)
            from audit_log order by seq desc limit 1) as head`);
  const [t] = rowsOf<{ checked: number; head: AuditVerify['head'] }>(totals);
  const list = rowsOf<{ seq: number; reason: 'hash' | 'link' }>(broken);
  return { ok: list.length === 0, checked: t?.checked ?? 0, broken: list, head: t?.head ?? null };
}
