/** One household of a pass, built from its own PRNG stream: members, land, entitlements, accounts, lines, planted cases. */
import type { AccountType } from '#shared/domain/account-number.ts';
import { paymentLineId, periodsStartingBetween, type Account, type Household, type PaymentLine } from '#shared/schemas/roster.ts';
import { createRandom, type Random } from '../random.ts';
import { accountNumber, accountType } from './accounts.ts';
import { HOUSEHOLD_KINDS, NEEDS_TWO, STREAM, type AgentBank, type HouseholdKind } from './constants.ts';
import { decideEntitlements, lineSpecs } from './entitlements.ts';
import { chineseNumber, pad, randomDate, round2, sample } from './helpers.ts';
import { isB2Household, type Layout } from './layout.ts';
import { buildMembers, toPerson } from './members.ts';
import type { A2Plant, CountyPlan, Donor, Entitlement, LineSpec, Member, PassState } from './model.ts';
import { recordPlanted } from './planted.ts';
import type { DemoHouseholdBundle } from './types.ts';

export function buildHousehold(k: CountyPlan, h: number, state: PassState): DemoHouseholdBundle {
  const { seed, layout } = k;
  const rng = createRandom(seed, STREAM.household, h);
  const size = layout.sizes[h] ?? 1;
  const village = layout.villages[layout.villageOf[h] ?? 0];
  if (!village) throw new Error(`household ${h} has no village`);
  const townshipCode = village.townshipCode;
  const inB2 = layout.b2 !== null && townshipCode === layout.b2.townshipCode && isB2Household(layout.townshipIndex, h);
  const bank = inB2 && layout.b2 ? layout.b2.bank : layout.agentBank.get(townshipCode);
  if (!bank) throw new Error(`township ${townshipCode} has no agent bank`);

  const intent = resolveIntent(layout, h, size, townshipCode, inB2, state);

  // Address: group (组) and house number from the household's place in its village.
  const j = h - village.firstHousehold;
  const g = Math.floor((j * village.groups) / village.households);
  const houseNo = j - Math.ceil((g * village.households) / village.groups) + 1;
  const householdId = `${village.code}-${pad(g + 1, 2)}-${pad(houseNo, 3)}`;

  const members = buildMembers(seed, rng, size, intent, village, state);
  const head = members[0];
  if (!head) throw new Error('empty household');
  const cadreHousehold = members.some((m) => m.cadreRelative);

  // Land.
  const farming = intent === 'several-accounts' || intent === 'household-item-to-non-head' || rng.chance(village.community ? 0.25 : 0.88);
  const farmlandMu = farming ? round2(village.community ? 0.5 + rng.next() * 2.5 : (1.2 + rng.next() * 7.8) * (size >= 3 ? 1.3 : 1)) : undefined;
  const forestMu =
    intent === 'several-accounts' || (!village.community && rng.chance(village.hill ? 0.3 : 0.08)) ? round2(5 + rng.next() * 75) : undefined;

  // Entitlements.
  const ents = decideEntitlements(rng, members, {
    intent,
    village,
    size,
    cadreHousehold,
    farmlandMu,
    forestMu,
  });

  // Planted changes to entitlements (before lines and accounts).
  const plantedMember = members[1];
  const a2 = plantEntitlementChanges(rng, intent, ents, plantedMember);

  // Line specs first: who actually receives decides who needs an account.
  const specs = new Map<Entitlement, LineSpec[]>();
  for (const e of ents) {
    const s = lineSpecs(seed, e, townshipCode, state);
    if (s.length > 0) specs.set(e, s);
  }
  const paid = [...specs.keys()];

  // Accounts and routing.
  const { accounts, c2, a4, b1 } = openAccounts(rng, { bank, townshipCode, inB2, state, members, head, plantedMember, intent, paid });

  const { lines, linesOf } = paymentLinesOf(specs, head, householdId);

  // Planted manifest entries.
  const recorded = recordPlanted(intent, {
    householdId,
    head,
    plantedMember,
    ents: paid,
    linesOf,
    lines,
    a2,
    b1,
    c2,
    a4,
  });
  if (recorded) state.cases.push(recorded);
  if (inB2) state.b2Households.push(householdId);

  // A clean household's head lends the next C2 case an account.
  if (intent === null && !inB2 && head.account) state.donor = { account: head.account, householdId, townshipCode };

  const household: Household = {
    id: householdId,
    villageCode: village.code,
    groupName: `${chineseNumber(g + 1)}组`,
    houseNumber: String(houseNo),
    headPersonId: head.id,
  };
  const phone = head.phone ?? members.find((m) => m.phone !== undefined)?.phone;
  if (phone !== undefined) household.phone = phone;
  if (farmlandMu !== undefined) household.farmlandMu = farmlandMu;

  return { household, persons: members.map((m) => toPerson(m, householdId)), accounts, paymentLines: lines };
}

/** The planted kind this household gets, if any; forced kinds that do not fit wait for a later household. */
export function resolveIntent(layout: Layout, h: number, size: number, townshipCode: string, inB2: boolean, state: PassState): HouseholdKind | null {
  if (inB2) return null;
  const fits = (k: HouseholdKind): boolean =>
    (size >= 2 || !NEEDS_TWO.has(k)) && (k !== 'account-for-unrelated-people' || state.donor?.townshipCode === townshipCode);
  const planned = layout.plan[h] ?? -1;
  const plannedKind = planned >= 0 ? (HOUSEHOLD_KINDS[planned] ?? null) : null;
  const plannedForced = layout.forced[h] === 1;
  const waiting = state.pending.findIndex(fits);
  if (waiting >= 0) {
    const [kind] = state.pending.splice(waiting, 1);
    if (plannedKind && plannedForced) state.pending.push(plannedKind);
    return kind ?? null;
  }
  if (plannedKind === null) return null;
  if (fits(plannedKind)) return plannedKind;
  if (plannedForced) state.pending.push(plannedKind);
  return null;
}

