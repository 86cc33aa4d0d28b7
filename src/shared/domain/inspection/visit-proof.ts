/**
 * Visit proof (issue 14, item 6; domain.md §9): what a browser can record of
 * a visit, and where it points to look. A browser cannot prove presence (no
 * mock-location flag, no sensor stream): these flags say which forms to
 * re-check first; the re-check is the proof.
 *
 * Per form: when it was opened and submitted (device clock), active time
 * on screen per section, and GPS fixes with accuracy (at open, at the
 * evidence step, at submit). Flags, per cadre:
 *
 * - `too-fast`: under MIN_SECONDS_PER_PERSON of active time per member.
 * - `far`: the position is more than FAR_KM from the village's median
 *   position (of at least MIN_VILLAGE_FIXES forms' fixes).
 * - `same-position`: the cadre's forms of SAME_POSITION_MIN or more
 *   different households within SAME_POSITION_M of each other.
 * - `impossible-travel`: between the cadre's consecutive forms (by submit
 *   time), faster than TRAVEL_KMH over more than TRAVEL_MIN_KM.
 * - `burst`: BURST_COUNT or more of the cadre's forms submitted within
 *   BURST_MINUTES (device time: a day's work sent at once when a signal
 *   comes is not a burst).
 *
 * Only fixes with accuracy within MAX_ACCURACY_M count for positions.
 */
export const VISIT_FLAGS = ['too-fast', 'far', 'same-position', 'impossible-travel', 'burst'] as const;
export type VisitFlag = (typeof VISIT_FLAGS)[number];

export const VISIT_RULES = {
  MIN_SECONDS_PER_PERSON: 60,
  FAR_KM: 3,
  MIN_VILLAGE_FIXES: 3,
  SAME_POSITION_M: 10,
  SAME_POSITION_MIN: 3,
  TRAVEL_KMH: 30,
  TRAVEL_MIN_KM: 2,
  BURST_COUNT: 5,
  BURST_MINUTES: 10,
  MAX_ACCURACY_M: 200,
} as const;

export interface Fix {
  lat: number;
  lon: number;
  accuracyM: number;
}

export interface VisitRecord {
  formId: string;
  author: string;
  villageCode: string;
  householdId: string;
  persons: number;
  /** Device time of the submit (ISO), or null when the app did not record it. */
  submittedAt: string | null;
  /** Active seconds on the form, or null when not recorded. */
  activeSeconds: number | null;
  /** The best position of the visit: at submit, else the evidence step's, else at open. */
  fix: Fix | null;
}

/** Great-circle distance in km (haversine). */
export function distanceKm(a: Pick<Fix, 'lat' | 'lon'>, b: Pick<Fix, 'lat' | 'lon'>): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

const usable = (f: Fix | null): f is Fix => f !== null && f.accuracyM <= VISIT_RULES.MAX_ACCURACY_M;

/** The flags of each form (by form id); forms without a flag are absent. */
export function visitFlags(records: readonly VisitRecord[]): Map<string, VisitFlag[]> {
  const out = new Map<string, Set<VisitFlag>>();
  const flag = (id: string, f: VisitFlag) => {
    let s = out.get(id);
    if (!s) {
      s = new Set();
      out.set(id, s);
    }
    s.add(f);
  };
  const R = VISIT_RULES;

  for (const r of records) {
    if (r.activeSeconds !== null && r.activeSeconds < R.MIN_SECONDS_PER_PERSON * Math.max(1, r.persons)) flag(r.formId, 'too-fast');
  }

  const byVillage = new Map<string, VisitRecord[]>();
  const byAuthor = new Map<string, VisitRecord[]>();
  const push = <K>(m: Map<K, VisitRecord[]>, k: K, r: VisitRecord) => {
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  };
  for (const r of records) {
    push(byVillage, r.villageCode, r);
    push(byAuthor, r.author, r);
  }
  for (const rs of byVillage.values()) {
    const fixes = rs.map((r) => r.fix).filter(usable);
    if (fixes.length < R.MIN_VILLAGE_FIXES) continue;
    const centre = { lat: medianOf(fixes.map((f) => f.lat)), lon: medianOf(fixes.map((f) => f.lon)) };
    for (const r of rs) if (usable(r.fix) && distanceKm(r.fix, centre) > R.FAR_KM) flag(r.formId, 'far');
  }

  for (const rs of byAuthor.values()) {
    // Fixes in a grid of cells at least SAME_POSITION_M across: a fix's neighbours are in its cell or the 8 around it.
    const fixed = rs.filter((r): r is VisitRecord & { fix: Fix } => usable(r.fix));
    const cellDeg = (R.SAME_POSITION_M / 1000 / 6371) * (180 / Math.PI);
    const cell = (f: Fix, dLat = 0, dLon = 0) => `${Math.floor(f.lat / cellDeg) + dLat}:${Math.floor(f.lon / (cellDeg / Math.max(0.01, Math.cos((f.lat * Math.PI) / 180)))) + dLon}`;
    const grid = new Map<string, (VisitRecord & { fix: Fix })[]>();
    for (const r of fixed) {
      const k = cell(r.fix);
      const list = grid.get(k);
      if (list) list.push(r);
      else grid.set(k, [r]);
    }
    for (const r of fixed) {
      const near = new Set<string>();
      for (let dLat = -1; dLat <= 1; dLat++) {
        for (let dLon = -1; dLon <= 1; dLon++) {
          for (const o of grid.get(cell(r.fix, dLat, dLon)) ?? []) {
            if (o.householdId !== r.householdId && distanceKm(o.fix, r.fix) * 1000 <= R.SAME_POSITION_M) near.add(o.householdId);
          }
        }
      }
      if (near.size + 1 >= R.SAME_POSITION_MIN) flag(r.formId, 'same-position');
    }
    const timed = rs.filter((r): r is VisitRecord & { submittedAt: string } => r.submittedAt !== null).sort((a, b) => Date.parse(a.submittedAt) - Date.parse(b.submittedAt));
    for (let i = 1; i < timed.length; i++) {
      const a = timed[i - 1];
      const b = timed[i];
      if (!a || !b || !usable(a.fix) || !usable(b.fix)) continue;
      const km = distanceKm(a.fix, b.fix);
      const hours = Math.max(1 / 3600, (Date.parse(b.submittedAt) - Date.parse(a.submittedAt)) / 3_600_000);
      if (km > R.TRAVEL_MIN_KM && km / hours > R.TRAVEL_KMH) flag(b.formId, 'impossible-travel');
    }
    const windowMs = R.BURST_MINUTES * 60_000;
    let start = 0;
    for (let end = 0; end < timed.length; end++) {
      const last = Date.parse(timed[end]?.submittedAt ?? '');
      while (Date.parse(timed[start]?.submittedAt ?? '') < last - windowMs) start++;
      if (end - start + 1 >= R.BURST_COUNT) for (let k = start; k <= end; k++) flag(timed[k]?.formId ?? '', 'burst');
    }
  }
  return new Map([...out].map(([id, s]) => [id, VISIT_FLAGS.filter((f) => s.has(f))]));
}
