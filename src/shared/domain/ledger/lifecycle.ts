/**
 * The problem ledger's lifecycle (问题台账, domain.md §6; issue 13, item 2):
 * one pure function decides every change of a ledger item, for the server
 * that stores it and for the screens that offer the next steps.
 *
 *   found → confirmed (or dismissed, with a reason) → assigned (unit, person,
 *   measure, deadline) → rectifying → evidence submitted → re-verified →
 *   closed (销号); a closed or dismissed item can be reopened.
 *
 * Who may do what follows the level of the work: a township confirms,
 * assigns and rectifies its own items (a village cadre starts the
 * rectification and sends the evidence from the field); the county
 * re-verifies, closes, reopens and refers category C items to the discipline
 * inspection commission (移送纪检监察). Whether the item lies inside the
 * actor's area is the server's check, before this one.
 *
 * Amounts (involved, recovered) and the disciplinary outcome are recorded
 * with `record` in any open state; they never move the item.
 */

export const LEDGER_STATES = ['found', 'confirmed', 'dismissed', 'assigned', 'rectifying', 'evidence-submitted', 'reverified', 'closed'] as const;
export type LedgerState = (typeof LEDGER_STATES)[number];

export const LEDGER_ACTIONS = ['confirm', 'dismiss', 'assign', 'start', 'submit-evidence', 'reject-evidence', 'reverify', 'close', 'reopen', 'refer', 'record'] as const;
export type LedgerActionKind = (typeof LEDGER_ACTIONS)[number];

export const LEDGER_STATE_LABELS: Readonly<Record<LedgerState, string>> = {
  found: '已发现',
  confirmed: '已确认',
  dismissed: '已排除',
  assigned: '已交办',
  rectifying: '整改中',
  'evidence-submitted': '已报整改材料',
  reverified: '已复核',
  closed: '已销号',
};

export const LEDGER_ACTION_LABELS: Readonly<Record<LedgerActionKind, string>> = {
  confirm: '确认问题',
  dismiss: '排除',
  assign: '交办整改',
  start: '开始整改',
  'submit-evidence': '提交整改材料',
  'reject-evidence': '退回整改',
  reverify: '复核通过',
  close: '销号',
  reopen: '重新打开',
  refer: '移送纪检监察',
  record: '登记金额与处理结果',
};

/** Who acts: a role, and the level of the area they work in. */
export interface LedgerActor {
  role: 'cadre' | 'inspector' | 'supervisor' | 'admin';
  level: 'county' | 'township' | 'village';
}

export interface Assignment {
  /** 责任单位. */
  unit: string;
  /** 责任人. */
  person: string;
  /** 整改措施. */
  measure: string;
  /** 整改时限, YYYY-MM-DD. */
  deadline: string;
}

export interface Referral {
  /** 移送日期, YYYY-MM-DD. */
  date: string;
  /** 文号 or the commission's reference. */
  reference: string;
}

/** What of an item the lifecycle reads and writes. */
export interface LedgerItemState {
  state: LedgerState;
  /** The problem code's category: only C items are referred. */
  category: 'A' | 'B' | 'C';
  assignment: Assignment | null;
  referral: Referral | null;
  amountInvolvedFen: number | null;
  amountRecoveredFen: number | null;
  /** 处理结果 (disciplinary or administrative outcome). */
  outcome: string | null;
}

export type LedgerAction =
  | { kind: 'confirm'; comment?: string | undefined }
  | { kind: 'dismiss'; comment: string }
  | { kind: 'assign'; assignment: Assignment; comment?: string | undefined }
  | { kind: 'start'; comment?: string | undefined }
  /** photos: the evidence photos' SHA-256 (uploaded as blobs first). */
  | { kind: 'submit-evidence'; comment?: string | undefined; photos?: readonly string[] | undefined }
  | { kind: 'reject-evidence'; comment: string }
  | { kind: 'reverify'; comment?: string | undefined }
  | { kind: 'close'; comment?: string | undefined }
  | { kind: 'reopen'; comment: string }
  | { kind: 'refer'; referral: Referral; comment?: string | undefined }
  | { kind: 'record'; amountInvolvedFen?: number | null | undefined; amountRecoveredFen?: number | null | undefined; outcome?: string | null | undefined; comment?: string | undefined };

