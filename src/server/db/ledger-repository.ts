/** The problem ledger's tables (schema/ledger.ts): items, their sources and their history. */
import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { LedgerListQuery } from '#shared/schemas/ledger.ts';
import { regionPrefix } from '#shared/domain/region-code.ts';
import type { LedgerItemState } from '#shared/domain/ledger/lifecycle.ts';
import { areaFilter } from './area-filter.ts';
import { rowsOf, type Db } from './client.ts';
import { ledgerEvidence, ledgerEvents, ledgerItems, ledgerSources, ledgerTips, regions } from './schema/index.ts';

/** An item, with the name of its area when the regions table has it. */
export type LedgerRow = typeof ledgerItems.$inferSelect & { areaName?: string | null };

export interface NewFinding {
  kind: (typeof ledgerSources.kind.enumValues)[number];
  ref: string;
  dedupeKey: string;
  problemCode: string;
  category: 'A' | 'B' | 'C';
  areaCode: string;
  householdId: string | null;
  personKey: string | null;
  itemCode: string | null;
  title: string;
  description: string;
  amountInvolvedFen: number | null;
}

export type FindingOutcome = 'created' | 'linked' | 'known';

/**
 * A finding into the ledger, once: a source seen before changes nothing
 * ('known'); a new source of a problem already on the ledger (the same
 * dedupe key) is linked to its item ('linked'); anything else is a new item
 * in `found` ('created'). Call inside a transaction.
 */
export async function recordFinding(tx: Db, f: NewFinding, by: { userId: string | null; username: string | null }): Promise<FindingOutcome> {
  const known = await tx.select({ itemId: ledgerSources.itemId }).from(ledgerSources).where(and(eq(ledgerSources.kind, f.kind), eq(ledgerSources.ref, f.ref))).limit(1);
  if (known.length > 0) return 'known';
  const [inserted] = await tx
    .insert(ledgerItems)
    .values({
      problemCode: f.problemCode,
      category: f.category,
      areaCode: f.areaCode,
      householdId: f.householdId,
      personKey: f.personKey,
      itemCode: f.itemCode,
      dedupeKey: f.dedupeKey,
      title: f.title,
      description: f.description,
      amountInvolvedFen: f.amountInvolvedFen,
    })
    .onConflictDoNothing({ target: ledgerItems.dedupeKey })
    .returning({ id: ledgerItems.id });
  let itemId = inserted?.id;
  const outcome: FindingOutcome = itemId === undefined ? 'linked' : 'created';
  if (itemId === undefined) {
    const [existing] = await tx.select({ id: ledgerItems.id }).from(ledgerItems).where(eq(ledgerItems.dedupeKey, f.dedupeKey));
    if (!existing) throw new Error(`ledger item of ${f.dedupeKey} vanished`);
    itemId = existing.id;
  }
  await tx.insert(ledgerSources).values({ itemId, kind: f.kind, ref: f.ref });
  await tx.insert(ledgerEvents).values({
    itemId,
    userId: by.userId,
    username: by.username,
    action: outcome === 'created' ? 'found' : 'linked',
    fromState: null,
    toState: 'found',
    comment: null,
    details: { source: f.kind, ref: f.ref },
  });
  return outcome;
}

export async function listLedgerItems(db: Db, areaPrefix: string, q: LedgerListQuery, today: string): Promise<{ rows: LedgerRow[]; next: number | null }> {
  const limit = q.limit ?? 50;
  const where: (SQL | undefined)[] = [areaFilter(ledgerItems.areaCode, areaPrefix)];
  if (q.area !== undefined) where.push(areaFilter(ledgerItems.areaCode, regionPrefix(q.area)));
  if (q.state !== undefined) where.push(eq(ledgerItems.state, q.state));
  if (q.code !== undefined) where.push(eq(ledgerItems.problemCode, q.code));
  if (q.category !== undefined) where.push(eq(ledgerItems.category, q.category));
  if (q.minAmountFen !== undefined) where.push(gte(ledgerItems.amountInvolvedFen, q.minAmountFen));
  if (q.overdue === '1') where.push(sql`${ledgerItems.state} in ('assigned', 'rectifying') and ${ledgerItems.assignment}->>'deadline' < ${today}`);
  if (q.before !== undefined) where.push(lt(ledgerItems.number, q.before));
  const rows = (
    await db
      .select({ item: ledgerItems, areaName: regions.name })
      .from(ledgerItems)
      .leftJoin(regions, eq(regions.code, ledgerItems.areaCode))
      .where(and(...where))
      .orderBy(desc(ledgerItems.number))
      .limit(limit + 1)
  ).map((r) => ({ ...r.item, areaName: r.areaName }));
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { rows: page, next: more ? (page.at(-1)?.number ?? null) : null };
}

/** Every item `listLedgerItems` would page through, a page of `pageSize` at a time (exports, print). */
export async function* ledgerPages(db: Db, areaPrefix: string, q: LedgerListQuery, today: string, pageSize = 1000): AsyncGenerator<LedgerRow[], void, undefined> {
  let before: number | undefined;
  for (;;) {
    const page = await listLedgerItems(db, areaPrefix, { ...q, limit: pageSize, ...(before === undefined ? {} : { before }) }, today);
    if (page.rows.length > 0) yield page.rows;
    if (page.next === null) return;
    before = page.next;
  }
}

export async function findLedgerItem(db: Db, id: string): Promise<LedgerRow | undefined> {
  const [row] = await db.select({ item: ledgerItems, areaName: regions.name }).from(ledgerItems).leftJoin(regions, eq(regions.code, ledgerItems.areaCode)).where(eq(ledgerItems.id, id));
  return row ? { ...row.item, areaName: row.areaName } : undefined;
}

