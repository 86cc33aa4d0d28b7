/**
 * A2 资金发放不及时 — late payment.
 *
 * A line is late when it was paid after the last day of the month that lies
 * `lateAfterMonths` (default 3) months after the end of its period: a
 * monthly 2020-03 line is on time until 2020-06-30, a yearly 2020 line until
 * 2021-03-31. The grace covers routine batching (quarterly releases, year-end
 * settlement) so that only real delays stand out. One-off items are labelled
 * with the year they are paid for, so the same rule applies to them. Lines
 * paid before or during their period are never late.
 *
 * One finding per entitlement (household for household items, beneficiary
 * for personal items) with late lines; the amount is the sum of the late
 * lines. Lines with a malformed period or an item not in the catalogue are
 * left to the importer and to `not-on-roster`.
 */
import { formatYuan } from '#shared/domain/money.ts';
import { compare, monthEndDate, uniqueAccounts, type AnomalyContext, type AnomalyRuleDefinition } from './context.ts';
import type { AnomalyItem, Finding } from './types.ts';

function check(ctx: AnomalyContext): Finding[] {
  const grace = ctx.options.lateAfterMonths;
  const dueBy = new Map<string, string>();
  const late = new Map<AnomalyItem, Map<string, number[]>>();
  for (let i = 0; i < ctx.lines.length; i++) {
    const item = ctx.lineItem[i];
    if (!item) continue;
    const line = ctx.line(i);
    let due = dueBy.get(line.period);
    if (due === undefined) {
      const period = ctx.period(line.period);
      due = period ? monthEndDate(period.last + grace) : '';
      dueBy.set(line.period, due);
    }
    if (due === '' || line.paidOn <= due) continue;
    let byUnit = late.get(item);
    if (!byUnit) late.set(item, (byUnit = new Map<string, number[]>()));
    const key = ctx.unitKey(i, item);
    const list = byUnit.get(key);
    if (list) list.push(i);
    else byUnit.set(key, [i]);
  }

  const findings: Finding[] = [];
  for (const [item, byUnit] of late) {
    for (const [unitKey, idx] of byUnit) {
      const lines = idx.map((i) => ctx.line(i)).sort((a, b) => compare(a.period, b.period) || compare(a.id, b.id));
      const amount = lines.reduce((sum, l) => sum + l.amountFen, 0);
      const examples = lines
        .slice(0, 3)
        .map((l) => `${l.period} 期于 ${l.paidOn} 才发放`)
        .join('，');
      findings.push(
        ctx.finding({
          rule: 'late-payment',
          problemCode: 'A2',
          key: [item.code, unitKey],
          title: '补贴发放不及时',
          detail:
            `${ctx.entitlementLabel(item, unitKey)}的${item.name}有 ${lines.length} 笔在期末 ${grace} 个月后才发放（${examples}` +
            `${lines.length > 3 ? ' 等' : ''}），计 ${formatYuan(amount)}。`,
          householdIds: idx.map((i) => ctx.householdOfLine(i)),
          personIds: lines.map((l) => l.beneficiaryPersonId),
          accountNumbers: lines.map((l) => l.accountNumber),
          itemCodes: [item.code],
          amountFen: amount,
          lines: idx,
          accounts: uniqueAccounts(lines),
        }),
      );
    }
  }
  return findings;
}

export const latePayment: AnomalyRuleDefinition = { id: 'late-payment', problemCodes: ['A2'], check };
