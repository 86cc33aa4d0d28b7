import { LEDGER_STATE_LABELS, LEDGER_STATES } from '#shared/domain/ledger/lifecycle.ts';
import { formatYuan } from '#shared/domain/money.ts';
import { PROBLEM_CODES } from '#shared/domain/problem-codes.ts';
import type { LedgerCounts } from '#shared/schemas/ledger.ts';
import { ledgerText as l } from '../../i18n/ledger.zh-CN.ts';

interface Bar {
  key: string;
  label: string;
  n: number;
}

/** One bar chart: a row per bar, its count written out; a bar is a button that filters the list. */
function Bars({ title, bars, onPick, active }: { title: string; bars: Bar[]; onPick: (key: string) => void; active: string }) {
  const max = Math.max(1, ...bars.map((b) => b.n));
  return (
    <figure className="ledger-chart">
      <figcaption>{title}</figcaption>
      <ul className="ledger-bars">
        {bars.map((b) => (
          <li key={b.key}>
            <button type="button" className={active === b.key ? 'ledger-bar ledger-bar-active' : 'ledger-bar'} aria-pressed={active === b.key} onClick={() => onPick(active === b.key ? '' : b.key)}>
              <span className="ledger-bar-label">{b.label}</span>
              <span className="ledger-bar-track" aria-hidden="true">
                <span className="ledger-bar-fill" style={{ width: b.n === 0 ? '0' : `max(3px, ${(100 * b.n) / max}%)` }} />
              </span>
              <span className="ledger-bar-n">{b.n}</span>
            </button>
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** The area's ledger in numbers: how many, overdue, money, and charts by state and by problem type. */
export function LedgerCharts({ counts, state, code, onState, onCode }: { counts: LedgerCounts; state: string; code: string; onState: (s: string) => void; onCode: (c: string) => void }) {
  const total = Object.values(counts.byState).reduce((a, b) => a + b, 0);
  const states: Bar[] = LEDGER_STATES.map((s) => ({ key: s, label: LEDGER_STATE_LABELS[s], n: counts.byState[s] ?? 0 }));
  const codes: Bar[] = PROBLEM_CODES.filter((p) => (counts.byCode[p.code] ?? 0) > 0).map((p) => ({ key: p.code, label: p.code, n: counts.byCode[p.code] ?? 0 }));
  return (
    <section className="card ledger-summary" aria-labelledby="ledger-summary-title" data-testid="ledger-summary">
      <h2 id="ledger-summary-title">{l.summaryTitle}</h2>
      <p>{l.summary(total, counts.overdue, formatYuan(counts.amountInvolvedFen), formatYuan(counts.amountRecoveredFen))}</p>
      <div className="ledger-charts">
        <Bars title={l.byState} bars={states} onPick={onState} active={state} />
        <Bars title={l.byCode} bars={codes} onPick={onCode} active={code} />
      </div>
    </section>
  );
}
