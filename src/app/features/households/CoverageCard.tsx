import { coveragePercent, type Coverage, type CoverageCount } from '#shared/domain/coverage.ts';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import type { HouseholdSummary } from '../../db/roster-store.ts';
import { householdsText as h } from '../../i18n/households.zh-CN.ts';
import { formHref } from './HouseholdRow.tsx';
import { Link } from 'wouter';

function Bar({ label, count }: { label: string; count: CoverageCount }) {
  const pct = coveragePercent(count);
  return (
    <div className="coverage-bar">
      <div className="coverage-line">
        <span>{label}</span>
        <span className="coverage-count">{h.coverage.count(count.covered, count.total)}</span>
      </div>
      <ProgressBar label={label} value={count.covered} max={count.total} valueText={h.coverage.valueText(count.covered, count.total, pct)} />
    </div>
  );
}

/** 户不漏人、人不漏项 for the village on screen (src/shared/domain/coverage.ts). */
export function CoverageCard({ title, coverage, households }: { title: string; coverage: Coverage | null; households: ReadonlyMap<string, HouseholdSummary> }) {
  return (
    <section className="card" aria-labelledby="coverage-title">
      <h2 id="coverage-title">{title}</h2>
      {coverage === null ? (
        <p className="muted">{h.coverage.loading}</p>
      ) : (
        <>
          <Bar label={h.coverage.households} count={coverage.households} />
          <Bar label={h.coverage.persons} count={coverage.persons} />
          <Bar label={h.coverage.items} count={coverage.items} />
          {coverage.gaps.length > 0 && (
            <details className="coverage-gaps">
              <summary>{h.coverage.gaps(coverage.gaps.length)}</summary>
              <ul className="plain-list">
                {coverage.gaps.map((g) => {
                  const hh = households.get(g.householdId);
                  return (
                    <li key={g.householdId}>
                      <Link href={formHref(g.householdId)}>
                        {hh ? `${hh.groupName} ${h.houseNumber(hh.houseNumber)} ${h.head(hh.headName)}` : g.householdId}
                      </Link>
                      ：{h.coverage.gapLine(g.persons, g.items)}
                    </li>
                  );
                })}
              </ul>
            </details>
          )}
        </>
      )}
    </section>
  );
}
