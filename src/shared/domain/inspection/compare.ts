/**
 * The back-check comparison (issue 14, item 5; domain.md §9, after IPA's
 * bcstats): the cadre's form and the inspector's form of one household, field
 * by field, each field in one class:
 *
 * - T1 must not differ: a difference can mean the visit did not happen or the
 *   answer was made up (outcome, a member's presence and status, whether and
 *   how much an item was received, who holds the card, the problems found).
 * - T2 is hard to ask well: a difference means the cadre needs re-training.
 * - T3 is for stability only (phone, house number, publicity).
 *
 * Only answers both forms gave are compared (a null on either side is not a
 * difference). Members are matched by person key, items by person and item,
 * accounts by account key; members added on the spot are compared by count.
 * Amounts compare within a tolerance. When the outcomes differ (one found the
 * household, the other did not) nothing else can be compared.
 *
 * Error rate = differing / compared, per class; `T1_THRESHOLD` marks whom to
 * re-train or investigate.
 */
import type { AccountCheck, CheckFormBody, ItemCheck, MemberCheck } from '../../schemas/check-form.ts';

export const COMPARE_CLASSES = ['T1', 'T2', 'T3'] as const;
export type CompareClass = (typeof COMPARE_CLASSES)[number];

/** The compared fields: the UI names them (i18n), the server counts them. */
export const COMPARE_FIELDS = {
  outcome: 'T1',
  'member.present': 'T1',
  'member.status': 'T1',
  'member.newCount': 'T1',
  'item.received': 'T1',
  'item.amountReceived': 'T1',
  'account.heldBy': 'T1',
  problems: 'T1',
  'member.identityChecked': 'T2',
  'item.knows': 'T2',
  'item.onTime': 'T2',
  'item.intoOwnCard': 'T2',
  'item.distribution': 'T2',
  'account.cardCount': 'T2',
  'account.feesDeducted': 'T2',
  'account.smsReceived': 'T2',
  'household.hasCadreRelative': 'T2',
  'household.phone': 'T3',
  'household.houseNumber': 'T3',
  'publicity.sawPolicyList': 'T3',
  'publicity.sawResults': 'T3',
} as const satisfies Record<string, CompareClass>;
export type CompareField = keyof typeof COMPARE_FIELDS;

export interface CompareOptions {
  /** Amounts within this many fen of each other are the same. */
  amountToleranceFen: number;
  /** ...or within this share of the larger amount. */
  amountToleranceShare: number;
}

export const DEFAULT_COMPARE_OPTIONS: CompareOptions = { amountToleranceFen: 1000, amountToleranceShare: 0.05 };

/** The usual error-rate threshold (10%): above it, re-train or investigate. */
export const ERROR_RATE_THRESHOLD = 0.1;

type Scalar = string | number | boolean | null;

export interface FieldDifference {
  field: CompareField;
  cls: CompareClass;
  /** Who or what the field is about: a person key, `person|item`, an account key; '' for the household. */
  about: string;
  cadre: Scalar;
  inspector: Scalar;
  differs: boolean;
}

export interface ClassCount {
  compared: number;
  differing: number;
}

export interface FormComparison {
  fields: FieldDifference[];
  byClass: Record<CompareClass, ClassCount>;
  compared: number;
  differing: number;
}

export function amountsAgree(a: number, b: number, o: CompareOptions = DEFAULT_COMPARE_OPTIONS): boolean {
  const diff = Math.abs(a - b);
  return diff <= o.amountToleranceFen || diff <= o.amountToleranceShare * Math.max(a, b);
}

const problemCodes = (f: CheckFormBody): string => [...new Set(f.problems.map((p) => p.code))].sort().join(',');

