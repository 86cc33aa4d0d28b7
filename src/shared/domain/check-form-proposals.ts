/** proposeProblems: problem codes (domain.md §5) the answers imply against the ledger (check-form-rules.ts). */
import { accountCheckKey, accountShown, type AccountCheck, type CheckFormBody, type ItemCheck, type ProblemEntry } from '../schemas/check-form.ts';
import type { Person, SubsidyItem } from '../schemas/roster.ts';
import { formatYuan } from './money.ts';
import type { ProblemCode } from './problem-codes.ts';
import { type CheckPeriod, lineInPeriod, lineStartDate } from './check-form-sections.ts';
import { itemKeyOfLine, type LedgerLine } from './check-form-prefill.ts';

/** The roster and ledger the answers are compared with (the household's rows on the device). */
export interface LedgerContext {
  paymentLines: readonly LedgerLine[];
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
  const accountOf = (line: LedgerLine) => body.accounts.find((a) => a.accountId === line.accountId);

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
      const held = accountOf(l)?.heldBy;
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
    const masked = accountShown(a);
    const key = accountCheckKey(a);
    const holder = a.holderPersonId === '' ? '' : nameOf(a.holderPersonId);
    const inAccount = a.accountId === undefined ? 0 : ledger.paymentLines.filter((l) => l.accountId === a.accountId && lineInPeriod(l, period)).reduce((s, l) => s + l.amountFen, 0);
    if (a.heldBy === 'cadre') {
      const paid = inAccount > 0 ? `，期间该账户入账 ${formatYuan(inAccount)}` : '';
      propose('C4', key, inAccount, `${holder}的一卡通（${a.bankName} ${masked}）由${HOLDER_WORDS.cadre}保管${paid}。需核实是否经本人同意。`, [a.holderPersonId]);
    }
    if (a.feesDeducted === true) {
      const amount = a.feeAmountFen === null ? '，金额不详' : `，共 ${formatYuan(a.feeAmountFen)}`;
      propose('B3', key, a.feeAmountFen, `${holder}的一卡通（${a.bankName} ${masked}）被银行扣取费用${amount}。`, [a.holderPersonId]);
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
