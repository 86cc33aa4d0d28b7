/**
 * The monthly report (月报, issue 15, item 3): per township of the area,
 * households checked, problems found by category and code with the amount
 * involved, items closed with the money recovered, referrals, and where the
 * ledger stands at the month's end. Months are China's calendar months.
 */
import { chinaMonth } from '#shared/domain/china-month.ts';
import { requestedArea } from '#server/auth/area-scope.ts';
import type { MonthlyReport, MonthlyRow } from '#shared/schemas/report.ts';
import type { Db } from '#server/db/client.ts';
import { regionNames } from '#server/db/regions-repository.ts';
import { foundCounts, formCounts, householdTotals, ledgerProgress, type MonthRange } from '#server/db/report-repository.ts';
import { apiText } from '#server/messages/api.zh-CN.ts';
import { HttpError } from '#server/plugins/errors.ts';

const t = apiText.reports;

/** This month in China (YYYY-MM). */
export const currentMonth = (): string => chinaMonth();

export function monthRange(month: string): MonthRange {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${month}-01T00:00:00+08:00`, to: `${next}-01T00:00:00+08:00`, fromDate: `${month}-01`, toDate: `${next}-01` };
}

const emptyRow = (code: string, name: string): MonthlyRow => ({
  code,
  name,
  checkedInMonth: 0,
  checkedToDate: 0,
  households: 0,
  foundInMonth: 0,
  byCategory: {},
  byCode: {},
  amountInvolvedFen: 0,
  closedInMonth: 0,
  amountRecoveredFen: 0,
  referredInMonth: 0,
  openAtEnd: 0,
  closedToDate: 0,
});

const add = (into: Record<string, number>, key: string, n: number) => {
  into[key] = (into[key] ?? 0) + n;
};

export async function monthlyReport(db: Db, userPrefix: string, month: string, areaCode?: string): Promise<MonthlyReport> {
  if (month > currentMonth()) throw new HttpError(400, 'future_month', t.futureMonth, [{ path: 'query.month', message: t.futureMonth }]);
  return { month, ...(await townshipReport(db, userPrefix, monthRange(month), areaCode)), generatedAt: new Date().toISOString() };
}

/** Per township of the area (and its total): what the range added, and where things stood at its end. */
export async function townshipReport(db: Db, userPrefix: string, range: MonthRange, areaCode?: string): Promise<Pick<MonthlyReport, 'area' | 'rows' | 'total'>> {
  const code = areaCode ?? userPrefix.padEnd(12, '0');
  const prefix = requestedArea(userPrefix, code);
  const [forms, totals, found, progress] = [await formCounts(db, prefix, range), await householdTotals(db, prefix), await foundCounts(db, prefix, range), await ledgerProgress(db, prefix, range)];

  const rows = new Map<string, MonthlyRow>();
  const row = (c: string) => {
    let r = rows.get(c);
    if (!r) {
      r = emptyRow(c, c);
      rows.set(c, r);
    }
    return r;
  };
  for (const f of forms) Object.assign(row(f.code), { checkedInMonth: f.checkedInMonth, checkedToDate: f.checkedToDate });
  for (const h of totals) row(h.code).households = h.households;
  for (const f of found) {
    const r = row(f.code);
    r.foundInMonth += f.n;
    add(r.byCategory, f.category, f.n);
    add(r.byCode, f.problemCode, f.n);
    r.amountInvolvedFen += f.amountFen;
  }
  for (const p of progress) Object.assign(row(p.code), { closedInMonth: p.closedInMonth, amountRecoveredFen: p.amountRecoveredFen, referredInMonth: p.referredInMonth, openAtEnd: p.openAtEnd, closedToDate: p.closedToDate });

  const names = await regionNames(db, [code, ...rows.keys()]);
  const list = [...rows.values()].map((r) => ({ ...r, name: names.get(r.code) ?? r.code })).sort((a, b) => a.code.localeCompare(b.code));
  const total = emptyRow(code, t.total);
  for (const r of list) {
    for (const k of ['checkedInMonth', 'checkedToDate', 'households', 'foundInMonth', 'amountInvolvedFen', 'closedInMonth', 'amountRecoveredFen', 'referredInMonth', 'openAtEnd', 'closedToDate'] as const) total[k] += r[k];
    for (const [k, n] of Object.entries(r.byCategory)) add(total.byCategory, k, n);
    for (const [k, n] of Object.entries(r.byCode)) add(total.byCode, k, n);
  }
  return { area: { code, name: names.get(code) ?? code }, rows: list, total };
}
