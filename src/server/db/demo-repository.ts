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
