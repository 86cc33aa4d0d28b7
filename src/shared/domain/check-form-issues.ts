/** formIssues: what is missing or inconsistent, per section: errors block submit, warnings never do (check-form-rules.ts). */
import type { CheckFormBody } from '../schemas/check-form.ts';
import { accountCheckKey, isMaskedNumber, memberIdIssue } from '../schemas/check-form.ts';
import { validateAccountNumber } from './account-number.ts';
import { validateCitizenId } from './citizen-id.ts';
import { maskCitizenId } from './mask.ts';
import { formatYuan } from './money.ts';
import { validatePhone } from './phone.ts';
import { SECTION_IDS, type SectionId, sectionsFor } from './check-form-sections.ts';

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
  /**
   * The household's roster members: their birth dates bound a status date.
   * The body names them by key only; without the roster that check is skipped.
   */
  roster?: readonly { id: string; birthDate: string; idMasked?: string }[];
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
    checkMembers(body, today, options.roster ?? [], need, error, warn);
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

function checkMembers(body: CheckFormBody, today: string, roster: NonNullable<FormIssueOptions['roster']>, need: Need, error: Report, warn: Report) {
  const rosterBirth = new Map(roster.map((p) => [p.id, p.birthDate]));
  const rosterMasked = new Map(roster.flatMap((p) => (p.idMasked === undefined ? [] : [[p.idMasked, p.id] as const])));
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
      const id = m.idNumber === null || isMaskedNumber(m.idNumber) ? null : validateCitizenId(m.idNumber);
      if (id?.ok) {
        birthDate = id.birthDate;
        const other = seenIds.get(id.id);
        if (other !== undefined) error('members', `${p}.idNumber`, `与第 ${other + 1} 位成员的身份证号相同`);
        // The device knows roster IDs masked only: the same first and last four digits is the same person here.
        else if (body.members.some((x) => !x.isNew && x.personId === rosterMasked.get(maskCitizenId(id.id)))) error('members', `${p}.idNumber`, '此人已在本户名单中');
        seenIds.set(id.id, i);
      }
    } else {
      birthDate = rosterBirth.get(m.personId) ?? null;
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
    const key = accountCheckKey(a);
    if (seen.has(key)) error('accounts', `${p}.accountNumber`, '这个账户已经登记过');
    seen.add(key);
    if (a.isNew === true) {
      if (a.holderPersonId === '') error('accounts', `${p}.holderPersonId`, '请选择持卡人', 'missing');
      if (a.bankName.trim() === '') error('accounts', `${p}.bankName`, '请填写开户银行', 'missing');
    }
    // Only a number typed in on the spot is checked here: a known account's number stays on the
    // server (the importer warned about it), and a masked copy's full number was checked when sent.
    if (a.isNew === true && !isMaskedNumber(a.accountNumber)) {
      const type = a.accountType ?? (a.accountNumber.length >= 16 && a.accountNumber.length <= 19 ? 'card' : 'passbook');
      const checked = validateAccountNumber(a.accountNumber, type);
      if (!checked.ok) error('accounts', `${p}.accountNumber`, checked.message);
      else if (checked.warning !== undefined) warn('accounts', `${p}.accountNumber`, checked.warning);
    }
    need('accounts', `${p}.heldBy`, a.heldBy !== null, '请选择卡（折）由谁保管');
    need('accounts', `${p}.cardCount`, a.cardCount !== null, '请填写此人共有几张一卡通');
    if (a.cardCount === 0) warn('accounts', `${p}.cardCount`, '卡数为 0，但名册上有这个账户，请核对');
    need('accounts', `${p}.feesDeducted`, a.feesDeducted !== null, '请选择是否被扣费');
    if (a.feesDeducted === true && a.feeAmountFen === null) warn('accounts', `${p}.feeAmountFen`, '请尽量填写被扣的金额');
    need('accounts', `${p}.smsReceived`, a.smsReceived !== null, '请选择是否收到到账短信');
  });
}
