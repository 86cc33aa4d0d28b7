/**
 * What the importer needs from the database, bound to the one transaction
 * a file is imported in. Lookups run inside that transaction, so rows
 * written earlier in the same import (a household sheet before its persons
 * sheet) are already visible. Implemented in
 * src/server/db/roster-import-repository.ts; unit tests use an in-memory one.
 */
import type { Account, Household, PaymentLine, Person, Region, SubsidyItem } from '#shared/schemas/roster.ts';

export type RegionRow = Region;
export type SubsidyItemRow = SubsidyItem;
export type HouseholdRow = Household;
/** Area-scoped rows carry the village of their household, copied down at import. */
export type PersonRow = Person & { villageCode: string };
export type AccountRow = Account & { villageCode: string };
export type PaymentLineRow = PaymentLine & { villageCode: string };

/** Rows written by one upsert; the rest of the batch was identical to what was stored. */
export interface WriteCounts {
  inserted: number;
  updated: number;
}

export interface RosterImportStore {
  /** Existing region codes among `codes`, with their level. */
  findRegions(codes: readonly string[]): Promise<Map<string, { level: Region['level'] }>>;
  findSubsidyItemCodes(codes: readonly string[]): Promise<Set<string>>;
  findHouseholds(ids: readonly string[]): Promise<Map<string, { villageCode: string }>>;
  findPersons(ids: readonly string[]): Promise<Map<string, { householdId: string; villageCode: string }>>;
  /** Existing accounts with any of the numbers, keyed by {@link accountKey}. */
  findAccounts(numbers: readonly string[]): Promise<Map<string, { holderPersonId: string; villageCode: string }>>;
  findPaymentLines(ids: readonly string[]): Promise<Map<string, { villageCode: string }>>;

  upsertRegions(rows: readonly RegionRow[], importId: string): Promise<WriteCounts>;
  upsertSubsidyItems(rows: readonly SubsidyItemRow[], importId: string): Promise<WriteCounts>;
  upsertHouseholds(rows: readonly HouseholdRow[], importId: string): Promise<WriteCounts>;
  upsertPersons(rows: readonly PersonRow[], importId: string): Promise<WriteCounts>;
  upsertAccounts(rows: readonly AccountRow[], importId: string): Promise<WriteCounts>;
  upsertPaymentLines(rows: readonly PaymentLineRow[], importId: string): Promise<WriteCounts>;
}

/** Accounts are keyed by number and bank together. */
export function accountKey(number: string, bankName: string): string {
  return `${number}\u0000${bankName}`;
}
