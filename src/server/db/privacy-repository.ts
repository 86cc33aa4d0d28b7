/**
 * The full numbers behind the keys a household's form carries (issue 12,
 * item 3): recomputed over the household's rows, never stored beside them
 * (privacy/keys.ts).
 */
import { sql } from 'drizzle-orm';
import type { PrivacyKeys } from '#server/privacy/keys.ts';
import { accountKeySql, maskAccountSql, maskCitizenIdSql, personKeySql } from './privacy-sql.ts';
import { rowsOf, type Db } from './client.ts';

export interface KeyedNumber {
  key: string;
  masked: string;
  full: string;
}

/** The household's members, and anyone its payment lines paid: key, masked and full citizen ID. */
export async function householdPeople(db: Db, keys: PrivacyKeys, householdId: string): Promise<KeyedNumber[]> {
  const ids = sql`(select id from persons where household_id = ${householdId}
                   union select beneficiary_person_id from payment_lines where household_id = ${householdId})`;
  const result = await db.execute(sql`select ${personKeySql(keys, sql`p.id`)} as key, ${maskCitizenIdSql(sql`p.id`)} as masked, p.id as full from ${ids} as p(id) order by p.id`);
  return rowsOf<KeyedNumber>(result);
}

/** The accounts the household's members hold and those its payment lines went into. */
export async function householdAccounts(db: Db, keys: PrivacyKeys, householdId: string): Promise<(KeyedNumber & { bankName: string })[]> {
  const pairs = sql`(select number, bank_name from accounts where holder_person_id in (select id from persons where household_id = ${householdId})
                     union select account_number, bank_name from payment_lines where household_id = ${householdId})`;
  const result = await db.execute(
    sql`select ${accountKeySql(keys, sql`a.number`, sql`a.bank_name`)} as key, ${maskAccountSql(sql`a.number`)} as masked, a.number as full, a.bank_name as "bankName"
        from ${pairs} as a(number, bank_name) order by a.number, a.bank_name`,
  );
  return rowsOf<KeyedNumber & { bankName: string }>(result);
}