/** Planted A3 (payments go on after a death) and A2 (periods missing or short) change entitlements before any line is made. */
function plantEntitlementChanges(rng: Random, intent: HouseholdKind | null, ents: Entitlement[], plantedMember: Member | undefined): A2Plant | null {
  if (intent === 'payment-after-death' && plantedMember) {
    for (const e of ents) if (e.beneficiary === plantedMember) e.afterDeathMonths = rng.int(3, 9);
  }
  if (intent === 'short-or-missing-periods') {
    const ent = ents.find((e) => e.item.code === 'MZ01' || e.item.code === 'MZ09');
    if (!ent) throw new Error('A2 household without 低保');
    const periods = periodsStartingBetween('month', ent.start, ent.end);
    const inner = periods.slice(1, -1);
    const variant = rng.next();
    const missing = new Set<string>();
    const short = new Map<string, number>();
    if (variant < 0.75) for (const p of sample(rng, inner, rng.int(1, 3))) missing.add(p);
    if (variant >= 0.5) {
      const rest = inner.filter((p) => !missing.has(p));
      for (const p of sample(rng, rest, rng.int(1, 3))) {
        // 5–30 % withheld, in whole yuan.
        short.set(p, ent.amountFen - Math.max(100, Math.round((ent.amountFen * rng.int(5, 30)) / 100 / 100) * 100));
      }
    }
    ent.missing = missing;
    ent.short = short;
    return { ent, missing: [...missing], short };
  }
  return null;
}

interface AccountFacts {
  bank: AgentBank;
  townshipCode: string;
  inB2: boolean;
  state: PassState;
  members: Member[];
  head: Member;
  plantedMember: Member | undefined;
  intent: HouseholdKind | null;
  /** Entitlements with at least one line: who actually receives decides who needs an account. */
  paid: Entitlement[];
}

/** The household's accounts, and where each paid entitlement goes: the head's or the beneficiary's own card, or a planted detour (C2, A4, B1). */
function openAccounts(rng: Random, { bank, townshipCode, inB2, state, members, head, plantedMember, intent, paid }: AccountFacts) {
  const accounts: Account[] = [];
  const openAccount = (m: Member, type: AccountType, openedOn: string): Account => {
    const acc: Account = { number: accountNumber(bank, type, townshipCode, ++state.accountSerial), type, bankName: bank.name, holderPersonId: m.id, openedOn };
    accounts.push(acc);
    if (inB2) state.b2Accounts.push(acc.number);
    return acc;
  };
  const defaultOpenedOn = (m: Member): string => randomDate(rng, m.birthDate > '2010-01-01' ? m.birthDate : '2010-01-01', '2019-12-31');
  const accountOf = (m: Member): Account => {
    m.account ??= openAccount(m, accountType(rng, m), defaultOpenedOn(m));
    return m.account;
  };

  let c2: { donor: Donor; beneficiary: Member; ent: Entitlement } | null = null;
  if (intent === 'account-for-unrelated-people' && plantedMember && state.donor) {
    const ent = paid.find((e) => e.beneficiary === plantedMember);
    if (!ent) throw new Error('C2 member without a paid item');
    ent.account = state.donor.account;
    c2 = { donor: state.donor, beneficiary: plantedMember, ent };
    state.donor = null;
  }
  let a4: { ent: Entitlement; holder: Member } | null = null;
  if (intent === 'household-item-to-non-head' && plantedMember) {
    const ent = paid.find((e) => e.item.code === 'NY01');
    if (!ent) throw new Error('A4 household without 耕地地力保护补贴');
    ent.account = accountOf(plantedMember);
    a4 = { ent, holder: plantedMember };
  }
  // Default routing, in member order so account numbers follow the roster.
  for (const m of members) {
    const own = paid.some((e) => e.account === undefined && (e.item.unit === 'household' ? m === head : e.beneficiary === m));
    if (own) accountOf(m);
  }
  let b1: { second: Account; first: Account } | null = null;
  if (intent === 'several-accounts') {
    const first = accountOf(head);
    const second = openAccount(head, first.type === 'card' ? 'passbook' : 'card', randomDate(rng, '2019-01-01', '2019-12-31'));
    for (const e of paid) if (e.item.department === '林业') e.account = second;
    b1 = { first, second };
  }
  return { accounts, c2, a4, b1 };
}

/** One line per line spec, paid into the entitlement's account (the head's for a household item). */
function paymentLinesOf(specs: Map<Entitlement, LineSpec[]>, head: Member, householdId: string) {
  const lines: PaymentLine[] = [];
  const linesOf = new Map<Entitlement, PaymentLine[]>();
  for (const [e, ss] of specs) {
    const beneficiary = e.item.unit === 'household' ? head : e.beneficiary;
    const account = e.account ?? (e.item.unit === 'household' ? head.account : e.beneficiary.account);
    if (!account) throw new Error(`no account for ${e.item.code} in ${householdId}`);
    const own: PaymentLine[] = [];
    for (const s of ss) {
      const line: PaymentLine = {
        id: paymentLineId({ itemCode: e.item.code, beneficiaryPersonId: beneficiary.id, period: s.period, seq: 1 }),
        itemCode: e.item.code,
        beneficiaryPersonId: beneficiary.id,
        householdId,
        period: s.period,
        amountFen: s.amountFen,
        paidOn: s.paidOn,
        accountNumber: account.number,
        bankName: account.bankName,
      };
      own.push(line);
      lines.push(line);
    }
    linesOf.set(e, own);
  }
  return { lines, linesOf };
}
