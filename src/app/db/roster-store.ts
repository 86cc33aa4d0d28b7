/**
 * Device queries of the household list, its search and the village's
 * coverage. The roster is read in one bulk pass per screen visit (households
 * and people: ~40,000 rows for a township) and kept while the pull cursor
 * stays put, so coming back from a household's form shows the list at once;
 * form states are read fresh every time from an index, without the bodies.
 */
import type { SyncHousehold, SyncPerson } from '#shared/schemas/sync.ts';
import { compareHouseholds } from '#shared/domain/household-order.ts';
import type { CoverageForm } from '#shared/domain/coverage.ts';
import { deviceDb, type LocalForm, type LocalFormState } from './device-db.ts';
export { loadAreaSummary, type AreaSummary } from './area-summary.ts';
import { hasRegionNames, loadPullCursor, loadRegionNames } from './sync-store.ts';

/** Where a household stands for the person holding the phone. */
/** A household's state as the list shows it; `accepted` is a synced form the supervisor approved. */
export type HouseholdCheckState = 'unchecked' | LocalFormState | 'accepted';

export interface HouseholdSummary extends SyncHousehold {
  headName: string | null;
  /** The head's masked citizen ID. */
  headIdMasked: string | null;
  memberCount: number;
}

export interface RosterSnapshot {
  /** Sorted by village, 组, house number. */
  households: HouseholdSummary[];
  persons: SyncPerson[];
  /** Villages with households on the device, in code order; `name` once a pull brought the region names. */
  villages: { code: string; households: number; name: string | null }[];
}

let cached: { version: string | null; snapshot: RosterSnapshot } | null = null;

/**
 * The area's households and people as on the device. Reads both tables in
 * one transaction so a pull landing in between cannot give a household
 * without its people.
 */
export async function loadRoster(): Promise<RosterSnapshot> {
  // The same download, and the region names already in it or still not: the same snapshot (its search index is kept).
  const cursor = await loadPullCursor();
  const version = cursor === null ? null : `${cursor}|${(await hasRegionNames()) ? 'names' : ''}`;
  if (cached && cached.version === version && version !== null) return cached.snapshot;
  const [households, persons, names] = await deviceDb.transaction('r', [deviceDb.households, deviceDb.persons, deviceDb.meta], () =>
    Promise.all([deviceDb.households.toArray(), deviceDb.persons.toArray(), loadRegionNames()]),
  );
  const byId = new Map<string, SyncPerson>();
  const members = new Map<string, number>();
  for (const p of persons) {
    byId.set(p.id, p);
    members.set(p.householdId, (members.get(p.householdId) ?? 0) + 1);
  }
  const summaries: HouseholdSummary[] = households.map((h) => ({ ...h, headName: byId.get(h.headPersonId)?.name ?? null, headIdMasked: byId.get(h.headPersonId)?.idMasked ?? null, memberCount: members.get(h.id) ?? 0 }));
  summaries.sort(compareHouseholds);
  const villageCounts = new Map<string, number>();
  for (const h of summaries) villageCounts.set(h.villageCode, (villageCounts.get(h.villageCode) ?? 0) + 1);
  const snapshot: RosterSnapshot = {
    households: summaries,
    persons,
    villages: [...villageCounts].map(([code, n]) => ({ code, households: n, name: names?.get(code) ?? null })),
  };
  cached = { version, snapshot };
  return snapshot;
}

/**
 * Which state wins when a household has more than one form of a kind (two
 * devices each started one offline): whatever still needs the cadre first.
 */
const STATE_PRIORITY: readonly LocalFormState[] = ['attention', 'returned', 'draft', 'ready', 'synced'];

/** householdId → the state of its form of `kind`; households without one are absent (unchecked). */
export async function loadFormStates(kind: LocalForm['kind']): Promise<Map<string, HouseholdCheckState>> {
  const range = deviceDb.forms.where('[kind+householdId+state]').between([kind, '', ''], [kind, '\uffff', '\uffff']);
  const [keys, ids] = await Promise.all([range.keys() as unknown as Promise<[string, string, LocalFormState][]>, range.primaryKeys()]);
  const out = new Map<string, LocalFormState>();
  const syncedIds: string[] = [];
  keys.forEach(([, householdId, state], i) => {
    const prev = out.get(householdId);
    if (prev === undefined || STATE_PRIORITY.indexOf(state) < STATE_PRIORITY.indexOf(prev)) out.set(householdId, state);
    const id = ids[i];
    if (state === 'synced' && id !== undefined) syncedIds.push(id);
  });
  // The review status is not in the index: read it for the synced forms only.
  const result = new Map<string, HouseholdCheckState>(out);
  for (const f of await deviceDb.forms.bulkGet(syncedIds)) {
    if (f?.reviewStatus === 'accepted' && out.get(f.householdId) === 'synced') result.set(f.householdId, 'accepted');
  }
  return result;
}

/** Submitted on the device or beyond: counts for coverage (see src/shared/domain/coverage.ts). */
export function isSubmitted(state: LocalFormState): boolean {
  return state === 'ready' || state === 'synced';
}

