/**
 * Wire schemas of the problem ledger (issue 13): the list, an item's page and
 * the actions on it. The lifecycle itself is src/shared/domain/ledger/.
 */
import * as z from 'zod/mini';
import { LEDGER_ACTIONS, LEDGER_STATES } from '../domain/ledger/lifecycle.ts';
import { PROBLEM_CODE_VALUES } from '../domain/problem-codes.ts';

const date = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 年-月-日'));
const comment = z.optional(z.string().check(z.trim(), z.maxLength(2000, '说明不能超过2000字')));
const requiredComment = z.string().check(z.trim(), z.maxLength(2000, '说明不能超过2000字'));
const fen = z.nullable(z.int().check(z.minimum(0, '金额不能为负数')));
const sha256 = z.string().check(z.regex(/^[0-9a-f]{64}$/, '应为 SHA-256 十六进制串'));

/** Photos one evidence submission may carry. */
export const MAX_EVIDENCE_PHOTOS = 9;

export const LedgerActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('confirm'), comment }),
  z.object({ kind: z.literal('dismiss'), comment: requiredComment }),
  z.object({
    kind: z.literal('assign'),
    assignment: z.object({ unit: z.string().check(z.maxLength(100)), person: z.string().check(z.maxLength(50)), measure: z.string().check(z.maxLength(2000)), deadline: date }),
    comment,
  }),
  z.object({ kind: z.literal('start'), comment }),
  z.object({ kind: z.literal('submit-evidence'), comment, photos: z.optional(z.array(sha256).check(z.maxLength(MAX_EVIDENCE_PHOTOS))) }),
  z.object({ kind: z.literal('reject-evidence'), comment: requiredComment }),
  z.object({ kind: z.literal('reverify'), comment }),
  z.object({ kind: z.literal('close'), comment }),
  z.object({ kind: z.literal('reopen'), comment: requiredComment }),
  z.object({ kind: z.literal('refer'), referral: z.object({ date, reference: z.string().check(z.maxLength(100)) }), comment }),
  z.object({ kind: z.literal('record'), amountInvolvedFen: z.optional(fen), amountRecoveredFen: z.optional(fen), outcome: z.optional(z.nullable(z.string().check(z.maxLength(500)))), comment }),
]);

export const LedgerItemSchema = z.object({
  id: z.string(),
  number: z.int(),
  problemCode: z.enum(PROBLEM_CODE_VALUES),
  category: z.enum(['A', 'B', 'C']),
  state: z.enum(LEDGER_STATES),
  areaCode: z.string(),
  /** The area's name (村、镇) when the regions table has it. */
  areaName: z.nullable(z.string()),
  householdId: z.nullable(z.string()),
  /** A person's key (never a citizen ID). */
  personKey: z.nullable(z.string()),
  itemCode: z.nullable(z.string()),
  title: z.string(),
  description: z.string(),
  amountInvolvedFen: z.nullable(z.int()),
  amountRecoveredFen: z.nullable(z.int()),
  outcome: z.nullable(z.string()),
  assignment: z.nullable(z.object({ unit: z.string(), person: z.string(), measure: z.string(), deadline: z.string() })),
  referral: z.nullable(z.object({ date: z.string(), reference: z.string() })),
  overdue: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type LedgerItem = z.infer<typeof LedgerItemSchema>;

export const LedgerListQuerySchema = z.object({
  state: z.optional(z.enum(LEDGER_STATES)),
  code: z.optional(z.enum(PROBLEM_CODE_VALUES)),
  category: z.optional(z.enum(['A', 'B', 'C'])),
  /** A region inside the caller's area (a township or village code). */
  area: z.optional(z.string().check(z.regex(/^\d{12}$/, '区划代码应为12位数字'))),
  overdue: z.optional(z.enum(['1'])),
  /** Items of at least this many fen involved. */
  minAmountFen: z.optional(z.coerce.number().check(z.int(), z.minimum(0))),
  /** Keyset paging: items numbered below this, newest first. */
  before: z.optional(z.coerce.number().check(z.int(), z.minimum(1))),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200))),
});
export type LedgerListQuery = z.infer<typeof LedgerListQuerySchema>;

export const LedgerPageSchema = z.object({
  items: z.array(LedgerItemSchema),
  /** The `before` of the next page, or null at the oldest item. */
  next: z.nullable(z.int()),
});

export const LedgerEventSchema = z.object({
  at: z.string(),
  username: z.nullable(z.string()),
  action: z.string(),
  fromState: z.nullable(z.string()),
  toState: z.string(),
  comment: z.nullable(z.string()),
});

