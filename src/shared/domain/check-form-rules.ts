/**
 * Rules of the household check form (一户一表, domain.md §4), pure and shared:
 * the phone runs them while the cadre fills the form, and anything the
 * server or a report needs later can run the same code.
 *
 * - prefillForm: the form as it opens, from the roster and the ledger on the
 *   device. Every member, every (member, item) that has payment lines
 *   (人不漏项; household items under the head, whose card they go to), every
 *   account of a member or paid into for the household. Answers start as
 *   null ("not asked yet"); only roster facts are filled in.
 * - proposeProblems: problem codes (domain.md §5) that the answers imply when
 *   they contradict the ledger, each with the amount involved and a Chinese
 *   description. The cadre accepts them one by one; nothing is added behind
 *   their back, and a problem they already have is never proposed again.
 * - formIssues: what is missing or inconsistent, per section, split into
 *   errors (block submit) and warnings (shown, never blocking), plus the
 *   progress the section bar shows.
 *
 * A household that could not be found or refused needs only the reason and
 * the evidence of the attempt (who, when, where).
 */
import type { AccountCheck, CheckFormBody, ItemCheck, MemberCheck, ProblemEntry } from '../schemas/check-form.ts';
import { memberIdIssue } from '../schemas/check-form.ts';
import { monthIndex, monthLabel, periodMonths, RELATIONS, type Account, type Household, type PaymentLine, type Person, type SubsidyItem } from '../schemas/roster.ts';
import { validateAccountNumber } from './account-number.ts';
import { validateCitizenId } from './citizen-id.ts';
import { maskAccount } from './mask.ts';
import { formatYuan } from './money.ts';
import { validatePhone } from './phone.ts';
import type { ProblemCode } from './problem-codes.ts';

// ---------------------------------------------------------------------------
// Sections and the check period

