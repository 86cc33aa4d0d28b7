/** Households as the push path needs them: which village each is in. */
import { eq, sql } from 'drizzle-orm';
import { type Db, rowsOf } from './client.ts';
import { households } from './schema/index.ts';

export async function householdVillages(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const result = await db.execute(sql`
    select id, village_code as v from households where id = any(array(select value from json_array_elements_text(${JSON.stringify(ids)}::json)))`);
  return new Map(rowsOf<{ id: string; v: string }>(result).map((r) => [r.id, r.v]));
}

export async function householdVillage(db: Db, householdId: string): Promise<string | undefined> {
  const [row] = await db.select({ v: households.villageCode }).from(households).where(eq(households.id, householdId)).limit(1);
  return row?.v;
}
