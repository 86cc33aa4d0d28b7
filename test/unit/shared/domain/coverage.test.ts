import { describe, expect, it } from 'vitest';
import { computeCoverage, coveragePercent, type CoverageForm } from '#shared/domain/coverage.ts';

const households = [{ id: 'h1' }, { id: 'h2' }, { id: 'h3' }];
const persons = [
  { id: 'p1', householdId: 'h1' },
  { id: 'p2', householdId: 'h1' },
  { id: 'p3', householdId: 'h2' },
  { id: 'p4', householdId: 'h3' },
];
// Two payment lines of the same pair count once.
const itemLines = [
  { householdId: 'h1', personId: 'p1', itemCode: 'MZ01' },
  { householdId: 'h1', personId: 'p1', itemCode: 'MZ01' },
  { householdId: 'h1', personId: 'p2', itemCode: 'CL01' },
  { householdId: 'h2', personId: 'p3', itemCode: 'NY01' },
  { householdId: 'h3', personId: 'p4', itemCode: 'NY01' },
];

const member = (personId: string, present: boolean | null, status: string | null) => ({ personId, present, status });
const item = (personId: string, itemCode: string, received: string | null) => ({ personId, itemCode, received });

describe('computeCoverage', () => {
  it('is all zero with no submitted form', () => {
    const c = computeCoverage({ households, persons, itemLines, submittedForms: [] });
    expect(c.households).toEqual({ covered: 0, total: 3 });
    expect(c.persons).toEqual({ covered: 0, total: 4 });
    expect(c.items).toEqual({ covered: 0, total: 4 });
    expect(c.gaps).toEqual([]);
  });

  it('counts a person only with both present and status answered, an item only with received answered', () => {
    const forms: CoverageForm[] = [
      {
        householdId: 'h1',
        members: [member('p1', true, 'living'), member('p2', false, null)],
        items: [item('p1', 'MZ01', 'yes'), item('p2', 'CL01', null)],
      },
    ];
    const c = computeCoverage({ households, persons, itemLines, submittedForms: forms });
    expect(c.households).toEqual({ covered: 1, total: 3 });
    expect(c.persons).toEqual({ covered: 1, total: 4 });
    expect(c.items).toEqual({ covered: 1, total: 4 });
    // h1 is checked but left p2 and CL01 of p2 unanswered: 户不漏人、人不漏项.
    expect(c.gaps).toEqual([{ householdId: 'h1', persons: 1, items: 1 }]);
  });

  it('counts a household that could not be found as checked, its people and items not', () => {
    const forms: CoverageForm[] = [{ householdId: 'h2', members: [member('p3', null, null)], items: [] }];
    const c = computeCoverage({ households, persons, itemLines, submittedForms: forms });
    expect(c.households.covered).toBe(1);
    expect(c.persons.covered).toBe(0);
    expect(c.gaps).toEqual([{ householdId: 'h2', persons: 1, items: 1 }]);
  });

  it('ignores members added on the spot, items not in the ledger, and answers for another household', () => {
    const forms: CoverageForm[] = [
      {
        householdId: 'h3',
        members: [member('p4', true, 'living'), member('new:1', true, 'living'), member('p1', true, 'living')],
        items: [item('p4', 'NY01', 'no'), item('p4', 'XX99', 'yes'), item('p1', 'MZ01', 'yes')],
      },
    ];
    const c = computeCoverage({ households, persons, itemLines, submittedForms: forms });
    expect(c.persons).toEqual({ covered: 1, total: 4 });
    expect(c.items).toEqual({ covered: 1, total: 4 });
    expect(c.gaps).toEqual([]);
  });

  it('only looks at the households in scope', () => {
    const forms: CoverageForm[] = [{ householdId: 'elsewhere', members: [member('p9', true, 'living')], items: [] }];
    const c = computeCoverage({ households: households.slice(0, 1), persons, itemLines, submittedForms: forms });
    expect(c.households).toEqual({ covered: 0, total: 1 });
    expect(c.persons.total).toBe(2);
    expect(c.items.total).toBe(2);
  });

  it('is complete when everything is answered', () => {
    const forms: CoverageForm[] = [
      { householdId: 'h1', members: [member('p1', true, 'living'), member('p2', true, 'moved-out')], items: [item('p1', 'MZ01', 'yes'), item('p2', 'CL01', 'partly')] },
      { householdId: 'h2', members: [member('p3', false, 'deceased')], items: [item('p3', 'NY01', 'no')] },
      { householdId: 'h3', members: [member('p4', true, 'living')], items: [item('p4', 'NY01', 'yes')] },
    ];
    const c = computeCoverage({ households, persons, itemLines, submittedForms: forms });
    expect([c.households, c.persons, c.items].map(coveragePercent)).toEqual([100, 100, 100]);
    expect(c.gaps).toEqual([]);
  });
});

describe('coveragePercent', () => {
  it('rounds down, and an empty total is complete', () => {
    expect(coveragePercent({ covered: 2, total: 3 })).toBe(66);
    expect(coveragePercent({ covered: 0, total: 0 })).toBe(100);
  });
});
