import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import type { DeviceStatus, FormFilters, FormSummary } from '#shared/schemas/review.ts';
import { reviewText as r } from '../../i18n/review.zh-CN.ts';
import { formFilters, listDevices, listForms, PAGE_SIZE, revokeDevice, type ListQuery, type ReviewFilter } from './review-api.ts';
import { TopBar } from '../../components/TopBar.tsx';

const FILTERS: ReviewFilter[] = ['submitted', 'conflicts', 'returned', 'accepted'];

function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : r.never;
}

/** Supervisors: the synced forms of their area by review state, and the devices that sync them. */
export default function ReviewListPage() {
  const [query, setQuery] = useState<ListQuery>({ tab: 'submitted', area: '', author: '', search: '' });
  const [searchText, setSearchText] = useState('');
  const [choices, setChoices] = useState<FormFilters | null>(null);
  const [forms, setForms] = useState<FormSummary[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [devices, setDevices] = useState<DeviceStatus[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const filter = query.tab;

  useEffect(() => {
    let live = true;
    listForms(query)
      .then((f) => {
        if (!live) return;
        setForms(f);
        setHasMore(f.length === PAGE_SIZE);
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [query]);

  useEffect(() => {
    formFilters()
      .then(setChoices)
      .catch(() => setChoices({ regions: [], authors: [] }));
  }, []);

  const more = async () => {
    const last = forms?.at(-1);
    if (!forms || !last) return;
    setLoadingMore(true);
    try {
      const page = await listForms(query, last);
      setForms([...forms, ...page]);
      setHasMore(page.length === PAGE_SIZE);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoadingMore(false);
    }
  };

  // A new query starts from an empty list (the effect loads its first page).
  const changeQuery = (q: ListQuery) => {
    setForms(null);
    setError(null);
    setQuery(q);
  };
  const search = (e: { preventDefault: () => void }) => {
    e.preventDefault();
    changeQuery({ ...query, search: searchText });
  };

  useEffect(() => {
    listDevices()
      .then(setDevices)
      .catch(() => setDevices([]));
  }, []);

  const revoke = async (id: string) => {
    try {
      await revokeDevice(id);
      setDevices(await listDevices());
    } catch (e) {
      setRevokeError(r.revokeFailed(e instanceof Error ? e.message : String(e)));
    }
  };

  return (
    <>
      <TopBar title={r.title} back={{ href: '/', label: r.back }} />
      <main className="page">
        <h1>{r.title}</h1>
        <div className="tabs" role="tablist" aria-label={r.title}>
          {FILTERS.map((f) => (
            <button key={f} type="button" role="tab" aria-selected={filter === f} className={filter === f ? 'tab tab-active' : 'tab'} onClick={() => changeQuery({ ...query, tab: f })}>
              {r.tabs[f]}
            </button>
          ))}
        </div>
        <form className="review-filters" onSubmit={search} aria-label={r.filters}>
          <div className="field">
            <label htmlFor="review-region">{r.filterRegion}</label>
            <select id="review-region" value={query.area} onChange={(e) => changeQuery({ ...query, area: e.target.value })}>
              <option value="">{r.all}</option>
              {choices?.regions.map((g) => (
                <option key={g.code} value={g.code}>
                  {g.level === 'village' ? `\u3000${g.name}` : g.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="review-author">{r.filterAuthor}</label>
            <select id="review-author" value={query.author} onChange={(e) => changeQuery({ ...query, author: e.target.value })}>
              <option value="">{r.allAuthors}</option>
              {choices?.authors.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field review-search">
            <label htmlFor="review-q">{r.search}</label>
            <span className="review-search-row">
              <input id="review-q" type="search" value={searchText} maxLength={50} onChange={(e) => setSearchText(e.target.value)} />
              <button type="submit" className="btn">
                {r.searchButton}
              </button>
            </span>
          </div>
        </form>
        {error && (
          <p className="form-error" role="alert">
            {r.loadFailed(error)}
          </p>
        )}
        {forms === null && !error && <p className="muted">{r.loading}</p>}
        {forms?.length === 0 && <p className="muted">{r.empty}</p>}
        {forms && forms.length > 0 && (
          <ul className="card-list" data-testid="review-list">
            {forms.map((f) => (
              <li key={f.id}>
                <Link href={`/review/${f.id}`} className="card card-link">
                  <strong>
                    {f.headName ?? f.householdId} · {r.household(f.villageName, f.groupName, f.houseNumber)}
                  </strong>
                  <span className="muted">
                    {r.status[f.reviewStatus]} · {r.rev(f.rev)} · {r.author} {f.authorName} · {when(f.updatedAt)}
                  </span>
                  {f.conflictCount > 0 && <span className="pill pill-warn">{r.conflictCount(f.conflictCount)}</span>}
                  {f.reviewComment && <span className="muted">“{f.reviewComment}”</span>}
                </Link>
              </li>
            ))}
          </ul>
        )}
        {forms && forms.length > 0 && (
          <p className="muted" data-testid="review-count">
            {r.shown(forms.length, hasMore)}
          </p>
        )}
        {hasMore && (
          <button type="button" className="btn btn-block" disabled={loadingMore} onClick={() => void more()}>
            {loadingMore ? r.loadingMore : r.more}
          </button>
        )}
        <section className="card" aria-labelledby="devices-title">
          <h2 id="devices-title">{r.devices}</h2>
          {revokeError && (
            <p className="form-error" role="alert">
              {revokeError}
            </p>
          )}
          {devices === null ? (
            <p className="muted">{r.loading}</p>
          ) : devices.length === 0 ? (
            <p className="muted">{r.empty}</p>
          ) : (
            <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="devices-title">
              <table className="table table-cards">
                <thead>
                  <tr>
                    <th scope="col">{r.deviceCols.user}</th>
                    <th scope="col">{r.deviceCols.lastSync}</th>
                    <th scope="col">{r.deviceCols.unsent}</th>
                    <th scope="col">{r.deviceCols.version}</th>
                    <th scope="col">{r.deviceCols.status}</th>
                  </tr>
                </thead>
                <tbody>
                  {devices.map((d) => (
                    <tr key={d.id}>
                      <td data-label={r.deviceCols.user}>{d.displayName}</td>
                      <td data-label={r.deviceCols.lastSync}>{when(d.lastPullAt ?? d.lastPushAt)}</td>
                      <td data-label={r.deviceCols.unsent}>{d.unsentCount ?? '—'}</td>
                      <td data-label={r.deviceCols.version}>{d.appVersion ?? '—'}</td>
                      <td data-label={r.deviceCols.status} data-testid="device-status">
                        {d.wipedAt ? (
                          r.deviceWiped(d.lostForms ?? 0, d.lostMutations ?? 0)
                        ) : d.revokedAt ? (
                          r.deviceRevoked
                        ) : (
                          <span>
                            {r.deviceActive} ·{' '}
                            <button type="button" className="link-button" onClick={() => window.confirm(r.confirmRevoke(d.displayName)) && void revoke(d.id)}>
                              {r.revokeDevice}
                            </button>
                          </span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </main>
    </>
  );
}
