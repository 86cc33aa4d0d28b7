/**
 * The household check form (一户一表, domain.md §4): one per household,
 * pre-filled from the roster, confirmed or corrected face to face.
 *
 * Written with zod/mini: the form validates on the phone (react-hook-form +
 * zodResolver) and on the server (push) with this one schema.
 *
 * Every answer the cadre has not given yet is `null`, not missing: a draft is
 * a complete object from the first autosave, and "not answered" is visible
 * to the completeness rules (src/shared/domain/check-form-rules.ts).
 * Collections are keyed (personId, personId+itemCode, accountCheckKey) so two
 * devices' edits can be merged entry by entry.
 *
 * Person ids are the server's surrogate keys, never citizen IDs, and known
 * accounts are named by key and masked number (issue 12, item 3). Only what
 * the cadre types in on the spot (a new member's ID, a new account's number)
 * goes up in full; the server masks it again in every copy it sends out and
 * keeps the full value when a masked copy comes back (privacy/form-bodies.ts).
 */
import * as z from 'zod/mini';
import { validateCitizenId } from '../domain/citizen-id.ts';
import { maskAccount } from '../domain/mask.ts';
import { PROBLEM_CODE_VALUES } from '../domain/problem-codes.ts';
import { ACCOUNT_TYPES } from './roster.ts';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const FormDateSchema = z.string().check(z.refine(isRealDate, '日期无效，应为真实存在的日期（年-月-日）'));

/** Money in fen, entered in yuan on screen; null while unanswered. */
export const FenSchema = z.int('金额应为整数（分）').check(z.nonnegative('金额不能为负数'), z.maximum(2_147_483_647, '金额过大'));

const nullableBool = z.nullable(z.boolean());

export const MEMBER_STATUSES = ['living', 'deceased', 'moved-out', 'not-member'] as const;
export const HOLDERS = ['self', 'family', 'cadre', 'other'] as const;
export const RECEIPT = ['yes', 'no', 'partly'] as const;
export const DISTRIBUTION = ['direct', 'cash', 'second-distribution'] as const;
export const OUTCOMES = ['checked', 'not-found', 'refused'] as const;

export const MemberCheckSchema = z.object({
  /** The roster member's key (from the server), or `new:<uuid>` for a person added on the spot. */
  personId: z.string().check(z.minLength(1)),
  name: z.string().check(z.trim(), z.minLength(1, '请填写姓名'), z.maxLength(50)),
  /** Only for members added on the spot: their ID number as read from the card (masked in copies from the server). */
  idNumber: z.nullable(z.string()),
  isNew: z.boolean(),
  present: nullableBool,
  /** The last digits of the ID card shown match the roster. */
  identityChecked: nullableBool,
  status: z.nullable(z.enum(MEMBER_STATUSES)),
  statusDate: z.nullable(FormDateSchema),
  relation: z.nullable(z.string()),
  note: z.string(),
});
export type MemberCheck = z.infer<typeof MemberCheckSchema>;

export const ItemCheckSchema = z.object({
  personId: z.string(),
  itemCode: z.string(),
  /** Ledger total for the check period, snapshotted when the form was opened (fen). */
  ledgerAmountFen: FenSchema,
  ledgerLineCount: z.int(),
  knows: nullableBool,
  received: z.nullable(z.enum(RECEIPT)),
  /** What the person says they received in the check period. */
  amountReceivedFen: z.nullable(FenSchema),
  onTime: nullableBool,
  intoOwnCard: nullableBool,
  distribution: z.nullable(z.enum(DISTRIBUTION)),
  note: z.string(),
});
export type ItemCheck = z.infer<typeof ItemCheckSchema>;

/** A masked number as maskAccount() writes it: '6217 **** **** 4567'. */
const MASKED_ACCOUNT_RE = /^[\d*]{4} \*{4} \*{4} [\d*]{4}$/;

export const AccountCheckSchema = z.object({
  /** The key of an account the roster or the ledger knows; absent on one added on the spot. */
  accountId: z.optional(z.string().check(z.maxLength(64))),
  /** A known account's masked number, for display. */
  accountMasked: z.optional(z.string().check(z.maxLength(40))),
  /**
   * Empty for a known account. An account added on the spot: the number typed
   * from the card, in full when sent, masked in copies from the server.
   */
  accountNumber: z.string().check(z.refine((v) => v === '' || /^\d{8,30}$/.test(v) || MASKED_ACCOUNT_RE.test(v), '账号应为8–30位数字')),
  bankName: z.string(),
  holderPersonId: z.string(),
  /**
   * Card, passbook or social-security card, from the roster (or as seen for
   * an account added on the spot): only cards get the Luhn warning. Optional
   * so that pushes from app versions without it still validate.
   */
  accountType: z.optional(z.enum(ACCOUNT_TYPES)),
  /** Seen in the household but not on the roster (e.g. a second card: 一人多卡). */
  isNew: z.optional(z.boolean()),
  /** Who keeps the card or passbook. */
  heldBy: z.nullable(z.enum(HOLDERS)),
  /** How many one-card accounts this person has in total. */
  cardCount: z.nullable(z.int('卡数应为整数').check(z.minimum(0, '卡数不能为负数'), z.maximum(50, '卡数不合理'))),
  /** Bank as told by the holder, if it differs from the roster. */
  bankConfirmed: z.string(),
  feesDeducted: nullableBool,
  feeAmountFen: z.nullable(FenSchema),
  smsReceived: nullableBool,
});
export type AccountCheck = z.infer<typeof AccountCheckSchema>;

