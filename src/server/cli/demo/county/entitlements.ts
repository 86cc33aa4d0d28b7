/** Who is entitled to which subsidy item, and the payment lines each entitlement makes. */
import { monthIndex, periodMonths, periodsStartingBetween } from '#shared/schemas/roster.ts';
import { hashString, mix, type Random } from '../random.ts';
import { ANNUAL_PAY_MONTH, type ItemCode } from '../subsidy-catalogue.ts';
import { AGE_YEAR, FIRST_MONTH, ITEMS, LAST_MONTH, type HouseholdKind } from './constants.ts';
import { isoDate } from './helpers.ts';
import type { VillageInfo } from './layout.ts';
import type { Entitlement, LineSpec, Member, PassState } from './model.ts';

export interface HouseholdFacts {
  intent: HouseholdKind | null;
  village: VillageInfo;
  size: number;
  cadreHousehold: boolean;
  farmlandMu: number | undefined;
  forestMu: number | undefined;
}

export function decideEntitlements(rng: Random, members: Member[], f: HouseholdFacts): Entitlement[] {
  const head = members[0];
  if (!head) return [];
  const ents: Entitlement[] = [];
  const full = { start: FIRST_MONTH, end: LAST_MONTH };
  const add = (code: ItemCode, beneficiary: Member, range: { start: number; end: number }, amountFen?: number, once?: { year: number; month: number }): Entitlement | null => {
    if (range.start > range.end) return null;
    const item = ITEMS[code];
    const e: Entitlement = { item, beneficiary, start: range.start, end: range.end, amountFen: amountFen ?? item.standardAmountFen };
    if (once) e.once = once;
    ents.push(e);
    return e;
  };
  const perMu = (code: ItemCode, mu: number): number => Math.round((Math.round(mu * 100) * ITEMS[code].standardAmountFen) / 100);
  const headAge = AGE_YEAR - head.birthYear;
  const plantedMember = members[1];
  const protectedMember = f.intent === 'account-for-unrelated-people' ? plantedMember : undefined;

  // 特困 (living alone, old, nobody to support them) excludes 低保.
  const tekun = f.size === 1 && headAge >= 60 && !f.cadreHousehold && f.intent !== 'short-or-missing-periods' && rng.chance(0.35);
  const dibaoCode: ItemCode = f.village.community ? 'MZ09' : 'MZ01';
  const forcedDibao = f.intent === 'short-or-missing-periods' || f.intent === 'cadre-relative-receiving';
  const poorBase = (f.village.community ? 0.05 : 0.07) + (members.some((m) => m.disability > 0) ? 0.05 : 0);
  const dibao = forcedDibao || (!tekun && !f.cadreHousehold && rng.chance(poorBase));
  if (dibao) {
    let range = full;
    if (f.intent !== 'short-or-missing-periods') {
      const r = rng.next();
      if (r < 0.1) range = { start: rng.int(FIRST_MONTH + 1, LAST_MONTH - 6), end: LAST_MONTH };
      else if (r < 0.2) range = { start: FIRST_MONTH, end: rng.int(FIRST_MONTH + 6, LAST_MONTH - 1) };
    }
    add(dibaoCode, head, range);
  }
  // C1 is about 低保 alone; other means-tested items would blur the case.
  const meansTestedAllowed = !f.cadreHousehold;
  if (meansTestedAllowed && (dibao || tekun) && rng.chance(0.04)) {
    add('MZ04', head, full, rng.int(5, 30) * 10000, { year: rng.chance(0.5) ? 2020 : 2021, month: rng.int(3, 11) });
  } else if (meansTestedAllowed && !dibao && !tekun && rng.chance(0.02)) {
    add('MZ04', head, full, rng.int(5, 30) * 10000, { year: rng.chance(0.5) ? 2020 : 2021, month: rng.int(3, 11) });
  }
  if (meansTestedAllowed && (dibao || tekun) && rng.chance(0.06)) {
    add('ZJ01', head, full, rng.int(10, 35) * 100000, { year: rng.chance(0.5) ? 2020 : 2021, month: rng.int(4, 11) });
  }

  // Land and forest (household items to the head).
  if (f.farmlandMu !== undefined) {
    if (f.intent === 'several-accounts' || f.intent === 'household-item-to-non-head' || rng.chance(0.98)) add('NY01', head, full, perMu('NY01', f.farmlandMu));
    if (rng.chance(0.7)) add('NY02', head, full, perMu('NY02', f.farmlandMu), { year: 2021, month: ANNUAL_PAY_MONTH.NY02 ?? 7 });
    if (rng.chance(0.55)) add('NY03', head, full, perMu('NY03', f.farmlandMu));
  }
  if (f.forestMu !== undefined) {
    add('LY01', head, full, Math.round(f.forestMu * ITEMS.LY01.standardAmountFen));
    if (f.intent !== 'several-accounts' && rng.chance(0.2)) add('LY02', head, full, Math.round((1 + rng.next() * 5) * 240) * 100);
  }

  // Personal items.
  const childrenInHousehold = members.some((m) => (m.relation === '子' || m.relation === '女') && m.status === 'living' && AGE_YEAR - m.birthYear >= 18);
  for (const m of members) {
    if (m.status === 'moved-out' || m.status === 'not-member') continue;
    // Infants born after mid-2019 have no card of their own yet.
    if (m.birthDate > '2019-06-30') continue;
    if (m === protectedMember) {
      // Planted C2: exactly one personal item, paid into someone else's card.
      m.disability = 2;
      add('CL02', m, full);
      continue;
    }
    const age = AGE_YEAR - m.birthYear;
    const turns = (years: number): number => monthIndex(m.birthYear + years, m.birthMonth) + 1; // from the month after the birthday
    const until = (years: number): number => monthIndex(m.birthYear + years, m.birthMonth); // up to the birthday month
    const plantedDeath = f.intent === 'payment-after-death' && m === plantedMember;

    if (plantedDeath || (age >= 60 && rng.chance(0.97))) add('RS01', m, { start: Math.max(FIRST_MONTH, turns(60)), end: LAST_MONTH });
    if (age >= 80 && rng.chance(0.95)) {
      add('MZ05', m, { start: Math.max(FIRST_MONTH, turns(80)), end: Math.min(LAST_MONTH, until(90)) });
      add('MZ06', m, { start: Math.max(FIRST_MONTH, turns(90)), end: LAST_MONTH });
    }
    if (m === head && tekun) {
      add('MZ02', m, full);
      if (rng.chance(0.4)) add('MZ03', m, full);
    }
    if (age < 18 + 2) {
      const end = Math.min(LAST_MONTH, until(18));
      if (m.relation === '孙子女' && !childrenInHousehold && rng.chance(0.25)) add('MZ07', m, { start: FIRST_MONTH, end });
      else if (rng.chance(0.004)) add('MZ08', m, { start: FIRST_MONTH, end });
    }
    if (m.disability > 0 && meansTestedAllowed && (dibao || tekun)) add('CL01', m, full);
    if (m.disability === 2) add('CL02', m, full);
    if (!plantedDeath) {
      // Yearly and quarterly items are left off the planted deceased so that
      // "paid after death" and "period after death" name the same lines.
      if (age >= 60 && rng.chance(0.12)) add('WJ01', m, { start: Math.max(FIRST_MONTH, turns(60)), end: LAST_MONTH });
      if (m.sex === 'M' && age >= 60 && rng.chance(0.03)) add('TY04', m, { start: Math.max(FIRST_MONTH, turns(60)), end: LAST_MONTH });
      if (f.village.reservoir && m.birthDate < '2006-07-01' && rng.chance(0.7)) add('SL01', m, full);
    }
    if (age >= 49 && rng.chance(0.004)) add('WJ02', m, full);
    if (m.sex === 'M') {
      if (age >= 85 && rng.chance(0.05)) add('TY01', m, full);
      if (age >= 50 && rng.chance(0.004)) add('TY02', m, full);
      if (age >= 55 && rng.chance(0.006)) add('TY03', m, full);
    }
  }
  return ents;
}

