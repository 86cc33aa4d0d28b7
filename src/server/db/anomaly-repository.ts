/**
 * Loads one area's roster and payment ledger for the anomaly checks
 * (src/shared/domain/anomalies): one range query per table on the copied
 * `village_code` (`>= prefix and < prefixEnd`, a plain btree range scan),
 * selecting only the columns the rules read.
 *
 * Context rows: a line of the area may pay into an account held outside it,
 * and the rules need that account's holder to tell a family member from a
 * stranger (C2/C3). Those few accounts and persons are fetched by key after
 * the range queries, and the rules drop findings that concern them alone.
 *
 * Everything is read in one REPEATABLE READ, read-only transaction, so an
 * import committing mid-scan cannot show lines whose persons are not there
 * yet (which would read as "not on the roster").
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { AnomalyAccount, AnomalyHousehold, AnomalyInput, AnomalyItem, AnomalyPaymentLine, AnomalyPerson } from '#shared/domain/anomalies/types.ts';
import { areaFilter } from './area-filter.ts';
import type { Database, Db } from './client.ts';
import { accounts, households, paymentLines, persons, regions, subsidyItems } from './schema/index.ts';

/** AnomalyInput with arrays, so the caller can report how many rows were read. */
export interface AnomalyScanInput extends AnomalyInput {
  items: AnomalyItem[];
  households: AnomalyHousehold[];
  persons: AnomalyPerson[];
  accounts: AnomalyAccount[];
  paymentLines: AnomalyPaymentLine[];
  regionNames: Map<string, string>;
}

/** Keys per `in (...)` list: far below the 65,535 bind parameters of the protocol. */
const KEY_CHUNK = 5000;