export const GpsFixSchema = z.object({
  lat: z.number().check(z.gte(-90), z.lte(90)),
  lon: z.number().check(z.gte(-180), z.lte(180)),
  accuracyM: z.number().check(z.nonnegative()),
  at: z.iso.datetime({ offset: true }),
});
export type GpsFix = z.infer<typeof GpsFixSchema>;

const Sha256Schema = z.string().check(z.regex(/^[0-9a-f]{64}$/));

export const EvidenceSchema = z.object({
  interviewers: z.array(z.string().check(z.trim(), z.minLength(1, '核查人姓名不能为空'), z.maxLength(50))),
  visitedAt: z.nullable(z.iso.datetime({ offset: true, error: '核查时间无效' })),
  gps: z.nullable(GpsFixSchema),
  /** Why there is no GPS fix (refused, unavailable, timed out): recorded, never blocking. */
  gpsUnavailableReason: z.string().check(z.maxLength(200)),
  /** SHA-256 of the PNG of the householder's signature or fingerprint mark. */
  signatureBlob: z.nullable(Sha256Schema),
  photoBlobs: z.array(Sha256Schema),
  remarks: z.string().check(z.maxLength(2000, '备注不能超过2000字')),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

/**
 * What the device records of the visit itself (issue 14, item 6): when the
 * form was opened and submitted (device clock), active seconds on screen per
 * section, and GPS fixes at open and at submit. Evidence of where to look,
 * not proof (src/shared/domain/inspection/visit-proof.ts). Optional: forms
 * from app versions without it still validate.
 */
export const VisitLogSchema = z.object({
  openedAt: z.nullable(z.iso.datetime({ offset: true })),
  submittedAt: z.nullable(z.iso.datetime({ offset: true })),
  activeSeconds: z.record(z.string().check(z.maxLength(40)), z.int().check(z.nonnegative(), z.maximum(7 * 24 * 3600))),
  gpsOpen: z.nullable(GpsFixSchema),
  gpsSubmit: z.nullable(GpsFixSchema),
});
export type VisitLog = z.infer<typeof VisitLogSchema>;

export const ProblemEntrySchema = z.object({
  /** Stable per form, so edits and merges address the same problem. */
  key: z.string(),
  code: z.enum(PROBLEM_CODE_VALUES),
  amountFen: z.nullable(FenSchema),
  description: z.string().check(z.trim(), z.minLength(1, '请描述问题'), z.maxLength(2000)),
  personIds: z.array(z.string()),
  /** Proposed by the rules from a contradiction with the ledger, or added by hand. */
  source: z.enum(['proposed', 'manual']),
});
export type ProblemEntry = z.infer<typeof ProblemEntrySchema>;

export const CheckFormBodySchema = z.object({
  householdId: z.string().check(z.minLength(1)),
  villageCode: z.string().check(z.regex(/^\d{12}$/)),
  kind: z.enum(['cadre', 'inspection']),
  /** Check period of the payments, e.g. 2020-01 .. 2021-12. */
  periodFrom: z.string().check(z.regex(/^\d{4}-\d{2}$/)),
  periodTo: z.string().check(z.regex(/^\d{4}-\d{2}$/)),
  outcome: z.enum(OUTCOMES),
  /** Required when the household could not be found or refused. */
  outcomeReason: z.string(),
  household: z.object({
    groupName: z.string(),
    houseNumber: z.string(),
    headPersonId: z.string(),
    phone: z.string(),
    hasCadreRelative: nullableBool,
    cadreRelativeNote: z.string(),
  }),
  members: z.array(MemberCheckSchema),
  items: z.array(ItemCheckSchema),
  accounts: z.array(AccountCheckSchema),
  publicity: z.object({
    sawPolicyList: nullableBool,
    sawResults: nullableBool,
  }),
  evidence: EvidenceSchema,
  problems: z.array(ProblemEntrySchema),
  visit: z.optional(VisitLogSchema),
});
export type CheckFormBody = z.infer<typeof CheckFormBodySchema>;

/** A number the server masked ('*' in place of digits): the full one stays on the server. */
export function isMaskedNumber(value: string): boolean {
  return value.includes('*');
}

/**
 * The key an account entry is merged and told apart by: the account's key, or
 * for one added on the spot its masked number and bank (the same whether the
 * copy holds the full number or the server's masked one).
 */
export function accountCheckKey(a: Pick<AccountCheck, 'accountId' | 'accountNumber' | 'bankName'>): string {
  return a.accountId ?? `new:${maskAccount(a.accountNumber)}|${a.bankName}`;
}

/** How an account entry is shown: '6217 **** **** 4567'. */
export function accountShown(a: Pick<AccountCheck, 'accountMasked' | 'accountNumber'>): string {
  return a.accountMasked ?? maskAccount(a.accountNumber);
}

/** A member added on the spot must carry a valid ID number when one is given. */
export function memberIdIssue(m: MemberCheck): string | null {
  if (!m.isNew || m.idNumber === null || m.idNumber.trim() === '' || isMaskedNumber(m.idNumber)) return null;
  const r = validateCitizenId(m.idNumber);
  return r.ok ? null : r.issue.message;
}