export function lineSpecs(seed: number, e: Entitlement, townshipCode: string, state: PassState): LineSpec[] {
  const out: LineSpec[] = [];
  const m = e.beneficiary;
  const dead = m.status === 'deceased' && m.deathMonth !== undefined && m.statusDate !== undefined;
  const push = (period: string, first: number, payYear: number, payMonth: number): void => {
    if (e.missing?.has(period)) return;
    const paidOn = isoDate(payYear, payMonth, payDay(seed, state, e.item.code, townshipCode, period));
    if (dead && e.item.unit === 'person') {
      const deathMonth = m.deathMonth ?? 0;
      if (e.afterDeathMonths !== undefined) {
        if (first > Math.min(LAST_MONTH, deathMonth + e.afterDeathMonths)) return;
      } else if (first > deathMonth || paidOn >= (m.statusDate ?? '')) return;
    }
    out.push({ period, paidOn, amountFen: e.short?.get(period) ?? e.amountFen });
  };
  if (e.item.period === 'once') {
    const once = e.once ?? { year: 2021, month: 6 };
    push(String(once.year), monthIndex(once.year, 1), once.year, once.month);
    return out;
  }
  const kind = e.item.period;
  for (const period of periodsStartingBetween(kind, e.start, e.end)) {
    const months = periodMonths(period);
    if (!months) continue;
    const year = Math.floor(months.first / 12);
    let payMonth: number;
    if (kind === 'year') payMonth = ANNUAL_PAY_MONTH[e.item.code as ItemCode] ?? 6;
    else payMonth = (months.last % 12) + 1; // monthly, quarterly, half-yearly: paid in the last month
    push(period, months.first, year, payMonth);
  }
  return out;
}

/**
 * Pay day of an item's batch in a township and period: the same for all its
 * beneficiaries, as when the treasury releases one batch. Always odd, and
 * death days are always even, so "paid before/after death" is never a tie.
 */
function payDay(seed: number, state: PassState, itemCode: string, townshipCode: string, period: string): number {
  const key = `${itemCode}|${townshipCode}|${period}`;
  let d = state.payDays.get(key);
  if (d === undefined) {
    d = 3 + 2 * (mix(seed, hashString(key)) % 12);
    state.payDays.set(key, d);
  }
  return d;
}
