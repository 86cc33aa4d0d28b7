/**
 * The compact page format of pull (`?format=columns`): the roster entities
 * travel column by column instead of as one JSON object per row.
 *
 * Why: a 10,000-household area is ~30,000 people and ~300,000 payment
 * lines. As row objects every line repeats ten key names and its id repeats
 * its item, person and period; brotli gets that to ~4.7 MB, over the 3 MB a
 * village phone should download. Column by column, with a payment line's
 * natural id sent as its sequence number only, the same area is ~2 MB, and
 * both ends spend less time in JSON.stringify / JSON.parse.
 *
 * Rows decode to exactly what the row format carries: an optional field that
 * is null in a column is absent from the row. Items and forms stay row
 * objects (a few dozen items; form bodies are nested).
 */
import type { SyncAccount, SyncHousehold, SyncPaymentLine, SyncPerson } from './sync.ts';

export interface ColumnRows {
  household: SyncHousehold;
  person: SyncPerson;
  account: SyncAccount;
  paymentLine: SyncPaymentLine;
}
export type ColumnEntity = keyof ColumnRows;
export const COLUMN_ENTITIES = ['household', 'person', 'account', 'paymentLine'] as const satisfies readonly ColumnEntity[];

/**
 * The columns of each entity, in wire order. A plain literal (no calls), so a
 * bundle that only decodes leaves it out; `Exhaustive` below fails the build
 * when a field is added to a row type but not here.
 */
export const COLUMNS = {
  household: ['id', 'villageCode', 'groupName', 'houseNumber', 'headPersonId', 'phone', 'farmlandMu'],
  person: ['id', 'idMasked', 'householdId', 'villageCode', 'name', 'sex', 'birthDate', 'relation', 'status', 'statusDate', 'phone', 'isCadreRelative', 'pinyinInitials'],
  account: ['id', 'numberMasked', 'bankName', 'type', 'holderPersonId', 'villageCode', 'openedOn'],
  paymentLine: ['id', 'itemCode', 'beneficiaryPersonId', 'householdId', 'villageCode', 'period', 'amountFen', 'paidOn', 'accountId', 'accountMasked', 'bankName'],
} as const satisfies { [E in ColumnEntity]: readonly (keyof ColumnRows[E])[] };

type Missing<E extends ColumnEntity> = Exclude<keyof ColumnRows[E], (typeof COLUMNS)[E][number]>;
type Exhaustive = { [E in ColumnEntity]: Missing<E> extends never ? true : Missing<E> };
export const COLUMNS_ARE_EXHAUSTIVE: Exhaustive = { household: true, person: true, account: true, paymentLine: true };

/** One entity's rows of a page: `n` rows, one array of length `n` per column. */
export interface ColumnBlock {
  n: number;
  c: Record<string, unknown[]>;
}

const SEQ_RE = /^[1-9]\d*$/;

/**
 * roster.ts's paymentLineId, restated: importing roster.ts would pull its
 * zod schemas into the main bundle, which the field path cannot afford
 * (a unit test holds the two equal).
 */
export function naturalLineId(itemCode: string, personId: string, period: string, seq: number): string {
  return `${itemCode}:${personId}:${period}:${seq}`;
}

/** A payment line's id as sent: its seq when the id is the natural key, else the id itself. */
function packLineId(line: SyncPaymentLine): string | number {
  const prefix = `${line.itemCode}:${line.beneficiaryPersonId}:${line.period}:`;
  if (line.id.startsWith(prefix)) {
    const rest = line.id.slice(prefix.length);
    if (SEQ_RE.test(rest) && rest.length <= 9) return Number(rest);
  }
  return line.id;
}

/**
 * The reference encoder. The server builds the same blocks in SQL
 * (src/server/db/sync-columns-repository.ts, much faster on PGlite); this one
 * defines the format for the decoder's tests and for any other producer.
 */
export function encodeColumns<E extends ColumnEntity>(entity: E, rows: readonly ColumnRows[E][]): ColumnBlock {
  const c: Record<string, unknown[]> = {};
  for (const key of COLUMNS[entity]) {
    const k = key as keyof ColumnRows[E];
    c[key] = rows.map((r) => r[k] ?? null);
  }
  if (entity === 'paymentLine') c.id = (rows as readonly SyncPaymentLine[]).map(packLineId);
  return { n: rows.length, c };
}

export class ColumnFormatError extends Error {}

/**
 * Rows back from a block. The block names its own columns, so decoding needs
 * no table (the client bundle carries none); every column must hold `n` values.
 */
export function decodeColumns<E extends ColumnEntity>(entity: E, block: ColumnBlock): ColumnRows[E][] {
  const keys = Object.keys(block.c);
  const cols: unknown[][] = [];
  for (const key of keys) {
    const col = block.c[key];
    if (!Array.isArray(col) || col.length !== block.n) throw new ColumnFormatError(`${entity}.${key}: expected ${block.n} values`);
    cols.push(col);
  }
  const out = new Array<ColumnRows[E]>(block.n);
  for (let i = 0; i < block.n; i++) {
    const row: Record<string, unknown> = {};
    keys.forEach((key, k) => {
      const v = cols[k]?.[i];
      if (v !== null && v !== undefined) row[key] = v;
    });
    out[i] = row as unknown as ColumnRows[E];
  }
  if (entity === 'paymentLine') {
    for (const line of out as SyncPaymentLine[]) {
      const id: unknown = line.id;
      if (typeof id === 'number') line.id = naturalLineId(line.itemCode, line.beneficiaryPersonId, line.period, id);
    }
  }
  return out;
}
