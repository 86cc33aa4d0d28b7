/**
 * privacy/keys.ts's keys and mask.ts's masks restated in SQL, for the reads
 * that build their answers in the database (pull pages, a household's
 * numbers). A test holds each equal to its JavaScript twin.
 */
import { sql, type SQL } from 'drizzle-orm';
import { HASH_CHARS, type PrivacyKeys } from '#server/privacy/keys.ts';

function keySql(prefix: 'p' | 'a', secret: string, text: SQL): SQL {
  // encode(..., 'base64') of 32 bytes is 44 characters on one line; translate makes it base64url.
  return sql`(${prefix} || substr(translate(encode(sha256(convert_to(${`${secret}|${prefix}|`}::text || ${text}, 'UTF8')), 'base64'), '+/', '-_'), 1, ${HASH_CHARS}))`;
}

/** personKey() in SQL, over a column or expression holding a citizen ID. */
export function personKeySql(keys: PrivacyKeys, citizenId: SQL): SQL {
  return keySql('p', keys.secret, citizenId);
}

/** accountKey() in SQL. */
export function accountKeySql(keys: PrivacyKeys, number: SQL, bankName: SQL): SQL {
  return keySql('a', keys.secret, sql`${number} || '|' || ${bankName}`);
}

/**
 * maskCitizenId() in SQL for what the database holds: 18 characters, already
 * normalized (persons_id_check), so the first 4 and last 4 stay.
 */
export function maskCitizenIdSql(id: SQL): SQL {
  return sql`(left(${id}, 4) || repeat('*', greatest(length(${id}) - 8, 0)) || right(${id}, 4))`;
}

/**
 * maskAccount() in SQL for stored numbers (8–30 digits, accounts_number_check):
 * first and last 4 around two fixed groups; an 8-digit number shows its last 2.
 */
export function maskAccountSql(number: SQL): SQL {
  return sql`(case when length(${number}) > 8 then left(${number}, 4) || ' **** **** ' || right(${number}, 4)
                   else '**** **** **** **' || right(${number}, 2) end)`;
}

