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

export interface FormItemExportRow {
  householdId: string;
  township: string | null;
  village: string | null;
  groupName: string | null;
  houseNumber: string | null;
  headName: string | null;
  personName: string | null;
  personIdMasked: string | null;
  itemName: string;
  ledgerLineCount: number;
  ledgerAmountFen: number;
  knows: boolean | null;
  received: string | null;
  amountReceivedFen: number | null;
  onTime: boolean | null;
  intoOwnCard: boolean | null;
  distribution: string | null;
  note: string;
  author: string;
  reviewStatus: string;
}

/**
 * One row per person × subsidy item answered on the latest cadre form of each household in the
 * area, in pages of `households` households (a household's items are never split across pages).
 * The form names people by surrogate key: the person is found among the household's members by
 * `ykt_person_key` (migration 0018; an older form by citizen ID), so the export shows the name and a masked ID, never the key.
 */
export async function* formItemExportPages(db: Db, areaPrefix: string, households = 500): AsyncGenerator<FormItemExportRow[], void, undefined> {
  let after = '';
  for (;;) {
    const page = rowsOf<{ id: string }>(
      await db.execute(sql`select household_id as id from coverage_households c
        where ${areaFilterSql(sql`c.village_code`, areaPrefix)} and c.household_id > ${after}
        order by c.household_id limit ${households}`),
    ).map((r) => r.id);
    const last = page.at(-1);
    if (!last) return;
    const rows = rowsOf<FormItemExportRow>(
      await db.execute(sql`
        select c.household_id as "householdId", t.name as township, v.name as village, h.group_name as "groupName",
          coalesce(f.body -> 'household' ->> 'houseNumber', h.house_number) as "houseNumber", head.name as "headName",
          p.name as "personName", case when p.id is null then null else ${maskCitizenIdSql(sql`p.id`)} end as "personIdMasked",
          coalesce(si.name, it ->> 'itemCode') as "itemName",
          coalesce((it ->> 'ledgerLineCount')::int, 0) as "ledgerLineCount", coalesce((it ->> 'ledgerAmountFen')::int, 0) as "ledgerAmountFen",
          (it ->> 'knows')::boolean as knows, it ->> 'received' as received, (it ->> 'amountReceivedFen')::int as "amountReceivedFen",
          (it ->> 'onTime')::boolean as "onTime", (it ->> 'intoOwnCard')::boolean as "intoOwnCard", it ->> 'distribution' as distribution,
          coalesce(it ->> 'note', '') as note, u.display_name as author, f.review_status as "reviewStatus"
        from coverage_households c
        join check_forms f on f.id = c.form_id
        join users u on u.id = c.author_user_id
        cross join lateral jsonb_array_elements(coalesce(f.body -> 'items', '[]'::jsonb)) with ordinality as items(it, n)
        left join households h on h.id = c.household_id
        left join persons head on head.id = h.head_person_id
        left join persons p on p.household_id = c.household_id and it ->> 'personId' in (p.id, ykt_person_key(p.id))
        left join subsidy_items si on si.code = it ->> 'itemCode'
        left join regions v on v.code = c.village_code
        left join regions t on t.code = rpad(substr(c.village_code, 1, 9), 12, '0')
        where c.household_id in ${page}
        order by c.household_id, items.n`),
    );
    if (rows.length > 0) yield rows;
    if (page.length < households) return;
    after = last;
  }
}

export interface CoverageExportRow {
  villageCode: string;
  township: string | null;
  village: string | null;
  households: number;
  visited: number;
  notFound: number;
  refused: number;
  persons: number;
  personsCovered: number;
  items: number;
  itemsCovered: number;
}

/** One row per village of the area from the coverage rollup (a city has a few thousand): one page. */
export async function* coverageExportPages(db: Db, areaPrefix: string): AsyncGenerator<CoverageExportRow[], void, undefined> {
  yield rowsOf<CoverageExportRow>(
    await db.execute(sql`
      select cv.village_code as "villageCode", t.name as township, v.name as village, cv.households, cv.visited, cv.not_found as "notFound", cv.refused,
        cv.persons, cv.persons_covered as "personsCovered", cv.items, cv.items_covered as "itemsCovered"
      from coverage_villages cv
      left join regions v on v.code = cv.village_code
      left join regions t on t.code = rpad(substr(cv.village_code, 1, 9), 12, '0')
      where ${areaFilterSql(sql`cv.village_code`, areaPrefix)}
      order by cv.village_code`),
  );
}

export interface SampleExportRow {
  villageCode: string;
  position: number;
  township: string | null;
  village: string | null;
  groupName: string | null;
  houseNumber: string | null;
  headName: string | null;
  reason: string;
  inspectorName: string | null;
  done: boolean;
  cadreName: string | null;
  compared: number | null;
  differing: number | null;
  t1Differing: number | null;
  t2Differing: number | null;
  t3Differing: number | null;
  /** The fields that differ (field names only, no values: values may be numbers). */
  differingFields: string[] | null;
}

/** A round's sampled households in the area with what the re-check found, in draw order, a page at a time. */
export async function* sampleExportPages(db: Db, roundId: string, areaPrefix: string, pageSize = 2000): AsyncGenerator<SampleExportRow[], void, undefined> {
  let after = { village: '', position: -1 };
  for (;;) {
    const rows = rowsOf<SampleExportRow>(
      await db.execute(sql`
        select s.village_code as "villageCode", s.position, t.name as township, v.name as village, h.group_name as "groupName", h.house_number as "houseNumber",
          p.name as "headName", s.reason, u.display_name as "inspectorName",
          exists (select 1 from check_forms f where f.household_id = s.household_id and f.kind = 'inspection') as done,
          cu.display_name as "cadreName", c.compared, c.differing, c.t1_differing as "t1Differing", c.t2_differing as "t2Differing", c.t3_differing as "t3Differing",
          (select array_agg(d ->> 'field' order by d ->> 'field') from jsonb_array_elements(c.fields) d where (d ->> 'differs')::boolean) as "differingFields"
        from inspection_sample s
        left join households h on h.id = s.household_id
        left join persons p on p.id = h.head_person_id
        left join users u on u.id = s.inspector_user_id
        left join inspection_comparisons c on c.round_id = s.round_id and c.household_id = s.household_id
        left join users cu on cu.id = c.cadre_user_id
        left join regions v on v.code = s.village_code
        left join regions t on t.code = rpad(substr(s.village_code, 1, 9), 12, '0')
        where s.round_id = ${roundId} and ${areaFilterSql(sql`s.village_code`, areaPrefix)}
          and (s.village_code, s.position) > (${after.village}, ${after.position})
        order by s.village_code, s.position
        limit ${pageSize}`),
    );
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (rows.length < pageSize || !last) return;
    after = { village: last.villageCode, position: last.position };
  }
}
