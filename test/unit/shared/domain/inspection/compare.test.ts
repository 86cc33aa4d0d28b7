import { describe, expect, it } from 'vitest';
import { amountsAgree, compareForms, COMPARE_FIELDS, errorRate, type CompareField } from '#shared/domain/inspection/compare.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';

function body(): CheckFormBody {
  return {
    householdId: 'h1',
    villageCode: '421321101200',
    kind: 'cadre',
    periodFrom: '2020-01',
    periodTo: '2021-12',
    outcome: 'checked',
    outcomeReason: '',
    household: { groupName: '一组', houseNumber: '12', headPersonId: 'pA', phone: '138 1234 5678', hasCadreRelative: false, cadreRelativeNote: '' },
    members: [
      { personId: 'pA', name: '李建国', idNumber: null, isNew: false, present: true, identityChecked: true, status: 'living', statusDate: null, relation: '户主', note: '' },
      { personId: 'pB', name: '王秀英', idNumber: null, isNew: false, present: false, identityChecked: null, status: 'deceased', statusDate: '2021-03-15', relation: '配偶', note: '' },
    ],
    items: [
      { personId: 'pA', itemCode: 'MZ01', ledgerAmountFen: 1152000, ledgerLineCount: 24, knows: true, received: 'yes', amountReceivedFen: 1152000, onTime: true, intoOwnCard: true, distribution: 'direct', note: '' },
    ],
    accounts: [
      { accountId: 'a1', accountMasked: '6217 **** **** 0001', accountNumber: '', bankName: '湖北农信', holderPersonId: 'pA', heldBy: 'self', cardCount: 1, bankConfirmed: '', feesDeducted: false, feeAmountFen: null, smsReceived: true },
    ],
    publicity: { sawPolicyList: true, sawResults: true },
    evidence: { interviewers: ['李'], visitedAt: null, gps: null, gpsUnavailableReason: '', signatureBlob: null, photoBlobs: [], remarks: '' },
    problems: [],
  };
}

type Edit = (b: CheckFormBody) => void;
const first = <T>(xs: T[]): T => {
  const x = xs[0];
  if (x === undefined) throw new Error('empty');
  return x;
};

describe('compareForms', () => {
  it('finds no difference between two identical forms, and counts what it compared by class', () => {
    const c = compareForms(body(), { ...body(), kind: 'inspection' });
    expect(c.differing).toBe(0);
    expect(c.byClass.T1.compared).toBeGreaterThan(5);
    expect(c.byClass.T2.compared).toBeGreaterThan(5);
    expect(c.byClass.T3.compared).toBe(4);
    expect(c.compared).toBe(c.byClass.T1.compared + c.byClass.T2.compared + c.byClass.T3.compared);
  });

  const cases: [string, Edit, CompareField, 'T1' | 'T2' | 'T3'][] = [
    ['a member present or not', (b) => void (first(b.members).present = false), 'member.present', 'T1'],
    ['a member living or deceased', (b) => void (first(b.members).status = 'deceased'), 'member.status', 'T1'],
    ['a member added on the spot', (b) => void b.members.push({ ...first(b.members), personId: 'new:x', isNew: true }), 'member.newCount', 'T1'],
    ['received or not', (b) => void (first(b.items).received = 'no'), 'item.received', 'T1'],
    ['the amount, beyond the tolerance', (b) => void (first(b.items).amountReceivedFen = 900000), 'item.amountReceived', 'T1'],
    ['who holds the card', (b) => void (first(b.accounts).heldBy = 'cadre'), 'account.heldBy', 'T1'],
    ['the problems found', (b) => void b.problems.push({ key: 'k', code: 'C4', amountFen: null, description: '卡由村干部保管', personIds: ['pA'], source: 'manual' }), 'problems', 'T1'],
    ['whether the person knows the item', (b) => void (first(b.items).knows = false), 'item.knows', 'T2'],
    ['paid on time', (b) => void (first(b.items).onTime = false), 'item.onTime', 'T2'],
    ['how many cards', (b) => void (first(b.accounts).cardCount = 3), 'account.cardCount', 'T2'],
    ['identity checked', (b) => void (first(b.members).identityChecked = false), 'member.identityChecked', 'T2'],
    ['a cadre relative', (b) => void (b.household.hasCadreRelative = true), 'household.hasCadreRelative', 'T2'],
    ['the phone', (b) => void (b.household.phone = '13900000000'), 'household.phone', 'T3'],
    ['the house number', (b) => void (b.household.houseNumber = '13'), 'household.houseNumber', 'T3'],
    ['saw the results posted', (b) => void (b.publicity.sawResults = false), 'publicity.sawResults', 'T3'],
  ];
  it.each(cases)('tells apart %s', (_name, edit, field, cls) => {
    const inspector = body();
    edit(inspector);
    const c = compareForms(body(), inspector);
    expect(c.fields.filter((f) => f.differs).map((f) => f.field)).toEqual([field]);
    expect(COMPARE_FIELDS[field]).toBe(cls);
    expect(c.byClass[cls].differing).toBe(1);
  });

  it('does not count an answer one side left open as a difference', () => {
    const inspector = body();
    first(inspector.items).onTime = null;
    first(inspector.accounts).smsReceived = null;
    const c = compareForms(body(), inspector);
    expect(c.differing).toBe(0);
    expect(c.fields.some((f) => f.field === 'item.onTime')).toBe(false);
  });

  it('compares only the outcome when one side did not find the household', () => {
    const inspector = { ...body(), outcome: 'not-found' as const };
    const c = compareForms(body(), inspector);
    expect(c.fields).toEqual([{ field: 'outcome', cls: 'T1', about: '', cadre: 'checked', inspector: 'not-found', differs: true }]);
  });

  it('ignores members, items and accounts only one form has (matched by key)', () => {
    const inspector = body();
    first(inspector.items).personId = 'pZ';
    const c = compareForms(body(), inspector);
    expect(c.fields.some((f) => f.field.startsWith('item.'))).toBe(false);
  });

  it('phone numbers compare by digits only', () => {
    const inspector = body();
    inspector.household.phone = '13812345678';
    expect(compareForms(body(), inspector).differing).toBe(0);
  });
});

describe('amountsAgree', () => {
  it.each([
    [100000, 100000, true],
    [100000, 100900, true], // 9 yuan apart: within 10 yuan
    [100000, 101100, true], // 11 yuan apart but within 5%
    [10000, 12000, false], // 20 yuan apart and 17%
    [1152000, 900000, false],
  ])('%i and %i fen: %s', (a, b, want) => {
    expect(amountsAgree(a, b)).toBe(want);
  });
});

describe('errorRate', () => {
  it('is differing over compared, 0 for nothing compared', () => {
    expect(errorRate({ compared: 20, differing: 3 })).toBe(0.15);
    expect(errorRate({ compared: 0, differing: 0 })).toBe(0);
  });
});
