/**
 * Coverage counts (issue 15, item 1) from the rows kept by migration 0018's
 * triggers and refresh: any level sums coverage_villages rows (a city is a
 * few thousand); a village lists its households.
 */
import { sql } from 'drizzle-orm';
import { areaCodeRange } from '#shared/domain/region-code.ts';
import type { CoverageHousehold } from '#shared/schemas/coverage.ts';
import { areaFilterSql } from './area-filter.ts';
import { rowsOf, type Db } from './client.ts';

/** A region's or a group of villages' counts, before names are attached. */
export interface CoverageCounts {
  code: string;
  villages: number;
  villagesStarted: number;
  households: number;
  visited: number;
  notFound: number;
  refused: number;
  persons: number;
  personsCovered: number;
  items: number;
  itemsCovered: number;
}

/**
 * Counts the area's rows again against the roster: the households' coverage
 * and the villages' totals. After a roster import (the roster is what the
 * answers are counted against), a demo load, or a benchmark's copy.
 */
export async function refreshCoverage(db: Db, areaPrefix: string): Promise<void> {
  const { lo, hi } = areaCodeRange(areaPrefix);
  await db.execute(sql`select ykt_coverage_refresh_area(${lo}, ${hi})`);
}

/**
 * The area's villages grouped by the first `groupDigits` digits of their
 * code (9: per township; 6: per county; 12: per village), one row per group.
 */
export async function coverageByGroup(db: Db, areaPrefix: string, groupDigits: number): Promise<CoverageCounts[]> {
  const r = await db.execute(sql`
    select rpad(substr(village_code, 1, ${groupDigits}), 12, '0') as code,
      count(*)::int as villages,
      count(*) filter (where visited > 0)::int as "villagesStarted",
      sum(households)::int as households,
      sum(visited)::int as visited,
      sum(not_found)::int as "notFound",
      sum(refused)::int as refused,
      sum(persons)::int as persons,
      sum(persons_covered)::int as "personsCovered",
      sum(items)::int as items,
      sum(items_covered)::int as "itemsCovered"
    from coverage_villages
    where ${areaFilterSql(sql`village_code`, areaPrefix)}
    group by 1 order by 1`);
  return rowsOf<CoverageCounts>(r);
}

/** Villages of the area no cadre form has reached, by code: the first `limit`, and how many in all. */
export async function villagesAtZero(db: Db, areaPrefix: string, limit: number): Promise<{ rows: { code: string; name: string; households: number }[]; total: number }> {
  const zero = sql`from coverage_villages v join regions r on r.code = v.village_code
    where ${areaFilterSql(sql`v.village_code`, areaPrefix)} and v.households > 0 and v.visited = 0`;
  const rows = rowsOf<{ code: string; name: string; households: number }>(await db.execute(sql`select v.village_code as code, r.name, v.households ${zero} order by v.village_code limit ${limit}`));
  const [n] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n ${zero}`));
  return { rows, total: n?.n ?? 0 };
}

/** Every household of one village with what its latest cadre form covers (none: not visited yet). */
export async function villageHouseholds(db: Db, villageCode: string): Promise<CoverageHousehold[]> {
  // The village's people and ledger pairs counted in one pass each, not per household.
  const r = await db.execute(sql`
    with p as (select household_id, count(*)::int as n from persons where village_code = ${villageCode} group by household_id),
    i as (select household_id, count(*)::int as n from (select distinct household_id, beneficiary_person_id, item_code from payment_lines where village_code = ${villageCode}) x group by household_id)
    select h.id as "householdId", h.group_name as "groupName", h.house_number as "houseNumber", head.name as "headName",
      coalesce(p.n, 0) as persons, coalesce(c.persons_covered, 0) as "personsCovered",
      coalesce(i.n, 0) as items, coalesce(c.items_covered, 0) as "itemsCovered",
      c.outcome, c.form_id::text as "formId", u.display_name as "authorName"
    from households h
    left join p on p.household_id = h.id
    left join i on i.household_id = h.id
    left join persons head on head.id = h.head_person_id
    left join coverage_households c on c.household_id = h.id
    left join users u on u.id = c.author_user_id
    where h.village_code = ${villageCode}
    order by (c.household_id is not null), h.group_name, h.house_number, h.id`);
  return rowsOf<CoverageHousehold>(r);
}
