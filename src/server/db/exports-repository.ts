/**
 * Rows for exports (issue 15, item 4), a page at a time in household order,
 * so an export of any size streams with flat memory. Numbers are masked in
 * the query: a full number never reaches an export.
 */
import { sql } from 'drizzle-orm';
import { areaFilterSql } from './area-filter.ts';
import { rowsOf, type Db } from './client.ts';
import { maskCitizenIdSql } from './privacy-sql.ts';

export interface FormExportRow {
  householdId: string;
  township: string | null;
  village: string | null;
  groupName: string | null;
  houseNumber: string | null;
  headName: string | null;
  headIdMasked: string | null;
  outcome: string;
  persons: number;
  personsCovered: number;
  items: number;
  itemsCovered: number;
  problems: string | null;
  author: string;
  reviewStatus: string;
  updatedAt: Date | string;
}

/** One row per household with a cadre form in the area (its latest form), in pages of `pageSize`. */
export async function* formExportPages(db: Db, areaPrefix: string, pageSize = 2000): AsyncGenerator<FormExportRow[], void, undefined> {
  let after = '';
  for (;;) {
    const rows = rowsOf<FormExportRow>(
      await db.execute(sql`
        select c.household_id as "householdId", t.name as township, v.name as village, h.group_name as "groupName",
          coalesce(f.body -> 'household' ->> 'houseNumber', h.house_number) as "houseNumber",
          head.name as "headName", case when head.id is null then null else ${maskCitizenIdSql(sql`head.id`)} end as "headIdMasked",
          c.outcome,
          (select count(*)::int from persons p where p.household_id = c.household_id) as persons, c.persons_covered as "personsCovered",
          (select count(*)::int from (select distinct pl.beneficiary_person_id, pl.item_code from payment_lines pl where pl.household_id = c.household_id) x) as items,
          c.items_covered as "itemsCovered",
          (select string_agg(p ->> 'code', '、' order by p ->> 'code') from jsonb_array_elements(f.body -> 'problems') p) as problems,
          u.display_name as author, f.review_status as "reviewStatus", f.updated_at as "updatedAt"
        from coverage_households c
        join check_forms f on f.id = c.form_id
        join users u on u.id = c.author_user_id
        left join households h on h.id = c.household_id
        left join persons head on head.id = h.head_person_id
        left join regions v on v.code = c.village_code
        left join regions t on t.code = rpad(substr(c.village_code, 1, 9), 12, '0')
        where ${areaFilterSql(sql`c.village_code`, areaPrefix)} and c.household_id > ${after}
        order by c.household_id
        limit ${pageSize}`),
    );
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (rows.length < pageSize || !last) return;
    after = last.householdId;
  }
}
