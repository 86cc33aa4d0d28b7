/**
 * Fast bulk writes of roster rows that are already validated (the demo county,
 * test fixtures, benchmarks). Multi-row inserts, chunked to stay far below
 * PostgreSQL's 65,535 bind parameters; rows already present are left as they
 * are, so loading the same county twice changes nothing.
 */
import type { Account, Household, PaymentLine, Person, Region, SubsidyItem } from '#shared/schemas/roster.ts';
import { count } from 'drizzle-orm';
import type { Db } from './client.ts';
import { accounts, households, paymentLines, persons, subsidyItems } from './schema/index.ts';
import { upsertRegions } from './regions-repository.ts';

const CHUNK = 2000;

async function chunked<T>(rows: readonly T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

export interface RosterBatch {
  households: Household[];
  persons: Person[];
  accounts: Account[];
  paymentLines: PaymentLine[];
}

export async function insertRegionsAndItems(db: Db, regions: readonly Region[], items: readonly SubsidyItem[]): Promise<void> {
  await upsertRegions(db, regions);
  await chunked(items, (c) =>
    db
      .insert(subsidyItems)
      .values(
        c.map((i) => ({
          code: i.code,
          name: i.name,
          department: i.department,
          unit: i.unit,
          standardAmountFen: i.standardAmountFen,
          period: i.period,
          amountBasis: i.amountBasis,
          meansTested: i.meansTested,
          description: i.description ?? null,
        })),
      )
      .onConflictDoNothing(),
  );
}

/** Writes households with everything that belongs to them; village codes are copied down for area scoping. */
export async function insertRosterBatch(db: Db, b: RosterBatch): Promise<void> {
  const villageOfHousehold = new Map(b.households.map((h) => [h.id, h.villageCode]));
  const villageOfPerson = new Map(b.persons.map((p) => [p.id, villageOfHousehold.get(p.householdId) ?? '']));
  await chunked(b.households, (c) =>
    db
      .insert(households)
      .values(c.map((h) => ({ id: h.id, villageCode: h.villageCode, groupName: h.groupName, houseNumber: h.houseNumber, headPersonId: h.headPersonId, phone: h.phone ?? null, farmlandMu: h.farmlandMu ?? null })))
      .onConflictDoNothing(),
  );
  await chunked(b.persons, (c) =>
    db
      .insert(persons)
      .values(
        c.map((p) => ({
          id: p.id,
          householdId: p.householdId,
          villageCode: villageOfHousehold.get(p.householdId) ?? '',
          name: p.name,
          sex: p.sex,
          birthDate: p.birthDate,
          relation: p.relation,
          status: p.status,
          statusDate: p.statusDate ?? null,
          phone: p.phone ?? null,
          isCadreRelative: p.isCadreRelative ?? false,
        })),
      )
      .onConflictDoNothing(),
  );
  await chunked(b.accounts, (c) =>
    db
      .insert(accounts)
      .values(c.map((a) => ({ number: a.number, bankName: a.bankName, type: a.type, holderPersonId: a.holderPersonId, villageCode: villageOfPerson.get(a.holderPersonId) ?? '', openedOn: a.openedOn ?? null })))
      .onConflictDoNothing(),
  );
  await chunked(b.paymentLines, (c) =>
    db
      .insert(paymentLines)
      .values(
        c.map((l) => ({
          id: l.id,
          itemCode: l.itemCode,
          beneficiaryPersonId: l.beneficiaryPersonId,
          householdId: l.householdId,
          villageCode: villageOfHousehold.get(l.householdId) ?? '',
          period: l.period,
          amountFen: l.amountFen,
          paidOn: l.paidOn,
          accountNumber: l.accountNumber,
          bankName: l.bankName,
        })),
      )
      .onConflictDoNothing(),
  );
}

export async function countHouseholds(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(households);
  return row?.n ?? 0;
}
