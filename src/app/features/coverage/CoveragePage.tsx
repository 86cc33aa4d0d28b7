import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import type { CoverageNode, CoverageReport } from '#shared/schemas/coverage.ts';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { TopBar } from '../../components/TopBar.tsx';
import { coverageText as c } from '../../i18n/coverage.zh-CN.ts';
import { getCoverage } from './coverage-api.ts';
import './coverage.css';

const href = (code: string) => `/coverage/${code}`;
/** The three exports of an area, each as .xlsx and .csv. */
const EXPORT_PATHS = { forms: '/api/exports/forms', items: '/api/exports/form-items', coverage: '/api/exports/coverage' } as const;

function Count({ label, covered, total }: { label: string; covered: number; total: number }) {
  return (
    <div className="coverage-bar">
      <div className="coverage-line">
        <span>{label}</span>
        <span className="coverage-count">{c.count(covered, total)}</span>
      </div>
      <ProgressBar label={label} value={covered} max={total} valueText={c.valueText(covered, total)} />
    </div>
  );
}

/** One bar per township (or village): households visited against the roster; the name drills down. */
function ChildBars({ rows }: { rows: CoverageNode[] }) {
  return (
    <section className="card" aria-labelledby="coverage-children-title">
      <h2 id="coverage-children-title">{c.childrenTitle(rows[0]?.level ?? 'village')}</h2>
      <p className="muted">{c.childrenHint}</p>
      <ul className="cov-bars" data-testid="coverage-children">
        {rows.map((r) => {
          const share = r.households === 0 ? 0 : r.visited / r.households;
          return (
            <li key={r.code} className={r.visited === 0 ? 'cov-row cov-row-zero' : 'cov-row'}>
              <Link href={href(r.code)} className="cov-name">
                {r.name}
              </Link>
              <span className="cov-track" aria-hidden="true">
                <span className="cov-fill" style={{ width: share === 0 ? '0' : `max(3px, ${share * 100}%)` }} />
              </span>
              <span className="cov-pct">{c.pct(r.visited, r.households)}</span>
              <span className="cov-detail muted">{c.childLine(r.visited, r.households, c.pct(r.personsCovered, r.persons), c.pct(r.itemsCovered, r.items))}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Households({ report }: { report: CoverageReport }) {
  return (
    <section className="card" aria-labelledby="coverage-households-title">
      <h2 id="coverage-households-title">{c.householdsTitle}</h2>
      <p className="muted">{c.householdsHint}</p>
      <ul className="cov-households" data-testid="coverage-households">
        {report.households.map((h) => {
          const body = (
            <>
              <strong>{h.headName ?? c.headUnknown}</strong> · {c.place(h.groupName, h.houseNumber)}
              <span className={`pill cov-outcome-${h.outcome ?? 'none'}`}>{c.outcome[h.outcome ?? 'none']}</span>
              <span className="muted cov-hh-meta">
                {c.personsItems(h.personsCovered, h.persons, h.itemsCovered, h.items)}
                {h.authorName ? ` · ${c.by(h.authorName)}` : ''}
              </span>
            </>
          );
          return (
            <li key={h.householdId} className="cov-household">
              {h.formId ? (
                <Link href={`/review/${h.formId}`} className="cov-hh-link">
                  {body}
                </Link>
              ) : (
                <span className="cov-hh-link">{body}</span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Supervisors: coverage of their area, level by level down to a village's households. */
export default function CoveragePage({ area }: { area?: string | undefined }) {
  const [report, setReport] = useState<CoverageReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // A new area is a new page (App keys it by the area), so nothing to reset here.
    let live = true;
    getCoverage(area)
      .then((r) => live && setReport(r))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [area]);

  const a = report?.area;
  return (
    <>
      <TopBar title={c.title} back={{ href: '/', label: c.back }} />
      <main className="page">
        <h1>{a ? `${c.title} · ${a.name}` : c.title}</h1>
        {report && report.path.length > 1 && (
          <nav aria-label={c.pathLabel} className="cov-path">
            <ol>
              {report.path.map((p, i) => (
                <li key={p.code}>{i === report.path.length - 1 ? <span aria-current="page">{p.name}</span> : <Link href={href(p.code)}>{p.name}</Link>}</li>
              ))}
            </ol>
          </nav>
        )}
        {error && (
          <p className="form-error" role="alert">
            {c.loadFailed(error)}
          </p>
        )}
        {!report && !error && <p className="muted">{c.loading}</p>}
        {report && a && (
          <>
            <section className="card" aria-labelledby="coverage-summary-title" data-testid="coverage-summary">
              <h2 id="coverage-summary-title">{c.summary}</h2>
              {a.level !== 'village' && <Count label={c.villages} covered={a.villagesStarted} total={a.villages} />}
              <Count label={c.households} covered={a.visited} total={a.households} />
              {a.notFound + a.refused > 0 && <p className="muted">{c.apart(a.notFound, a.refused)}</p>}
              <Count label={c.persons} covered={a.personsCovered} total={a.persons} />
              <Count label={c.items} covered={a.itemsCovered} total={a.items} />
              {(['forms', 'items', 'coverage'] as const).map((what) => (
                <p className="cov-exports" key={what}>
                  <span>{c.exportWhat[what]}</span>
                  <a className="btn" href={`${EXPORT_PATHS[what]}.xlsx?area=${a.code}`} download aria-label={c.exportLabel(what, 'Excel')}>
                    {c.exportXlsx}
                  </a>
                  <a className="btn" href={`${EXPORT_PATHS[what]}.csv?area=${a.code}`} download aria-label={c.exportLabel(what, 'CSV')}>
                    {c.exportCsv}
                  </a>
                </p>
              ))}
            </section>
            {report.children.length > 0 && <ChildBars rows={report.children} />}
            {a.level === 'village' ? (
              <Households report={report} />
            ) : (
              <section className="card" aria-labelledby="coverage-zero-title">
                <h2 id="coverage-zero-title">{c.zeroTitle(report.villagesAtZeroTotal)}</h2>
                {report.villagesAtZeroTotal === 0 ? (
                  <p className="muted">{c.noZero}</p>
                ) : (
                  <details className="cov-zero-list">
                    <summary>{c.zeroShow}</summary>
                    <ul className="cov-zero" data-testid="coverage-zero">
                      {report.villagesAtZero.map((v) => (
                        <li key={v.code}>
                          <Link href={href(v.code)}>{c.zeroLine(v.name, v.households)}</Link>
                        </li>
                      ))}
                    </ul>
                    {report.villagesAtZeroTotal > report.villagesAtZero.length && <p className="muted">{c.zeroMore(report.villagesAtZero.length, report.villagesAtZeroTotal)}</p>}
                  </details>
                )}
              </section>
            )}
          </>
        )}
      </main>
    </>
  );
}