export function compareForms(cadre: CheckFormBody, inspector: CheckFormBody, o: CompareOptions = DEFAULT_COMPARE_OPTIONS): FormComparison {
  const fields: FieldDifference[] = [];
  const add = (field: CompareField, about: string, a: Scalar, b: Scalar, same?: (x: NonNullable<Scalar>, y: NonNullable<Scalar>) => boolean) => {
    if (a === null || b === null) return;
    fields.push({ field, cls: COMPARE_FIELDS[field], about, cadre: a, inspector: b, differs: !(same ? same(a, b) : a === b) });
  };
  add('outcome', '', cadre.outcome, inspector.outcome);
  if (cadre.outcome === inspector.outcome && cadre.outcome === 'checked') {
    add('household.hasCadreRelative', '', cadre.household.hasCadreRelative, inspector.household.hasCadreRelative);
    const phone = (s: string) => (s.trim() === '' ? null : s.replace(/\D/g, ''));
    add('household.phone', '', phone(cadre.household.phone), phone(inspector.household.phone));
    const house = (s: string) => (s.trim() === '' ? null : s.trim());
    add('household.houseNumber', '', house(cadre.household.houseNumber), house(inspector.household.houseNumber));
    add('publicity.sawPolicyList', '', cadre.publicity.sawPolicyList, inspector.publicity.sawPolicyList);
    add('publicity.sawResults', '', cadre.publicity.sawResults, inspector.publicity.sawResults);

    const members = new Map<string, MemberCheck>(inspector.members.filter((m) => !m.isNew).map((m) => [m.personId, m]));
    for (const m of cadre.members) {
      const other = m.isNew ? undefined : members.get(m.personId);
      if (!other) continue;
      add('member.present', m.personId, m.present, other.present);
      add('member.status', m.personId, m.status, other.status);
      add('member.identityChecked', m.personId, m.identityChecked, other.identityChecked);
    }
    add('member.newCount', '', cadre.members.filter((m) => m.isNew).length, inspector.members.filter((m) => m.isNew).length);

    const itemKey = (i: ItemCheck) => `${i.personId}|${i.itemCode}`;
    const items = new Map(inspector.items.map((i) => [itemKey(i), i]));
    for (const i of cadre.items) {
      const other = items.get(itemKey(i));
      if (!other) continue;
      const about = itemKey(i);
      add('item.received', about, i.received, other.received);
      add('item.amountReceived', about, i.amountReceivedFen, other.amountReceivedFen, (x, y) => amountsAgree(Number(x), Number(y), o));
      add('item.knows', about, i.knows, other.knows);
      add('item.onTime', about, i.onTime, other.onTime);
      add('item.intoOwnCard', about, i.intoOwnCard, other.intoOwnCard);
      add('item.distribution', about, i.distribution, other.distribution);
    }

    const accounts = new Map<string, AccountCheck>(inspector.accounts.flatMap((a) => (a.accountId === undefined ? [] : [[a.accountId, a] as const])));
    for (const a of cadre.accounts) {
      const other = a.accountId === undefined ? undefined : accounts.get(a.accountId);
      if (!other || a.accountId === undefined) continue;
      add('account.heldBy', a.accountId, a.heldBy, other.heldBy);
      add('account.cardCount', a.accountId, a.cardCount, other.cardCount);
      add('account.feesDeducted', a.accountId, a.feesDeducted, other.feesDeducted);
      add('account.smsReceived', a.accountId, a.smsReceived, other.smsReceived);
    }
    add('problems', '', problemCodes(cadre), problemCodes(inspector));
  }
  const byClass: Record<CompareClass, ClassCount> = { T1: { compared: 0, differing: 0 }, T2: { compared: 0, differing: 0 }, T3: { compared: 0, differing: 0 } };
  for (const f of fields) {
    byClass[f.cls].compared += 1;
    if (f.differs) byClass[f.cls].differing += 1;
  }
  const differing = fields.filter((f) => f.differs).length;
  return { fields, byClass, compared: fields.length, differing };
}

/** differing / compared, or 0 when nothing was compared. */
export function errorRate(c: ClassCount): number {
  return c.compared === 0 ? 0 : c.differing / c.compared;
}
