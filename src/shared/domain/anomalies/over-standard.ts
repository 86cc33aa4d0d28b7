/**
 * A3 超标准超范围发放 — paid above the standard.
 *
 * Only fixed-amount items (amountBasis 'fixed') have a standard to compare
 * with: per-mu items depend on an area the roster may not hold for that item
 * (稻谷 and 实际种粮 are paid on the sown area, not the contracted land), and
 * variable items are assessed case by case.
 *
 * For each entitlement (the household for household items, the beneficiary
 * for personal items) and each period, the lines of that period are summed:
 * a supplementary line that makes up a short payment is fine, a second full
 * payment (重复发放) or a higher amount is not. Threshold: the period's total
 * exceeds the item's standard by at least 1 fen.
 *
 * One finding per entitlement; the amount is the total paid above the
 * standard.
 */
import { formatYuan } from '#shared/domain/money.ts';
import { describePeriods, periodTotals, uniqueAccounts, type AnomalyContext, type AnomalyRuleDefinition } from './context.ts';
import type { Finding } from './types.ts';

function check(ctx: AnomalyContext): Finding[] {
  const findings: Finding[] = [];
  for (const [item, byUnit] of ctx.linesByEntitlement()) {
    if (item.amountBasis !== 'fixed' || item.standardAmountFen <= 0) continue;
    for (const [unitKey, idx] of byUnit) {
      const over = periodTotals(ctx, item, idx).filter((t) => t.amountFen > item.standardAmountFen);
      if (over.length === 0) continue;
      const lines = over.flatMap((t) => t.lines);
      const excess = over.reduce((sum, t) => sum + t.amountFen - item.standardAmountFen, 0);
      const examples = over
        .slice(0, 3)
        .map((t) => `${t.period.label} 实发 ${formatYuan(t.amountFen)}（${t.lines.length}笔）`)
        .join('，');
      findings.push(
        ctx.finding({
          rule: 'over-standard',
          problemCode: 'A3',
          key: [item.code, unitKey],
          title: '超标准发放',
          detail:
            `${ctx.entitlementLabel(item, unitKey)}的${item.name}（标准每期 ${formatYuan(item.standardAmountFen)}）` +
            `在 ${describePeriods(over.map((t) => t.period.label))} 超标准发放：${examples}${over.length > 3 ? ' 等' : ''}，共多发 ${formatYuan(excess)}。`,
          householdIds: lines.map((i) => ctx.householdOfLine(i)),
          personIds: lines.map((i) => ctx.line(i).beneficiaryPersonId),
          accountNumbers: lines.map((i) => ctx.line(i).accountNumber),
          itemCodes: [item.code],
          amountFen: excess,
          lines,
          accounts: uniqueAccounts(lines.map((i) => ctx.line(i))),
        }),
      );
    }
  }
  return findings;
}

export const overStandard: AnomalyRuleDefinition = { id: 'over-standard', problemCodes: ['A3'], check };
