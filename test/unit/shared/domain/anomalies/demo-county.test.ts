/**
 * The rules against the demo county generator: every planted anomaly is
 * found, once, with the ids the manifest lists, and nothing else is; the
 * same county without anomalies yields no finding at all.
 */
import { describe, expect, it } from 'vitest';
import { generateDemoCounty, PLANTED_KIND_CODES, PLANTED_KINDS, type DemoCounty, type PlantedCase, type PlantedKind } from '#server/cli/demo/generate.ts';
import { runAnomalyChecks, type AnomalyInput, type AnomalyRule, type Finding } from '#shared/domain/anomalies/index.ts';

const PEOPLE = 3000;

function inputOf(county: DemoCounty): AnomalyInput {
  const bundles = [...county.bundles()];
  return {
    items: county.items,
    households: bundles.map((b) => b.household),
    persons: bundles.flatMap((b) => b.persons),
    accounts: bundles.flatMap((b) => b.accounts),
    paymentLines: bundles.flatMap((b) => b.paymentLines),
    regionNames: new Map(county.regions.map((r) => [r.code, r.name])),
  };
}

const RULE_OF: Record<PlantedKind, AnomalyRule> = {
  'payment-after-death': 'paid-after-death',
  'short-or-missing-periods': 'short-or-missing-periods',
  'several-accounts': 'several-accounts',
  'township-two-banks': 'several-agent-banks',
  'account-for-unrelated-people': 'account-for-other-households',
  'cadre-relative-receiving': 'cadre-relative-means-tested',
  'household-item-to-non-head': 'paid-to-other-member',
};

const sorted = (xs: readonly string[]): string[] => [...xs].sort();
const sameSet = (a: readonly string[], b: readonly string[]): boolean => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

/** Whether finding `f` is the planted case `c`, by the ids the manifest gives. */
function matches(c: PlantedCase, f: Finding): boolean {
  if (f.rule !== RULE_OF[c.kind] || f.problemCode !== c.code) return false;
  const lines = f.evidence.paymentLineIds;
  switch (c.kind) {
    case 'payment-after-death':
      return sameSet(f.personIds, [c.personId]) && sameSet(lines, c.paymentLineIds);
    case 'short-or-missing-periods':
      return (
        sameSet(f.itemCodes, [c.itemCode]) &&
        f.personIds.includes(c.personId) &&
        sameSet(f.evidence.missingPeriods, c.missingPeriods) &&
        c.shortLineIds.every((id) => lines.includes(id))
      );
    case 'several-accounts':
      return sameSet(f.personIds, [c.personId]) && sameSet(f.accountNumbers, c.accountNumbers) && sameSet(lines, c.paymentLineIds);
    case 'township-two-banks':
      return sameSet(f.accountNumbers, c.accountNumbers) && f.villageCodes.every((v) => v.startsWith(c.townshipCode.slice(0, 9)));
    case 'account-for-unrelated-people':
      return (
        sameSet(f.accountNumbers, [c.accountNumber]) &&
        f.evidence.accounts[0]?.bankName === c.bankName &&
        [c.holderPersonId, ...c.beneficiaryPersonIds].every((p) => f.personIds.includes(p)) &&
        sameSet(lines, c.paymentLineIds)
      );
    case 'cadre-relative-receiving':
      return sameSet(f.householdIds, [c.householdId]) && sameSet(lines, c.paymentLineIds);
    case 'household-item-to-non-head':
      return sameSet(f.householdIds, [c.householdId]) && sameSet(f.accountNumbers, [c.accountNumber]) && sameSet(lines, c.paymentLineIds);
  }
}

describe('anomaly checks on the demo county', () => {
  it('find every planted case exactly once, and nothing else', () => {
    const county = generateDemoCounty({ seed: 20220, people: PEOPLE });
    const findings = runAnomalyChecks(inputOf(county));
    const { cases, counts } = county.planted;

    for (const kind of PLANTED_KINDS) {
      expect(counts[kind], `${kind} is planted`).toBeGreaterThan(0);
      expect(findings.filter((f) => f.rule === RULE_OF[kind]).length, kind).toBe(counts[kind]);
      expect(findings.filter((f) => f.problemCode === PLANTED_KIND_CODES[kind]).length, kind).toBe(counts[kind]);
    }
    const unmatched = findings.filter((f) => cases.filter((c) => matches(c, f)).length !== 1);
    expect(unmatched.map((f) => `${f.rule}: ${f.detail}`)).toEqual([]);
    const missed = cases.filter((c) => findings.filter((f) => matches(c, f)).length !== 1);
    expect(missed.map((c) => c.kind)).toEqual([]);
    expect(findings).toHaveLength(cases.length);
    expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
  });

  it('finds nothing in the same county without anomalies', () => {
    const county = generateDemoCounty({ seed: 20220, people: PEOPLE, anomalies: false });
    expect(county.planted.cases).toEqual([]);
    expect(runAnomalyChecks(inputOf(county))).toEqual([]);
  });

  it('is deterministic across seeds and row order', () => {
    const county = generateDemoCounty({ seed: 7, people: PEOPLE });
    const input = inputOf(county);
    const first = runAnomalyChecks(input);
    const shuffled = { ...input, paymentLines: [...input.paymentLines].reverse(), persons: [...input.persons].reverse() };
    expect(runAnomalyChecks(shuffled)).toEqual(first);
    expect(first).toHaveLength(county.planted.cases.length);
  });
});
