/**
 * Pull pages in the column format (src/shared/schemas/sync-columns.ts),
 * built as JSON text by the database itself.
 *
 * Why in SQL: on PGlite, turning result rows into JavaScript objects costs
 * ~100 µs a row (the protocol is parsed in JS, field by field), so a
 * 300,000-line county took ~30 s of server time to pull. json_agg builds
 * each column in C and hands over one text value per page: ~13 µs a row.
 *
 * The stream is exactly sync-repository.ts's: same area filter, same
 * `xid < pg_snapshot_xmin(...)` horizon, same (xid, key) order and page
 * limit, and the same last position for the cursor. Within a page the rows
 * come in one aggregate pass, so all columns line up; their order does not
 * matter to the device (a page is stored in one transaction).
 */
import { sql, type SQL } from 'drizzle-orm';
import { areaCodeRange } from '#shared/domain/region-code.ts';
import type { ColumnEntity } from '#shared/schemas/sync-columns.ts';
import type { Db } from './client.ts';
import { NATURAL_LINE_SEQ, paymentLineAfter, type StreamPosition } from './sync-repository.ts';
import type { PrivacyKeys } from '#server/privacy/keys.ts';
import { accountKeySql, maskAccountSql, maskCitizenIdSql, personKeySql } from './privacy-sql.ts';

interface Spec {
  table: SQL;
  /** The stream key as text, as sync-repository.ts defines it for the entity (the cursor's position). */
  key: SQL;
  /** The stream order after xid. */
  order: SQL;
  /** Rows after a position. */
  after: (pos: Exclude<StreamPosition, null>) => SQL;
  /** Wire name → SQL value, in the order of COLUMNS in sync-columns.ts. */
  columns: readonly (readonly [string, SQL])[];
}

/** The specs under a database's keys (keys and masks are computed in the same pass as the page). */
function specs(keys: PrivacyKeys): Record<ColumnEntity, Spec> {
  return {
  household: {
    table: sql`households`,
    key: sql`id`,
    order: sql`id`,
    after: (pos) => sql`(xid, id) > (${pos[0]}::xid8, ${pos[1]})`,
    columns: [
      ['id', sql`id`],
      ['villageCode', sql`village_code`],
      ['groupName', sql`group_name`],
      ['houseNumber', sql`house_number`],
      ['headPersonId', personKeySql(keys, sql`head_person_id`)],
      ['phone', sql`phone`],
      ['farmlandMu', sql`farmland_mu`],
    ],
  },
  person: {
    table: sql`persons`,
    key: sql`id`,
    order: sql`id`,
    after: (pos) => sql`(xid, id) > (${pos[0]}::xid8, ${pos[1]})`,
    columns: [
      ['id', personKeySql(keys, sql`id`)],
      ['idMasked', maskCitizenIdSql(sql`id`)],
      ['householdId', sql`household_id`],
      ['villageCode', sql`village_code`],
      ['name', sql`name`],
      ['sex', sql`sex`],
      ['birthDate', sql`birth_date`],
      ['relation', sql`relation`],
      ['status', sql`status`],
      ['statusDate', sql`status_date`],
      ['phone', sql`phone`],
      ['isCadreRelative', sql`is_cadre_relative`],
    ],
  },
  account: {
    table: sql`accounts`,
    key: sql`number || '|' || bank_name`,
    order: sql`number || '|' || bank_name`,
    after: (pos) => sql`(xid, number || '|' || bank_name) > (${pos[0]}::xid8, ${pos[1]})`,
    columns: [
      ['id', accountKeySql(keys, sql`number`, sql`bank_name`)],
      ['numberMasked', maskAccountSql(sql`number`)],
      ['bankName', sql`bank_name`],
      ['type', sql`type`],
      ['holderPersonId', personKeySql(keys, sql`holder_person_id`)],
      ['villageCode', sql`village_code`],
      ['openedOn', sql`opened_on`],
    ],
  },
  paymentLine: {
    table: sql`payment_lines`,
    key: sql`household_id || chr(31) || id`,
    order: sql`household_id, id`,
    after: paymentLineAfter,
    columns: [
      // A natural id travels as its sequence number (packLineId in sync-columns.ts).
      [
        'id',
        sql`case when ${NATURAL_LINE_SEQ} is not null then to_json(${NATURAL_LINE_SEQ}::int) else to_json(id) end`,
      ],
      ['itemCode', sql`item_code`],
      ['beneficiaryPersonId', personKeySql(keys, sql`beneficiary_person_id`)],
      ['householdId', sql`household_id`],
      ['villageCode', sql`village_code`],
      ['period', sql`period`],
      ['amountFen', sql`amount_fen`],
      ['paidOn', sql`paid_on`],
      ['accountId', accountKeySql(keys, sql`account_number`, sql`bank_name`)],
      ['accountMasked', maskAccountSql(sql`account_number`)],
      ['bankName', sql`bank_name`],
    ],
  },
  };
}

export interface ColumnPage {
  n: number;
  /** The block's `c` object as JSON text. */
  columnsJson: string;
  /** Persons only: the names, for the pinyin initials the route adds. */
  names: string[] | null;
  last: StreamPosition;
}

export async function pullColumnPage(db: Db, keys: PrivacyKeys, entity: ColumnEntity, areaPrefix: string, pos: StreamPosition, limit: number, only: SQL = sql`true`): Promise<ColumnPage> {
  const spec = specs(keys)[entity];
  const { lo, hi } = areaCodeRange(areaPrefix);
  const upper = hi === null ? sql`true` : sql`village_code < ${hi}`;
  const after = pos === null ? sql`true` : spec.after(pos);
  const values = sql.join(
    spec.columns.map(([name], i) => sql`${name}::text, json_agg(${sql.raw(`c${i}`)})`),
    sql`, `,
  );
  const selected = sql.join(
    spec.columns.map(([, expr], i) => sql`${expr} as ${sql.raw(`c${i}`)}`),
    sql`, `,
  );
  const result: unknown = await db.execute(sql`
    with page as (
      select ${selected}, xid, ${spec.key} as k, row_number() over (order by xid, ${spec.order}) as seq
      from ${spec.table}
      where village_code >= ${lo} and ${upper} and ${only} and xid < pg_snapshot_xmin(pg_current_snapshot()) and ${after}
      order by xid, ${spec.order}
      limit ${limit}
    )
    select count(*)::int as n,
           json_build_object(${values})::text as cols,
           ${entity === 'person' ? sql`json_agg(c4)::text` : sql`null::text`} as names,
           (select xid::text from page order by seq desc limit 1) as last_xid,
           (select k from page order by seq desc limit 1) as last_key
    from page`);
  const row = (result as { rows: { n: number; cols: string; names: string | null; last_xid: string | null; last_key: string | null }[] }).rows[0];
  if (!row || row.n === 0 || row.last_xid === null || row.last_key === null) return { n: 0, columnsJson: '{}', names: null, last: pos };
  return { n: row.n, columnsJson: row.cols, names: row.names === null ? null : (JSON.parse(row.names) as string[]), last: [row.last_xid, row.last_key] };
}