/** The form's sections in the order of domain.md §4; also the values of LocalForm.resumeAt. */
export const SECTION_IDS = ['household', 'members', 'items', 'accounts', 'publicity', 'evidence', 'problems'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export function isSectionId(value: unknown): value is SectionId {
  return typeof value === 'string' && (SECTION_IDS as readonly string[]).includes(value);
}

/** The sections a household that could not be found or refused still fills. */
export const NOT_VISITED_SECTIONS: readonly SectionId[] = ['household', 'evidence'];

export function sectionsFor(body: Pick<CheckFormBody, 'outcome'>): readonly SectionId[] {
  return body.outcome === 'checked' ? SECTION_IDS : NOT_VISITED_SECTIONS;
}

/** Months 'YYYY-MM', inclusive. */
export interface CheckPeriod {
  from: string;
  to: string;
}

/** The look-back campaign checks the payments of 2020 and 2021 (domain.md §1). */
export const DEFAULT_CHECK_PERIOD: CheckPeriod = { from: '2020-01', to: '2021-12' };

function monthOf(yyyyMm: string): number {
  const [y = '0', m = '1'] = yyyyMm.split('-');
  return monthIndex(Number(y), Number(m));
}

/** Whether a payment line's period overlaps the check period (a malformed label falls back to the day it was paid). */
export function lineInPeriod(line: Pick<PaymentLine, 'period' | 'paidOn'>, period: CheckPeriod): boolean {
  const from = monthOf(period.from);
  const to = monthOf(period.to);
  const months = periodMonths(line.period);
  if (months) return months.first <= to && months.last >= from;
  const paid = monthOf(line.paidOn.slice(0, 7));
  return paid >= from && paid <= to;
}

/** The first day a line pays for, 'YYYY-MM-DD'. */
function lineStartDate(line: Pick<PaymentLine, 'period' | 'paidOn'>): string {
  const months = periodMonths(line.period);
  return months ? `${monthLabel(months.first)}-01` : line.paidOn;
}

// ---------------------------------------------------------------------------
// Prefill

export interface PrefillOptions {
  kind?: CheckFormBody['kind'];
  /** When the visit started (ISO with offset); the form opens at the door. */
  visitedAt?: string | null;
}

const RELATION_ORDER = new Map<string, number>(RELATIONS.map((r, i) => [r, i]));

/** Head first, then by relation as on the 户口簿, then oldest first. */
function memberOrder(headId: string) {
  return (a: Person, b: Person): number => {
    if (a.id === headId) return -1;
    if (b.id === headId) return 1;
    const ra = RELATION_ORDER.get(a.relation) ?? 99;
    const rb = RELATION_ORDER.get(b.relation) ?? 99;
    if (ra !== rb) return ra - rb;
    return a.birthDate < b.birthDate ? -1 : a.birthDate > b.birthDate ? 1 : 0;
  };
}

/**
 * Whose entry of the form a payment line belongs to: a household item is the
 * household's entitlement and is asked under the head; a personal item under
 * its beneficiary.
 */
export function itemKeyOfLine(line: Pick<PaymentLine, 'itemCode' | 'beneficiaryPersonId'>, headPersonId: string, items: ReadonlyMap<string, Pick<SubsidyItem, 'unit'>>): { personId: string; itemCode: string } {
  const unit = items.get(line.itemCode)?.unit;
  return { personId: unit === 'household' ? headPersonId : line.beneficiaryPersonId, itemCode: line.itemCode };
}

const accountKey = (number: string, bankName: string) => `${number}|${bankName}`;

export function prefillForm(
  household: Household,
  persons: readonly Person[],
  accounts: readonly Account[],
  paymentLines: readonly PaymentLine[],
  items: readonly SubsidyItem[],
  period: CheckPeriod,
  interviewer: string,
  options: PrefillOptions = {},
): CheckFormBody {
  const head = household.headPersonId;
  const members = persons.filter((p) => p.householdId === household.id).sort(memberOrder(head));
  const memberIndex = new Map(members.map((p, i) => [p.id, i]));
  const itemByCode = new Map(items.map((it) => [it.code, it]));
  const itemOrder = new Map(items.map((it, i) => [it.code, i]));
  const lines = paymentLines.filter((l) => l.householdId === household.id);

  // Items: one entry per (person, item) with lines, totals for the period.
  const byEntry = new Map<string, ItemCheck>();
  for (const line of lines) {
    const { personId, itemCode } = itemKeyOfLine(line, head, itemByCode);
    const key = `${personId}|${itemCode}`;
    let entry = byEntry.get(key);
    if (!entry) {
      entry = { personId, itemCode, ledgerAmountFen: 0, ledgerLineCount: 0, knows: null, received: null, amountReceivedFen: null, onTime: null, intoOwnCard: null, distribution: null, note: '' };
      byEntry.set(key, entry);
    }
    if (lineInPeriod(line, period)) {
      entry.ledgerAmountFen += line.amountFen;
      entry.ledgerLineCount += 1;
    }
  }
  const rank = (personId: string) => memberIndex.get(personId) ?? Number.MAX_SAFE_INTEGER;
  const itemChecks = [...byEntry.values()].sort(
    (a, b) => rank(a.personId) - rank(b.personId) || (itemOrder.get(a.itemCode) ?? 999) - (itemOrder.get(b.itemCode) ?? 999) || a.itemCode.localeCompare(b.itemCode),
  );

  // Accounts: every account a member holds, and any other the household's money went into.
  const accountChecks = new Map<string, AccountCheck>();
  const rosterAccount = new Map(accounts.map((a) => [accountKey(a.number, a.bankName), a]));
  const addAccount = (number: string, bankName: string, holderPersonId: string, type: Account['type'] | undefined) => {
    const key = accountKey(number, bankName);
    if (accountChecks.has(key)) return;
    accountChecks.set(key, {
      accountNumber: number,
      bankName,
      holderPersonId,
      ...(type ? { accountType: type } : {}),
      heldBy: null,
      cardCount: null,
      bankConfirmed: '',
      feesDeducted: null,
      feeAmountFen: null,
      smsReceived: null,
    });
  };
  for (const a of accounts) if (memberIndex.has(a.holderPersonId)) addAccount(a.number, a.bankName, a.holderPersonId, a.type);
  for (const l of lines) {
    const a = rosterAccount.get(accountKey(l.accountNumber, l.bankName));
    addAccount(l.accountNumber, l.bankName, a?.holderPersonId ?? '', a?.type);
  }
  const accountList = [...accountChecks.values()].sort((a, b) => rank(a.holderPersonId) - rank(b.holderPersonId) || a.accountNumber.localeCompare(b.accountNumber));

  const headPerson = members.find((p) => p.id === head);
  const memberChecks: MemberCheck[] = members.map((p) => ({
    personId: p.id,
    name: p.name,
    idNumber: null,
    isNew: false,
    present: null,
    identityChecked: null,
    // The roster's status is a fact to confirm; the cadre corrects it if wrong.
    status: p.status,
    statusDate: p.statusDate ?? null,
    relation: p.relation,
    note: '',
  }));

  return {
    householdId: household.id,
    villageCode: household.villageCode,
    kind: options.kind ?? 'cadre',
    periodFrom: period.from,
    periodTo: period.to,
    outcome: 'checked',
    outcomeReason: '',
    household: {
      groupName: household.groupName,
      houseNumber: household.houseNumber,
      headPersonId: head,
      phone: household.phone ?? headPerson?.phone ?? '',
      hasCadreRelative: null,
      cadreRelativeNote: '',
    },
    members: memberChecks,
    items: itemChecks,
    accounts: accountList,
    publicity: { sawPolicyList: null, sawResults: null },
    evidence: {
      interviewers: interviewer.trim() === '' ? [] : [interviewer.trim()],
      visitedAt: options.visitedAt ?? null,
      gps: null,
      gpsUnavailableReason: '',
      signatureBlob: null,
      photoBlobs: [],
      remarks: '',
    },
    problems: [],
  };
}

// ---------------------------------------------------------------------------
// Proposed problems

/** The roster and ledger the answers are compared with (the household's rows on the device). */
export interface LedgerContext {
  paymentLines: readonly PaymentLine[];
  items: readonly SubsidyItem[];
  /** Roster persons, for the 干部亲属 flag when the form has no answer yet. */
  persons?: readonly Person[];
}

const STATUS_WORDS: Readonly<Record<'deceased' | 'moved-out' | 'not-member', string>> = {
  deceased: '已死亡',
  'moved-out': '已迁出',
  'not-member': '已不是本户成员',
};

const HOLDER_WORDS: Readonly<Record<NonNullable<AccountCheck['heldBy']>, string>> = {
  self: '本人',
  family: '家人',
  cadre: '村（组）干部',
  other: '其他人',
};

/** Whether a problem the form already has covers a proposal, so it is not proposed twice. */
function alreadyHas(existing: readonly ProblemEntry[], proposal: ProblemEntry): boolean {
  return existing.some((p) => {
    if (p.key === proposal.key) return true;
    if (p.source !== 'manual' || p.code !== proposal.code) return false;
    // A problem the cadre wrote by hand covers the people it names (or the whole household when it names none).
    if (p.personIds.length === 0 || proposal.personIds.length === 0) return true;
    return proposal.personIds.some((id) => p.personIds.includes(id));
  });
}

export function proposeProblems(body: CheckFormBody, ledger: LedgerContext): ProblemEntry[] {
  if (body.outcome !== 'checked') return [];
  const period: CheckPeriod = { from: body.periodFrom, to: body.periodTo };
  const head = body.household.headPersonId;
  const itemByCode = new Map(ledger.items.map((it) => [it.code, it]));
  const nameOf = (personId: string) => body.members.find((m) => m.personId === personId)?.name ?? '（名单外人员）';
  const itemName = (code: string) => itemByCode.get(code)?.name ?? code;
  const periodText = `${body.periodFrom.replace('-', '年')}月至${body.periodTo.replace('-', '年')}月`;
  const proposals: ProblemEntry[] = [];
  const propose = (code: ProblemCode, key: string, amountFen: number | null, description: string, personIds: string[]) => {
    proposals.push({ key: `auto:${code}:${key}`, code, amountFen: amountFen !== null && amountFen > 0 ? amountFen : null, description, personIds: [...new Set(personIds.filter((id) => id !== ''))], source: 'proposed' });
  };

  const linesOfEntry = (entry: Pick<ItemCheck, 'personId' | 'itemCode'>) =>
    ledger.paymentLines.filter((l) => {
      const k = itemKeyOfLine(l, head, itemByCode);
      return k.personId === entry.personId && k.itemCode === entry.itemCode && lineInPeriod(l, period);
    });
  const accountOf = (number: string, bankName: string) => body.accounts.find((a) => a.accountNumber === number && a.bankName === bankName);

  // Subsidy items: money short or missing, late, not into the own card, not known.
  const unknownItems: ItemCheck[] = [];
  for (const it of body.items) {
    const who = nameOf(it.personId);
    const label = `${who}的「${itemName(it.itemCode)}」`;
    if (it.knows === false) unknownItems.push(it);
    if (it.received === null) continue;
    const ledgerFen = it.ledgerAmountFen;
    const said = it.amountReceivedFen;
    let shortFen: number | null = null;
    let saidText = '';
    if (it.received === 'no') {
      shortFen = ledgerFen;
      saidText = '本人称未收到';
    } else if (said !== null && said < ledgerFen) {
      shortFen = ledgerFen - said;
      saidText = `本人称只收到 ${formatYuan(said)}`;
    } else if (it.received === 'partly') {
      saidText = '本人称只收到一部分，金额说不清';
    }
    const lines = linesOfEntry(it);
    const heldByOthers = lines.some((l) => {
      const held = accountOf(l.accountNumber, l.bankName)?.heldBy;
      return held === 'cadre' || held === 'other';
    });
    const notDirect = it.intoOwnCard === false || it.distribution === 'cash' || it.distribution === 'second-distribution';
    if (ledgerFen > 0 && saidText !== '') {
      // Money the ledger says was paid but did not reach the person: someone else
      // holding the card or handing it out points at 截留挪用 (C3); otherwise it is short payment (A2) to verify.
      const diverted = heldByOthers || notDirect;
      const code: ProblemCode = diverted ? 'C3' : 'A2';
      const diff = shortFen === null ? '' : `，相差 ${formatYuan(shortFen)}`;
      const why = diverted ? '资金经他人之手，可能被截留挪用，需核实去向。' : '需核实是否未足额发放。';
      propose(code, `${it.personId}:${it.itemCode}`, shortFen, `${label}：台账显示${periodText}发放 ${it.ledgerLineCount} 笔共 ${formatYuan(ledgerFen)}，${saidText}${diff}。${why}`, [it.personId]);
    }
    if (it.received !== 'no' && it.onTime === false) {
      propose('A2', `late:${it.personId}:${it.itemCode}`, null, `${label}：本人称资金未按时发放到账，需核实发放时间。`, [it.personId]);
    }
    if (it.received !== 'no' && notDirect) {
      const how = it.distribution === 'cash' ? '以现金发放' : it.distribution === 'second-distribution' ? '经他人“二次分配”后发放' : '未直接打入本人一卡通';
      propose('A4', `${it.personId}:${it.itemCode}`, said ?? ledgerFen, `${label}${how}，应通过“一卡通”直接发放到本人账户。`, [it.personId]);
    }
  }

  // Publicity and knowledge of the items (群众不知晓).
  const notSeen: string[] = [];
  if (body.publicity.sawPolicyList === false) notSeen.push('未见过政策清单公示');
  if (body.publicity.sawResults === false) notSeen.push('未见过发放结果公示');
  if (unknownItems.length > 0 || notSeen.length > 0) {
    const parts = [...notSeen];
    if (unknownItems.length > 0) parts.push(`不知道以下补贴：${unknownItems.map((it) => `${nameOf(it.personId)}「${itemName(it.itemCode)}」`).join('、')}`);
    propose('A5', 'household', null, `该户${parts.join('；')}。政策宣传和公示公开不到位。`, unknownItems.map((it) => it.personId));
  }

  // Accounts: card kept by a cadre, bank fees, several cards.
  const cardsOf = new Map<string, number>();
  for (const a of body.accounts) {
    const masked = maskAccount(a.accountNumber);
    const holder = a.holderPersonId === '' ? '' : nameOf(a.holderPersonId);
    const inAccount = ledger.paymentLines.filter((l) => l.accountNumber === a.accountNumber && l.bankName === a.bankName && lineInPeriod(l, period)).reduce((s, l) => s + l.amountFen, 0);
    if (a.heldBy === 'cadre') {
      const paid = inAccount > 0 ? `，期间该账户入账 ${formatYuan(inAccount)}` : '';
      propose('C4', a.accountNumber, inAccount, `${holder}的一卡通（${a.bankName} ${masked}）由${HOLDER_WORDS.cadre}保管${paid}。需核实是否经本人同意。`, [a.holderPersonId]);
    }
    if (a.feesDeducted === true) {
      const amount = a.feeAmountFen === null ? '，金额不详' : `，共 ${formatYuan(a.feeAmountFen)}`;
      propose('B3', a.accountNumber, a.feeAmountFen, `${holder}的一卡通（${a.bankName} ${masked}）被银行扣取费用${amount}。`, [a.holderPersonId]);
    }
    if (a.cardCount !== null && a.holderPersonId !== '') cardsOf.set(a.holderPersonId, Math.max(cardsOf.get(a.holderPersonId) ?? 0, a.cardCount));
  }
  for (const [personId, count] of cardsOf) {
    if (count <= 1) continue;
    const onRoster = body.accounts.filter((a) => a.holderPersonId === personId).length;
    propose('B1', personId, null, `${nameOf(personId)}称共有 ${count} 张一卡通（名册上 ${onRoster} 个账户），存在“一人多卡”。`, [personId]);
  }

  // Members no longer entitled but still paid: deceased, moved out, not a member (A3).
  for (const m of body.members) {
    if (m.status === null || m.status === 'living' || m.statusDate === null) continue;
    const date = m.statusDate;
    const after = ledger.paymentLines.filter((l) => l.beneficiaryPersonId === m.personId && itemByCode.get(l.itemCode)?.unit === 'person' && lineStartDate(l) > date);
    if (after.length === 0) continue;
    const total = after.reduce((s, l) => s + l.amountFen, 0);
    const names = [...new Set(after.map((l) => itemName(l.itemCode)))].join('、');
    propose('A3', m.personId, total, `${m.name}${STATUS_WORDS[m.status]}（${date}），之后仍发放「${names}」${after.length} 笔共 ${formatYuan(total)}，应停发并追回。`, [m.personId]);
  }

  // A cadre's relative receiving means-tested assistance (优亲厚友, C1).
  const rosterRelatives = (ledger.persons ?? []).filter((p) => p.isCadreRelative === true && body.members.some((m) => m.personId === p.id));
  const isRelative = body.household.hasCadreRelative ?? rosterRelatives.length > 0;
  if (isRelative) {
    const meansTested = ledger.paymentLines.filter((l) => itemByCode.get(l.itemCode)?.meansTested === true && lineInPeriod(l, period));
    if (meansTested.length > 0) {
      const total = meansTested.reduce((s, l) => s + l.amountFen, 0);
      const names = [...new Set(meansTested.map((l) => itemName(l.itemCode)))].join('、');
      const note = body.household.cadreRelativeNote.trim() === '' ? '' : `（${body.household.cadreRelativeNote.trim()}）`;
      propose('C1', 'household', total, `该户有村干部亲属${note}，${periodText}享受「${names}」共 ${formatYuan(total)}，需核实审核过程是否优亲厚友。`, [...new Set(meansTested.map((l) => l.beneficiaryPersonId))]);
    }
  }

  return proposals.filter((p) => !alreadyHas(body.problems, p));
}

// ---------------------------------------------------------------------------
// Completeness and consistency

export interface FormIssue {
  section: SectionId;
  /** The field, as a react-hook-form path ('members.0.present'). */
  path: string;
  message: string;
  /** missing: an answer not given yet; invalid: an answer that cannot be right. */
  kind: 'missing' | 'invalid';
}

export interface SectionProgress {
  /** Questions that need an answer in this section, and how many have one. */
  required: number;
  answered: number;
  errors: number;
  warnings: number;
  /** False for the sections a not-found or refused household skips. */
  applicable: boolean;
}

export interface FormIssues {
  errors: FormIssue[];
  warnings: FormIssue[];
  progress: Record<SectionId, SectionProgress>;
}

export interface FormIssueOptions {
  /** "Now" for dates in the future; defaults to the device clock. */
  now?: Date;
}

function localIsoDate(d: Date): string {
  return `${String(d.getFullYear()).padStart(4, '0')}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A visit time may run a little ahead of the phone's clock (clock drift), not days. */
const FUTURE_SLACK_MS = 10 * 60 * 1000;

export function formIssues(body: CheckFormBody, options: FormIssueOptions = {}): FormIssues {
  const now = options.now ?? new Date();
  const today = localIsoDate(now);
  const errors: FormIssue[] = [];
  const warnings: FormIssue[] = [];
  const applicable = new Set(sectionsFor(body));
  const progress = Object.fromEntries(SECTION_IDS.map((s) => [s, { required: 0, answered: 0, errors: 0, warnings: 0, applicable: applicable.has(s) }])) as Record<SectionId, SectionProgress>;

  const error = (section: SectionId, path: string, message: string, kind: FormIssue['kind'] = 'invalid') => {
    errors.push({ section, path, message, kind });
    progress[section].errors += 1;
  };
  const warn = (section: SectionId, path: string, message: string) => {
    warnings.push({ section, path, message, kind: 'invalid' });
    progress[section].warnings += 1;
  };
  /** A question that must be answered: counts for progress, and is an error while unanswered. */
  const need = (section: SectionId, path: string, answered: boolean, message: string) => {
    progress[section].required += 1;
    if (answered) progress[section].answered += 1;
    else error(section, path, message, 'missing');
  };
  const filled = (s: string) => s.trim() !== '';

  // Household
  if (body.outcome !== 'checked') {
    need('household', 'outcomeReason', filled(body.outcomeReason), body.outcome === 'refused' ? '请填写拒绝的原因和经过' : '请填写找不到的原因（如全家外出、房屋空置）');
  } else {
    need('household', 'household.hasCadreRelative', body.household.hasCadreRelative !== null, '请选择是否有村干部亲属');
    if (body.household.hasCadreRelative === true && !filled(body.household.cadreRelativeNote)) {
      warn('household', 'household.cadreRelativeNote', '请注明是哪位干部的什么亲属');
    }
    if (filled(body.household.phone)) {
      const phone = validatePhone(body.household.phone);
      if (!phone.ok) warn('household', 'household.phone', phone.message);
    }
  }

  if (body.outcome === 'checked') {
    checkMembers(body, today, need, error, warn);
    checkItems(body, need, error, warn);
    checkAccounts(body, need, error, warn);
    need('publicity', 'publicity.sawPolicyList', body.publicity.sawPolicyList !== null, '请选择是否见过政策清单公示');
    need('publicity', 'publicity.sawResults', body.publicity.sawResults !== null, '请选择是否见过发放结果公示');
    body.problems.forEach((p, i) => {
      if (!filled(p.description)) error('problems', `problems.${i}.description`, '请描述问题', 'missing');
    });
  }

  // Evidence of the visit (also of the attempt, for a household not found or refused).
  const ev = body.evidence;
  need('evidence', 'evidence.interviewers', ev.interviewers.some(filled), '请填写核查人');
  need('evidence', 'evidence.visitedAt', ev.visitedAt !== null, '请填写核查时间');
  if (ev.visitedAt !== null) {
    const at = Date.parse(ev.visitedAt);
    if (Number.isNaN(at)) error('evidence', 'evidence.visitedAt', '核查时间无效');
    else if (at > now.getTime() + FUTURE_SLACK_MS) error('evidence', 'evidence.visitedAt', '核查时间不能晚于现在');
    else if (ev.visitedAt.slice(0, 7) < body.periodFrom) error('evidence', 'evidence.visitedAt', '核查时间早于核查期间，请检查年份');
  }
  if (ev.gps === null && !filled(ev.gpsUnavailableReason)) warn('evidence', 'evidence.gps', '没有定位，也没有记录无法定位的原因');
  if (body.outcome === 'checked') need('evidence', 'evidence.signatureBlob', ev.signatureBlob !== null, '请户主（或在场家庭成员）签字或按手印');

  return { errors, warnings, progress };
}

type Need = (section: SectionId, path: string, answered: boolean, message: string) => void;
type Report = (section: SectionId, path: string, message: string, kind?: FormIssue['kind']) => void;

function checkMembers(body: CheckFormBody, today: string, need: Need, error: Report, warn: Report) {
  if (!body.members.some((m) => m.status === 'living' || m.status === null)) {
    warn('members', 'members', '名单上没有在世的本户成员，请核对');
  }
  const seenIds = new Map<string, number>();
  body.members.forEach((m, i) => {
    const p = `members.${i}`;
    const who = m.name.trim() === '' ? `第 ${i + 1} 位成员` : m.name;
    if (m.isNew && m.name.trim() === '') error('members', `${p}.name`, '请填写姓名', 'missing');
    need('members', `${p}.present`, m.present !== null, `请选择${who}是否在场`);
    if (m.present === true) need('members', `${p}.identityChecked`, m.identityChecked !== null, `请核对${who}的身份证`);
    if (m.identityChecked === false && m.note.trim() === '') warn('members', `${p}.note`, `${who}的身份证与名单不一致，请在备注中说明`);
    need('members', `${p}.status`, m.status !== null, `请选择${who}的状况`);
    if (m.status === 'deceased') need('members', `${p}.statusDate`, m.statusDate !== null, `请填写${who}的死亡日期`);

    let birthDate: string | null = null;
    if (m.isNew) {
      const idIssue = memberIdIssue(m);
      if (idIssue !== null) error('members', `${p}.idNumber`, idIssue);
      else if (m.idNumber === null || m.idNumber.trim() === '') warn('members', `${p}.idNumber`, `未填写${who}的身份证号`);
      const id = m.idNumber === null ? null : validateCitizenId(m.idNumber);
      if (id?.ok) {
        birthDate = id.birthDate;
        const other = seenIds.get(id.id);
        if (other !== undefined) error('members', `${p}.idNumber`, `与第 ${other + 1} 位成员的身份证号相同`);
        else if (body.members.some((x) => !x.isNew && x.personId === id.id)) error('members', `${p}.idNumber`, '此人已在本户名单中');
        seenIds.set(id.id, i);
      }
    } else {
      const id = validateCitizenId(m.personId);
      if (id.ok) birthDate = id.birthDate;
    }
    if (m.statusDate !== null) {
      if (m.statusDate > today) error('members', `${p}.statusDate`, '日期不能晚于今天');
      else if (birthDate !== null && m.statusDate < birthDate) error('members', `${p}.statusDate`, `日期早于出生日期（${birthDate}）`);
    }
  });
}

function checkItems(body: CheckFormBody, need: Need, error: Report, warn: Report) {
  const nameOf = (personId: string) => body.members.find((m) => m.personId === personId)?.name ?? '';
  body.items.forEach((it, i) => {
    const p = `items.${i}`;
    const who = nameOf(it.personId);
    need('items', `${p}.knows`, it.knows !== null, `请选择${who}是否知道这项补贴`);
    need('items', `${p}.received`, it.received !== null, `请选择${who}是否收到`);
    if (it.received !== null && it.received !== 'no') {
      need('items', `${p}.onTime`, it.onTime !== null, '请选择是否按时到账');
      need('items', `${p}.intoOwnCard`, it.intoOwnCard !== null, '请选择是否打入本人一卡通');
      need('items', `${p}.distribution`, it.distribution !== null, '请选择发放方式');
    }
    if (it.received === 'partly') need('items', `${p}.amountReceivedFen`, it.amountReceivedFen !== null, '部分收到时，请填写实际收到的金额');
    if (it.amountReceivedFen !== null) {
      if (it.received === 'no' && it.amountReceivedFen > 0) error('items', `${p}.amountReceivedFen`, '选了“未收到”，收到金额应为空或 0');
      else if (it.amountReceivedFen > it.ledgerAmountFen && it.ledgerAmountFen > 0) warn('items', `${p}.amountReceivedFen`, `收到金额多于台账（${formatYuan(it.ledgerAmountFen)}），请核对`);
      else if (it.received === 'yes' && it.amountReceivedFen < it.ledgerAmountFen) warn('items', `${p}.amountReceivedFen`, '收到金额少于台账，是否应选“部分收到”？');
    }
    if (it.received === 'no' && it.ledgerAmountFen === 0) warn('items', `${p}.received`, '台账在核查期间没有发放记录，请在备注说明');
  });
}

function checkAccounts(body: CheckFormBody, need: Need, error: Report, warn: Report) {
  const seen = new Set<string>();
  body.accounts.forEach((a, i) => {
    const p = `accounts.${i}`;
    const key = `${a.accountNumber}|${a.bankName}`;
    if (seen.has(key)) error('accounts', `${p}.accountNumber`, '这个账户已经登记过');
    seen.add(key);
    if (a.isNew === true) {
      if (a.holderPersonId === '') error('accounts', `${p}.holderPersonId`, '请选择持卡人', 'missing');
      if (a.bankName.trim() === '') error('accounts', `${p}.bankName`, '请填写开户银行', 'missing');
    }
    const type = a.accountType ?? (a.accountNumber.length >= 16 && a.accountNumber.length <= 19 ? 'card' : 'passbook');
    const checked = validateAccountNumber(a.accountNumber, type);
    if (!checked.ok) {
      if (a.isNew === true) error('accounts', `${p}.accountNumber`, checked.message);
    } else if (checked.warning !== undefined) {
      warn('accounts', `${p}.accountNumber`, checked.warning);
    }
    need('accounts', `${p}.heldBy`, a.heldBy !== null, '请选择卡（折）由谁保管');
    need('accounts', `${p}.cardCount`, a.cardCount !== null, '请填写此人共有几张一卡通');
    if (a.cardCount === 0) warn('accounts', `${p}.cardCount`, '卡数为 0，但名册上有这个账户，请核对');
    need('accounts', `${p}.feesDeducted`, a.feesDeducted !== null, '请选择是否被扣费');
    if (a.feesDeducted === true && a.feeAmountFen === null) warn('accounts', `${p}.feeAmountFen`, '请尽量填写被扣的金额');
    need('accounts', `${p}.smsReceived`, a.smsReceived !== null, '请选择是否收到到账短信');
  });
}
