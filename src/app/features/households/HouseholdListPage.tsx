import { useDeferredValue, useEffect, useId, useMemo, useState, useSyncExternalStore } from 'react';
import { computeCoverage, type Coverage } from '#shared/domain/coverage.ts';
import { buildHouseholdSearchIndex, searchHouseholds, type HouseholdSearchIndex, type SearchHit } from '#shared/domain/household-search.ts';
import type { Me } from '#shared/schemas/auth.ts';
import type { SyncPerson } from '#shared/schemas/sync.ts';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { SyncBadge } from '../../components/SyncBadge.tsx';
import { loadCoverageData, loadFormStates, loadRoster, type HouseholdCheckState, type HouseholdSummary, type RosterSnapshot } from '../../db/roster-store.ts';
import { householdsText as h } from '../../i18n/households.zh-CN.ts';
import { getSyncStatus, subscribeSyncStatus } from '../../sync/sync-status.ts';
import { CoverageCard } from './CoverageCard.tsx';
import { HouseholdRow } from './HouseholdRow.tsx';
import { useListView, type ListFilter } from './useListView.ts';
import { TopBar } from '../../components/TopBar.tsx';

/** Search results shown at first; more on request (a one-letter query can match a third of a township). */
const RESULTS_PAGE = 50;
/** Villages up to this size open with every 组 expanded; larger ones start folded. */
const OPEN_ALL_UP_TO = 150;

function matchesFilter(filter: ListFilter, state: HouseholdCheckState): boolean {
  if (filter === 'unchecked') return state === 'unchecked';
  if (filter === 'returned') return state === 'returned';
  return true;
}

function isChecked(state: HouseholdCheckState): boolean {
  return state === 'ready' || state === 'synced' || state === 'accepted';
}

/** Every hit, timed: a `household-search` performance measure per query, read by test/bench/area-download.ts. */
function timedSearch(index: HouseholdSearchIndex, query: string) {
  const started = performance.now();
  const result = searchHouseholds(index, query, Number.POSITIVE_INFINITY);
  performance.measure('household-search', { start: started, end: performance.now(), detail: { query, total: result.total } });
  return result;
}

/**
 * The cadre's village, household by household: coverage at the top, a
 * search box that works offline and answers as the cadre types, filter
 * chips, and the households grouped by 组. Everything comes from the device.
 */
