/**
 * C1 申报审核及办卡过程中优亲厚友 — cadres' relatives on means-tested aid.
 *
 * A household is a cadre-relative household when any person of it on file
 * is marked `isCadreRelative` (the form asks it per household: 是否有干部
 * 亲属). Threshold: such a household received at least one line of a
 * means-tested item (`meansTested`: 低保, 特困, 临时救助, 困难残疾人生活
 * 补贴, 危房改造 ...), whether a household item or a member's personal item.
 *
 * Receiving is not wrong in itself — cadres' relatives may qualify, but
 * must be declared and reviewed (备案) — so the finding asks for that check.
 * One finding per household; the amount is the sum of its means-tested lines.
 */
import { formatYuan } from '#shared/domain/money.ts';
import { compare, describeLinesByItem, sumAmounts, uniqueAccounts, type AnomalyContext, type AnomalyRuleDefinition } from './context.ts';
import type { AnomalyPerson, Finding } from './types.ts';

function check(ctx: AnomalyContext): Finding[] {
  const relatives = new Map<string, AnomalyPerson[]>();
  for (const p of ctx.persons.values()) {
    if (p.isCadreRelative !== true) continue;
    const list = relatives.get(p.householdId);
    if (list) list.push(p);
    else relatives.set(p.householdId, [p]);
  }
  if (relatives.size === 0) return [];

  const byHousehold = new Map<string, number[]>();
  for (let i = 0; i < ctx.lines.length; i++) {
    if (ctx.lineItem[i]?.meansTested !== true) continue;
    const householdId = ctx.householdOfLine(i);
    if (!relatives.has(householdId)) continue;
    const list = byHousehold.get(householdId);
    if (list) list.push(i);
    else byHousehold.set(householdId, [i]);
  }

  const findings: Finding[] = [];
  for (const [householdId, idx] of byHousehold) {
    const lines = idx.map((i) => ctx.line(i));
    const cadreRelatives = [...(relatives.get(householdId) ?? [])].sort((a, b) => compare(a.id, b.id));
    const amount = sumAmounts(ctx, idx);
    findings.push(
      ctx.finding({
        rule: 'cadre-relative-means-tested',
        problemCode: 'C1',
        key: [householdId],
        title: '干部亲属享受低保等救助',
        detail:
          `${ctx.householdLabel(householdId)}有干部亲属（${cadreRelatives.map((p) => ctx.personLabel(p.id)).join('、')}），` +
          `享受 ${describeLinesByItem(ctx, idx)}，共 ${idx.length} 笔，计 ${formatYuan(amount)}。需核实是否如实申报备案、是否符合条件。`,
        householdIds: [householdId],
        personIds: [...cadreRelatives.map((p) => p.id), ...lines.map((l) => l.beneficiaryPersonId)],
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

export const cadreRelativeMeansTested: AnomalyRuleDefinition = { id: 'cadre-relative-means-tested', problemCodes: ['C1'], check };
