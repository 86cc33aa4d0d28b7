/**
 * The monthly report's counts (issue 15, item 3), grouped by township in one
 * statement per source: forms, ledger items found, ledger steps taken.
 * Months are calendar months in China's time (Asia/Shanghai).
 */
import { sql } from 'drizzle-orm';
import { areaFilterSql } from './area-filter.ts';
import { rowsOf, type Db } from './client.ts';

export interface MonthRange {
  /** Inclusive start and exclusive end, as timestamps. */
  from: string;
  to: string;
  /** The same as dates (for referral dates, which are dates). */
  fromDate: string;
  toDate: string;
}

/** The township of a region code; codes above a township (county-level items) stay themselves. */
const townshipOf = (col: ReturnType<typeof sql>) => sql`case when substr(${col}, 7, 3) = '000' then ${col} else rpad(substr(${col}, 1, 9), 12, '0') end`;

export async function formCounts(db: Db, areaPrefix: string, m: MonthRange) {
  return rowsOf<{ code: string; checkedInMonth: number; checkedToDate: number }>(
    await db.execute(sql`
      select ${townshipOf(sql`f.village_code`)} as code,
        count(*) filter (where f.created_at >= ${m.from}::timestamptz)::int as "checkedInMonth",
        count(*)::int as "checkedToDate"
      from (select distinct on (household_id) household_id, village_code, created_at from check_forms
            where kind = 'cadre' and ${areaFilterSql(sql`village_code`, areaPrefix)} and created_at < ${m.to}::timestamptz
            order by household_id, created_at) f
      group by 1`),
  );
}

export async function householdTotals(db: Db, areaPrefix: string) {
  return rowsOf<{ code: string; households: number }>(
    await db.execute(sql`select ${townshipOf(sql`village_code`)} as code, sum(households)::int as households from coverage_villages where ${areaFilterSql(sql`village_code`, areaPrefix)} group by 1`),
  );
}

export async function foundCounts(db: Db, areaPrefix: string, m: MonthRange) {
  return rowsOf<{ code: string; category: string; problemCode: string; n: number; amountFen: number }>(
    await db.execute(sql`
      select ${townshipOf(sql`area_code`)} as code, category, problem_code as "problemCode", count(*)::int as n, coalesce(sum(amount_involved_fen), 0)::float8 as "amountFen"
      from ledger_items
      where ${areaFilterSql(sql`area_code`, areaPrefix)} and created_at >= ${m.from}::timestamptz and created_at < ${m.to}::timestamptz
      group by 1, 2, 3`),
  );
}

/** Closed this month (an item's last close step in the month, not reopened before the month's end), recovered money, referrals, and where items stood at the end. */
export async function ledgerProgress(db: Db, areaPrefix: string, m: MonthRange) {
  return rowsOf<{ code: string; closedInMonth: number; amountRecoveredFen: number; referredInMonth: number; openAtEnd: number; closedToDate: number }>(
    await db.execute(sql`
      with items as (
        select i.id, ${townshipOf(sql`i.area_code`)} as code, i.amount_recovered_fen, i.referral,
          (select e.to_state from ledger_events e where e.item_id = i.id and e.at < ${m.to}::timestamptz order by e.id desc limit 1) as state_at_end,
          (select max(e.at) from ledger_events e where e.item_id = i.id and e.to_state = 'closed' and e.at < ${m.to}::timestamptz) as closed_at
        from ledger_items i
        where ${areaFilterSql(sql`i.area_code`, areaPrefix)} and i.created_at < ${m.to}::timestamptz
      )
      select code,
        count(*) filter (where state_at_end = 'closed' and closed_at >= ${m.from}::timestamptz)::int as "closedInMonth",
        coalesce(sum(amount_recovered_fen) filter (where state_at_end = 'closed' and closed_at >= ${m.from}::timestamptz), 0)::float8 as "amountRecoveredFen",
        count(*) filter (where referral ->> 'date' >= ${m.fromDate} and referral ->> 'date' < ${m.toDate})::int as "referredInMonth",
        count(*) filter (where state_at_end is null or state_at_end not in ('closed', 'dismissed'))::int as "openAtEnd",
        count(*) filter (where state_at_end = 'closed')::int as "closedToDate"
      from items group by 1`),
  );
}

/**
 * The spot checks of the area up to the range's end (stage summaries): rounds
 * drawn, villages and households sampled, households re-checked, and how many
 * of those differ from the cadre's form (in anything; in a key item, T1) as
 * the comparisons were last computed.
 */
export async function inspectionFigures(db: Db, areaPrefix: string, m: MonthRange) {
  const [row] = rowsOf<{ rounds: number; villages: number; sampled: number; rechecked: number; differing: number; t1Differing: number }>(
    await db.execute(sql`
      with s as (
        select s.round_id, s.household_id, s.village_code from inspection_sample s
        join inspection_rounds r on r.id = s.round_id
        where ${areaFilterSql(sql`s.village_code`, areaPrefix)} and r.created_at < ${m.to}::timestamptz
      ), done as (
        select s.round_id, s.household_id from s
        where exists (select 1 from check_forms f where f.household_id = s.household_id and f.kind = 'inspection' and f.created_at < ${m.to}::timestamptz)
      )
      select (select count(distinct round_id) from s)::int as rounds,
        (select count(distinct village_code) from s)::int as villages,
        (select count(distinct household_id) from s)::int as sampled,
        (select count(distinct household_id) from done)::int as rechecked,
        (select count(distinct c.household_id) from done d join inspection_comparisons c using (round_id, household_id) where c.differing > 0)::int as differing,
        (select count(distinct c.household_id) from done d join inspection_comparisons c using (round_id, household_id) where c.t1_differing > 0)::int as "t1Differing"`),
  );
  return row ?? { rounds: 0, villages: 0, sampled: 0, rechecked: 0, differing: 0, t1Differing: 0 };
}

/** Villages of the area, and those a cadre form reached before the range's end. */
export async function villageFigures(db: Db, areaPrefix: string, m: MonthRange) {
  const [row] = rowsOf<{ villages: number; started: number }>(
    await db.execute(sql`
      select count(*)::int as villages,
        count(*) filter (where exists (select 1 from check_forms f where f.village_code = v.village_code and f.kind = 'cadre' and f.created_at < ${m.to}::timestamptz))::int as started
      from coverage_villages v where ${areaFilterSql(sql`v.village_code`, areaPrefix)}`),
  );
  return row ?? { villages: 0, started: 0 };
}
