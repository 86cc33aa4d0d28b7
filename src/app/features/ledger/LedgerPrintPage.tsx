/**
 * The problem ledger as the paper archive keeps it (资料留存, issue 15, item 5):
 * every item of the current filters in one table, an A4 landscape page with
 * the header row repeated on every sheet.
 */
import { useEffect, useState } from 'react';
import { useSearch } from 'wouter';
import { LEDGER_STATE_LABELS } from '#shared/domain/ledger/lifecycle.ts';
import { formatYuan, formatYuanAmount } from '#shared/domain/money.ts';
import { PROBLEM_CODES } from '#shared/domain/problem-codes.ts';
import type { LedgerItem } from '#shared/schemas/ledger.ts';
import { TopBar } from '../../components/TopBar.tsx';
import { ledgerText as l } from '../../i18n/ledger.zh-CN.ts';
import { filterFromSearch, filterToSearch, listLedger } from './ledger-api.ts';
import './ledger.css';

const p = l.print;
const stateLabels: Readonly<Record<string, string | undefined>> = LEDGER_STATE_LABELS;

export default function LedgerPrintPage() {
  const search = useSearch();
  const [items, setItems] = useState<LedgerItem[]>([]);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const run = { live: true };
    const filter = filterFromSearch(search);
    (async () => {
      let before: number | null = null;
      const all: LedgerItem[] = [];
      for (;;) {
        const page = await listLedger(filter, before, 200);
        if (!run.live) return;
        all.push(...page.items);
        setItems([...all]);
        if (page.next === null) break;
        before = page.next;
      }
      setDone(true);
    })().catch((e: unknown) => run.live && setError(l.failed(e instanceof Error ? e.message : String(e))));
    return () => {
      run.live = false;
    };
  }, [search]);

  const filter = filterFromSearch(search);
  const parts = [
    filter.state ? `${l.state}：${stateLabels[filter.state] ?? filter.state}` : '',
    filter.code ? `${l.code}：${filter.code} ${PROBLEM_CODES.find((c) => c.code === filter.code)?.title ?? ''}` : '',
    filter.overdue ? l.overdueOnly : '',
  ].filter(Boolean);
  const involved = items.reduce((s, i) => s + (i.amountInvolvedFen ?? 0), 0);
  const recovered = items.reduce((s, i) => s + (i.amountRecoveredFen ?? 0), 0);
  const overdue = items.filter((i) => i.overdue).length;
  const back = `/ledger${filterToSearch(filter)}`;
  return (
    <>
      <TopBar title={p.link} back={{ href: back, label: l.backToList }} />
      <main className="page page-wide ledger-print-page">
        <div className="no-print ledger-print-controls">
          <p className="muted">{p.hint}</p>
          <button type="button" className="btn btn-primary" disabled={!done} onClick={() => window.print()}>
            {p.button}
          </button>
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {!done && !error && (
          <p className="muted no-print" role="status">
            {p.loading(items.length)}
          </p>
        )}
        <article className="ledger-print" aria-labelledby="ledger-print-title">
          <h1 id="ledger-print-title">{p.title}</h1>
          <p>
            {p.filters(parts)} · {p.printedAt(new Date().toLocaleString('zh-CN', { hour12: false }))}
          </p>
          {done && <p data-testid="ledger-print-summary">{p.count(items.length, overdue, formatYuan(involved), formatYuan(recovered))}</p>}
          <div className="table-scroll" tabIndex={0} role="region" aria-label={p.title}>
            <table className="ledger-print-table">
              <thead>
                <tr>
                  <th scope="col">{p.cols.number}</th>
                  <th scope="col">{p.cols.code}</th>
                  <th scope="col">{p.cols.problem}</th>
                  <th scope="col">{p.cols.area}</th>
                  <th scope="col">{p.cols.involved}</th>
                  <th scope="col">{p.cols.state}</th>
                  <th scope="col">{p.cols.assignment}</th>
                  <th scope="col">{p.cols.outcome}</th>
                  <th scope="col">{p.cols.recovered}</th>
                  <th scope="col">{p.cols.created}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr key={i.id} className={i.overdue ? 'ledger-print-overdue' : undefined}>
                    <td className="num">{i.number}</td>
                    <td>{i.problemCode}</td>
                    <td>
                      <strong>{i.title}</strong>
                      {i.description ? <div className="ledger-print-desc">{i.description}</div> : null}
                    </td>
                    <td>{i.areaName ?? i.areaCode}</td>
                    <td className="num">{i.amountInvolvedFen === null ? '' : formatYuanAmount(i.amountInvolvedFen)}</td>
                    <td>
                      {LEDGER_STATE_LABELS[i.state]}
                      {i.overdue ? `（${l.overdue}）` : ''}
                    </td>
                    <td>{i.assignment ? `${i.assignment.unit} / ${i.assignment.person} / ${i.assignment.deadline}` : ''}</td>
                    <td>
                      {i.outcome ?? ''}
                      {i.referral ? ` ${l.referral(i.referral.date, i.referral.reference)}` : ''}
                    </td>
                    <td className="num">{i.amountRecoveredFen === null ? '' : formatYuanAmount(i.amountRecoveredFen)}</td>
                    <td className="num">{new Date(i.createdAt).toLocaleDateString('zh-CN')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </article>
      </main>
    </>
  );
}