export const LedgerItemDetailSchema = z.object({
  item: LedgerItemSchema,
  sources: z.array(z.object({ kind: z.string(), ref: z.string(), createdAt: z.string() })),
  history: z.array(LedgerEventSchema),
  /** Evidence photos of the rectification, oldest first (GET /api/blobs/<sha256>). */
  evidence: z.array(z.object({ sha256: z.string(), username: z.nullable(z.string()), createdAt: z.string() })),
  /** What the caller may do next (the page's buttons). */
  allowedActions: z.array(z.enum(LEDGER_ACTIONS)),
});

/** A village's rectification tasks, for the cadre's device (kept for offline work). */
export const LedgerTaskSchema = z.object({ item: LedgerItemSchema, allowedActions: z.array(z.enum(LEDGER_ACTIONS)) });
export type LedgerTask = z.infer<typeof LedgerTaskSchema>;
export const LedgerTasksSchema = z.object({ tasks: z.array(LedgerTaskSchema) });

/** The ledger of an area in numbers (the list's charts). */
export const LedgerCountsSchema = z.object({
  byState: z.record(z.string(), z.int()),
  byCode: z.record(z.string(), z.int()),
  overdue: z.int(),
  amountInvolvedFen: z.number(),
  amountRecoveredFen: z.number(),
});
export type LedgerCounts = z.infer<typeof LedgerCountsSchema>;

export const SCAN_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

/**
 * An anomaly scan of an area into the ledger (issue 13, item 4): it runs in
 * the background one township (unit) at a time; poll it for progress.
 * findings: cases found so far; created/linked/known: new items, new
 * sources on an existing item, and cases already on the ledger.
 */
export const LedgerScanSchema = z.object({
  id: z.uuid(),
  areaCode: z.string(),
  trigger: z.enum(['manual', 'import']),
  status: z.enum(SCAN_STATUSES),
  username: z.nullable(z.string()),
  unitsTotal: z.int(),
  unitsDone: z.int(),
  findings: z.int(),
  created: z.int(),
  linked: z.int(),
  known: z.int(),
  error: z.nullable(z.string()),
  queuedAt: z.string(),
  startedAt: z.nullable(z.string()),
  finishedAt: z.nullable(z.string()),
});
export type LedgerScan = z.infer<typeof LedgerScanSchema>;

export const LatestLedgerScanSchema = z.object({ scan: z.nullable(LedgerScanSchema) });

/** What a citizen can report (the seed's open letter), and the problem code each becomes. */
export const TIP_KINDS = [
  { kind: 'not-received', code: 'A2', label: '补贴没收到、少收到或发放不及时' },
  { kind: 'after-death', code: 'A3', label: '已去世、已迁出或不符合条件的人还在领' },
  { kind: 'card-held', code: 'C4', label: '“一卡通”被干部或他人扣押、保管' },
  { kind: 'impersonation', code: 'C2', label: '有人冒名顶替、虚报冒领' },
  { kind: 'embezzlement', code: 'C3', label: '补贴被截留、挪用、贪占' },
  { kind: 'favoritism', code: 'C1', label: '优亲厚友、吃拿卡要' },
  { kind: 'fees', code: 'B3', label: '银行违规收费' },
  { kind: 'other', code: 'A6', label: '其他问题' },
] as const;
export type TipKind = (typeof TIP_KINDS)[number]['kind'];
const TIP_KIND_VALUES = TIP_KINDS.map((k) => k.kind) as [TipKind, ...TipKind[]];

export const TipSchema = z.object({
  kind: z.enum(TIP_KIND_VALUES),
  /** The village (or township) it happened in. */
  areaCode: z.string().check(z.regex(/^\d{12}$/, '请选择发生问题的乡镇或村')),
  /** 组、门牌 or anything that helps find the household. */
  place: z.optional(z.string().check(z.trim(), z.maxLength(100, '地点不能超过100字'))),
  description: z.string().check(z.trim(), z.minLength(10, '请把情况写清楚（至少10个字）'), z.maxLength(2000, '不能超过2000字')),
  /** Both optional: an anonymous tip is taken all the same. */
  contactName: z.optional(z.string().check(z.trim(), z.maxLength(20, '姓名不能超过20字'))),
  contactPhone: z.optional(z.string().check(z.trim(), z.maxLength(20, '电话不能超过20位'))),
});
export type Tip = z.infer<typeof TipSchema>;

export const TipReceiptSchema = z.object({
  /** 问题编号, for the reporter to quote if they call. */
  number: z.int(),
});

export const TipContactSchema = z.object({ contactName: z.nullable(z.string()), contactPhone: z.nullable(z.string()), via: z.enum(['web', 'phone']), place: z.nullable(z.string()), receivedAt: z.string() });
