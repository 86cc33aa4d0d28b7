/**
 * One sampled household: the cadre's form and the inspector's re-check side
 * by side, field by field, classed T1 (must not differ), T2 (hard to ask),
 * T3 (stability); differences stand out, and by default only they show.
 */
import { useEffect, useState } from 'react';
import { COMPARE_CLASSES } from '#shared/domain/inspection/compare.ts';
import type { Comparison, FieldDifferenceWire } from '#shared/schemas/inspection.ts';
import { formatYuan } from '#shared/domain/money.ts';
import { TopBar } from '../../components/TopBar.tsx';
import { inspectionText as x } from '../../i18n/inspection.zh-CN.ts';
import { getComparison } from './inspection-api.ts';
import './inspection.css';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function shown(f: FieldDifferenceWire, v: FieldDifferenceWire['cadre']): string {
  if (v === null) return x.none;
  if (f.field === 'item.amountReceived' && typeof v === 'number') return formatYuan(v);
  if (f.field === 'problems') return v === '' ? x.noProblems : String(v);
  return x.values[String(v)] ?? String(v);
}

export default function ComparisonPage({ householdId, back }: { householdId: string; back: string }) {
  const [c, setC] = useState<Comparison | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [onlyDiffs, setOnlyDiffs] = useState(true);
  useEffect(() => {
    let live = true;
    getComparison(householdId).then(
      (r) => live && setC(r),
      (e: unknown) => live && setError(x.failed(message(e))),
    );
    return () => {
      live = false;
    };
  }, [householdId]);
  const fields = (c?.fields ?? []).filter((f) => !onlyDiffs || f.differs).sort((a, b) => a.cls.localeCompare(b.cls));
  return (
    <>
      <TopBar title={x.comparisonTitle} back={{ href: back, label: x.backToRound }} />
      <main className="page page-wide">
        <h1>{x.comparisonTitle}</h1>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {!c && !error && <p className="muted">{x.loading}</p>}
        {c && (
          <>
            <p>{x.comparisonOf(c.headName ?? c.householdId)}</p>
            <div className="inspection-sides">
              <p className="card">{`${x.cadreForm}：${c.cadre.author ?? ''} ${c.cadre.visitedAt?.slice(0, 16).replace('T', ' ') ?? ''}`}</p>
              <p className="card">{`${x.inspectionForm}：${c.inspection.author ?? ''} ${c.inspection.visitedAt?.slice(0, 16).replace('T', ' ') ?? ''}`}</p>
            </div>
            <ul className="inspection-classes" data-testid="comparison-classes">
              {COMPARE_CLASSES.map((cls) => (
                <li key={cls} className={cls === 'T1' && c.byClass.T1.differing > 0 ? 'inspection-flag' : undefined}>
                  <strong>{x.classNames[cls]}</strong>
                  {x.byClass(c.byClass[cls].differing, c.byClass[cls].compared)}
                </li>
              ))}
            </ul>
            <label className="ledger-check">
              <input type="checkbox" checked={onlyDiffs} onChange={(e) => setOnlyDiffs(e.target.checked)} /> {x.onlyDiffs}
            </label>
            <div className="table-scroll">
              <table className="table table-cards" data-testid="comparison-fields">
                <thead>
                  <tr>
                    <th>{x.field}</th>
                    <th>{x.about}</th>
                    <th>{x.cadreValue}</th>
                    <th>{x.inspectorValue}</th>
                  </tr>
                </thead>
                <tbody>
                  {fields.map((f) => (
                    <tr key={`${f.field}|${f.about}`} className={f.differs ? (f.cls === 'T1' ? 'inspection-flag' : 'inspection-diff') : undefined}>
                      <td data-label={x.field}>
                        <span className="tag">{f.cls}</span> {x.fields[f.field]}
                      </td>
                      <td data-label={x.about}>{f.aboutLabel || x.none}</td>
                      <td data-label={x.cadreValue}>{shown(f, f.cadre)}</td>
                      <td data-label={x.inspectorValue}>{shown(f, f.inspector)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </main>
    </>
  );
}
