import { describe, expect, it } from 'vitest';
import { maskCitizenId } from '#shared/domain/mask.ts';
import { buildHouseholdSearchIndex, parseSearchQuery, searchHouseholds, type SearchablePerson } from '#shared/domain/household-search.ts';

const households = [
  { id: 'h1', houseNumber: '1', headPersonId: '421321195906117433' },
  { id: 'h2', houseNumber: '12', headPersonId: '42132119630313766X' },
  { id: 'h3', houseNumber: '12-1', headPersonId: '421321197001011234' },
  { id: 'h4', houseNumber: '２号', headPersonId: '421321198001015678' },
];
// Person ids here are the IDs themselves for readability; a device only has their masked form.
const persons: SearchablePerson[] = (
  [
  { id: '421321195906117433', householdId: 'h1', name: '李建国', pinyinInitials: 'ljg' },
  { id: '421321198506110021', householdId: 'h1', name: '李小红', pinyinInitials: 'lxh' },
  { id: '42132119630313766X', householdId: 'h2', name: '王秀英', pinyinInitials: 'wxy' },
  { id: '421321199910107433', householdId: 'h2', name: '刘建', pinyinInitials: 'lj' },
  { id: '421321197001011234', householdId: 'h3', name: '张国强', pinyinInitials: 'zgq' },
  { id: '421321198001015678', householdId: 'h4', name: '陈建国', pinyinInitials: 'cjg' },
  ] satisfies Omit<SearchablePerson, 'idMasked'>[]
).map((p) => ({ ...p, idMasked: maskCitizenId(p.id) }));
const index = buildHouseholdSearchIndex(households, persons);
const ids = (q: string) => searchHouseholds(index, q).hits.map((h) => h.householdId);

describe('parseSearchQuery', () => {
  it('folds full-width input, spaces and a trailing 号', () => {
    expect(parseSearchQuery(' １２ 号')).toEqual({ kind: 'digits', value: '12' });
    expect(parseSearchQuery('ＬＪＧ')).toEqual({ kind: 'initials', value: 'ljg' });
    expect(parseSearchQuery('0021X')).toEqual({ kind: 'digits', value: '0021x' });
    expect(parseSearchQuery('李 建')).toEqual({ kind: 'text', value: '李建' });
    expect(parseSearchQuery('   ')).toEqual({ kind: 'empty' });
  });
});

describe('searchHouseholds', () => {
  it('finds a household by any part of a member name, the head first', () => {
    expect(ids('建国')).toEqual(['h1', 'h4']);
    // 李小红 is not the head of h1, but h1 is still found through her.
    const hit = searchHouseholds(index, '小红').hits[0];
    expect(hit).toEqual({ householdId: 'h1', match: 'name', personId: '421321198506110021' });
  });

  it('matches pinyin initials as a prefix, exact heads ahead of longer ones', () => {
    expect(ids('ljg')).toEqual(['h1']);
    // 'lj': 李建国 (head, prefix) in h1, 刘建 (member, exact) in h2, 李小红 does not start with lj.
    expect(ids('lj')).toEqual(['h1', 'h2']);
    expect(ids('jg')).toEqual([]);
  });

  it('matches house numbers exactly before by prefix, and full-width ones', () => {
    expect(ids('12')).toEqual(['h2', 'h3']);
    expect(ids('12号')).toEqual(['h2', 'h3']);
    expect(ids('2')).toEqual(['h4']);
  });

  it('matches the last 4 digits of any member ID (all a masked ID shows), including a final X', () => {
    expect(ids('7433')).toEqual(['h1', 'h2']);
    const viaMember = searchHouseholds(index, '0021').hits[0];
    expect(viaMember).toEqual({ householdId: 'h1', match: 'id-suffix', personId: '421321198506110021' });
    expect(ids('766x')).toEqual(['h2']);
    expect(ids('766X')).toEqual(['h2']);
    // More digits than the device knows: their last 4 are compared.
    expect(ids('06117433')).toEqual(['h1', 'h2']);
    // Three digits are a house-number search only.
    expect(ids('433')).toEqual([]);
  });

  it('reports the total beyond the limit', () => {
    const r = searchHouseholds(index, 'l', 1);
    expect(r.hits).toHaveLength(1);
    expect(r.total).toBe(2);
  });

  it('ignores people whose household is not in the index', () => {
    const partial = buildHouseholdSearchIndex(households.slice(0, 1), persons);
    expect(searchHouseholds(partial, '国').hits.map((h) => h.householdId)).toEqual(['h1']);
  });
});
