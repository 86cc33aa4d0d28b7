/**
 * Reads for pull. Each entity is paged in (xid, key) order, restricted to
 * rows written by transactions older than every transaction still running
 * (`xid < pg_snapshot_xmin(pg_current_snapshot())`). A transaction that took
 * its xid early but commits late is therefore held back until it commits and
 * then served: the cursor never moves past it (architecture.md, principle 6).
 */
import { and, asc, count, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { areaFilter } from './area-filter.ts';
import type { Db } from './client.ts';
import { accounts, checkForms, households, paymentLines, persons, subsidyItems } from './schema/index.ts';
import type { PrivacyKeys } from '#server/privacy/keys.ts';
import { accountKeySql, maskAccountSql, maskCitizenIdSql, personKeySql } from './privacy-sql.ts';

/** Position of one entity's stream: the (xid, key) of the last row served. */
export type StreamPosition = readonly [xid: string, key: string] | null;

const SAFE = sql`pg_snapshot_xmin(pg_current_snapshot())`;

function after(xid: PgColumn, key: SQL, pos: StreamPosition): SQL {
  return pos === null ? sql`true` : sql`(${xid}, ${key}) > (${pos[0]}::xid8, ${pos[1]})`;
}

type Row = Record<string, unknown> & { xid: string; streamKey: string };


export interface EntityPage<T> {
  rows: T[];
  last: StreamPosition;
}

function finish<T extends Row>(rows: T[], prev: StreamPosition): EntityPage<Omit<T, 'xid' | 'streamKey'>> {
  const lastRow = rows.at(-1);
  return {
    rows: rows.map(({ xid: _x, streamKey: _k, ...rest }) => rest),
    last: lastRow ? [lastRow.xid, lastRow.streamKey] : prev,
  };
}

export async function pullItems(db: Db, pos: StreamPosition, limit: number) {
  const key = sql`${subsidyItems.code}`;
  const rows = await db
    .select({
      code: subsidyItems.code,
      name: subsidyItems.name,
      department: subsidyItems.department,
      unit: subsidyItems.unit,
      standardAmountFen: subsidyItems.standardAmountFen,
      period: subsidyItems.period,
      amountBasis: subsidyItems.amountBasis,
      meansTested: subsidyItems.meansTested,
      description: subsidyItems.description,
      xid: sql<string>`${subsidyItems.xid}::text`,
      streamKey: sql<string>`${key}`,
    })
    .from(subsidyItems)
    .where(and(sql`${subsidyItems.xid} < ${SAFE}`, after(subsidyItems.xid, key, pos)))
    .orderBy(asc(subsidyItems.xid), asc(subsidyItems.code))
    .limit(limit);
  return finish(rows, pos);
}

export async function pullHouseholds(db: Db, keys: PrivacyKeys, areaPrefix: string, pos: StreamPosition, limit: number, only: SQL = sql`true`) {
  const key = sql`${households.id}`;
  const rows = await db
    .select({
      id: households.id,
      villageCode: households.villageCode,
      groupName: households.groupName,
      houseNumber: households.houseNumber,
      headPersonId: sql<string>`${personKeySql(keys, sql`${households.headPersonId}`)}`,
      phone: households.phone,
      farmlandMu: households.farmlandMu,
      xid: sql<string>`${households.xid}::text`,
      streamKey: sql<string>`${key}`,
    })
    .from(households)
    .where(and(areaFilter(households.villageCode, areaPrefix), only, sql`${households.xid} < ${SAFE}`, after(households.xid, key, pos)))
    .orderBy(asc(households.xid), asc(households.id))
    .limit(limit);
  return finish(rows, pos);
}

export async function pullPersons(db: Db, keys: PrivacyKeys, areaPrefix: string, pos: StreamPosition, limit: number, only: SQL = sql`true`) {
  const key = sql`${persons.id}`;
  const rows = await db
    .select({
      id: sql<string>`${personKeySql(keys, key)}`,
      idMasked: sql<string>`${maskCitizenIdSql(key)}`,
      householdId: persons.householdId,
      villageCode: persons.villageCode,
      name: persons.name,
      sex: persons.sex,
      birthDate: persons.birthDate,
      relation: persons.relation,
      status: persons.status,
      statusDate: persons.statusDate,
      phone: persons.phone,
      isCadreRelative: persons.isCadreRelative,
      xid: sql<string>`${persons.xid}::text`,
      streamKey: sql<string>`${key}`,
    })
    .from(persons)
    .where(and(areaFilter(persons.villageCode, areaPrefix), only, sql`${persons.xid} < ${SAFE}`, after(persons.xid, key, pos)))
    .orderBy(asc(persons.xid), asc(persons.id))
    .limit(limit);
  return finish(rows, pos);
}

export async function pullAccounts(db: Db, keys: PrivacyKeys, areaPrefix: string, pos: StreamPosition, limit: number, only: SQL = sql`true`) {
  // Accounts have a two-column key; the stream key joins them unambiguously (numbers are digits only).
  const key = sql`${accounts.number} || '|' || ${accounts.bankName}`;
  const rows = await db
    .select({
      id: sql<string>`${accountKeySql(keys, sql`${accounts.number}`, sql`${accounts.bankName}`)}`,
      numberMasked: sql<string>`${maskAccountSql(sql`${accounts.number}`)}`,
      bankName: accounts.bankName,
      type: accounts.type,
      holderPersonId: sql<string>`${personKeySql(keys, sql`${accounts.holderPersonId}`)}`,
      villageCode: accounts.villageCode,
      openedOn: accounts.openedOn,
      xid: sql<string>`${accounts.xid}::text`,
      streamKey: sql<string>`${key}`,
    })
    .from(accounts)
    .where(and(areaFilter(accounts.villageCode, areaPrefix), only, sql`${accounts.xid} < ${SAFE}`, after(accounts.xid, key, pos)))
    .orderBy(asc(accounts.xid), asc(key))
    .limit(limit);
  return finish(rows, pos);
}

/**
 * Payment lines stream by (xid, household, id): a household's ledger arrives
 * together, which is how the device stores it (one record per household).
 * The position's key is `household_id` U+001F `id` (see paymentLineAfter).
 */
export const LINE_KEY_SEPARATOR = '\u001f';

export function paymentLineAfter(pos: StreamPosition): SQL {
  if (pos === null) return sql`true`;
  const cut = pos[1].indexOf(LINE_KEY_SEPARATOR);
  // A key without the separator (cursor version 1, ordered by id alone) restarts its transaction's lines: repeats are harmless.
  const [household, id] = cut < 0 ? ['', ''] : [pos[1].slice(0, cut), pos[1].slice(cut + 1)];
  return sql`(${paymentLines.xid}, ${paymentLines.householdId}, ${paymentLines.id}) > (${pos[0]}::xid8, ${household}, ${id})`;
}

/** The natural part of a line id: its seq when the id is `item:citizenId:period:seq`, else null. */
export const NATURAL_LINE_SEQ = sql`(case when split_part(payment_lines.id, ':', 4) ~ '^[1-9][0-9]{0,8}$'
      and payment_lines.id = payment_lines.item_code || ':' || payment_lines.beneficiary_person_id || ':' || payment_lines.period || ':' || split_part(payment_lines.id, ':', 4)
    then split_part(payment_lines.id, ':', 4) end)`;

/**
 * A line's id as a device knows it: a natural id names the beneficiary by key
 * (`item:personKey:period:seq`, what the column format's seq decodes to); the
 * platform's own line ids go as they are.
 */
export function wireLineIdSql(keys: PrivacyKeys): SQL {
  return sql`coalesce(payment_lines.item_code || ':' || ${personKeySql(keys, sql`payment_lines.beneficiary_person_id`)} || ':' || payment_lines.period || ':' || ${NATURAL_LINE_SEQ}, payment_lines.id)`;
}

export async function pullPaymentLines(db: Db, keys: PrivacyKeys, areaPrefix: string, pos: StreamPosition, limit: number, only: SQL = sql`true`) {
  const key = sql`${paymentLines.householdId} || chr(31) || ${paymentLines.id}`;
  const rows = await db
    .select({
      id: sql<string>`${wireLineIdSql(keys)}`,
      itemCode: paymentLines.itemCode,
      beneficiaryPersonId: sql<string>`${personKeySql(keys, sql`${paymentLines.beneficiaryPersonId}`)}`,
      householdId: paymentLines.householdId,
      villageCode: paymentLines.villageCode,
      period: paymentLines.period,
      amountFen: paymentLines.amountFen,
      paidOn: paymentLines.paidOn,
      accountId: sql<string>`${accountKeySql(keys, sql`${paymentLines.accountNumber}`, sql`${paymentLines.bankName}`)}`,
      accountMasked: sql<string>`${maskAccountSql(sql`${paymentLines.accountNumber}`)}`,
      bankName: paymentLines.bankName,
      xid: sql<string>`${paymentLines.xid}::text`,
      streamKey: sql<string>`${key}`,
    })
    .from(paymentLines)
    .where(and(areaFilter(paymentLines.villageCode, areaPrefix), only, sql`${paymentLines.xid} < ${SAFE}`, paymentLineAfter(pos)))
    .orderBy(asc(paymentLines.xid), asc(paymentLines.householdId), asc(paymentLines.id))
    .limit(limit);
  return finish(rows, pos);
}

export type FormKind = (typeof checkForms.kind.enumValues)[number];

/**
 * Which forms a role's devices receive. A re-check stays independent of the
 * person re-checked: a cadre's device never holds an inspection form, and an
 * inspector's never holds a cadre's form (the blind re-check, issue 14).
 */
export function formKindsFor(role: string): FormKind[] {
  return role === 'cadre' ? ['cadre'] : role === 'inspector' ? ['inspection'] : ['cadre', 'inspection'];
}

export async function pullForms(db: Db, areaPrefix: string, pos: StreamPosition, limit: number, kinds: FormKind[], only: SQL = sql`true`) {
  const key = sql`${checkForms.id}::text`;
  const rows = await db
    .select({
      id: checkForms.id,
      householdId: checkForms.householdId,
      villageCode: checkForms.villageCode,
      kind: checkForms.kind,
      rev: checkForms.rev,
      body: checkForms.body,
      reviewStatus: checkForms.reviewStatus,
      reviewComment: checkForms.reviewComment,
      reviewSection: checkForms.reviewSection,
      authorUserId: checkForms.authorUserId,
      updatedAt: checkForms.updatedAt,
      xid: sql<string>`${checkForms.xid}::text`,
      streamKey: sql<string>`${key}`,
    })
    .from(checkForms)
    .where(and(areaFilter(checkForms.villageCode, areaPrefix), inArray(checkForms.kind, kinds), only, sql`${checkForms.xid} < ${SAFE}`, after(checkForms.xid, key, pos)))
    .orderBy(asc(checkForms.xid), asc(key))
    .limit(limit);
  return finish(rows, pos);
}

/** Row counts of an area (within a narrower scope, e.g. an inspector's households), for the download progress bar. */
export async function areaTotals(db: Db, areaPrefix: string, formKinds: FormKind[], only: (entity: 'household' | 'person' | 'account' | 'paymentLine' | 'form') => SQL = () => sql`true`) {
  const n = async (table: typeof households | typeof persons | typeof accounts | typeof paymentLines | typeof checkForms, scope: SQL, kinds?: SQL) => {
    const [row] = await db.select({ n: count() }).from(table).where(and(areaFilter(table.villageCode, areaPrefix), scope, kinds));
    return row?.n ?? 0;
  };
  const [item] = await db.select({ n: count() }).from(subsidyItems);
  return {
    item: item?.n ?? 0,
    household: await n(households, only('household')),
    person: await n(persons, only('person')),
    account: await n(accounts, only('account')),
    paymentLine: await n(paymentLines, only('paymentLine')),
    form: await n(checkForms, only('form'), inArray(checkForms.kind, formKinds)),
  };
}