export async function loadAnomalyInput(
  database: Pick<Database, 'db' | 'kind'>,
  areaPrefix: string,
  /** Lines from outside the area that its rules must also see (crossUnitLines); their persons come as context. */
  extraLines: readonly AnomalyPaymentLine[] = [],
): Promise<AnomalyScanInput> {
  const selectArea = database.kind === 'pglite' ? selectByVillageAsJson : selectRows;
  return database.db.transaction(
    async (tx) => {
      const items = await tx
        .select({
          code: subsidyItems.code,
          name: subsidyItems.name,
          department: subsidyItems.department,
          unit: subsidyItems.unit,
          standardAmountFen: subsidyItems.standardAmountFen,
          period: subsidyItems.period,
          amountBasis: subsidyItems.amountBasis,
          meansTested: subsidyItems.meansTested,
        })
        .from(subsidyItems);
      // Names for the text: the area's divisions, and the township around a village area.
      const regionRows = await tx
        .select({ code: regions.code, name: regions.name })
        .from(regions)
        .where(areaFilter(regions.code, areaPrefix.slice(0, Math.min(areaPrefix.length, 9))));
      const householdRows = (await selectArea(tx, households, households.villageCode, areaPrefix, HOUSEHOLD_COLUMNS)) as AnomalyHousehold[];
      const personRows = (await selectArea(tx, persons, persons.villageCode, areaPrefix, PERSON_COLUMNS)) as AnomalyPerson[];
      const accountRows = (await selectArea(tx, accounts, accounts.villageCode, areaPrefix, ACCOUNT_COLUMNS)) as AnomalyAccount[];
      const lineRows = (await selectArea(tx, paymentLines, paymentLines.villageCode, areaPrefix, LINE_COLUMNS)) as AnomalyPaymentLine[];
      for (const l of extraLines) lineRows.push(l);

      // Context: accounts the area's lines paid into that are held outside the area.
      const knownAccounts = new Set(accountRows.map((a) => `${a.number}\u001f${a.bankName}`));
      const missingAccounts = new Map<string, Set<string>>();
      for (const l of lineRows) {
        if (knownAccounts.has(`${l.accountNumber}\u001f${l.bankName}`)) continue;
        let banks = missingAccounts.get(l.accountNumber);
        if (!banks) missingAccounts.set(l.accountNumber, (banks = new Set()));
        banks.add(l.bankName);
      }
      for (const chunk of chunks([...missingAccounts.keys()])) {
        const rows = await tx.select(ACCOUNT_COLUMNS).from(accounts).where(inArray(accounts.number, chunk));
        for (const a of rows) if (missingAccounts.get(a.number)?.has(a.bankName)) accountRows.push(a);
      }

      // Context: the holders of those accounts, and beneficiaries filed under another village.
      const knownPersons = new Set(personRows.map((p) => p.id));
      const missingPersons = new Set<string>();
      for (const a of accountRows) if (!knownPersons.has(a.holderPersonId)) missingPersons.add(a.holderPersonId);
      for (const l of lineRows) if (!knownPersons.has(l.beneficiaryPersonId)) missingPersons.add(l.beneficiaryPersonId);
      for (const chunk of chunks([...missingPersons])) {
        personRows.push(...(await tx.select(PERSON_COLUMNS).from(persons).where(inArray(persons.id, chunk))));
      }

      return {
        items,
        households: householdRows,
        persons: personRows,
        accounts: accountRows,
        paymentLines: lineRows,
        regionNames: new Map(regionRows.map((r) => [r.code, r.name])),
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

// The columns each rule input needs, by the property name the rules read.
const HOUSEHOLD_COLUMNS = { id: households.id, villageCode: households.villageCode, headPersonId: households.headPersonId };
const PERSON_COLUMNS = {
  id: persons.id,
  householdId: persons.householdId,
  villageCode: persons.villageCode,
  name: persons.name,
  birthDate: persons.birthDate,
  status: persons.status,
  statusDate: persons.statusDate,
  isCadreRelative: persons.isCadreRelative,
};
const ACCOUNT_COLUMNS = { number: accounts.number, bankName: accounts.bankName, holderPersonId: accounts.holderPersonId, villageCode: accounts.villageCode };
const LINE_COLUMNS = {
  id: paymentLines.id,
  itemCode: paymentLines.itemCode,
  beneficiaryPersonId: paymentLines.beneficiaryPersonId,
  householdId: paymentLines.householdId,
  villageCode: paymentLines.villageCode,
  period: paymentLines.period,
  amountFen: paymentLines.amountFen,
  paidOn: paymentLines.paidOn,
  accountNumber: paymentLines.accountNumber,
  bankName: paymentLines.bankName,
};

type SelectArea = (tx: Db, table: PgTable, villageColumn: PgColumn, areaPrefix: string, columns: Record<string, PgColumn>) => Promise<unknown[]>;

/** The rows of `table` in the area as objects keyed like `columns`: a plain select (PostgreSQL). */
const selectRows: SelectArea = (tx, table, villageColumn, areaPrefix, columns) => tx.select(columns).from(table).where(areaFilter(villageColumn, areaPrefix));

/**
 * The same rows fetched as one JSON array per village (PGlite). Why: PGlite
 * decodes each field of each result row in JavaScript (~15 µs a row, 7 s for
 * a county's 450,000 lines), while one `json_agg` per village leaves the
 * decoding to JSON.parse: 2.4× faster there. On PostgreSQL the pg driver
 * decodes rows quickly and building the JSON costs the server more than it
 * saves (measured 1.7× slower), hence two paths. JSON keeps the types the
 * rules expect: integers stay numbers, dates become 'YYYY-MM-DD', nulls null.
 */
const selectByVillageAsJson: SelectArea = async (tx, table, villageColumn, areaPrefix, columns) => {
  const keys = Object.keys(columns);
  const fields = sql.join(
    keys.map((k) => sql`${columns[k]}`),
    sql`, `,
  );
  const result: unknown = await tx.execute(
    sql`select json_agg(json_build_array(${fields}))::text as rows from ${table} where ${areaFilter(villageColumn, areaPrefix)} group by ${villageColumn}`,
  );
  // PGlite returns { rows }, which PgDatabase's generic result type does not say.
  const out: unknown[] = [];
  for (const { rows } of (result as { rows: { rows: string }[] }).rows) {
    for (const values of JSON.parse(rows) as unknown[][]) {
      const record: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) record[keys[i] ?? ''] = values[i];
      out.push(record);
    }
  }
  return out;
};

function chunks<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += KEY_CHUNK) out.push(values.slice(i, i + KEY_CHUNK));
  return out;
}

/**
 * The units a scan of `areaPrefix` walks one at a time: its townships (a
 * township or village area is one unit of its own, and so is an area whose
 * townships are not on file). Sorted, as prefixes.
 */
export async function scanUnits(db: Db, areaPrefix: string): Promise<string[]> {
  if (areaPrefix.length >= 9) return [areaPrefix];
  const rows = await db
    .select({ code: regions.code })
    .from(regions)
    .where(sql`${areaFilter(regions.code, areaPrefix)} and ${regions.level} = 'township'`)
    .orderBy(regions.code);
  return rows.length === 0 ? [areaPrefix] : rows.map((r) => r.code.slice(0, 9));
}

/**
 * Lines of the area paid into an account held in another township of it,
 * by the holder's township prefix. Why: one account collecting for
 * households of several townships (C2/C3) is judged by the holder's
 * township, which must see every line paid into it, not only its own. One
 * set-based join over the area; what comes back is the few lines that cross
 * (a family across a township border, or the planted collector accounts).
 */
export async function crossUnitLines(db: Db, areaPrefix: string): Promise<Map<string, AnomalyPaymentLine[]>> {
  const out = new Map<string, AnomalyPaymentLine[]>();
  if (areaPrefix.length >= 9) return out;
  const rows = await db
    .select({ ...LINE_COLUMNS, holderUnit: sql<string>`left(${accounts.villageCode}, 9)` })
    .from(paymentLines)
    .innerJoin(accounts, and(eq(accounts.number, paymentLines.accountNumber), eq(accounts.bankName, paymentLines.bankName)))
    .where(
      and(
        areaFilter(paymentLines.villageCode, areaPrefix),
        areaFilter(accounts.villageCode, areaPrefix),
        sql`left(${accounts.villageCode}, 9) <> left(${paymentLines.villageCode}, 9)`,
      ),
    );
  for (const { holderUnit, ...line } of rows) {
    let list = out.get(holderUnit);
    if (!list) out.set(holderUnit, (list = []));
    list.push(line);
  }
  return out;
}
