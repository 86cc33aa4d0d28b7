/**
 * B2 代理银行过多过滥，未按要求选定 — several agent banks in one township.
 *
 * The rule is one agent bank (代发银行) per township (domain.md §3). Lines
 * are grouped by the township of the beneficiary's village (the first 9
 * digits of the village code) and by the bank that paid them (the line's
 * bank column, so accounts missing from the roster count too). Threshold:
 * two or more banks paid at least one line in the township.
 *
 * The bank with the most lines is taken as the township's agent bank (ties:
 * more accounts, then the name, so the choice is stable); every other bank
 * is an extra one. One finding per township. The amount is what the extra
 * banks paid; the accounts are every account at an extra bank; the evidence
 * lines are one line per such account (the smallest id, which proves the
 * account carried subsidies) rather than all of them, which for a whole
 * branch would be tens of thousands of ids.
 */
import { formatYuan } from '#shared/domain/money.ts';
import { accountLabel, compare, compareAccounts, type AnomalyContext, type AnomalyRuleDefinition } from './context.ts';
import type { Finding } from './types.ts';

interface BankUse {
  bankName: string;
  lines: number;
  amountFen: number;
  /** Account number → index of its line with the smallest id. */
  accounts: Map<string, number>;
  villages: Set<string>;
}

function check(ctx: AnomalyContext): Finding[] {
  const townships = new Map<string, Map<string, BankUse>>();
  const townshipOf = new Map<string, string>();
  for (let i = 0; i < ctx.lines.length; i++) {
    const village = ctx.villageOfLine(i);
    if (!village || village.length !== 12) continue;
    let township = townshipOf.get(village);
    if (township === undefined) townshipOf.set(village, (township = `${village.slice(0, 9)}000`));
    const line = ctx.line(i);
    let banks = townships.get(township);
    if (!banks) townships.set(township, (banks = new Map<string, BankUse>()));
    let use = banks.get(line.bankName);
    if (!use) banks.set(line.bankName, (use = { bankName: line.bankName, lines: 0, amountFen: 0, accounts: new Map(), villages: new Set() }));
    use.lines++;
    use.amountFen += line.amountFen;
    use.villages.add(village);
    const seen = use.accounts.get(line.accountNumber);
    if (seen === undefined || line.id < ctx.line(seen).id) use.accounts.set(line.accountNumber, i);
  }

  const findings: Finding[] = [];
  for (const [township, banks] of townships) {
    if (banks.size < 2) continue;
    const ranked = [...banks.values()].sort((a, b) => b.lines - a.lines || b.accounts.size - a.accounts.size || compare(a.bankName, b.bankName));
    const [main, ...extra] = ranked;
    if (!main) continue;
    const accounts = extra.flatMap((u) => [...u.accounts.keys()].map((number) => ({ number, bankName: u.bankName }))).sort(compareAccounts);
    const amount = extra.reduce((sum, u) => sum + u.amountFen, 0);
    const extraText = extra.map((u) => `${u.bankName} ${u.lines}笔、${u.accounts.size}个账户、${formatYuan(u.amountFen)}`).join('；');
    const examples = accounts.slice(0, 3).map(accountLabel).join('、');
    findings.push(
      ctx.finding({
        rule: 'several-agent-banks',
        problemCode: 'B2',
        key: [township],
        title: '一个乡镇多家代发银行',
        detail:
          `${ctx.regionName(township)}的补贴经 ${banks.size} 家银行代发（应为一家）：${main.bankName} ${main.lines}笔（主要代发银行）；${extraText}。` +
          `涉及账户如 ${examples}${accounts.length > 3 ? ' 等' : ''}。`,
        householdIds: [],
        personIds: [],
        accountNumbers: accounts.map((a) => a.number),
        itemCodes: [],
        amountFen: amount,
        lines: extra.flatMap((u) => [...u.accounts.values()]),
        accounts,
        villageCodes: extra.flatMap((u) => [...u.villages]),
      }),
    );
  }
  return findings;
}

export const severalAgentBanks: AnomalyRuleDefinition = { id: 'several-agent-banks', problemCodes: ['B2'], check };
