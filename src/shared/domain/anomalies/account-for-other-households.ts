/**
 * C2 用无关人员身份证件办理"一卡通"，虚报冒领 / C3 贪污侵占、截留挪用 —
 * one account receiving for people of other households.
 *
 * A line is foreign to the account it was paid into when the money belongs
 * to another household than the account holder's (the line's household for
 * household items, the beneficiary's household for personal items). Members
 * of one household count as related; the roster knows no other kinship, so
 * a relative living in a separate household is flagged too and cleared on
 * review. Threshold: at least one foreign line. Accounts or holders not on
 * file cannot be judged and are left to `not-on-roster`.
 *
 * Code: C2 when the foreign lines belong to fewer than
 * `collectorMinHouseholds` (default 3) other households — someone's ID used
 * to draw money into another's card; C3 from that many on — one card
 * collecting several families' subsidies is the pattern of a cadre
 * withholding them (截留). The id does not depend on the code, so a case that
 * grows from C2 to C3 stays one ledger item.
 *
 * One finding per account (number + bank); the amount is the sum of the
 * foreign lines, which are the evidence.
 */
import { formatYuan } from '#shared/domain/money.ts';
import { accountLabel, sortedUnique, sumAmounts, type AnomalyContext, type AnomalyRuleDefinition } from './context.ts';
import type { Finding } from './types.ts';

function check(ctx: AnomalyContext): Finding[] {
  const findings: Finding[] = [];
  for (const [account, idx] of ctx.linesByAccount()) {
    const holder = ctx.persons.get(account.holderPersonId);
    if (!holder) continue;
    const foreign = idx.filter((i) => ctx.householdOfLine(i) !== holder.householdId);
    if (foreign.length === 0) continue;

    const households = new Map<string, Set<string>>();
    for (const i of foreign) {
      const h = ctx.householdOfLine(i);
      let people = households.get(h);
      if (!people) households.set(h, (people = new Set()));
      people.add(ctx.line(i).beneficiaryPersonId);
    }
    const collector = households.size >= ctx.options.collectorMinHouseholds;
    const amount = sumAmounts(ctx, foreign);
    const people = sortedUnique([...households.values()].flatMap((s) => [...s]));
    const whom = people
      .slice(0, 5)
      .map((p) => ctx.personLabel(p))
      .join('、');
    findings.push(
      ctx.finding({
        rule: 'account-for-other-households',
        problemCode: collector ? 'C3' : 'C2',
        key: [account.number, account.bankName],
        title: collector ? '一个账户归集多户补贴（疑似截留挪用）' : '他户人员补贴发入本人账户（疑似冒领）',
        detail:
          `账户 ${accountLabel(account)}（持有人 ${ctx.personLabel(holder.id)}，户 ${holder.householdId}）收到其他 ${households.size} 户 ${people.length} 人` +
          `（${whom}${people.length > 5 ? ' 等' : ''}）的补贴 ${foreign.length} 笔，计 ${formatYuan(amount)}。需核实资金是否到达本人手中。`,
        householdIds: [holder.householdId, ...households.keys()],
        personIds: [holder.id, ...people],
        accountNumbers: [account.number],
        itemCodes: foreign.map((i) => ctx.line(i).itemCode),
        amountFen: amount,
        lines: foreign,
        accounts: [{ number: account.number, bankName: account.bankName }],
        villageCodes: account.villageCode ? [account.villageCode] : [],
      }),
    );
  }
  return findings;
}

export const accountForOtherHouseholds: AnomalyRuleDefinition = { id: 'account-for-other-households', problemCodes: ['C2', 'C3'], check };
