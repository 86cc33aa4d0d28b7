import { useEffect, useState } from 'react';
import { chinaMonth } from '#shared/domain/china-month.ts';
import { formatYuan } from '#shared/domain/money.ts';
import type { MonthlyReport, MonthlyRow } from '#shared/schemas/report.ts';
import { TopBar } from '../../components/TopBar.tsx';
import { reportText as r } from '../../i18n/report.zh-CN.ts';
import { getMonthly, monthlyXlsxHref } from './report-api.ts';
import './report.css';

/** This month in China: the newest a report may be for. */
const thisMonth = (): string => chinaMonth();

function Row({ row, total = false }: { row: MonthlyRow; total?: boolean }) {
  const Cell = total ? 'th' : 'td';
  const c = r.cols;
  return (
    <tr className={total ? 'report-total' : undefined}>
      <th scope="row" data-label={c.name}>
        {row.name}
      </th>
      <Cell data-label={c.checkedInMonth}>{row.checkedInMonth}</Cell>
      <Cell data-label={c.checkedToDate}>{row.checkedToDate}</Cell>
      <Cell data-label={c.households}>{row.households}</Cell>
      <Cell data-label={c.foundInMonth}>{row.foundInMonth}</Cell>
      <Cell data-label={c.a}>{row.byCategory.A ?? 0}</Cell>
      <Cell data-label={c.b}>{row.byCategory.B ?? 0}</Cell>
      <Cell data-label={c.c}>{row.byCategory.C ?? 0}</Cell>
      <Cell data-label={c.amountInvolved}>{formatYuan(row.amountInvolvedFen)}</Cell>
      <Cell data-label={c.closedInMonth}>{row.closedInMonth}</Cell>
      <Cell data-label={c.amountRecovered}>{formatYuan(row.amountRecoveredFen)}</Cell>
      <Cell data-label={c.referredInMonth}>{row.referredInMonth}</Cell>
      <Cell data-label={c.openAtEnd}>{row.openAtEnd}</Cell>
      <Cell data-label={c.closedToDate}>{row.closedToDate}</Cell>
    </tr>
  );
}

/** Supervisors: the month's report for their area, to print or send as Excel. */
export default function MonthlyReportPage() {
  const [month, setMonth] = useState(thisMonth);
  const [report, setReport] = useState<MonthlyReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    getMonthly(month)
      .then((x) => live && setReport(x))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [month]);

  const pick = (m: string) => {
    if (!/^\d{4}-\d{2}$/.test(m)) return;
    setReport(null);
    setError(null);
    setMonth(m);
  };
  const codes = report ? Object.entries(report.total.byCode).sort(([a], [b]) => a.localeCompare(b)) : [];
  const c = r.cols;
  return (
    <>
      <TopBar title={r.title} back={{ href: '/', label: r.back }} />
      <main className="page report-page">
        <div className="report-controls no-print">
          <div className="field">
            <label htmlFor="report-month">{r.month}</label>
            <input id="report-month" type="month" value={month} max={thisMonth()} onChange={(e) => pick(e.target.value)} />
          </div>
          <button type="button" className="btn" onClick={() => window.print()} disabled={!report}>
            {r.print}
          </button>
          <a className="btn" href={monthlyXlsxHref(month)} download>
            {r.excel}
          </a>
        </div>
        <p className="muted no-print">{r.hint}</p>
        {error && (
          <p className="form-error" role="alert">
            {r.loadFailed(error)}
          </p>
        )}
        {!report && !error && <p className="muted">{r.loading}</p>}
        {report && (
          <article className="report" data-testid="monthly-report">
            <h1>{r.heading(report.area.name, report.month)}</h1>
            <div className="table-scroll" tabIndex={0} role="region" aria-label={r.heading(report.area.name, report.month)}>
              <table className="table report-table">
                <thead>
                  <tr>
                    {[c.name, c.checkedInMonth, c.checkedToDate, c.households, c.foundInMonth, c.a, c.b, c.c, c.amountInvolved, c.closedInMonth, c.amountRecovered, c.referredInMonth, c.openAtEnd, c.closedToDate].map((h) => (
                      <th key={h} scope="col">
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {report.rows.map((row) => (
                    <Row key={row.code} row={row} />
                  ))}
                </tbody>
                <tfoot>
                  <Row row={report.total} total />
                </tfoot>
              </table>
            </div>
            <h2>{r.byCode}</h2>
            {codes.length === 0 ? (
              <p>{r.noProblems}</p>
            ) : (
              <p className="report-codes">{codes.map(([code, n]) => r.codeLine(code, n)).join('；')}</p>
            )}
            <p className="muted">{r.generated(new Date(report.generatedAt).toLocaleString('zh-CN', { hour12: false }))}</p>
          </article>
        )}
      </main>
    </>
  );
}