export default function HouseholdListPage({ me }: { me: Me }) {
  const kind = me.role === 'inspector' ? 'inspection' : 'cadre';
  const status = useSyncExternalStore(subscribeSyncStatus, getSyncStatus);
  const [roster, setRoster] = useState<RosterSnapshot | null>(null);
  const [states, setStates] = useState<Map<string, HouseholdCheckState> | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [coverage, setCoverage] = useState<Coverage | null>(null);
  const [view, setView] = useListView();
  const [limit, setLimit] = useState(RESULTS_PAGE);
  const query = useDeferredValue(view.query);
  const ids = useId();

  // Read on every visit, and again when a sync completes (a download may just have brought the village).
  useEffect(() => {
    let live = true;
    Promise.all([loadRoster(), loadFormStates(kind)])
      .then(([r, s]) => {
        if (!live) return;
        setRoster(r);
        setStates(s);
      })
      .catch((e: unknown) => live && setLoadError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [kind, status.lastSuccessAt]);

  // The cadre's next tap is a household: fetch and compile the form's chunk now (the same
  // module App.tsx loads lazily), so the first form opens as fast as every later one.
  const listShown = roster !== null;
  useEffect(() => {
    if (!listShown) return;
    const id = window.setTimeout(() => void import('../check-form/CheckFormEdit.tsx').catch(() => undefined), 300);
    return () => window.clearTimeout(id);
  }, [listShown]);

  const villages = roster?.villages ?? [];
  const namesByCode = useMemo(() => new Map((roster?.villages ?? []).map((v) => [v.code, v.name])), [roster]);
  const villageName = (code: string) => (code === me.area.code ? me.area.name : (namesByCode.get(code) ?? h.villageCode(code)));
  const village = villages.some((v) => v.code === view.village) ? view.village : me.area.level === 'village' && villages.some((v) => v.code === me.area.code) ? me.area.code : (villages[0]?.code ?? null);
  const multiVillage = villages.length > 1;

  const byId = useMemo(() => new Map((roster?.households ?? []).map((x) => [x.id, x])), [roster]);
  const personsById = useMemo(() => new Map<string, SyncPerson>((roster?.persons ?? []).map((p) => [p.id, p])), [roster]);
  const index = useMemo(() => (roster ? buildHouseholdSearchIndex(roster.households, roster.persons) : null), [roster]);
  const villageHouseholds = useMemo(() => (roster && village ? roster.households.filter((x) => x.villageCode === village) : []), [roster, village]);
  const stateOf = (id: string): HouseholdCheckState => states?.get(id) ?? 'unchecked';

  useEffect(() => {
    if (!roster || !states || !village) return;
    let live = true;
    const households = villageHouseholds;
    const hhIds = households.map((x) => x.id);
    const inVillage = new Set(hhIds);
    loadCoverageData(village, hhIds, kind)
      .then((data) => {
        if (!live) return;
        setCoverage(computeCoverage({ households, persons: roster.persons.filter((p) => inVillage.has(p.householdId)), ...data }));
      })
      .catch(() => live && setCoverage(null));
    return () => {
      live = false;
    };
  }, [roster, states, village, villageHouseholds, kind]);

  const search = useMemo(() => (index && query.trim() !== '' ? timedSearch(index, query) : null), [index, query]);

  const counts = useMemo(() => {
    const c = { all: villageHouseholds.length, unchecked: 0, returned: 0 };
    for (const x of villageHouseholds) {
      const s = states?.get(x.id) ?? 'unchecked';
      if (s === 'unchecked') c.unchecked++;
      else if (s === 'returned') c.returned++;
    }
    return c;
  }, [villageHouseholds, states]);

  const groups = useMemo(() => {
    const out = new Map<string, HouseholdSummary[]>();
    for (const x of villageHouseholds) {
      const list = out.get(x.groupName);
      if (list) list.push(x);
      else out.set(x.groupName, [x]);
    }
    return [...out];
  }, [villageHouseholds]);

  const defaultOpen = villageHouseholds.length <= OPEN_ALL_UP_TO;
  const isOpen = (group: string) => view.filter !== 'all' || (view.openGroups === null ? defaultOpen : view.openGroups.includes(group));
  const toggleGroup = (group: string) => {
    const current = view.openGroups ?? (defaultOpen ? groups.map(([g]) => g) : []);
    setView({ openGroups: current.includes(group) ? current.filter((g) => g !== group) : [...current, group] });
  };

  const hitNote = (hit: SearchHit, household: HouseholdSummary): string | undefined => {
    if (hit.personId === null || hit.personId === household.headPersonId) return undefined;
    const p = personsById.get(hit.personId);
    return p ? h.matchedMember(p.name, h.matchedBy[hit.match]) : undefined;
  };

  const searching = view.query.trim() !== '';
  const filteredHits = search ? search.hits.filter((hit) => matchesFilter(view.filter, stateOf(hit.householdId))) : [];
  const pulling = status.running && status.phase === 'pulling';

  return (
    <>
      <TopBar title={h.title} back={{ href: '/', label: h.back, ariaLabel: h.backLabel }}>
        <SyncBadge />
      </TopBar>
      <main className="page">
        <h1>{village ? `${villageName(village)} · ${h.title}` : h.title}</h1>
        {pulling && (
          <div className="card">
            <p className="muted">{h.downloading}</p>
            <ProgressBar label={h.downloading} value={status.received} max={status.expected} valueText={h.progressText(status.received, status.expected)} />
          </div>
        )}
        {loadError !== null && (
          <p className="form-error" role="alert">
            {loadError}
          </p>
        )}
        {roster === null && loadError === null && <p className="muted">{h.loading}</p>}
        {roster !== null && roster.households.length === 0 && <p className="notice">{h.empty}</p>}
        {roster !== null && roster.households.length > 0 && village !== null && (
          <>
            {multiVillage && (
              <div className="field">
                <label htmlFor={`${ids}-village`}>{h.village}</label>
                <select
                  id={`${ids}-village`}
                  className="select"
                  value={village}
                  onChange={(e) => {
                    setCoverage(null);
                    setView({ village: e.target.value, openGroups: null });
                  }}
                >
                  {villages.map((v) => (
                    <option key={v.code} value={v.code}>
                      {h.villageOption(villageName(v.code), v.households)}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <div className="field search-field" role="search">
              <label htmlFor={`${ids}-q`}>{h.searchLabel}</label>
              <div className="search-row">
                <input
                  id={`${ids}-q`}
                  type="search"
                  inputMode="search"
                  autoComplete="off"
                  enterKeyHint="search"
                  placeholder={h.searchPlaceholder}
                  aria-describedby={`${ids}-hint`}
                  value={view.query}
                  onChange={(e) => {
                    setLimit(RESULTS_PAGE);
                    setView({ query: e.target.value });
                  }}
                />
                {searching && (
                  <button type="button" className="btn" onClick={() => setView({ query: '' })}>
                    {h.clearSearch}
                  </button>
                )}
              </div>
              <p id={`${ids}-hint`} className="muted field-hint">
                {h.searchHint}
              </p>
            </div>

            <div className="chips" role="group" aria-label={h.filters}>
              {(['all', 'unchecked', 'returned'] as const).map((f) => (
                <button key={f} type="button" className={view.filter === f ? 'chip chip-on' : 'chip'} aria-pressed={view.filter === f} onClick={() => setView({ filter: f })}>
                  {h.filter[f](counts[f])}
                </button>
              ))}
            </div>

            {!searching && <CoverageCard title={h.coverage.title} coverage={coverage} households={byId} />}

            {searching ? (
              <section aria-labelledby={`${ids}-results`}>
                <h2 id={`${ids}-results`} className="results-title">
                  <span role="status">{search ? h.results(Math.min(limit, filteredHits.length), filteredHits.length) : h.loading}</span>
                </h2>
                {search && filteredHits.length === 0 && <p className="muted">{h.noResults}</p>}
                <ul className="hh-list" data-testid="search-results">
                  {filteredHits.slice(0, limit).map((hit) => {
                    const household = byId.get(hit.householdId);
                    if (!household) return null;
                    return (
                      <HouseholdRow
                        key={hit.householdId}
                        household={household}
                        state={stateOf(hit.householdId)}
                        villageLabel={multiVillage ? villageName(household.villageCode) : undefined}
                        note={hitNote(hit, household)}
                        shownIdMasked={hit.match === 'id-suffix' && hit.personId !== null ? personsById.get(hit.personId)?.idMasked : undefined}
                        showGroup
                      />
                    );
                  })}
                </ul>
                {filteredHits.length > limit && (
                  <button type="button" className="btn btn-block" onClick={() => setLimit(limit + RESULTS_PAGE)}>
                    {h.showMore}
                  </button>
                )}
              </section>
            ) : (
              <div data-testid="household-groups">
                {groups.map(([group, members]) => {
                  const shown = members.filter((x) => matchesFilter(view.filter, stateOf(x.id)));
                  if (shown.length === 0) return null;
                  const open = isOpen(group);
                  const panel = `${ids}-g-${group}`;
                  return (
                    <section key={group} className="hh-group">
                      <h2 className="hh-group-title">
                        <button type="button" className="hh-group-toggle" aria-expanded={open} aria-controls={panel} onClick={() => toggleGroup(group)}>
                          <span aria-hidden="true" className="hh-caret">
                            {open ? '▾' : '▸'}
                          </span>
                          {h.group(group, members.length, members.filter((x) => isChecked(stateOf(x.id))).length)}
                        </button>
                      </h2>
                      {open && (
                        <ul className="hh-list" id={panel}>
                          {shown.map((x) => (
                            <HouseholdRow key={x.id} household={x} state={stateOf(x.id)} />
                          ))}
                        </ul>
                      )}
                    </section>
                  );
                })}
                {view.filter !== 'all' && counts[view.filter] === 0 && <p className="muted">{h.filterEmpty}</p>}
              </div>
            )}
          </>
        )}
      </main>
    </>
  );
}
