import { useEffect, useState } from 'react';
import { chinaMonth } from '#shared/domain/china-month.ts';
import { formatYuan } from '#shared/domain/money.ts';
import { percent, stageFigures, stageTitle } from '#shared/domain/stage-summary.ts';
import type { MonthlyReport, MonthlyRow, Stage, StageReport } from '#shared/schemas/report.ts';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { TopBar } from '../../components/TopBar.tsx';
import { reportText as r } from '../../i18n/report.zh-CN.ts';
import { getMonthly, getStage, monthlyXlsxHref, stageXlsxHref } from './report-api.ts';
import './report.css';

/** This month in China: the newest a report may be for. */
const thisMonth = (): string => chinaMonth();
const thisYear = (): number => Number(chinaMonth().slice(0, 4));

type Kind = 'month' | Stage;
type Cols = typeof r.cols;
const COLUMN_ORDER = ['name', 'checkedInMonth', 'checkedToDate', 'households', 'foundInMonth', 'a', 'b', 'c', 'amountInvolved', 'closedInMonth', 'amountRecovered', 'referredInMonth', 'openAtEnd', 'closedToDate'] as const;

function Row({ row, cols: c, total = false }: { row: MonthlyRow; cols: Cols; total?: boolean }) {
  const Cell = total ? 'th' : 'td';
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

/** The per-township table of either report, with its total. */
function TownshipTable({ report, cols, label }: { report: Pick<MonthlyReport, 'rows' | 'total'>; cols: Cols; label: string }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={label}>
      <table className="table report-table">
        <thead>
          <tr>
            {COLUMN_ORDER.map((k) => (
              <th key={k} scope="col">
                {cols[k]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.rows.map((row) => (
            <Row key={row.code} row={row} cols={cols} />
          ))}
        </tbody>
        <tfoot>
          <Row row={report.total} cols={cols} total />
        </tfoot>
      </table>
    </div>
  );
}

function CodeLine({ byCode, none }: { byCode: Record<string, number>; none: string }) {
  const codes = Object.entries(byCode).sort(([a], [b]) => a.localeCompare(b));
  return codes.length === 0 ? <p>{none}</p> : <p className="report-codes">{codes.map(([code, n]) => r.codeLine(code, n)).join('；')}</p>;
}

function Monthly({ report }: { report: MonthlyReport }) {
  const heading = r.heading(report.area.name, report.month);
  return (
    <article className="report" data-testid="monthly-report">
      <h1>{heading}</h1>
      <TownshipTable report={report} cols={r.cols} label={heading} />
      <h2>{r.byCode}</h2>
      <CodeLine byCode={report.total.byCode} none={r.noProblems} />
      <p className="muted">{r.generated(new Date(report.generatedAt).toLocaleString('zh-CN', { hour12: false }))}</p>
    </article>
  );
}

function StageSummary({ report }: { report: StageReport }) {
  const x = report.total;
  const heading = stageTitle(report.area.name, report.year, report.stage);
  const figures = stageFigures(report).map((f) => [f.label, f.money === true && typeof f.value === 'number' ? formatYuan(f.value) : String(f.value)] as const);
  return (
    <article className="report" data-testid="stage-report">
      <h1>{heading}</h1>
      <section aria-labelledby="stage-figures-title">
        <h2 id="stage-figures-title">{r.keyFigures}</h2>
        <dl className="report-figures" data-testid="stage-figures">
          {figures.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      {report.rows.length > 0 && (
        <section aria-labelledby="stage-chart-title" className="report-chart">
          <h2 id="stage-chart-title">{r.coverageChart}</h2>
          <ul className="report-bars">
            {report.rows.map((row) => (
              <li key={row.code}>
                <span className="report-bar-name">{row.name}</span>
                <ProgressBar label={r.coverageBar(row.name)} value={row.checkedToDate} max={row.households} valueText={r.coverageValue(row.checkedToDate, row.households)} />
                <span className="report-bar-value">{percent(row.checkedToDate, row.households)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <h2>{r.townships}</h2>
      <TownshipTable report={report} cols={r.stageCols} label={r.townships} />
      <h2>{r.stageByCode}</h2>
      <CodeLine byCode={x.byCode} none={r.noProblemsInPeriod} />
      <p className="muted">{r.generated(new Date(report.generatedAt).toLocaleString('zh-CN', { hour12: false }))}</p>
    </article>
  );
}

/** Supervisors: the month's report or a stage summary for their area, to print or send as Excel. */
export default function MonthlyReportPage() {
  const [kind, setKind] = useState<Kind>('month');
  const [month, setMonth] = useState(thisMonth);
  const [year, setYear] = useState(thisYear);
  const [report, setReport] = useState<{ kind: 'month'; data: MonthlyReport } | { kind: 'stage'; data: StageReport } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const run = { live: true };
    const load =
      kind === 'month' ? getMonthly(month).then((data) => ({ kind: 'month' as const, data })) : getStage(year, kind).then((data) => ({ kind: 'stage' as const, data }));
    load
      .then((x) => {
        if (run.live) setReport(x);
      })
      .catch((e: unknown) => {
        if (run.live) setError(e instanceof Error ? e.message : String(e));
      });
    return () => {
      run.live = false;
    };
  }, [kind, month, year]);

  const reset = () => {
    setReport(null);
    setError(null);
  };
  const pickMonth = (m: string) => {
    if (!/^\d{4}-\d{2}$/.test(m)) return;
    reset();
    setMonth(m);
  };
  const years = Array.from({ length: thisYear() - 2021 }, (_, k) => thisYear() - k);
  return (
    <>
      <TopBar title={r.title} back={{ href: '/', label: r.back }} />
      <main className="page report-page">
        <div className="report-controls no-print">
          <div className="field">
            <label htmlFor="report-kind">{r.kind}</label>
            <select
              id="report-kind"
              value={kind}
              onChange={(e) => {
                reset();
                setKind(e.target.value as Kind);
              }}
            >
              {(['month', '1', '2'] as const).map((k) => (
                <option key={k} value={k}>
                  {r.kinds[k]}
                </option>
              ))}
            </select>
          </div>
          {kind === 'month' ? (
            <div className="field">
              <label htmlFor="report-month">{r.month}</label>
              <input id="report-month" type="month" value={month} max={thisMonth()} onChange={(e) => pickMonth(e.target.value)} />
            </div>
          ) : (
            <div className="field">
              <label htmlFor="report-year">{r.year}</label>
              <select
                id="report-year"
                value={year}
                onChange={(e) => {
                  reset();
                  setYear(Number(e.target.value));
                }}
              >
                {years.map((y) => (
                  <option key={y} value={y}>
                    {y}
                  </option>
                ))}
              </select>
            </div>
          )}
          <button type="button" className="btn" onClick={() => window.print()} disabled={!report}>
            {r.print}
          </button>
          <a className="btn" href={kind === 'month' ? monthlyXlsxHref(month) : stageXlsxHref(year, kind)} download>
            {r.excel}
          </a>
        </div>
        <p className="muted no-print">{kind === 'month' ? r.hint : r.stageHint}</p>
        {error && (
          <p className="form-error" role="alert">
            {r.loadFailed(error)}
          </p>
        )}
        {!report && !error && <p className="muted">{r.loading}</p>}
        {report?.kind === 'month' && <Monthly report={report.data} />}
        {report?.kind === 'stage' && <StageSummary report={report.data} />}
      </main>
    </>
  );
}
