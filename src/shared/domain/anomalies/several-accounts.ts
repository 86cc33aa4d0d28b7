/**
 * B1 多部门办理"一卡通"，群众"一人多卡" — one person, several accounts.
 *
 * Threshold: a person holds two or more accounts on file that each received
 * at least one payment line in the scanned data. Old accounts that no
 * subsidy flows into are not a one-card problem and are ignored; which
 * departments paid into which account is listed in the text, since the
 * usual cause is each department opening its own card.
 *
 * One finding per holder. The amount is the total paid into the holder's
 * accounts (the money that flowed through more than one card); evidence is
 * every line into them.
 */
import { formatYuan } from '#shared/domain/money.ts';
import { accountLabel, compare, compareAccounts, sumAmounts, type AnomalyContext, type AnomalyRuleDefinition } from './context.ts';
import type { Finding } from './types.ts';

function check(ctx: AnomalyContext): Finding[] {
  const byAccount = ctx.linesByAccount();
  const findings: Finding[] = [];
  for (const [holderId, held] of ctx.accountsByHolder) {
    if (held.length < 2) continue;
    const receiving = held.filter((a) => byAccount.has(a)).sort(compareAccounts);
    if (receiving.length < 2) continue;
    const lines = receiving.flatMap((a) => byAccount.get(a) ?? []);
    const amount = sumAmounts(ctx, lines);
    const perAccount = receiving
      .map((a) => {
        const idx = byAccount.get(a) ?? [];
        const departments = [...new Set(idx.map((i) => ctx.lineItem[i]?.department ?? '未知部门'))].sort(compare);
        return `${accountLabel(a)}（${departments.join('、')}，${idx.length}笔）`;
      })
      .join('；');
    const holder = ctx.persons.get(holderId);
    findings.push(
      ctx.finding({
        rule: 'several-accounts',
        problemCode: 'B1',
        key: [holderId],
        title: '一人多卡',
        detail: `${ctx.personLabel(holderId)}名下有 ${receiving.length} 个账户在发放补贴：${perAccount}。共 ${lines.length} 笔，计 ${formatYuan(amount)}，应归并到一张一卡通。`,
        householdIds: holder ? [holder.householdId] : [],
        personIds: [holderId],
        accountNumbers: receiving.map((a) => a.number),
        itemCodes: lines.map((i) => ctx.line(i).itemCode),
        amountFen: amount,
        lines,
        accounts: receiving.map((a) => ({ number: a.number, bankName: a.bankName })),
        villageCodes: receiving.flatMap((a) => (a.villageCode ? [a.villageCode] : [])),
      }),
    );
  }
  return findings;
}

export const severalAccounts: AnomalyRuleDefinition = { id: 'several-accounts', problemCodes: ['B1'], check };
