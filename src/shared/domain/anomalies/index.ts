/**
 * Automatic anomaly checks over one area's roster and payment ledger
 * (issue 3 item 4; domain.md §5 "Many of these can be detected from data
 * without a visit"). Pure: the server loads the area and calls
 * runAnomalyChecks; nothing here does I/O.
 *
 * Rules (thresholds in each module's docblock):
 *
 * | rule                          | code  | finding per          |
 * | ----------------------------- | ----- | -------------------- |
 * | paid-after-death              | A3    | deceased beneficiary |
 * | over-standard                 | A3    | entitlement          |
 * | short-or-missing-periods      | A2    | entitlement          |
 * | late-payment                  | A2    | entitlement          |
 * | paid-to-other-member          | A4    | household            |
 * | not-on-roster                 | A6    | unknown person/account/item |
 * | several-accounts              | B1    | account holder       |
 * | several-agent-banks           | B2    | township             |
 * | cadre-relative-means-tested   | C1    | household            |
 * | account-for-other-households  | C2/C3 | account              |
 *
 * An entitlement is (item, household) for household items and (item,
 * beneficiary) for personal items.
 *
 * Each rule reports one finding per case, with a deterministic id (see
 * finding-id.ts), so a rerun over the same or grown data yields the same ids
 * and the problem ledger can upsert on them. Clean data (one account per
 * person at the township's one bank, exact standards, contiguous periods,
 * nobody paid after death, no cadre-relative households on means-tested
 * aid) yields no finding at all.
 */
import { PROBLEM_CODE_VALUES, type ProblemCode } from '#shared/domain/problem-codes.ts';
import { accountForOtherHouseholds } from './account-for-other-households.ts';
import { cadreRelativeMeansTested } from './cadre-relative-means-tested.ts';
import { AnomalyContext, compare, type AnomalyRuleDefinition } from './context.ts';
import { latePayment } from './late-payment.ts';
import { notOnRoster } from './not-on-roster.ts';
import { overStandard } from './over-standard.ts';
import { paidAfterDeath } from './paid-after-death.ts';
import { paidToOtherMember } from './paid-to-other-member.ts';
import { severalAccounts } from './several-accounts.ts';
import { severalAgentBanks } from './several-agent-banks.ts';
import { shortOrMissingPeriods } from './short-or-missing-periods.ts';
import { ANOMALY_RULES, type AnomalyInput, type AnomalyOptions, type AnomalyRule, type Finding } from './types.ts';

export { findingId } from './finding-id.ts';
export { AnomalyContext, type AnomalyRuleDefinition } from './context.ts';
export * from './types.ts';

export const RULE_DEFINITIONS: Readonly<Record<AnomalyRule, AnomalyRuleDefinition>> = {
  'paid-after-death': paidAfterDeath,
  'over-standard': overStandard,
  'short-or-missing-periods': shortOrMissingPeriods,
  'late-payment': latePayment,
  'paid-to-other-member': paidToOtherMember,
  'not-on-roster': notOnRoster,
  'several-accounts': severalAccounts,
  'several-agent-banks': severalAgentBanks,
  'cadre-relative-means-tested': cadreRelativeMeansTested,
  'account-for-other-households': accountForOtherHouseholds,
};

const CODE_ORDER = new Map<string, number>(PROBLEM_CODE_VALUES.map((c, i) => [c, i]));
const RULE_ORDER = new Map<string, number>(ANOMALY_RULES.map((r, i) => [r, i]));

/**
 * Runs the rules over one area and returns the findings sorted by problem
 * code, rule, first village and id (a stable order for paging).
 */
export function runAnomalyChecks(input: AnomalyInput, options: AnomalyOptions = {}): Finding[] {
  const ctx = new AnomalyContext(input, options);
  const findings: Finding[] = [];
  for (const rule of options.rules ?? ANOMALY_RULES) {
    for (const f of RULE_DEFINITIONS[rule].check(ctx)) if (ctx.inScope(f)) findings.push(f);
  }
  return findings.sort(compareFindings);
}

/** The findings' stable order: problem code, rule, first village, id (for paging, and to merge scans of parts of an area). */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (CODE_ORDER.get(a.problemCode) ?? 0) - (CODE_ORDER.get(b.problemCode) ?? 0) ||
    (RULE_ORDER.get(a.rule) ?? 0) - (RULE_ORDER.get(b.rule) ?? 0) ||
    compare(a.villageCodes[0] ?? '', b.villageCodes[0] ?? '') ||
    compare(a.id, b.id)
  );
}

export interface FindingCounts {
  byProblemCode: Record<ProblemCode, number>;
  byRule: Record<AnomalyRule, number>;
  total: number;
  amountFen: number;
}

export function countFindings(findings: readonly Finding[]): FindingCounts {
  const byProblemCode = Object.fromEntries(PROBLEM_CODE_VALUES.map((c) => [c, 0])) as Record<ProblemCode, number>;
  const byRule = Object.fromEntries(ANOMALY_RULES.map((r) => [r, 0])) as Record<AnomalyRule, number>;
  let amountFen = 0;
  for (const f of findings) {
    byProblemCode[f.problemCode]++;
    byRule[f.rule]++;
    amountFen += f.amountFen;
  }
  return { byProblemCode, byRule, total: findings.length, amountFen };
}
