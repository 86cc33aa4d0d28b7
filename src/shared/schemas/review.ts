/** Supervisors' review of synced forms: list, detail with history, return/accept, resolve conflicts; device status. */
import * as z from 'zod/mini';
import { VISIT_FLAGS } from '../domain/inspection/visit-proof.ts';
import { SECTION_IDS } from '#shared/domain/check-form-rules.ts';
import { REVIEW_STATUSES } from './sync.ts';

export const ReviewStatusSchema = z.enum(REVIEW_STATUSES);

export const FormListQuerySchema = z.object({
  status: z.optional(ReviewStatusSchema),
  conflicts: z.optional(z.enum(['1'])),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1000))),
  /** A township or village of the user's area (12 digits). */
  area: z.optional(z.string().check(z.regex(/^\d{12}$/, '地区代码应为 12 位数字'))),
  /** The cadre (user id) who wrote the form. */
  author: z.optional(z.uuid('核查人应为账号编号')),
  /** Part of the household head's name, or the house number. */
  q: z.optional(z.string().check(z.trim(), z.maxLength(50, '搜索内容不能超过 50 个字'))),
  /** The page after this one: the `next` of the previous page (newest first). */
  before: z.optional(z.string().check(z.regex(/^\d{4}-\d\d-\d\dT[\d:.]+Z\|[0-9a-f-]{36}$/, '翻页位置无效'))),
});

/** The list's choices: the townships and villages of the area, and who wrote its forms. */
export const FormFiltersSchema = z.object({
  regions: z.array(z.object({ code: z.string(), name: z.string(), level: z.enum(['township', 'village']) })),
  authors: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type FormFilters = z.infer<typeof FormFiltersSchema>;

export const FormSummarySchema = z.object({
  id: z.string(),
  householdId: z.string(),
  villageCode: z.string(),
  kind: z.enum(['cadre', 'inspection']),
  rev: z.int(),
  reviewStatus: ReviewStatusSchema,
  reviewComment: z.nullable(z.string()),
  conflictCount: z.int(),
  authorName: z.string(),
  headName: z.nullable(z.string()),
  houseNumber: z.nullable(z.string()),
  groupName: z.nullable(z.string()),
  /** Null when the village is missing from the imported regions. */
  villageName: z.nullable(z.string()),
  updatedAt: z.string(),
});
export type FormSummary = z.infer<typeof FormSummarySchema>;

export const FormVersionSchema = z.object({
  rev: z.int(),
  reviewStatus: ReviewStatusSchema,
  reviewComment: z.nullable(z.string()),
  userName: z.string(),
  deviceId: z.nullable(z.string()),
  createdAt: z.string(),
});

export const FormDetailSchema = z.object({
  form: FormSummarySchema,
  body: z.unknown(),
  conflicts: z.array(z.object({ path: z.string(), mine: z.unknown(), theirs: z.unknown() })),
  history: z.array(FormVersionSchema),
  /** Names of the subsidy items the body mentions, by code. */
  itemNames: z.record(z.string(), z.string()),
  /** The household's people by key: their masked citizen IDs (the body carries keys only). */
  maskedIds: z.optional(z.record(z.string(), z.string())),
  /** Where the recorded visit points to look (visit-proof.ts): among the author's and the village's forms. */
  visitFlags: z.optional(z.array(z.enum(VISIT_FLAGS))),
  /** A cadre's form re-checked by an inspection team (issue 14): what the comparison found; a T1 difference flags the form. */
  recheck: z.optional(z.nullable(z.object({ compared: z.int(), differing: z.int(), t1Differing: z.int() }))),
  /** The county and township the village is in, for the printed form's heading (null when not imported). */
  places: z.optional(z.object({ county: z.nullable(z.string()), township: z.nullable(z.string()) })),
});
export type FormDetail = z.infer<typeof FormDetailSchema>;

/**
 * Ask for one full number behind a form (issue 12, item 3): a member's citizen
 * ID (by person key, or `new:…` for one added on the spot) or an account's
 * number (by accountCheckKey). Online only, with a reason; every answer is in
 * the audit log.
 */
export const RevealRequestSchema = z.object({
  kind: z.enum(['citizen-id', 'account']),
  key: z.string().check(z.minLength(1), z.maxLength(200)),
  reason: z.string().check(z.trim(), z.minLength(2, '请写明查看原因（至少2个字）'), z.maxLength(200, '原因不能超过200字')),
});
export type RevealRequest = z.infer<typeof RevealRequestSchema>;
export const RevealResponseSchema = z.object({ number: z.string() });

export const ReviewActionSchema = z.object({
  action: z.enum(['return', 'accept']),
  /** Required to return a form: the cadre sees it on the device. */
  comment: z.string().check(z.trim(), z.maxLength(1000)),
  /** Returning: the part of the form the comment is about; the cadre's device opens the form there. */
  section: z.optional(z.nullable(z.enum(SECTION_IDS))),
  /** The revision the supervisor looked at; a newer one on the server answers 409. */
  rev: z.int(),
});

export const ResolveSchema = z.object({
  rev: z.int(),
  resolutions: z.array(z.object({ path: z.string().check(z.minLength(1)), value: z.unknown() })).check(z.minLength(1)),
});

export const DeviceStatusSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  areaCode: z.string(),
  appVersion: z.nullable(z.string()),
  lastPushAt: z.nullable(z.string()),
  lastPullAt: z.nullable(z.string()),
  unsentCount: z.nullable(z.int()),
  /** Revoked (a lost phone): told to wipe the next time it reaches the server. */
  revokedAt: z.optional(z.nullable(z.string())),
  /** When it wiped, and the unsent work lost with it. */
  wipedAt: z.optional(z.nullable(z.string())),
  lostForms: z.optional(z.nullable(z.int())),
  lostMutations: z.optional(z.nullable(z.int())),
});
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;
