/**
 * A4 该直发而进行"二次分配" — paid to another member's account.
 *
 * The one-card rule (domain.md §3): household items go to the head's card,
 * personal items to the beneficiary's own card. A line breaks it when the
 * account it was paid into (number + bank, on file) is held by someone else
 * of the same household:
 * - household item: the holder is not the household's head;
 * - personal item: the holder is not the beneficiary, and the beneficiary
 *   was 18 or older on the day paid (a minor's allowance legitimately goes
 *   to a guardian's card).
 *
 * A holder from another household is not this rule's case but
 * `account-for-other-households` (C2/C3); an account or person not on file
 * is `not-on-roster`'s. One finding per household; the amount is the sum of
 * the misrouted lines.
 */
import { formatYuan } from '#shared/domain/money.ts';
import { accountLabel, describeLinesByItem, isAdultOn, sumAmounts, uniqueAccounts, type AnomalyContext, type AnomalyRuleDefinition } from './context.ts';
import type { Finding } from './types.ts';

function check(ctx: AnomalyContext): Finding[] {
  const byHousehold = new Map<string, number[]>();
  for (let i = 0; i < ctx.lines.length; i++) {
    const item = ctx.lineItem[i];
    const account = ctx.lineAccount[i];
    if (!item || !account) continue;
    const line = ctx.line(i);
    const householdId = ctx.householdOfLine(i);
    let expected: string | undefined;
    if (item.unit === 'household') {
      expected = ctx.households.get(line.householdId)?.headPersonId;
    } else {
      const beneficiary = ctx.linePerson[i];
      if (!beneficiary || !isAdultOn(beneficiary, line.paidOn)) continue;
      expected = beneficiary.id;
    }
    if (expected === undefined || account.holderPersonId === expected) continue;
    const holder = ctx.persons.get(account.holderPersonId);
    if (holder?.householdId !== householdId) continue;
    const list = byHousehold.get(householdId);
    if (list) list.push(i);
    else byHousehold.set(householdId, [i]);
  }

  const findings: Finding[] = [];
  for (const [householdId, idx] of byHousehold) {
    const lines = idx.map((i) => ctx.line(i));
    const accounts = uniqueAccounts(lines);
    const holders = accounts.map((a) => ctx.findAccount(a.number, a.bankName)?.holderPersonId ?? '');
    const amount = sumAmounts(ctx, idx);
    const into = accounts.map((a, k) => `${ctx.personLabel(holders[k] ?? '')}的账户 ${accountLabel(a)}`).join('、');
    findings.push(
      ctx.finding({
        rule: 'paid-to-other-member',
        problemCode: 'A4',
        key: [householdId],
        title: '补贴未直发到户主或本人一卡通',
        detail:
          `${ctx.householdLabel(householdId)}：${describeLinesByItem(ctx, idx)} 未发到应收人（户项目为户主，个人项目为本人）的一卡通，` +
          `而是发到 ${into}，共 ${idx.length} 笔，计 ${formatYuan(amount)}。`,
        householdIds: [householdId],
        personIds: [...lines.map((l) => l.beneficiaryPersonId), ...holders.filter((h) => h !== '')],
        accountNumbers: accounts.map((a) => a.number),
        itemCodes: lines.map((l) => l.itemCode),
        amountFen: amount,
        lines: idx,
        accounts,
      }),
    );
  }
  return findings;
}

export const paidToOtherMember: AnomalyRuleDefinition = { id: 'paid-to-other-member', problemCodes: ['A4'], check };
