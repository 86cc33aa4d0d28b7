/**
 * A6 未及时核实更新补贴对象身份信息 — payments the roster cannot account for.
 *
 * Payment lines are stored even when they name a beneficiary, an account or
 * an item that is not on file (schema/roster.ts keeps no foreign keys on
 * them for exactly this reason). Each such line is a finding:
 * - beneficiary ID not among the persons on file;
 * - else the account (number + bank) not among the accounts on file;
 * - else the item code not in the catalogue.
 * Each line counts once, under the first of these that applies, so one
 * unknown person paid into an unknown account is one case, not two.
 *
 * The code is A6 (identity data not verified and updated), not C2: most such
 * lines turn out to be roster gaps, and category C findings go to the
 * discipline commission. The Chinese text asks for the check that tells the
 * two apart. One finding per unknown person / account / item; the amount is
 * the sum of its lines.
 */
import { maskCitizenId } from '#shared/domain/mask.ts';
import { formatYuan } from '#shared/domain/money.ts';
import { accountLabel, describeLinesByItem, sumAmounts, uniqueAccounts, type AnomalyContext, type AnomalyRuleDefinition } from './context.ts';
import type { Finding } from './types.ts';

type Missing = 'person' | 'account' | 'item';

function check(ctx: AnomalyContext): Finding[] {
  const groups = new Map<string, { kind: Missing; key: string[]; lines: number[] }>();
  for (let i = 0; i < ctx.lines.length; i++) {
    const line = ctx.line(i);
    let kind: Missing;
    let key: string[];
    if (!ctx.linePerson[i]) {
      kind = 'person';
      key = [line.beneficiaryPersonId];
    } else if (!ctx.lineAccount[i]) {
      kind = 'account';
      key = [line.accountNumber, line.bankName];
    } else if (!ctx.lineItem[i]) {
      kind = 'item';
      key = [line.itemCode];
    } else {
      continue;
    }
    const id = `${kind}\u001f${key.join('\u001f')}`;
    const group = groups.get(id);
    if (group) group.lines.push(i);
    else groups.set(id, { kind, key, lines: [i] });
  }

  const findings: Finding[] = [];
  for (const { kind, key, lines: idx } of groups.values()) {
    const lines = idx.map((i) => ctx.line(i));
    const amount = sumAmounts(ctx, idx);
    const first = lines[0];
    if (!first) continue;
    let subject: string;
    let title: string;
    if (kind === 'person') {
      title = '发放对象不在花名册';
      subject = `发放对象身份证号 ${maskCitizenId(first.beneficiaryPersonId)} 不在花名册中`;
    } else if (kind === 'account') {
      title = '收款账户不在一卡通账户台账';
      subject = `收款账户 ${accountLabel({ number: first.accountNumber, bankName: first.bankName })} 不在一卡通账户台账中`;
    } else {
      title = '补贴项目不在项目清单';
      subject = `补贴项目代码 ${first.itemCode} 不在补贴项目清单中`;
    }
    findings.push(
      ctx.finding({
        rule: 'not-on-roster',
        problemCode: 'A6',
        key: [kind, ...key],
        title,
        detail: `${subject}，涉及发放 ${idx.length} 笔，计 ${formatYuan(amount)}（${describeLinesByItem(ctx, idx)}）。需核实是花名册未及时更新，还是冒用身份或账户虚报冒领。`,
        householdIds: lines.map((l) => l.householdId),
        personIds: lines.map((l) => l.beneficiaryPersonId),
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

export const notOnRoster: AnomalyRuleDefinition = { id: 'not-on-roster', problemCodes: ['A6'], check };
