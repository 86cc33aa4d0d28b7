import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { luhnCheckDigit } from '#shared/domain/account-number.ts';
import { DEFAULT_CHECK_PERIOD, formIssues, lineInPeriod, prefillForm, proposeProblems, sectionsFor, type LedgerContext } from '#shared/domain/check-form-rules.ts';
import { citizenIdCheckDigit } from '#shared/domain/citizen-id.ts';
import { CheckFormBodySchema, type CheckFormBody } from '#shared/schemas/check-form.ts';
import type { Account, Household, PaymentLine, Person, SubsidyItem } from '#shared/schemas/roster.ts';
import type { LedgerLine } from '#shared/domain/check-form-prefill.ts';
import { asLedgerAccount, asLedgerLine, testAccountKey, withIdMasked } from '../../../fixtures/ledger.ts';

const id = (first17: string) => first17 + citizenIdCheckDigit(first17);
const HEAD = id('42132119500101001'); // 1950-01-01, male
const SPOUSE = id('42132119520304002'); // 1952-03-04, female
const SON = id('42132119800607003');
const card = (partial: string) => partial + luhnCheckDigit(partial);
const HEAD_CARD = card('621700000000000001');
const SPOUSE_CARD = card('621700000000000002');
const BAD_LUHN_CARD = (() => {
  const good = card('621700000000000009');
  return good.slice(0, -1) + String((Number(good.slice(-1)) + 1) % 10);
})();
const PASSBOOK = '1201234567890';

const household: Household = { id: '421321101200-01-001', villageCode: '421321101200', groupName: '一组', houseNumber: '1', headPersonId: HEAD, phone: '13812345678' };

function person(pid: string, name: string, relation: Person['relation'], patch: Partial<Person> = {}): Person {
  const birth = `${pid.slice(6, 10)}-${pid.slice(10, 12)}-${pid.slice(12, 14)}`;
  return { id: pid, householdId: household.id, name, sex: Number(pid.charAt(16)) % 2 === 1 ? 'M' : 'F', birthDate: birth, relation, status: 'living', ...patch };
}

const persons: Person[] = [
  // Deliberately not in display order: the prefill sorts head first.
  person(SON, '李小军', '子', { status: 'moved-out', statusDate: '2019-05-01' }),
  person(SPOUSE, '王秀英', '配偶', { status: 'deceased', statusDate: '2021-03-15' }),
  person(HEAD, '李建国', '户主'),
];

const items: SubsidyItem[] = [
  { code: 'MZ01', name: '农村最低生活保障金', department: '民政', unit: 'household', standardAmountFen: 48000, period: 'month', amountBasis: 'fixed', meansTested: true },
  { code: 'MZ05', name: '高龄津贴（80—89周岁）', department: '民政', unit: 'person', standardAmountFen: 5000, period: 'month', amountBasis: 'fixed', meansTested: false },
  { code: 'NY01', name: '耕地地力保护补贴', department: '农业农村', unit: 'household', standardAmountFen: 12000, period: 'year', amountBasis: 'per-mu', meansTested: false },
];

const rosterAccounts: Account[] = [
  { number: HEAD_CARD, type: 'card', bankName: '湖北农信', holderPersonId: HEAD },
  { number: SPOUSE_CARD, type: 'card', bankName: '湖北农信', holderPersonId: SPOUSE },
  { number: PASSBOOK, type: 'passbook', bankName: '邮储银行', holderPersonId: HEAD },
];
const accounts = rosterAccounts.map(asLedgerAccount);
/** The key the device knows a card or passbook of this household by. */
const acct = (number: string) => testAccountKey(number, number === PASSBOOK ? '邮储银行' : '湖北农信');

function line(itemCode: string, beneficiary: string, period: string, amountFen: number, account = HEAD_CARD, paidOn?: string): LedgerLine {
  return asLedgerLine({ id: `${itemCode}:${beneficiary}:${period}:1`, itemCode, beneficiaryPersonId: beneficiary, householdId: household.id, period, amountFen, paidOn: paidOn ?? `${period.slice(0, 4)}-12-20`, accountNumber: account, bankName: account === PASSBOOK ? '邮储银行' : '湖北农信' } satisfies PaymentLine);
}

