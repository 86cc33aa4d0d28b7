/**
 * A city for benchmarks (issue 13's city simulation): the demo county copied
 * into more counties of the same city, straight in the database, so five
 * counties of 200,000 people cost one generated county and four INSERT ...
 * SELECTs. Each copy gets its own county code (421322, 421323, ...: codes of
 * 随州市 4213 the real division does not use), so its regions, households,
 * citizen IDs (address code replaced), account numbers (the county code
 * appended) and payment lines are its own; the planted anomalies come along.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '#server/db/client.ts';

export async function cloneCounty(db: Db, from: string, to: string): Promise<void> {
  if (!/^\d{6}$/.test(from) || !/^\d{6}$/.test(to)) throw new Error('county codes are 6 digits');
  const id = (col: string) => sql.raw(`('${to}' || substr(${col}, 7))`);
  const acct = (col: string) => sql.raw(`(${col} || '${to}')`);
  const inCounty = (col: string) => sql.raw(`${col} like '${from}%'`);
  await db.execute(sql`insert into regions (code, name, level, parent_code)
    select ${id('code')}, name || case when level = 'county' then '（${sql.raw(to)}）' else '' end, level, case when parent_code like '${sql.raw(from)}%' then ${id('parent_code')} else parent_code end
    from regions where ${inCounty('code')}`);
  await db.execute(sql`insert into households (id, village_code, group_name, house_number, head_person_id, phone, farmland_mu)
    select ${id('id')}, ${id('village_code')}, group_name, house_number, ${id('head_person_id')}, phone, farmland_mu from households where ${inCounty('village_code')}`);
  await db.execute(sql`insert into persons (id, household_id, village_code, name, sex, birth_date, relation, status, status_date, phone, is_cadre_relative)
    select ${id('id')}, ${id('household_id')}, ${id('village_code')}, name, sex, birth_date, relation, status, status_date, phone, is_cadre_relative from persons where ${inCounty('village_code')}`);
  await db.execute(sql`insert into accounts (number, bank_name, type, holder_person_id, village_code, opened_on)
    select ${acct('number')}, bank_name, type, ${id('holder_person_id')}, ${id('village_code')}, opened_on from accounts where ${inCounty('village_code')}`);
  await db.execute(sql`insert into payment_lines (id, item_code, beneficiary_person_id, household_id, village_code, period, amount_fen, paid_on, account_number, bank_name)
    select case when split_part(id, ':', 2) = beneficiary_person_id then item_code || ':' || ${id('beneficiary_person_id')} || ':' || period || ':' || split_part(id, ':', 4) else id || ':${sql.raw(to)}' end,
      item_code, ${id('beneficiary_person_id')}, ${id('household_id')}, ${id('village_code')}, period, amount_fen, paid_on, ${acct('account_number')}, bank_name
    from payment_lines where ${inCounty('village_code')}`);
}
