/**
 * The public disclosure of a village (公示, issue 15, item 6): no sign-in.
 * A villager picks the township and village (or opens a shared link,
 * /gongshi?village=…&year=…), and reads the policy list and who in the village
 * was paid what, item by item; names are masked by the server, and no ID or
 * account number ever reaches the page. Prints as A4 portrait for the notice
 * board.
 */
import { useEffect, useMemo, useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import * as z from 'zod/mini';
import { formatYuan, formatYuanAmount } from '#shared/domain/money.ts';
import { DisclosureSchema, type Disclosure, type DisclosureItem, type DisclosureRow } from '#shared/schemas/disclosure.ts';
import { RegionNameSchema, type RegionName } from '#shared/schemas/sync.ts';
import { apiRequest } from '../../api/http.ts';
import { parsedBy } from '../../api/parsed-by.ts';
import { disclosureText as dt } from '../../i18n/disclosure.zh-CN.ts';
import './disclosure.css';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

type Loaded = { key: string; disclosure: Disclosure } | { key: string; error: string };

export default function DisclosurePage() {
  const search = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const village = /^\d{12}$/.test(search.get('village') ?? '') ? (search.get('village') as string) : '';
  const year = /^\d{4}$/.test(search.get('year') ?? '') ? (search.get('year') as string) : '';
  const [regions, setRegions] = useState<RegionName[]>([]);
  // The township picked before a village is: the village's own when one is in the address.
  const [picked, setPicked] = useState('');
  const township = village ? `${village.slice(0, 9)}000` : picked;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const key = `${village}/${year}`;

  useEffect(() => {
    apiRequest('GET', '/public/regions', parsedBy(z.array(RegionNameSchema))).then(setRegions, () => undefined);
  }, []);
  useEffect(() => {
    if (!village) return;
    let live = true;
    apiRequest('GET', `/public/disclosure/${village}${year ? `?year=${year}` : ''}`, parsedBy(DisclosureSchema)).then(
      (disclosure) => live && setLoaded({ key, disclosure }),
      (e: unknown) => live && setLoaded({ key, error: message(e) }),
    );
    return () => {
      live = false;
    };
  }, [village, year, key]);

  const townships = useMemo(() => regions.filter((r) => r.level === 'township'), [regions]);
  const villages = useMemo(() => regions.filter((r) => r.level === 'village' && township !== '' && r.code.startsWith(township.slice(0, 9))), [regions, township]);
  const go = (v: string, y = '') => navigate(v ? `/gongshi?village=${v}${y ? `&year=${y}` : ''}` : '/gongshi');
  const current = loaded?.key === key ? loaded : null;

  return (
    <main className="page disclosure-page">
      <h1 className="no-print">{dt.title}</h1>
      <p className="no-print">{dt.intro}</p>
      <div className="disclosure-pickers no-print">
        <div className="field">
          <label htmlFor="d-township">{dt.township}</label>
          <select
            id="d-township"
            value={township}
            onChange={(e) => {
              setPicked(e.target.value);
              go('');
            }}
          >
            <option value="">{dt.chooseTownship}</option>
            {townships.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="d-village">{dt.village}</label>
          <select id="d-village" value={village} disabled={township === ''} onChange={(e) => go(e.target.value)}>
            <option value="">{dt.chooseVillage}</option>
            {villages.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {!village && <p className="muted">{dt.pickFirst}</p>}
      {village && !current && <p className="muted">{dt.loading}</p>}
      {current && 'error' in current && (
        <p className="form-error" role="alert">
          {dt.loadFailed(current.error)}
        </p>
      )}
      {current && 'disclosure' in current && <Notice d={current.disclosure} pickYear={(y) => go(village, y)} />}
      <p className="no-print">
        <a href="/">{dt.signIn}</a>
      </p>
    </main>
  );
}

function Notice({ d, pickYear }: { d: Disclosure; pickYear: (year: string) => void }) {
  const byItem = useMemo(() => {
    const m = new Map<string, DisclosureRow[]>();
    for (const r of d.rows) m.set(r.itemCode, [...(m.get(r.itemCode) ?? []), r]);
    return m;
  }, [d.rows]);
  if (d.year === null) return <p>{dt.noPayments(d.village.name)}</p>;
  const heading = dt.heading(d.village.county, d.village.township, d.village.name, d.year);
  const paid = d.items.filter((i) => byItem.has(i.code));
  return (
    <article className="disclosure" data-testid="disclosure">
      {d.years.length > 1 && (
        <div className="tabs no-print" role="group" aria-label={dt.years}>
          {d.years.map((y) => (
            <button key={y} type="button" className={y === d.year ? 'tab tab-active' : 'tab'} aria-pressed={y === d.year} onClick={() => pickYear(y)}>
              {dt.yearTab(y)}
            </button>
          ))}
        </div>
      )}
      <h2 className="disclosure-title">{heading}</h2>
      <h3>{dt.policyList}</h3>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={dt.policyList}>
        <table className="table disclosure-table">
          <thead>
            <tr>
              <th scope="col">{dt.policyCols.item}</th>
              <th scope="col" className="col-dept">
                {dt.policyCols.department}
              </th>
              <th scope="col">{dt.policyCols.standard}</th>
              <th scope="col" className="num">
                {dt.policyCols.beneficiaries}
              </th>
              <th scope="col" className="num">
                {dt.policyCols.amount}
              </th>
            </tr>
          </thead>
          <tbody>
            {d.items.map((it) => (
              <PolicyRow key={it.code} item={it} />
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                {dt.total}
              </th>
              <td className="col-dept" />
              <td className="num">{formatYuanAmount(d.totalFen)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <h3>{dt.beneficiaries}</h3>
      {paid.map((it) => {
        const rows = byItem.get(it.code) ?? [];
        return (
          <section key={it.code} className="disclosure-item">
            <h4>{dt.itemHeading(it.name, dt.people(it.beneficiaries, it.unit), formatYuan(it.amountFen))}</h4>
            <div className="table-scroll" tabIndex={0} role="region" aria-label={it.name}>
              <table className="table disclosure-table">
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      {dt.cols.no}
                    </th>
                    <th scope="col">{dt.cols.name}</th>
                    <th scope="col">{dt.cols.group}</th>
                    <th scope="col">{dt.cols.periods}</th>
                    <th scope="col" className="num">
                      {dt.cols.total}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r, i) => (
                    <tr key={`${r.groupName}-${r.name}-${i}`}>
                      <td className="num">{i + 1}</td>
                      <td>{r.name}</td>
                      <td>{r.groupName}</td>
                      <td className="wrap">
                        {r.runs.map((run) => (
                          <span key={run.from} className="run">
                            {dt.run(run.from, run.to, run.periods, formatYuanAmount(run.amountFen))}
                          </span>
                        ))}
                      </td>
                      <td className="num">{formatYuanAmount(r.totalFen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        );
      })}
      <p className="disclosure-total">{dt.grandTotal(formatYuan(d.totalFen))}</p>
      <p>
        {dt.objection}
        <a href="/report">{dt.report}</a>。
      </p>
      <p className="muted">{dt.generated(new Date(d.generatedAt).toLocaleString('zh-CN', { hour12: false }))}</p>
      <button type="button" className="btn no-print" onClick={() => window.print()}>
        {dt.print}
      </button>
    </article>
  );
}

function PolicyRow({ item }: { item: DisclosureItem }) {
  return (
    <tr>
      <td className="wrap">{item.name}</td>
      <td className="wrap col-dept">{item.department}</td>
      <td className="wrap">{item.standardAmountFen > 0 ? dt.standard(formatYuanAmount(item.standardAmountFen), item.unit, item.period) : dt.variable}</td>
      <td className="num">{dt.people(item.beneficiaries, item.unit)}</td>
      <td className="num">{formatYuanAmount(item.amountFen)}</td>
    </tr>
  );
}
