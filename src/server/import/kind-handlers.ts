/**
 * One handler per kind of roster data: how a row parses, its natural key for
 * duplicates, its referential and area checks against the store, and its
 * batched write. The importer (importer.ts) runs them in dependency order.
 */
import type { RosterDataKind } from './columns.ts';
import { RowCursor } from './row-cursor.ts';
import { parseAccount, parseHousehold, parsePaymentLine, parsePerson, parseRegion, parseSubsidyItem, type ParsedPaymentLine } from './rows.ts';
import { accountKey, type AccountRow, type PaymentLineRow, type PersonRow, type RosterImportStore, type WriteCounts } from './store.ts';
import { importText as t } from '#server/messages/import.zh-CN.ts';

export interface Pending<T> {
  c: RowCursor;
  value: T | null;
}

export interface Ctx {
  store: RosterImportStore;
  importId: string;
  areaPrefix: string | null;
  knownItems: Set<string>;
}

export interface KindHandler<T, W> {
  parse(c: RowCursor): T | null;
  /** Natural key for duplicates within the file, and the column to blame. */
  key(value: T): string;
  keyField: string;
  duplicateReason(earlierRow: number): string;
  /** Referential and area checks; returns the row to write, or null (an error was reported on the cursor). */
  check(items: Pending<T>[], ctx: Ctx): Promise<(W | null)[]>;
  write(rows: W[], ctx: Ctx): Promise<WriteCounts>;
}

function outsideArea(ctx: Ctx, code: string): boolean {
  return ctx.areaPrefix !== null && !code.startsWith(ctx.areaPrefix);
}

function areaReason(ctx: Ctx, what: string): string {
  return t.check.outsideArea(what, ctx.areaPrefix ?? '');
}

const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];

type ParsedRegion = NonNullable<ReturnType<typeof parseRegion>>;
type ParsedItem = NonNullable<ReturnType<typeof parseSubsidyItem>>;
type ParsedHousehold = NonNullable<ReturnType<typeof parseHousehold>>;

const regionsHandler: KindHandler<ParsedRegion, ParsedRegion> = {
  parse: parseRegion,
  key: (r) => r.code,
  keyField: 'code',
  duplicateReason: t.check.duplicateRegion,
  async check(items, ctx) {
    return items.map(({ c, value }) => {
      if (!value) return null;
      if (outsideArea(ctx, value.code)) {
        c.error('code', areaReason(ctx, t.check.thisRegion));
        return null;
      }
      return value;
    });
  },
  write: (rows, ctx) => ctx.store.upsertRegions(rows, ctx.importId),
};

const itemsHandler: KindHandler<ParsedItem, ParsedItem> = {
  parse: parseSubsidyItem,
  key: (i) => i.code,
  keyField: 'code',
  duplicateReason: t.check.duplicateItem,
  // The catalogue is county-wide and carries no region: any admin may maintain it.
  check: async (items) => items.map((p) => p.value),
  write: (rows, ctx) => ctx.store.upsertSubsidyItems(rows, ctx.importId),
};

const householdsHandler: KindHandler<ParsedHousehold, ParsedHousehold> = {
  parse: parseHousehold,
  key: (h) => h.id,
  keyField: 'id',
  duplicateReason: t.check.duplicateHousehold,
  async check(items, ctx) {
    const values = items.flatMap((p) => (p.value ? [p.value] : []));
    const regions = await ctx.store.findRegions(unique(values.map((v) => v.villageCode)));
    // Only needed to keep an area admin off other areas' households.
    const existing = ctx.areaPrefix === null ? new Map<string, { villageCode: string }>() : await ctx.store.findHouseholds(unique(values.map((v) => v.id)));
    return items.map(({ c, value }) => {
      if (!value) return null;
      if (outsideArea(ctx, value.villageCode)) {
        c.error('villageCode', areaReason(ctx, t.check.thisVillage));
        return null;
      }
      if (!regions.has(value.villageCode)) {
        c.error('villageCode', t.check.unknownVillage(value.villageCode));
        return null;
      }
      const before = existing.get(value.id);
      if (before && outsideArea(ctx, before.villageCode)) {
        c.error('id', t.check.householdOutside(value.id, before.villageCode));
        return null;
      }
      return value;
    });
  },
  write: (rows, ctx) => ctx.store.upsertHouseholds(rows, ctx.importId),
};

type ParsedPerson = NonNullable<ReturnType<typeof parsePerson>>;

const personsHandler: KindHandler<ParsedPerson, PersonRow> = {
  parse: parsePerson,
  key: (p) => p.id,
  keyField: 'id',
  duplicateReason: t.check.duplicatePerson,
  async check(items, ctx) {
    const values = items.flatMap((p) => (p.value ? [p.value] : []));
    const households = await ctx.store.findHouseholds(unique(values.map((v) => v.householdId)));
    const existing = await ctx.store.findPersons(unique(values.map((v) => v.id)));
    return items.map(({ c, value }) => {
      if (!value) return null;
      const household = households.get(value.householdId);
      if (!household) {
        c.error('householdId', t.check.unknownHousehold(value.householdId));
        return null;
      }
      if (outsideArea(ctx, household.villageCode)) {
        c.error('householdId', areaReason(ctx, t.check.villageOfHousehold(value.householdId)));
        return null;
      }
      const before = existing.get(value.id);
      if (before && before.householdId !== value.householdId) {
        c.error('id', t.check.personInOtherHousehold(before.householdId, value.householdId));
        return null;
      }
      return { ...value, villageCode: household.villageCode };
    });
  },
  write: (rows, ctx) => ctx.store.upsertPersons(rows, ctx.importId),
};

