/** The planted manifest: what each planted case involves, recorded as the household is built. */
import type { Account, PaymentLine } from '#shared/schemas/roster.ts';
import type { HouseholdKind } from './constants.ts';
import { unique } from './helpers.ts';
import type { A2Plant, Donor, Entitlement, Member } from './model.ts';
import { PLANTED_KINDS, type PlantedCase, type PlantedKind, type PlantedManifest } from './types.ts';

export interface PlantContext {
  householdId: string;
  head: Member;
  plantedMember: Member | undefined;
  ents: Entitlement[];
  linesOf: Map<Entitlement, PaymentLine[]>;
  lines: PaymentLine[];
  a2: A2Plant | null;
  b1: { first: Account; second: Account } | null;
  c2: { donor: Donor; beneficiary: Member; ent: Entitlement } | null;
  a4: { ent: Entitlement; holder: Member } | null;
}

export function recordPlanted(intent: HouseholdKind | null, c: PlantContext): PlantedCase | null {
  const idsOf = (e: Entitlement): string[] => (c.linesOf.get(e) ?? []).map((l) => l.id);
  switch (intent) {
    case null:
      return null;
    case 'payment-after-death': {
      const m = c.plantedMember;
      if (!m?.statusDate) throw new Error('A3 member without a death date');
      const deathDate = m.statusDate;
      const after = c.lines.filter((l) => l.beneficiaryPersonId === m.id && l.paidOn > deathDate);
      return {
        kind: 'payment-after-death',
        code: 'A3',
        personId: m.id,
        deathDate,
        householdIds: [c.householdId],
        personIds: [m.id],
        accountNumbers: unique(after.map((l) => l.accountNumber)),
        itemCodes: unique(after.map((l) => l.itemCode)),
        paymentLineIds: after.map((l) => l.id),
      };
    }
    case 'short-or-missing-periods': {
      if (!c.a2) throw new Error('A2 not planted');
      const { ent, missing, short } = c.a2;
      const shortLineIds = (c.linesOf.get(ent) ?? []).filter((l) => short.has(l.period)).map((l) => l.id);
      return {
        kind: 'short-or-missing-periods',
        code: 'A2',
        personId: c.head.id,
        itemCode: ent.item.code,
        missingPeriods: [...missing].sort(),
        shortLineIds,
        householdIds: [c.householdId],
        personIds: [c.head.id],
        accountNumbers: unique((c.linesOf.get(ent) ?? []).map((l) => l.accountNumber)),
        itemCodes: [ent.item.code],
        paymentLineIds: idsOf(ent),
      };
    }
    case 'several-accounts': {
      if (!c.b1) throw new Error('B1 not planted');
      const numbers = [c.b1.first.number, c.b1.second.number];
      const into = c.lines.filter((l) => numbers.includes(l.accountNumber));
      const departments = unique(c.ents.filter((e) => (c.linesOf.get(e) ?? []).some((l) => numbers.includes(l.accountNumber))).map((e) => e.item.department));
      return {
        kind: 'several-accounts',
        code: 'B1',
        personId: c.head.id,
        departments,
        householdIds: [c.householdId],
        personIds: [c.head.id],
        accountNumbers: numbers,
        itemCodes: unique(into.map((l) => l.itemCode)),
        paymentLineIds: into.map((l) => l.id),
      };
    }
    case 'account-for-unrelated-people': {
      if (!c.c2) throw new Error('C2 not planted');
      const { donor, beneficiary, ent } = c.c2;
      return {
        kind: 'account-for-unrelated-people',
        code: 'C2',
        accountNumber: donor.account.number,
        bankName: donor.account.bankName,
        holderPersonId: donor.account.holderPersonId,
        beneficiaryPersonIds: [beneficiary.id],
        householdIds: [donor.householdId, c.householdId],
        personIds: [donor.account.holderPersonId, beneficiary.id],
        accountNumbers: [donor.account.number],
        itemCodes: [ent.item.code],
        paymentLineIds: idsOf(ent),
      };
    }
    case 'cadre-relative-receiving': {
      const ent = c.ents.find((e) => e.item.code === 'MZ01' || e.item.code === 'MZ09');
      if (!ent) throw new Error('C1 household without 低保');
      return {
        kind: 'cadre-relative-receiving',
        code: 'C1',
        personId: c.head.id,
        householdId: c.householdId,
        householdIds: [c.householdId],
        personIds: [c.head.id],
        accountNumbers: unique((c.linesOf.get(ent) ?? []).map((l) => l.accountNumber)),
        itemCodes: [ent.item.code],
        paymentLineIds: idsOf(ent),
      };
    }
    case 'household-item-to-non-head': {
      if (!c.a4?.holder.account) throw new Error('A4 not planted');
      const { ent, holder } = c.a4;
      const account = holder.account;
      if (!account) throw new Error('A4 holder without account');
      return {
        kind: 'household-item-to-non-head',
        code: 'A4',
        householdId: c.householdId,
        headPersonId: c.head.id,
        accountHolderPersonId: holder.id,
        accountNumber: account.number,
        householdIds: [c.householdId],
        personIds: [c.head.id, holder.id],
        accountNumbers: [account.number],
        itemCodes: [ent.item.code],
        paymentLineIds: idsOf(ent),
      };
    }
  }
}

export function manifestOf(cases: PlantedCase[]): PlantedManifest {
  const counts = Object.fromEntries(PLANTED_KINDS.map((k) => [k, 0])) as Record<PlantedKind, number>;
  for (const c of cases) counts[c.kind]++;
  return { cases, counts };
}
