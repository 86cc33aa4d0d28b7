/**
 * The problem ledger (issue 13): every problem of the area, newest first,
 * filtered by state, type and overdue, paged; a supervisor puts new findings
 * of the payment data on it. Overdue items stand out.
 */
import { useEffect, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { LEDGER_STATE_LABELS, LEDGER_STATES } from '#shared/domain/ledger/lifecycle.ts';
import { formatYuan } from '#shared/domain/money.ts';
import { PROBLEM_CODES } from '#shared/domain/problem-codes.ts';
import type { Me } from '#shared/schemas/auth.ts';
import type { LedgerCounts, LedgerItem } from '#shared/schemas/ledger.ts';
import { TopBar } from '../../components/TopBar.tsx';
import { ledgerText as l } from '../../i18n/ledger.zh-CN.ts';
import { filterFromSearch, filterToSearch, ledgerCounts, ledgerExportHref, listLedger, type LedgerFilter } from './ledger-api.ts';
import { ScanCard } from './ScanCard.tsx';
import { LedgerCharts } from './LedgerCharts.tsx';
import './ledger.css';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function LedgerRow({ item }: { item: LedgerItem }) {
  return (
    <li className={item.overdue ? 'ledger-row ledger-overdue' : 'ledger-row'}>
      <Link href={`/ledger/${item.id}`} className="ledger-link" data-ledger-number={item.number}>
        <span className="ledger-head">
          <span className="tag">{item.problemCode}</span>
          <span className="ledger-number">{l.number(item.number)}</span>
          <span className={`badge ledger-state-${item.state}`}>{LEDGER_STATE_LABELS[item.state]}</span>
          {item.overdue && <span className="badge ledger-overdue-badge">{l.overdue}</span>}
        </span>
        <span className="ledger-title">{item.title}</span>
        <span className="muted ledger-meta">
          {item.areaName ?? item.areaCode}
          {item.amountInvolvedFen !== null && ` · ${l.amount(formatYuan(item.amountInvolvedFen))}`}
          {item.assignment !== null && ` · ${item.assignment.unit} · ${item.assignment.deadline}`}
        </span>
      </Link>
    </li>
  );
}

export default function LedgerListPage({ me }: { me: Me }) {
  const search = useSearch();
  const [, navigate] = useLocation();
  const [filter, setFilter] = useState<LedgerFilter>(() => filterFromSearch(search));
  const [items, setItems] = useState<LedgerItem[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loads, setLoads] = useState(0);
  const [counts, setCounts] = useState<LedgerCounts | null>(null);

  useEffect(() => {
    let live = true;
    ledgerCounts().then(
      (c) => live && setCounts(c),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [loads]);

  useEffect(() => {
    let live = true;
    listLedger(filter, null).then(
      (page) => {
        if (!live) return;
        setItems(page.items);
        setNext(page.next);
        setError(null);
      },
      (e: unknown) => live && setError(l.failed(message(e))),
    );
    return () => {
      live = false;
    };
  }, [filter, loads]);
  const changeFilter = (f: LedgerFilter) => {
    setItems(null);
    setFilter(f);
    // In the address too: the printed ledger and the way back from an item keep it.
    navigate(`/ledger${filterToSearch(f)}`, { replace: true });
  };
  const reviewer = me.role === 'supervisor' || me.role === 'admin';

  const more = async () => {
    if (next === null) return;
    try {
      const page = await listLedger(filter, next);
      setItems((prev) => [...(prev ?? []), ...page.items]);
      setNext(page.next);
    } catch (e) {
      setError(l.failed(message(e)));
    }
  };

  return (
    <>
      <TopBar title={l.title} back={{ href: '/', label: l.back }} />
      <main className="page page-wide">
        <h1>{l.title}</h1>
        {reviewer && <ScanCard onFinished={() => setLoads((n) => n + 1)} />}
        {counts && <LedgerCharts counts={counts} state={filter.state} code={filter.code} onState={(state) => changeFilter({ ...filter, state })} onCode={(code) => changeFilter({ ...filter, code })} />}
        <fieldset className="card ledger-filters">
          <legend>{l.filters}</legend>
          <div className="field">
            <label htmlFor="ledger-state">{l.state}</label>
            <select id="ledger-state" value={filter.state} onChange={(e) => changeFilter({ ...filter, state: e.target.value })}>
              <option value="">{l.allStates}</option>
              {LEDGER_STATES.map((s) => (
                <option key={s} value={s}>
                  {LEDGER_STATE_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="ledger-code">{l.code}</label>
            <select id="ledger-code" value={filter.code} onChange={(e) => changeFilter({ ...filter, code: e.target.value })}>
              <option value="">{l.allCodes}</option>
              {PROBLEM_CODES.map((p) => (
                <option key={p.code} value={p.code}>
                  {`${p.code} ${p.title}`}
                </option>
              ))}
            </select>
          </div>
          <label className="ledger-check">
            <input type="checkbox" checked={filter.overdue} onChange={(e) => changeFilter({ ...filter, overdue: e.target.checked })} /> {l.overdueOnly}
          </label>
        </fieldset>
        <div className="ledger-actions">
          <Link href={`/ledger/print${filterToSearch(filter)}`} className="btn">
            {l.print.link}
          </Link>
          {reviewer && (
            <>
              <a className="btn" href={ledgerExportHref(filter, 'xlsx')} download aria-label={l.exportLabel('Excel')}>
                {l.exportXlsx}
              </a>
              <a className="btn" href={ledgerExportHref(filter, 'csv')} download aria-label={l.exportLabel('CSV')}>
                {l.exportCsv}
              </a>
            </>
          )}
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {items === null && !error && <p className="muted">{l.loading}</p>}
        {items !== null && items.length === 0 && <p className="muted">{l.none}</p>}
        {items !== null && items.length > 0 && <p className="muted">{l.count(items.length, next !== null)}</p>}
        <ul className="card-list ledger-list" data-testid="ledger-list">
          {(items ?? []).map((item) => (
            <LedgerRow key={item.id} item={item} />
          ))}
        </ul>
        {next !== null && (
          <button type="button" className="btn btn-block" onClick={() => void more()}>
            {l.more}
          </button>
        )}
      </main>
    </>
  );
}