type ParsedAccount = NonNullable<ReturnType<typeof parseAccount>>;

const accountsHandler: KindHandler<ParsedAccount, AccountRow> = {
  parse: parseAccount,
  key: (a) => accountKey(a.number, a.bankName),
  keyField: 'number',
  duplicateReason: t.check.duplicateAccount,
  async check(items, ctx) {
    const values = items.flatMap((p) => (p.value ? [p.value] : []));
    const holders = await ctx.store.findPersons(unique(values.map((v) => v.holderPersonId)));
    const existing = await ctx.store.findAccounts(unique(values.map((v) => v.number)));
    return items.map(({ c, value }) => {
      if (!value) return null;
      const holder = holders.get(value.holderPersonId);
      if (!holder) {
        c.error('holderPersonId', t.check.unknownHolder);
        return null;
      }
      if (outsideArea(ctx, holder.villageCode)) {
        c.error('holderPersonId', areaReason(ctx, t.check.villageOfHolder));
        return null;
      }
      const before = existing.get(accountKey(value.number, value.bankName));
      if (before && outsideArea(ctx, before.villageCode)) {
        c.error('number', t.check.accountOutside);
        return null;
      }
      if (before && before.holderPersonId !== value.holderPersonId) {
        c.warn('holderPersonId', t.check.holderChanged(before.holderPersonId, value.holderPersonId));
      }
      return { ...value, villageCode: holder.villageCode };
    });
  },
  write: (rows, ctx) => ctx.store.upsertAccounts(rows, ctx.importId),
};

const linesHandler: KindHandler<ParsedPaymentLine, PaymentLineRow> = {
  parse: parsePaymentLine,
  key: (l) => l.id,
  keyField: 'lineId',
  duplicateReason: t.check.duplicateLine,
  async check(items, ctx) {
    const values = items.flatMap((p) => (p.value ? [p.value] : []));
    const missingItems = unique(values.map((v) => v.itemCode)).filter((code) => !ctx.knownItems.has(code));
    if (missingItems.length > 0) for (const code of await ctx.store.findSubsidyItemCodes(missingItems)) ctx.knownItems.add(code);
    // One after the other: the transaction is one connection, which runs one query at a time anyway.
    const persons = await ctx.store.findPersons(unique(values.map((v) => v.beneficiaryPersonId)));
    const accounts = await ctx.store.findAccounts(unique(values.map((v) => v.accountNumber)));
    const existing = ctx.areaPrefix === null ? new Map<string, { villageCode: string }>() : await ctx.store.findPaymentLines(unique(values.map((v) => v.id)));
    // Beneficiaries not on the roster are settled through the household or village given in the file.
    const offRoster = values.filter((v) => !persons.has(v.beneficiaryPersonId));
    const households = await ctx.store.findHouseholds(unique(offRoster.flatMap((v) => (v.householdId === undefined ? [] : [v.householdId]))));
    const regions = await ctx.store.findRegions(unique(offRoster.flatMap((v) => (v.villageCode === undefined ? [] : [v.villageCode]))));
    return items.map(({ c, value }) => {
      if (!value) return null;
      if (!ctx.knownItems.has(value.itemCode)) {
        c.error('itemCode', t.check.unknownItem(value.itemCode));
        return null;
      }
      let householdId: string;
      let villageCode: string;
      const person = persons.get(value.beneficiaryPersonId);
      if (person) {
        householdId = person.householdId;
        villageCode = person.villageCode;
        if (value.householdId !== undefined && value.householdId !== person.householdId) {
          c.warn('householdId', t.check.otherHousehold(person.householdId));
        }
      } else {
        const household = value.householdId === undefined ? undefined : households.get(value.householdId);
        if (value.householdId !== undefined && household) {
          householdId = value.householdId;
          villageCode = household.villageCode;
        } else if (value.householdId !== undefined && value.villageCode !== undefined && regions.has(value.villageCode)) {
          householdId = value.householdId;
          villageCode = value.villageCode;
        } else {
          c.error(
            'beneficiaryPersonId',
            value.householdId === undefined || value.villageCode === undefined
              ? t.check.beneficiaryNoVillage
              : t.check.beneficiaryUnknownVillage(value.villageCode),
          );
          return null;
        }
        // Kept: a payment to someone off the roster is itself a finding (C2).
        c.warn('beneficiaryPersonId', t.check.beneficiaryNotOnRoster);
      }
      if (outsideArea(ctx, villageCode)) {
        c.error('beneficiaryPersonId', areaReason(ctx, t.check.villageOfBeneficiary(villageCode)));
        return null;
      }
      const before = existing.get(value.id);
      if (before && outsideArea(ctx, before.villageCode)) {
        c.error(c.has('lineId') ? 'lineId' : 'beneficiaryPersonId', t.check.lineOutside);
        return null;
      }
      if (!accounts.has(accountKey(value.accountNumber, value.bankName))) {
        c.warn('accountNumber', t.check.accountNotOnRoster);
      }
      const { householdId: _h, villageCode: _v, ...line } = value;
      return { ...line, householdId, villageCode };
    });
  },
  write: (rows, ctx) => ctx.store.upsertPaymentLines(rows, ctx.importId),
};

/** One type for all: each handler only ever receives the values its own parse produced. */
export type AnyHandler = KindHandler<unknown, unknown>;
export const HANDLERS: Readonly<Record<RosterDataKind, AnyHandler>> = {
  regions: regionsHandler,
  'subsidy-items': itemsHandler,
  households: householdsHandler,
  persons: personsHandler,
  accounts: accountsHandler,
  'payment-lines': linesHandler,
};
