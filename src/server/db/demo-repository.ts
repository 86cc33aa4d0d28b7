/**
 * What the demo campaign (cli/demo/campaign.ts) asks of the forms table:
 * whether a campaign is there already, the cadre's visit times, and the one
 * liberty it takes: a form's server time set back to its visit's, so the
 * months and stages of the report spread as a real campaign's would.
 */
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { type Db } from './client.ts';
import { checkForms } from './schema/sync.ts';

export async function countForms(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(checkForms);
  return row?.n ?? 0;
}

export async function formsOfKind(db: Db, kind: 'cadre' | 'inspection'): Promise<number> {
  const [row] = await db.select({ n: count() }).from(checkForms).where(eq(checkForms.kind, kind));
  return row?.n ?? 0;
}

/** When the cadre visited each of these households (its form's visit time), for those with a cadre form. */
export async function cadreVisitTimes(db: Db, householdIds: readonly string[]): Promise<Map<string, string>> {
  if (householdIds.length === 0) return new Map();
  const rows = await db
    .select({ householdId: checkForms.householdId, visitedAt: sql<string | null>`${checkForms.body}->'evidence'->>'visitedAt'` })
    .from(checkForms)
    .where(and(eq(checkForms.kind, 'cadre'), inArray(checkForms.householdId, [...householdIds])));
  return new Map(rows.flatMap((r) => (r.visitedAt ? [[r.householdId, r.visitedAt] as const] : [])));
}

/** The forms' creation time becomes their visit's (evidence.visitedAt), in pages of a thousand. */
export async function backdateForms(db: Db, formIds: readonly string[]): Promise<void> {
  for (let i = 0; i < formIds.length; i += 1000) {
    const ids = formIds.slice(i, i + 1000);
    await db
      .update(checkForms)
      .set({ createdAt: sql`(${checkForms.body}->'evidence'->>'visitedAt')::timestamptz` })
      .where(and(inArray(checkForms.id, ids), sql`${checkForms.body}->'evidence'->>'visitedAt' is not null`));
  }
}

/**
 * The ledger items these forms' problems put on the ledger are dated as if
 * the supervisor had accepted each form two days after the visit (the item
 * and its first event), not at the moment the demo was seeded, so the
 * monthly reports and stage summaries count them in the months they belong to.
 */
export async function backdateFormLedgerItems(db: Db, formIds: readonly string[]): Promise<void> {
  for (let i = 0; i < formIds.length; i += 1000) {
    const ids = formIds.slice(i, i + 1000);
    await db.execute(sql`
      with f as (
        select s.item_id, min(c.created_at) + interval '2 days' as at
        from ledger_sources s join check_forms c on c.id::text = split_part(s.ref, ':', 1)
        where s.kind = 'form' and c.id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})
        group by s.item_id
      ), moved as (
        update ledger_items i set created_at = least(f.at, now()) from f where i.id = f.item_id and i.created_at > f.at
        returning i.id, i.created_at
      )
      update ledger_events e set at = m.created_at from moved m
      where e.item_id = m.id and e.id = (select min(x.id) from ledger_events x where x.item_id = m.id)`);
  }
}