const lines: LedgerLine[] = [
  // 低保 for the household: 24 months 2020–2021 at 480 yuan, plus one 2019 line outside the period.
  ...Array.from({ length: 24 }, (_, i) => line('MZ01', HEAD, `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, 48000)),
  line('MZ01', HEAD, '2019-12', 48000),
  // 高龄津贴 for the spouse, monthly into her card, 2021-01..2021-06: three months after her death on 2021-03-15.
  ...Array.from({ length: 6 }, (_, i) => line('MZ05', SPOUSE, `2021-0${i + 1}`, 5000, SPOUSE_CARD)),
  // 耕地地力 by year into the passbook.
  line('NY01', HEAD, '2020', 36000, PASSBOOK),
  line('NY01', HEAD, '2021', 36000, PASSBOOK),
];

const ledger: LedgerContext = { paymentLines: lines, items, persons };
/** The roster as formIssues sees it on a device: keys, birth dates, masked IDs. */
const roster = persons.map(withIdMasked);

function prefilled(): CheckFormBody {
  return prefillForm(household, persons, accounts, lines, items, DEFAULT_CHECK_PERIOD, '李建国', { visitedAt: '2022-06-01T09:30:00+08:00' });
}

/** A form answered completely and without contradictions. */
function complete(): CheckFormBody {
  const b = prefilled();
  b.household.hasCadreRelative = false;
  for (const m of b.members) {
    m.present = m.personId === HEAD;
    m.identityChecked = m.personId === HEAD ? true : null;
  }
  b.members[1]!.statusDate = '2021-03-15';
  for (const it of b.items) {
    it.knows = true;
    it.received = 'yes';
    it.amountReceivedFen = it.ledgerAmountFen;
    it.onTime = true;
    it.intoOwnCard = true;
    it.distribution = 'direct';
  }
  for (const a of b.accounts) {
    a.heldBy = 'self';
    a.cardCount = 1;
    a.feesDeducted = false;
    a.smsReceived = true;
  }
  b.publicity = { sawPolicyList: true, sawResults: true };
  b.evidence.gps = { lat: 31.85, lon: 113.3, accuracyM: 12, at: '2022-06-01T09:31:00+08:00' };
  b.evidence.signatureBlob = 'a'.repeat(64);
  return b;
}

const NOW = new Date('2022-06-01T12:00:00+08:00');
const paths = (issues: { path: string }[]) => issues.map((i) => i.path);

describe('lineInPeriod', () => {
  it('counts a line whose period overlaps the check period', () => {
    expect(lineInPeriod({ period: '2020-01', paidOn: '2020-01-20' }, DEFAULT_CHECK_PERIOD)).toBe(true);
    expect(lineInPeriod({ period: '2021-Q4', paidOn: '2022-01-05' }, DEFAULT_CHECK_PERIOD)).toBe(true);
    expect(lineInPeriod({ period: '2019-12', paidOn: '2020-01-05' }, DEFAULT_CHECK_PERIOD)).toBe(false);
    expect(lineInPeriod({ period: '2022', paidOn: '2022-03-01' }, DEFAULT_CHECK_PERIOD)).toBe(false);
  });
});

describe('prefillForm', () => {
  const b = prefilled();

  it('is a valid form body from the first save', () => {
    const parsed = z.safeParse(CheckFormBodySchema, b);
    expect(parsed.error?.issues).toBeUndefined();
  });

  it('lists every member, head first, with the roster status to confirm and no answers yet', () => {
    expect(b.members.map((m) => m.name)).toEqual(['李建国', '王秀英', '李小军']);
    expect(b.members[1]).toMatchObject({ personId: SPOUSE, status: 'deceased', statusDate: '2021-03-15', present: null, identityChecked: null, isNew: false });
    expect(b.members[2]).toMatchObject({ status: 'moved-out', statusDate: '2019-05-01' });
  });

  it('lists each item of each member with the ledger totals of the period; household items under the head', () => {
    expect(b.items.map((i) => [i.personId, i.itemCode, i.ledgerLineCount, i.ledgerAmountFen])).toEqual([
      [HEAD, 'MZ01', 24, 24 * 48000],
      [HEAD, 'NY01', 2, 72000],
      [SPOUSE, 'MZ05', 6, 30000],
    ]);
    expect(b.items.every((i) => i.knows === null && i.received === null && i.amountReceivedFen === null)).toBe(true);
  });

  it('lists every account of the members with its type, and fills the household facts', () => {
    expect(b.accounts.map((a) => [a.accountId, a.accountMasked, a.accountNumber, a.holderPersonId, a.accountType])).toEqual([
      [acct(PASSBOOK), '1201 **** **** 7890', '', HEAD, 'passbook'],
      [acct(HEAD_CARD), `6217 **** **** ${HEAD_CARD.slice(-4)}`, '', HEAD, 'card'],
      [acct(SPOUSE_CARD), `6217 **** **** ${SPOUSE_CARD.slice(-4)}`, '', SPOUSE, 'card'],
    ]);
    expect(b.household).toMatchObject({ groupName: '一组', houseNumber: '1', headPersonId: HEAD, phone: '13812345678', hasCadreRelative: null });
    expect(b.evidence).toMatchObject({ interviewers: ['李建国'], visitedAt: '2022-06-01T09:30:00+08:00', signatureBlob: null, photoBlobs: [] });
    expect(b).toMatchObject({ kind: 'cadre', outcome: 'checked', periodFrom: '2020-01', periodTo: '2021-12', problems: [] });
  });

  it('adds an account the household was paid into even when nobody in it holds it', () => {
    const stranger = card('622800000000000077');
    const extra = [...lines, line('MZ01', HEAD, '2021-12', 48000, stranger)];
    const f = prefillForm(household, persons, accounts, extra, items, DEFAULT_CHECK_PERIOD, '李建国', { kind: 'inspection' });
    expect(f.kind).toBe('inspection');
    expect(f.accounts.find((a) => a.accountId === acct(stranger))).toMatchObject({ holderPersonId: '' });
    expect(f.accounts.find((a) => a.accountId === acct(stranger))).not.toHaveProperty('accountType');
  });
});

describe('proposeProblems', () => {
  it('proposes nothing for a complete form that agrees with the ledger', () => {
    const b = complete();
    // The deceased spouse's 高龄津贴 after her death is a finding whatever the answers.
    expect(proposeProblems(b, ledger).map((p) => p.code)).toEqual(['A3']);
  });

  it('proposes A3 with the amount paid after a death, personal items only', () => {
    const [a3] = proposeProblems(complete(), ledger);
    // Periods 2021-04, -05, -06 start after 2021-03-15.
    expect(a3).toMatchObject({ code: 'A3', amountFen: 15000, personIds: [SPOUSE], source: 'proposed' });
    expect(a3!.description).toContain('王秀英已死亡（2021-03-15）');
    expect(a3!.description).toContain('3 笔');
  });

  it('proposes A2 with the difference when less was received than the ledger, C3 when someone else held the card', () => {
    const b = complete();
    const low = b.items[0]!;
    low.received = 'partly';
    low.amountReceivedFen = 1_000_000;
    const short = proposeProblems(b, ledger).find((p) => p.key.includes('MZ01'));
    expect(short).toMatchObject({ code: 'A2', amountFen: 24 * 48000 - 1_000_000, personIds: [HEAD] });
    expect(short!.description).toContain('相差 1,520.00 元');

    b.accounts.find((a) => a.accountId === acct(HEAD_CARD))!.heldBy = 'cadre';
    const codes = proposeProblems(b, ledger).map((p) => p.code);
    expect(codes).toContain('C3');
    expect(codes).toContain('C4');
    expect(codes).not.toContain('A2');
  });

  it('proposes the whole ledger amount when nothing was received', () => {
    const b = complete();
    b.items[2]!.received = 'no';
    const p = proposeProblems(b, ledger).find((x) => x.key.endsWith(`${SPOUSE}:MZ05`));
    expect(p).toMatchObject({ code: 'A2', amountFen: 30000 });
    expect(p!.description).toContain('本人称未收到');
  });

  it('proposes A2 for late money, A4 for cash or second distribution, A5 for items not known and publicity not seen', () => {
    const b = complete();
    b.items[1]!.onTime = false;
    b.items[1]!.distribution = 'second-distribution';
    b.items[2]!.knows = false;
    b.publicity.sawResults = false;
    const byCode = new Map(proposeProblems(b, ledger).map((p) => [p.code, p]));
    expect(byCode.get('A2')?.key).toBe(`auto:A2:late:${HEAD}:NY01`);
    expect(byCode.get('A4')).toMatchObject({ amountFen: 72000 });
    expect(byCode.get('A4')!.description).toContain('二次分配');
    expect(byCode.get('A5')!.description).toContain('未见过发放结果公示');
    expect(byCode.get('A5')!.description).toContain('王秀英「高龄津贴（80—89周岁）」');
  });

  it('proposes C4 for a card kept by a cadre, B3 for fees, B1 for several cards', () => {
    const b = complete();
    const passbook = b.accounts.find((a) => a.accountId === acct(PASSBOOK))!;
    passbook.heldBy = 'cadre';
    passbook.feesDeducted = true;
    passbook.feeAmountFen = 1200;
    b.accounts.find((a) => a.accountId === acct(HEAD_CARD))!.cardCount = 3;
    const byCode = new Map(proposeProblems(b, ledger).map((p) => [p.code, p]));
    expect(byCode.get('C4')).toMatchObject({ amountFen: 72000, personIds: [HEAD] });
    expect(byCode.get('C4')!.description).toContain('1201 **** **** 7890');
    expect(byCode.get('C4')!.description).not.toContain(PASSBOOK);
    expect(byCode.get('B3')).toMatchObject({ amountFen: 1200 });
    expect(byCode.get('B1')!.description).toContain('3 张');
  });

  it('proposes C1 when a cadre relative receives means-tested assistance, from the answer or else the roster', () => {
    const b = complete();
    b.household.hasCadreRelative = true;
    b.household.cadreRelativeNote = '村主任之弟';
    const c1 = proposeProblems(b, ledger).find((p) => p.code === 'C1');
    expect(c1).toMatchObject({ amountFen: 24 * 48000, personIds: [HEAD] });
    expect(c1!.description).toContain('村主任之弟');

    b.household.hasCadreRelative = null;
    const flagged = { ...ledger, persons: persons.map((p) => (p.id === HEAD ? { ...p, isCadreRelative: true } : p)) };
    expect(proposeProblems(b, flagged).some((p) => p.code === 'C1')).toBe(true);
    b.household.hasCadreRelative = false;
    expect(proposeProblems(b, flagged).some((p) => p.code === 'C1')).toBe(false);
  });

  it('never proposes a problem the form already has, accepted or written by hand', () => {
    const b = complete();
    const [a3] = proposeProblems(b, ledger);
    b.problems.push(a3!);
    expect(proposeProblems(b, ledger)).toEqual([]);

    const c = complete();
    c.problems.push({ key: 'k1', code: 'A3', amountFen: null, description: '王秀英去世后仍领高龄津贴', personIds: [SPOUSE], source: 'manual' });
    expect(proposeProblems(c, ledger)).toEqual([]);
    // A hand-written problem about someone else does not cover it.
    c.problems[0]!.personIds = [HEAD];
    expect(proposeProblems(c, ledger).map((p) => p.code)).toEqual(['A3']);
  });

  it('proposes nothing for a household not found', () => {
    const b = complete();
    b.outcome = 'not-found';
    expect(proposeProblems(b, ledger)).toEqual([]);
  });
});

describe('formIssues', () => {
  it('has no errors or warnings for a complete form', () => {
    const r = formIssues(complete(), { now: NOW });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    for (const s of sectionsFor(complete())) expect(r.progress[s].answered).toBe(r.progress[s].required);
  });

  it('lists the missing answers per section of a fresh form, the signature among them', () => {
    const r = formIssues(prefilled(), { now: NOW });
    const bySection = (s: string) => r.errors.filter((e) => e.section === s && e.kind === 'missing').length;
    expect(bySection('household')).toBe(1);
    // 3 present + 1 deceased date is given; statuses are prefilled.
    expect(bySection('members')).toBe(3);
    expect(bySection('items')).toBe(3 * 2);
    expect(bySection('accounts')).toBe(3 * 4);
    expect(bySection('publicity')).toBe(2);
    expect(paths(r.errors)).toContain('evidence.signatureBlob');
    expect(r.progress.items).toMatchObject({ required: 6, answered: 0, applicable: true });
    expect(r.warnings.map((w) => w.path)).toContain('evidence.gps');
  });

  it('asks the follow-up questions only where they apply', () => {
    const b = complete();
    const it0 = b.items[0]!;
    it0.received = 'partly';
    it0.amountReceivedFen = null;
    it0.onTime = null;
    b.members[0]!.identityChecked = null;
    b.members[2]!.present = false;
    const r = formIssues(b, { now: NOW });
    expect(paths(r.errors)).toEqual(['members.0.identityChecked', 'items.0.onTime', 'items.0.amountReceivedFen']);
  });

  it('rejects impossible dates: death in the future, before birth, a visit tomorrow', () => {
    const b = complete();
    b.members[1]!.statusDate = '2030-01-01';
    b.members[0]!.status = 'deceased';
    b.members[0]!.statusDate = '1949-12-31';
    b.evidence.visitedAt = '2022-06-02T09:00:00+08:00';
    const r = formIssues(b, { now: NOW, roster });
    const messages = new Map(r.errors.map((e) => [e.path, e.message]));
    expect(messages.get('members.1.statusDate')).toBe('日期不能晚于今天');
    expect(messages.get('members.0.statusDate')).toBe('日期早于出生日期（1950-01-01）');
    expect(messages.get('evidence.visitedAt')).toBe('核查时间不能晚于现在');
  });

  it('checks the ID of a member added on the spot', () => {
    const b = complete();
    const newcomer = id('42132120100101004');
    const wrong = newcomer.slice(0, 17) + (newcomer.endsWith('0') ? '1' : '0');
    b.members.push({ personId: 'new:1', name: '李小红', idNumber: wrong, isNew: true, present: true, identityChecked: true, status: 'living', statusDate: null, relation: '孙子女', note: '' });
    let r = formIssues(b, { now: NOW });
    expect(r.errors.find((e) => e.path === 'members.3.idNumber')?.message).toMatch(/^身份证号校验位错误/);
    b.members[3]!.idNumber = HEAD;
    r = formIssues(b, { now: NOW, roster });
    expect(r.errors.find((e) => e.path === 'members.3.idNumber')?.message).toBe('此人已在本户名单中');
    // A copy from the server holds the typed ID masked; the full one was checked when it was sent.
    b.members[3]!.idNumber = '4213**********1234';
    expect(formIssues(b, { now: NOW, roster }).errors).toEqual([]);
    b.members[3]!.idNumber = newcomer;
    expect(formIssues(b, { now: NOW }).errors).toEqual([]);
    b.members[3]!.idNumber = '';
    expect(formIssues(b, { now: NOW }).warnings.map((w) => w.path)).toEqual(['members.3.idNumber']);
  });

  it('warns, never blocks, on a card failing Luhn; a passbook gets no Luhn check; a new account must be a number', () => {
    const b = complete();
    b.accounts.push({ accountNumber: BAD_LUHN_CARD, bankName: '湖北农信', holderPersonId: SPOUSE, accountType: 'card', isNew: true, heldBy: 'self', cardCount: 2, bankConfirmed: '', feesDeducted: false, feeAmountFen: null, smsReceived: false });
    const r = formIssues(b, { now: NOW });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([expect.objectContaining({ path: 'accounts.3.accountNumber', section: 'accounts' })]);
    b.accounts[3]!.accountNumber = '6217123';
    expect(formIssues(b, { now: NOW }).errors.map((e) => e.message)).toEqual(['银行卡号应为16–19位数字，当前为 7 位']);
  });

  it('needs only the reason and the evidence of the attempt for a household not found or refused', () => {
    const b = prefilled();
    b.outcome = 'refused';
    let r = formIssues(b, { now: NOW });
    expect(paths(r.errors)).toEqual(['outcomeReason']);
    expect(r.progress.items.applicable).toBe(false);
    b.outcomeReason = '户主拒绝开门，称已向镇里反映';
    b.evidence.visitedAt = null;
    b.evidence.interviewers = [];
    r = formIssues(b, { now: NOW });
    expect(paths(r.errors)).toEqual(['evidence.interviewers', 'evidence.visitedAt']);
    expect(sectionsFor(b)).toEqual(['household', 'evidence']);
  });

  it('flags answers that contradict each other', () => {
    const b = complete();
    b.items[0]!.received = 'no';
    b.items[0]!.amountReceivedFen = 100;
    b.items[1]!.amountReceivedFen = 1;
    b.household.phone = '1381234';
    const r = formIssues(b, { now: NOW });
    expect(r.errors.map((e) => e.path)).toEqual(['items.0.amountReceivedFen']);
    expect(r.warnings.map((w) => w.path)).toEqual(['household.phone', 'items.1.amountReceivedFen']);
  });
});
