/**
 * Coverage counts (issue 15, item 1) from the rows kept by migration 0018's
 * triggers and refresh: a level above the village sums village rows; a
 * village lists its households.
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
    with h as (
      select village_code,
        count(*)::int as visited,
        count(*) filter (where outcome = 'not-found')::int as not_found,
        count(*) filter (where outcome = 'refused')::int as refused,
        sum(persons_covered)::int as persons_covered,
        sum(items_covered)::int as items_covered
      from coverage_households where ${areaFilterSql(sql`village_code`, areaPrefix)}
      group by village_code
    )
    select rpad(substr(v.village_code, 1, ${groupDigits}), 12, '0') as code,
      count(*)::int as villages,
      count(h.village_code)::int as "villagesStarted",
      sum(v.households)::int as households,
      coalesce(sum(h.visited), 0)::int as visited,
      coalesce(sum(h.not_found), 0)::int as "notFound",
      coalesce(sum(h.refused), 0)::int as refused,
      sum(v.persons)::int as persons,
      coalesce(sum(h.persons_covered), 0)::int as "personsCovered",
      sum(v.items)::int as items,
      coalesce(sum(h.items_covered), 0)::int as "itemsCovered"
    from coverage_villages v left join h on h.village_code = v.village_code
    where ${areaFilterSql(sql`v.village_code`, areaPrefix)}
    group by 1 order by 1`);
  return rowsOf<CoverageCounts>(r);
}

/** Villages of the area no cadre form has reached, by code: the first `limit`, and how many in all. */
export async function villagesAtZero(db: Db, areaPrefix: string, limit: number): Promise<{ rows: { code: string; name: string; households: number }[]; total: number }> {
  const zero = sql`from coverage_villages v join regions r on r.code = v.village_code
    where ${areaFilterSql(sql`v.village_code`, areaPrefix)} and v.households > 0
      and not exists (select 1 from coverage_households c where c.village_code = v.village_code)`;
  const rows = rowsOf<{ code: string; name: string; households: number }>(await db.execute(sql`select v.village_code as code, r.name, v.households ${zero} order by v.village_code limit ${limit}`));
  const [n] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n ${zero}`));
  return { rows, total: n?.n ?? 0 };
}

/** Every household of one village with what its latest cadre form covers (none: not visited yet). */
export async function villageHouseholds(db: Db, villageCode: string): Promise<CoverageHousehold[]> {
  const r = await db.execute(sql`
    select h.id as "householdId", h.group_name as "groupName", h.house_number as "houseNumber", head.name as "headName",
      (select count(*)::int from persons p where p.household_id = h.id) as persons,
      coalesce(c.persons_covered, 0) as "personsCovered",
      (select count(*)::int from (select distinct pl.beneficiary_person_id, pl.item_code from payment_lines pl where pl.household_id = h.id) x) as items,
      coalesce(c.items_covered, 0) as "itemsCovered",
      c.outcome, c.form_id::text as "formId", u.display_name as "authorName"
    from households h
    left join persons head on head.id = h.head_person_id
    left join coverage_households c on c.household_id = h.id
    left join users u on u.id = c.author_user_id
    where h.village_code = ${villageCode}
    order by (c.household_id is not null), h.group_name, h.house_number, h.id`);
  return rowsOf<CoverageHousehold>(r);
}
