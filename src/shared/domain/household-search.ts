/**
 * Finding a household on the phone, offline: by a member's name (any part),
 * by the pinyin initials of a member's name (prefix: 'lj' or 'ljg' finds
 * 李建国), by house number, or by the last 4 digits of any member's ID (the
 * device holds masked IDs only: '4213**********1234').
 *
 * The index is flat arrays built once per screen visit; a query is one
 * linear pass over the people (includes / startsWith / endsWith on short
 * strings). At 30,000 people that is a few milliseconds even on a cheap
 * phone, with no build cost beyond copying the strings, and it needs no
 * tokenizer for Chinese: a substring of a name is a substring.
 */
import { stripWhitespace, toHalfWidth } from './normalize.ts';

export interface SearchableHousehold {
  id: string;
  houseNumber: string;
  headPersonId: string;
}

export interface SearchablePerson {
  /** The person's key. */
  id: string;
  /** The masked citizen ID: its last 4 characters are all the device knows. */
  idMasked: string;
  householdId: string;
  name: string;
  /** Lower-case initials of the name, made on the server ('ljg'). */
  pinyinInitials: string;
}

export type SearchMatch = 'house-number' | 'id-suffix' | 'initials' | 'name';

export interface SearchHit {
  householdId: string;
  match: SearchMatch;
  /** The member whose name, initials or ID matched; null for a house number. */
  personId: string | null;
}

export type ParsedQuery =
  | { kind: 'empty' }
  /** Digits (an ID may end in X): a house number, and with 4 or more, an ID's last digits. */
  | { kind: 'digits'; value: string }
  | { kind: 'initials'; value: string }
  | { kind: 'text'; value: string };

/** Minimum digits for an ID-suffix search: fewer would match most of the village. */
export const MIN_ID_DIGITS = 4;

/**
 * What the cadre typed, normalised: full-width forms from Chinese keyboards
 * folded to ASCII, spaces removed, a trailing 号 dropped ('12号' is house 12).
 */
export function parseSearchQuery(raw: string): ParsedQuery {
  const q = stripWhitespace(toHalfWidth(raw)).toLowerCase();
  if (q === '') return { kind: 'empty' };
  const house = q.endsWith('号') ? q.slice(0, -1) : q;
  if (/^\d+x?$/.test(house)) return { kind: 'digits', value: house };
  if (/^[a-z]+$/.test(q)) return { kind: 'initials', value: q };
  return { kind: 'text', value: q };
}

export interface HouseholdSearchIndex {
  readonly householdIds: readonly string[];
  readonly houseNumbers: readonly string[];
  readonly names: readonly string[];
  readonly initials: readonly string[];
  readonly personIds: readonly string[];
  /** The last 4 characters of each masked ID, upper-cased ('002x' finds …002X). */
  readonly idsUpper: readonly string[];
  /** Household position of each person, -1 when the household is not in the index. */
  readonly personHousehold: Int32Array;
  readonly personIsHead: Uint8Array;
}

function normHouseNumber(s: string): string {
  const n = stripWhitespace(toHalfWidth(s)).toLowerCase();
  return n.endsWith('号') ? n.slice(0, -1) : n;
}

/** Households keep the caller's order: results with equal rank come out in that order. */
export function buildHouseholdSearchIndex(households: readonly SearchableHousehold[], persons: readonly SearchablePerson[]): HouseholdSearchIndex {
  const pos = new Map<string, number>();
  const heads = new Set<string>();
  households.forEach((h, i) => {
    pos.set(h.id, i);
    heads.add(h.headPersonId);
  });
  const n = persons.length;
  const names = new Array<string>(n);
  const initials = new Array<string>(n);
  const personIds = new Array<string>(n);
  const idsUpper = new Array<string>(n);
  const personHousehold = new Int32Array(n);
  const personIsHead = new Uint8Array(n);
  persons.forEach((p, i) => {
    names[i] = p.name.toLowerCase();
    initials[i] = p.pinyinInitials;
    personIds[i] = p.id;
    idsUpper[i] = p.idMasked.slice(-MIN_ID_DIGITS).toUpperCase();
    personHousehold[i] = pos.get(p.householdId) ?? -1;
    personIsHead[i] = heads.has(p.id) ? 1 : 0;
  });
  return {
    householdIds: households.map((h) => h.id),
    houseNumbers: households.map((h) => normHouseNumber(h.houseNumber)),
    names,
    initials,
    personIds,
    idsUpper,
    personHousehold,
    personIsHead,
  };
}

/**
 * Rank of a hit, lower first: the exact answer to what was typed, then the
 * head of household over other members, then looser matches.
 */
const RANK = {
  exact: 0,
  headExact: 1,
  head: 2,
  memberExact: 3,
  member: 4,
  housePrefix: 5,
  none: 255,
} as const;

export interface SearchResult {
  hits: SearchHit[];
  /** Households matching in all, of which `hits` holds the first `limit`. */
  total: number;
}

export function searchHouseholds(index: HouseholdSearchIndex, raw: string, limit = 50): SearchResult {
  const query = parseSearchQuery(raw);
  if (query.kind === 'empty') return { hits: [], total: 0 };
  const hn = index.householdIds.length;
  const rank = new Uint8Array(hn).fill(RANK.none);
  const via = new Int32Array(hn).fill(-1);
  const matchOf = new Array<SearchMatch | undefined>(hn);

  const offer = (h: number, r: number, match: SearchMatch, person: number) => {
    if (h < 0 || r >= (rank[h] ?? RANK.none)) return;
    rank[h] = r;
    via[h] = person;
    matchOf[h] = match;
  };

  const q = query.value;
  if (query.kind === 'digits') {
    if (!q.endsWith('x')) {
      index.houseNumbers.forEach((house, h) => {
        if (house === q) offer(h, RANK.exact, 'house-number', -1);
        else if (house.startsWith(q)) offer(h, RANK.housePrefix, 'house-number', -1);
      });
    }
    if (q.length >= MIN_ID_DIGITS) {
      // More digits than the device knows: the last 4 of them are what can be compared.
      const suffix = q.slice(-MIN_ID_DIGITS).toUpperCase();
      index.idsUpper.forEach((id, i) => {
        if (id === suffix) offer(index.personHousehold[i] ?? -1, index.personIsHead[i] === 1 ? RANK.exact : RANK.headExact, 'id-suffix', i);
      });
    }
  } else {
    const field = query.kind === 'initials' ? index.initials : index.names;
    const match: SearchMatch = query.kind === 'initials' ? 'initials' : 'name';
    const prefix = query.kind === 'initials';
    field.forEach((v, i) => {
      if (prefix ? !v.startsWith(q) : !v.includes(q)) return;
      const exact = v === q;
      const head = index.personIsHead[i] === 1;
      offer(index.personHousehold[i] ?? -1, head ? (exact ? RANK.headExact : RANK.head) : exact ? RANK.memberExact : RANK.member, match, i);
    });
  }

  const found: number[] = [];
  rank.forEach((r, h) => {
    if (r !== RANK.none) found.push(h);
  });
  found.sort((a, b) => (rank[a] ?? 0) - (rank[b] ?? 0) || a - b);
  const hits = found.slice(0, limit).map((h): SearchHit => {
    const p = via[h] ?? -1;
    return { householdId: index.householdIds[h] ?? '', match: matchOf[h] ?? 'name', personId: p >= 0 ? (index.personIds[p] ?? null) : null };
  });
  return { hits, total: found.length };
}
