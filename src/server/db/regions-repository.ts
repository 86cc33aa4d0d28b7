import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Region } from '#shared/schemas/roster.ts';
import type { RegionName } from '#shared/schemas/sync.ts';
import { areaFilter } from './area-filter.ts';
import type { Db } from './client.ts';
import { regions } from './schema/index.ts';

export async function findRegion(db: Db, code: string): Promise<{ code: string; name: string } | undefined> {
  const [row] = await db.select({ code: regions.code, name: regions.name }).from(regions).where(eq(regions.code, code)).limit(1);
  return row;
}

/** Idempotent: re-running with the same regions changes nothing. */
export async function upsertRegions(db: Db, rows: readonly Region[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await db
      .insert(regions)
      .values(chunk.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parentCode })))
      .onConflictDoUpdate({
        target: regions.code,
        set: { name: sql`excluded.name`, level: sql`excluded.level`, parentCode: sql`excluded.parent_code` },
      });
  }
}

/** The regions whose codes fall in an area (the area itself, its townships and villages), by code. */
export async function regionsInArea(db: Db, areaPrefix: string): Promise<RegionName[]> {
  return db.select({ code: regions.code, name: regions.name, level: regions.level }).from(regions).where(areaFilter(regions.code, areaPrefix)).orderBy(asc(regions.code));
}

/** Every township and village this deployment knows, for the public tip-off form. */
export async function townshipsAndVillages(db: Db): Promise<RegionName[]> {
  return db
    .select({ code: regions.code, name: regions.name, level: regions.level })
    .from(regions)
    .where(inArray(regions.level, ['township', 'village']))
    .orderBy(asc(regions.code));
}

/** Names of the given region codes (unknown codes are left out). */
export async function regionNames(db: Db, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db.select({ code: regions.code, name: regions.name }).from(regions).where(inArray(regions.code, [...codes]));
  return new Map(rows.map((r) => [r.code, r.name]));
}
