/** The subsidy item catalogue (subsidy_items). */
import { inArray } from 'drizzle-orm';
import type { Db } from './client.ts';
import { subsidyItems } from './schema/index.ts';

/** Names of subsidy items by code (the catalogue is a few dozen rows). */
export async function itemNames(db: Db, codes: string[]): Promise<Record<string, string>> {
  if (codes.length === 0) return {};
  const rows = await db.select({ code: subsidyItems.code, name: subsidyItems.name }).from(subsidyItems).where(inArray(subsidyItems.code, codes));
  return Object.fromEntries(rows.map((r) => [r.code, r.name]));
}