export type LedgerDecision =
  | { ok: true; item: LedgerItemState; from: LedgerState; to: LedgerState }
  /** 409: not from this state; 403: not for this actor; 400: the action's own input. */
  | { ok: false; status: 400 | 403 | 409; code: 'state_not_allowed' | 'role_not_allowed' | 'invalid'; message: string; field?: string };

type Who = (a: LedgerActor) => boolean;
const supervisor = (levels: readonly LedgerActor['level'][]): Who => (a) => a.role === 'supervisor' && levels.includes(a.level);
const TOWNSHIP_UP = supervisor(['township', 'county']);
const COUNTY = supervisor(['county']);
const VILLAGE_CADRE: Who = (a) => a.role === 'cadre';
const either = (...ws: Who[]): Who => (a) => ws.some((w) => w(a));

interface Rule {
  from: readonly LedgerState[];
  /** The state it moves to; absent: it stays where it is. */
  to?: LedgerState;
  who: Who;
  /** Who may, in words, for the 403 message. */
  whoText: string;
}

const OPEN: readonly LedgerState[] = ['found', 'confirmed', 'assigned', 'rectifying', 'evidence-submitted', 'reverified'];

/** The whole lifecycle as one table: from which states, to which, by whom. */
export const LEDGER_RULES: Readonly<Record<LedgerActionKind, Rule>> = {
  confirm: { from: ['found'], to: 'confirmed', who: TOWNSHIP_UP, whoText: '乡镇或县级督导' },
  dismiss: { from: ['found', 'confirmed'], to: 'dismissed', who: TOWNSHIP_UP, whoText: '乡镇或县级督导' },
  assign: { from: ['confirmed', 'assigned'], to: 'assigned', who: TOWNSHIP_UP, whoText: '乡镇或县级督导' },
  start: { from: ['assigned'], to: 'rectifying', who: either(TOWNSHIP_UP, VILLAGE_CADRE), whoText: '村干部或乡镇、县级督导' },
  'submit-evidence': { from: ['rectifying'], to: 'evidence-submitted', who: either(TOWNSHIP_UP, VILLAGE_CADRE), whoText: '村干部或乡镇、县级督导' },
  'reject-evidence': { from: ['evidence-submitted'], to: 'rectifying', who: COUNTY, whoText: '县级督导' },
  reverify: { from: ['evidence-submitted'], to: 'reverified', who: COUNTY, whoText: '县级督导' },
  close: { from: ['reverified'], to: 'closed', who: COUNTY, whoText: '县级督导' },
  reopen: { from: ['closed', 'dismissed'], to: 'found', who: COUNTY, whoText: '县级督导' },
  refer: { from: ['confirmed', 'assigned', 'rectifying', 'evidence-submitted', 'reverified', 'closed'], who: COUNTY, whoText: '县级督导' },
  record: { from: OPEN, who: TOWNSHIP_UP, whoText: '乡镇或县级督导' },
};

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (s: string) => DATE_RE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const blank = (s: string | undefined | null) => s === undefined || s === null || s.trim() === '';
const invalid = (message: string, field: string): LedgerDecision => ({ ok: false, status: 400, code: 'invalid', message, field });
const money = (v: number | null | undefined) => v === undefined || v === null || (Number.isInteger(v) && v >= 0 && v <= 100_000_000_000);

