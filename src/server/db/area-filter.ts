import { and, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { areaCodeRange } from '#shared/domain/region-code.ts';

/** Rows whose region code (a village code, or a region's own) lies in the area: one index range scan. */
export function areaFilter(code: PgColumn, areaPrefix: string): SQL {
  const { lo, hi } = areaCodeRange(areaPrefix);
  const lower = gte(code, lo);
  return hi === null ? lower : (and(lower, lt(code, hi)) as SQL);
}

/** areaFilter over a column named in raw SQL (an aliased table in a hand-written query). */
export function areaFilterSql(code: SQL, areaPrefix: string): SQL {
  const { lo, hi } = areaCodeRange(areaPrefix);
  return hi === null ? sql`${code} >= ${lo}` : sql`${code} >= ${lo} and ${code} < ${hi}`;
}