export async function findLedgerItemForUpdate(tx: Db, id: string): Promise<LedgerRow | undefined> {
  const [row] = await tx.select().from(ledgerItems).where(eq(ledgerItems.id, id)).for('update');
  return row;
}

export async function updateLedgerItem(tx: Db, id: string, next: LedgerItemState): Promise<void> {
  await tx
    .update(ledgerItems)
    .set({
      state: next.state,
      assignment: next.assignment,
      referral: next.referral,
      amountInvolvedFen: next.amountInvolvedFen,
      amountRecoveredFen: next.amountRecoveredFen,
      outcome: next.outcome,
      updatedAt: new Date(),
    })
    .where(eq(ledgerItems.id, id));
}

export async function insertLedgerEvent(tx: Db, e: typeof ledgerEvents.$inferInsert): Promise<void> {
  await tx.insert(ledgerEvents).values(e);
}

/** The step a device sent under this idempotency key, if it was taken. */
export async function findEventByMutation(db: Db, mutationId: string) {
  const [row] = await db.select({ itemId: ledgerEvents.itemId, userId: ledgerEvents.userId }).from(ledgerEvents).where(eq(ledgerEvents.mutationId, mutationId));
  return row ?? null;
}

/** Items of the area a village's cadre works on: assigned, being rectified, evidence sent (oldest deadline first). */
export async function ledgerTasks(db: Db, areaPrefix: string, limit: number): Promise<LedgerRow[]> {
  const rows = await db
    .select({ item: ledgerItems, areaName: regions.name })
    .from(ledgerItems)
    .leftJoin(regions, eq(regions.code, ledgerItems.areaCode))
    .where(and(areaFilter(ledgerItems.areaCode, areaPrefix), inArray(ledgerItems.state, ['assigned', 'rectifying', 'evidence-submitted'])))
    .orderBy(sql`${ledgerItems.assignment}->>'deadline' nulls last`, asc(ledgerItems.number))
    .limit(limit);
  return rows.map((r) => ({ ...r.item, areaName: r.areaName }));
}

export async function ledgerHistory(db: Db, itemId: string) {
  return db.select().from(ledgerEvents).where(eq(ledgerEvents.itemId, itemId)).orderBy(asc(ledgerEvents.id));
}

/** Records evidence photos of an item (each once). */
export async function insertLedgerEvidence(db: Db, itemId: string, hashes: readonly string[], who: { userId: string; username: string }): Promise<void> {
  if (hashes.length === 0) return;
  await db
    .insert(ledgerEvidence)
    .values(hashes.map((sha256) => ({ itemId, sha256, ...who })))
    .onConflictDoNothing();
}

export async function ledgerEvidenceOf(db: Db, itemId: string) {
  return db.select().from(ledgerEvidence).where(eq(ledgerEvidence.itemId, itemId)).orderBy(asc(ledgerEvidence.createdAt), asc(ledgerEvidence.sha256));
}

export async function ledgerSourcesOf(db: Db, itemId: string) {
  return db.select().from(ledgerSources).where(eq(ledgerSources.itemId, itemId)).orderBy(asc(ledgerSources.createdAt), asc(ledgerSources.ref));
}

/** An area's ledger in numbers, counted by the database in one pass: per state, per code, overdue, money. */
export async function ledgerCounts(db: Db, areaPrefix: string, today: string) {
  const rows = rowsOf<{ state: string; code: string; n: number; overdue: number; involved: string | null; recovered: string | null }>(
    await db.execute(sql`
      select state, problem_code as code, count(*)::int as n,
             count(*) filter (where state in ('assigned', 'rectifying') and assignment->>'deadline' < ${today})::int as overdue,
             sum(amount_involved_fen)::text as involved, sum(amount_recovered_fen)::text as recovered
      from ledger_items where ${areaFilter(ledgerItems.areaCode, areaPrefix)}
      group by state, problem_code`),
  );
  const byState: Record<string, number> = {};
  const byCode: Record<string, number> = {};
  let overdue = 0;
  let involved = 0;
  let recovered = 0;
  for (const r of rows) {
    byState[r.state] = (byState[r.state] ?? 0) + r.n;
    byCode[r.code] = (byCode[r.code] ?? 0) + r.n;
    overdue += r.overdue;
    involved += Number(r.involved ?? 0);
    recovered += Number(r.recovered ?? 0);
  }
  return { byState, byCode, overdue, amountInvolvedFen: involved, amountRecoveredFen: recovered };
}

export async function insertTip(tx: Db, tip: typeof ledgerTips.$inferInsert): Promise<void> {
  await tx.insert(ledgerTips).values(tip);
}

export async function findTip(db: Db, itemId: string) {
  const [row] = await db.select().from(ledgerTips).where(eq(ledgerTips.itemId, itemId));
  return row;
}

export async function itemNumber(db: Db, id: string): Promise<number | undefined> {
  const [row] = await db.select({ n: ledgerItems.number, id: ledgerItems.id }).from(ledgerItems).where(eq(ledgerItems.id, id));
  return row?.n;
}

/** The id of the item a dedupe key names. */
export async function itemIdOfKey(db: Db, dedupeKey: string): Promise<string | undefined> {
  const [row] = await db.select({ id: ledgerItems.id }).from(ledgerItems).where(eq(ledgerItems.dedupeKey, dedupeKey));
  return row?.id;
}