/** The action's own input, whatever the state. */
function checkInput(action: LedgerAction, item: LedgerItemState, today: string): LedgerDecision | null {
  switch (action.kind) {
    case 'dismiss':
      return blank(action.comment) ? invalid('排除须写明理由', 'comment') : null;
    case 'reject-evidence':
      return blank(action.comment) ? invalid('退回整改须写明原因', 'comment') : null;
    case 'reopen':
      return blank(action.comment) ? invalid('重新打开须写明原因', 'comment') : null;
    case 'submit-evidence':
      if ((action.photos ?? []).length < 1 && blank(action.comment)) return invalid('请附上整改照片或写明整改情况', 'photos');
      return null;
    case 'assign': {
      const a = action.assignment;
      if (blank(a.unit)) return invalid('请填写责任单位', 'assignment.unit');
      if (blank(a.person)) return invalid('请填写责任人', 'assignment.person');
      if (blank(a.measure)) return invalid('请填写整改措施', 'assignment.measure');
      if (!isDate(a.deadline)) return invalid('整改时限应为有效日期（年-月-日）', 'assignment.deadline');
      if (a.deadline < today) return invalid('整改时限不能早于今天', 'assignment.deadline');
      return null;
    }
    case 'refer':
      if (item.category !== 'C') return invalid('只有C类（违法违规）问题移送纪检监察', 'kind');
      if (!isDate(action.referral.date) || action.referral.date > today) return invalid('移送日期应为今天或之前的有效日期', 'referral.date');
      if (blank(action.referral.reference)) return invalid('请填写移送文号', 'referral.reference');
      return null;
    case 'record':
      if (!money(action.amountInvolvedFen)) return invalid('涉及金额应为非负整数（分）', 'amountInvolvedFen');
      if (!money(action.amountRecoveredFen)) return invalid('追回金额应为非负整数（分）', 'amountRecoveredFen');
      return null;
    default:
      return null;
  }
}

/**
 * Decide one action on one item. `today` (YYYY-MM-DD, the server's date in
 * China) bounds deadlines and referral dates. Order of the checks: the state
 * (409), then the actor (403), then the input (400), so a refusal names what
 * a person can least change first.
 */
export function decideLedgerAction(item: LedgerItemState, action: LedgerAction, actor: LedgerActor, today: string): LedgerDecision {
  const rule = LEDGER_RULES[action.kind];
  const label = LEDGER_ACTION_LABELS[action.kind];
  if (!rule.from.includes(item.state)) {
    return { ok: false, status: 409, code: 'state_not_allowed', message: `“${LEDGER_STATE_LABELS[item.state]}”状态的问题不能“${label}”` };
  }
  if (!rule.who(actor)) {
    return { ok: false, status: 403, code: 'role_not_allowed', message: `“${label}”应由${rule.whoText}操作` };
  }
  const bad = checkInput(action, item, today);
  if (bad) return bad;

  const next: LedgerItemState = { ...item, state: rule.to ?? item.state };
  if (action.kind === 'assign') next.assignment = { ...action.assignment, unit: action.assignment.unit.trim(), person: action.assignment.person.trim(), measure: action.assignment.measure.trim() };
  if (action.kind === 'refer') next.referral = { date: action.referral.date, reference: action.referral.reference.trim() };
  if (action.kind === 'record') {
    if (action.amountInvolvedFen !== undefined) next.amountInvolvedFen = action.amountInvolvedFen;
    if (action.amountRecoveredFen !== undefined) next.amountRecoveredFen = action.amountRecoveredFen;
    if (action.outcome !== undefined) next.outcome = action.outcome === null || action.outcome.trim() === '' ? null : action.outcome.trim();
  }
  return { ok: true, item: next, from: item.state, to: next.state };
}

/** The actions this actor may take on this item now: the item page's buttons. */
export function allowedLedgerActions(item: Pick<LedgerItemState, 'state' | 'category'>, actor: LedgerActor): LedgerActionKind[] {
  return LEDGER_ACTIONS.filter((kind) => {
    const rule = LEDGER_RULES[kind];
    if (!rule.from.includes(item.state) || !rule.who(actor)) return false;
    return kind !== 'refer' || item.category === 'C';
  });
}

/** Assigned or being rectified past its deadline, evidence not yet in: 逾期. */
export function isLedgerItemOverdue(item: Pick<LedgerItemState, 'state' | 'assignment'>, today: string): boolean {
  return (item.state === 'assigned' || item.state === 'rectifying') && item.assignment !== null && item.assignment.deadline < today;
}