/** A household's members, the head first, then as the roster lists them. */
export async function householdMembers(householdId: string): Promise<SyncPerson[]> {
  const [household, persons] = await Promise.all([deviceDb.households.get(householdId), deviceDb.persons.where('householdId').equals(householdId).toArray()]);
  return persons.sort((a, b) => Number(b.id === household?.headPersonId) - Number(a.id === household?.headPersonId));
}

export interface CoverageData {
  itemLines: { householdId: string; personId: string; itemCode: string }[];
  submittedForms: CoverageForm[];
}

/** The ledger pairs and the submitted forms of `kind` of one village, for computeCoverage. */
export async function loadCoverageData(villageCode: string, householdIds: readonly string[], kind: LocalForm['kind']): Promise<CoverageData> {
  const [lineRows, forms] = await Promise.all([
    deviceDb.householdLines.where('villageCode').equals(villageCode).toArray(),
    householdIds.length === 0 ? Promise.resolve([]) : deviceDb.forms.where('householdId').anyOf([...householdIds]).toArray(),
  ]);
  const itemLines: CoverageData['itemLines'] = [];
  const seen = new Set<string>();
  for (const row of lineRows) {
    for (const l of row.lines) {
      const key = `${l.householdId}|${l.beneficiaryPersonId}|${l.itemCode}`;
      if (seen.has(key)) continue;
      seen.add(key);
      itemLines.push({ householdId: l.householdId, personId: l.beneficiaryPersonId, itemCode: l.itemCode });
    }
  }
  const submittedForms = forms
    .filter((f) => f.kind === kind && isSubmitted(f.state))
    .map((f) => ({ householdId: f.householdId, members: f.body.members, items: f.body.items }));
  return { itemLines, submittedForms };
}

export interface SyncOverview {
  pending: number;
  attention: { formId: string; householdId: string | null; message: string | null; fields: { path: string; message: string }[] }[];
  ready: LocalForm[];
  returned: LocalForm[];
  recentlySynced: LocalForm[];
}

/** When a form last went up from this device (older copies without the stamp: when it was saved). */
export const uploadedTime = (f: LocalForm): string => f.uploadedAt ?? f.updatedAt;

/** What the sync screen lists: waiting, needing attention, sent back, and recently through. */
export async function loadSyncOverview(recent = 20): Promise<SyncOverview> {
  return deviceDb.transaction('r', [deviceDb.outbox, deviceDb.forms], async () => {
    const [pending, attentionEntries, ready, returned, synced] = await Promise.all([
      deviceDb.outbox.where('status').equals('pending').count(),
      deviceDb.outbox.where('status').equals('attention').toArray(),
      deviceDb.forms.where('state').equals('ready').toArray(),
      deviceDb.forms.where('state').equals('returned').toArray(),
      // Uploaded from here (whatever the server did with them since), not forms of others brought by a pull.
      deviceDb.forms.filter((f) => f.uploadedAt !== undefined || (f.state === 'synced' && f.lastResult !== null)).toArray(),
    ]);
    const attentionForms = await deviceDb.forms.bulkGet(attentionEntries.map((e) => e.formId));
    const attention = attentionEntries.map((e, i) => ({
      formId: e.formId,
      householdId: attentionForms[i]?.householdId ?? null,
      message: e.lastResult?.message ?? null,
      fields: e.lastResult?.fields ?? [],
    }));
    const byTime = (a: LocalForm, b: LocalForm) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0);
    return {
      pending,
      attention,
      ready: ready.sort(byTime),
      returned: returned.sort(byTime),
      recentlySynced: synced.sort((a, b) => uploadedTime(b).localeCompare(uploadedTime(a))).slice(0, recent),
    };
  });
}

/** Household rows by id, for lists that start from forms (the sync screen). */
export async function householdsById(ids: readonly string[]): Promise<Map<string, HouseholdSummary>> {
  const unique = [...new Set(ids)];
  const households = await deviceDb.households.bulkGet(unique);
  const present = households.filter((h): h is SyncHousehold => h !== undefined);
  const heads = await deviceDb.persons.bulkGet(present.map((h) => h.headPersonId));
  const out = new Map<string, HouseholdSummary>();
  present.forEach((h, i) => out.set(h.id, { ...h, headName: heads[i]?.name ?? null, headIdMasked: heads[i]?.idMasked ?? null, memberCount: 0 }));
  return out;
}

/**
 * The household to go to after submitting `currentId`: the next one of the
 * same village in list order (village, 组, house number) whose form of
 * `kind` is not submitted yet (unchecked, draft, returned, needing
 * attention), wrapping round; null when the village is done.
 */
export async function nextHouseholdToCheck(currentId: string, kind: LocalForm['kind']): Promise<HouseholdSummary | null> {
  const [{ households }, states] = await Promise.all([loadRoster(), loadFormStates(kind)]);
  const at = households.findIndex((x) => x.id === currentId);
  if (at === -1) return null;
  const village = households[at]?.villageCode;
  const open = (s: HouseholdCheckState | undefined) => s === undefined || s === 'unchecked' || s === 'draft' || s === 'returned' || s === 'attention';
  for (let i = 1; i < households.length; i++) {
    const x = households[(at + i) % households.length];
    if (x && x.villageCode === village && open(states.get(x.id))) return x;
  }
  return null;
}
