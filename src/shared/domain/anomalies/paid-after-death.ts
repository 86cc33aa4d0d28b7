/**
 * A3 超标准超范围发放 — paid after death (应退出未退出).
 *
 * A line is paid after death when its beneficiary is on the roster as
 * `deceased` with a `statusDate` (the date of death) and:
 * - for a periodic item, its period starts after the date of death (the
 *   period in which the person died is theirs: most items pay the month,
 *   quarter or year of death in full, so only later periods are
 *   overpayments — even when paid in advance, before the death);
 * - for a one-off item ('once'), it was paid after the date of death.
 *
 * Household items are judged the same way only when nobody in the household
 * is still `living`: otherwise the entitlement continues and the roster
 * merely needs a new head, which is not an overpayment.
 *
 * A deceased person without a date cannot be judged and is skipped (the
 * importer asks for the date). Lines of items not in the catalogue are left
 * to `not-on-roster`.
 *
 * One finding per deceased beneficiary; the amount is the sum of the lines
 * paid after death (the money to recover, 追回资金).
 */
import { formatYuan } from '#shared/domain/money.ts';
import { compare, describeLinesByItem, sumAmounts, uniqueAccounts, type AnomalyContext, type AnomalyRuleDefinition } from './context.ts';
import type { AnomalyPerson, Finding } from './types.ts';

function check(ctx: AnomalyContext): Finding[] {
  const byPerson = new Map<AnomalyPerson, number[]>();
  const livingHousehold = new Map<string, boolean>();
  const hasLiving = (householdId: string): boolean => {
    let v = livingHousehold.get(householdId);
    if (v === undefined) {
      v = ctx.membersOf(householdId).some((m) => m.status === 'living');
      livingHousehold.set(householdId, v);
    }
    return v;
  };

  for (let i = 0; i < ctx.lines.length; i++) {
    const person = ctx.linePerson[i];
    if (person?.status !== 'deceased' || !person.statusDate) continue;
    const item = ctx.lineItem[i];
    if (!item) continue;
    if (item.unit === 'household' && hasLiving(person.householdId)) continue;
    const line = ctx.line(i);
    const death = person.statusDate;
    let after: boolean;
    if (item.period === 'once') {
      after = line.paidOn > death;
    } else {
      const period = ctx.period(line.period);
      after = period !== null && period.startDate > death;
    }
    if (!after) continue;
    const list = byPerson.get(person);
    if (list) list.push(i);
    else byPerson.set(person, [i]);
  }

  const findings: Finding[] = [];
  for (const [person, idx] of byPerson) {
    const lines = idx.map((i) => ctx.line(i));
    const amount = sumAmounts(ctx, idx);
    const lastPaid = lines.map((l) => l.paidOn).sort(compare)[lines.length - 1] ?? '';
    findings.push(
      ctx.finding({
        rule: 'paid-after-death',
        problemCode: 'A3',
        key: [person.id],
        title: '死亡后仍发放补贴',
        detail:
          `${ctx.personLabel(person.id)}已于 ${person.statusDate ?? ''} 死亡，此后仍发放补贴 ${idx.length} 笔，计 ${formatYuan(amount)}` +
          `（${describeLinesByItem(ctx, idx)}），最后一笔发放于 ${lastPaid}，应停发并追回。`,
        householdIds: [person.householdId],
        personIds: [person.id],
        accountNumbers: lines.map((l) => l.accountNumber),
        itemCodes: lines.map((l) => l.itemCode),
        amountFen: amount,
        lines: idx,
        accounts: uniqueAccounts(lines),
      }),
    );
  }
  return findings;
}

export const paidAfterDeath: AnomalyRuleDefinition = { id: 'paid-after-death', problemCodes: ['A3'], check };
