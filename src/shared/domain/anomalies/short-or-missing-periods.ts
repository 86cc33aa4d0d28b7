/**
 * A2 资金发放不及时、不足额，应享受政策未享受 — short amounts and missing
 * periods.
 *
 * Per entitlement (the household for household items, the beneficiary for
 * personal items) of a periodic item:
 * - missing period: a period of the item's kind with no line at all that
 *   lies strictly between the entitlement's first and last paid period (a
 *   hole in an entitled run). Periods before the first or after the last
 *   payment are not judged: starting late or stopping (death, moving out,
 *   losing eligibility) is normal and the data cannot tell which applies.
 * - short amount: only for fixed-amount items (amountBasis 'fixed'): the
 *   lines of one period add up to less than the standard, by at least 1 fen.
 *   Per-mu items depend on an area the roster may not hold, and variable
 *   items have no standard to fall short of.
 * One-off items have no run and are not judged. Labels that do not match the
 * item's period (a quarter label on a monthly item) are ignored.
 *
 * One finding per entitlement with either problem. The amount is the
 * shortfall plus, for each missing period, the standard (fixed items) or the
 * median of the entitlement's own period totals (per-mu and variable items).
 * Evidence: the short lines, the lines on both sides of each gap, and the
 * missing period labels.
 */
import { periodsStartingBetween } from '#shared/schemas/roster.ts';
import { formatYuan } from '#shared/domain/money.ts';
import { describePeriods, periodTotals, uniqueAccounts, type AnomalyContext, type AnomalyRuleDefinition, type PeriodTotal } from './context.ts';
import type { AnomalyItem, Finding } from './types.ts';

function check(ctx: AnomalyContext): Finding[] {
  const findings: Finding[] = [];
  for (const [item, byUnit] of ctx.linesByEntitlement()) {
    if (item.period === 'once') continue;
    const kind = item.period;
    const fixed = item.amountBasis === 'fixed' && item.standardAmountFen > 0;
    for (const [unitKey, idx] of byUnit) {
      const totals = periodTotals(ctx, item, idx);
      const first = totals[0];
      const last = totals[totals.length - 1];
      if (!first || !last) continue;

      const missing: string[] = [];
      const evidence = new Set<number>();
      let previous: PeriodTotal | undefined;
      let pendingGap = false;
      const byLabel = new Map(totals.map((t) => [t.period.label, t]));
      for (const label of periodsStartingBetween(kind, first.period.first, last.period.first)) {
        const t = byLabel.get(label);
        if (!t) {
          missing.push(label);
          if (!pendingGap && previous) for (const i of previous.lines) evidence.add(i);
          pendingGap = true;
          continue;
        }
        if (pendingGap) for (const i of t.lines) evidence.add(i);
        pendingGap = false;
        previous = t;
      }

      const short = fixed ? totals.filter((t) => t.amountFen < item.standardAmountFen) : [];
      if (missing.length === 0 && short.length === 0) continue;
      for (const t of short) for (const i of t.lines) evidence.add(i);

      const shortfall = short.reduce((sum, t) => sum + item.standardAmountFen - t.amountFen, 0);
      const perPeriod = fixed ? item.standardAmountFen : median(totals.map((t) => t.amountFen));
      const missingAmount = missing.length * perPeriod;
      const parts: string[] = [];
      if (short.length > 0) parts.push(`${describePeriods(short.map((t) => t.period.label))} 发放不足额，少发 ${formatYuan(shortfall)}`);
      if (missing.length > 0) {
        parts.push(
          `${first.period.label} 至 ${last.period.label} 期间 ${describePeriods(missing)} 应发未发，` +
            `按每期 ${formatYuan(perPeriod)}${fixed ? '' : '（本对象各期实发额的中位数）'}计 ${formatYuan(missingAmount)}`,
        );
      }
      const lines = [...evidence].sort((a, b) => a - b);
      findings.push(
        ctx.finding({
          rule: 'short-or-missing-periods',
          problemCode: 'A2',
          key: [item.code, unitKey],
          title: missing.length > 0 && short.length > 0 ? '补贴缺期且不足额发放' : missing.length > 0 ? '补贴缺期未发' : '补贴不足额发放',
          detail: `${ctx.entitlementLabel(item, unitKey)}的${item.name}${standardText(item)}：${parts.join('；')}。合计 ${formatYuan(shortfall + missingAmount)}。`,
          householdIds: idx.map((i) => ctx.householdOfLine(i)),
          personIds: idx.map((i) => ctx.line(i).beneficiaryPersonId),
          accountNumbers: lines.map((i) => ctx.line(i).accountNumber),
          itemCodes: [item.code],
          amountFen: shortfall + missingAmount,
          lines,
          accounts: uniqueAccounts(lines.map((i) => ctx.line(i))),
          missingPeriods: missing,
        }),
      );
    }
  }
  return findings;
}

function standardText(item: AnomalyItem): string {
  if (item.amountBasis === 'fixed') return `（标准每期 ${formatYuan(item.standardAmountFen)}）`;
  return item.amountBasis === 'per-mu' ? `（按面积计发，每亩 ${formatYuan(item.standardAmountFen)}）` : '（按核定金额发放）';
}

/** The lower median: an amount that was actually paid, never an average of two. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

export const shortOrMissingPeriods: AnomalyRuleDefinition = { id: 'short-or-missing-periods', problemCodes: ['A2'], check };
