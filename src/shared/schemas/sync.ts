/**
 * The sync protocol between a device and the server (architecture.md, "Sync
 * protocol"). zod/mini: the device parses every response with these, except the pull
 * page, which the home screen's sync reads through wire-guards.ts (checked
 * against PullResponseSchema by its tests).
 *
 * Pull: GET /api/sync/pull?cursor=… returns, per entity, the rows of the
 * caller's area that changed after the cursor, in pages. The cursor is opaque
 * to the device; it must store it in the same Dexie transaction as the page.
 *
 * Push: POST /api/sync/push with a batch of mutations in counter order. Each
 * mutation is answered on its own (applied / duplicate / conflict /
 * rejected); a bad one never fails the batch.
 */
import * as z from 'zod/mini';
import type { Account, Household, PaymentLine, Person, SubsidyItem } from './roster.ts';
import type { CheckFormBody } from './check-form.ts';
import { REGION_LEVELS, SYNC_ENTITIES } from './wire-values.ts';

export { SYNC_ENTITIES };
export type SyncEntity = (typeof SYNC_ENTITIES)[number];

/**
 * What a device receives of the roster (issue 12, item 3): no full citizen ID
 * and no full account number. A person's and an account's `id` is a surrogate
 * key the server derives from the full number (src/server/privacy/keys.ts);
 * every reference (a household's head, an account's holder, a payment line's
 * beneficiary and account, a form's members) carries that key, and screens show
 * the masked number the server sends beside it.
 */
export type SyncHousehold = Household;
/** A person as the device stores it, with the pinyin initials of the name (e.g. 'ljg' for 李建国), made with pinyin-pro on the server so the phone never loads its dictionary. */
export type SyncPerson = Omit<Person, 'id'> & {
  /** Surrogate key ('p' + 11 characters). */
  id: string;
  /** '4213**********1234': the last four digits are compared with the ID card shown. */
  idMasked: string;
  villageCode: string;
  pinyinInitials: string;
};
export type SyncAccount = Omit<Account, 'number'> & {
  /** Surrogate key ('a' + 11 characters) of the number and bank. */
  id: string;
  /** '6217 **** **** 4567'. */
  numberMasked: string;
  villageCode: string;
};
export type SyncPaymentLine = Omit<PaymentLine, 'accountNumber'> & {
  /** The key of the account paid into (also when that account is not on the roster). */
  accountId: string;
  accountMasked: string;
  villageCode: string;
};

export const REVIEW_STATUSES = ['submitted', 'returned', 'accepted'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** A check form as the server holds it. */
export interface ServerForm {
  id: string;
  householdId: string;
  villageCode: string;
  kind: 'cadre' | 'inspection';
  /** Server-assigned revision, +1 per accepted change. */
  rev: number;
  body: CheckFormBody;
  reviewStatus: ReviewStatus;
  reviewComment: string | null;
  /** Returned: the section of the form the comment is about (absent from older servers). */
  reviewSection?: string | null;
  authorUserId: string;
  updatedAt: string;
}

export interface PullChanges {
  item: SubsidyItem[];
  household: SyncHousehold[];
  person: SyncPerson[];
  account: SyncAccount[];
  paymentLine: SyncPaymentLine[];
  form: ServerForm[];
}

/**
 * Rows are not re-validated field by field on the phone: they come from our
 * own server over TLS, and parsing 150,000 payment lines on a cheap phone
 * would cost seconds. The envelope is checked.
 */
const rows = <T,>() => z.array(z.custom<T>((v) => typeof v === 'object' && v !== null));

/** One entity's rows column by column; the values are not checked one by one, for the same reason as rows. */
const ColumnBlockSchema = z.object({
  n: z.int().check(z.nonnegative()),
  c: z.record(
    z.string(),
    z.custom<unknown[]>((v) => Array.isArray(v)),
  ),
});

/** A region's name, for lists that show villages by name rather than by code. */
export const RegionNameSchema = z.object({ code: z.string(), name: z.string(), level: z.enum(REGION_LEVELS) });
export type RegionName = z.infer<typeof RegionNameSchema>;

export const PullResponseSchema = z.object({
  changes: z.object({
    item: rows<SubsidyItem>(),
    household: rows<SyncHousehold>(),
    person: rows<SyncPerson>(),
    account: rows<SyncAccount>(),
    paymentLine: rows<SyncPaymentLine>(),
    form: rows<ServerForm>(),
  }),
  cursor: z.string(),
  hasMore: z.boolean(),
  /**
   * The download started again from the first page because what the device
   * may hold changed (an inspector given other households): drop the roster
   * held before storing this page. Work not yet sent is kept.
   */
  reset: z.optional(z.literal(true)),
  /** On the first page of a full download: how many rows of each entity the area has, for a progress bar. */
  totals: z.optional(z.record(z.enum(SYNC_ENTITIES), z.int())),
  /** With `regions=1`: the names of the caller's area and every region in it (villages, townships). */
  regions: z.optional(z.array(RegionNameSchema)),
  /**
   * `format=columns` (sync-columns.ts): the roster entities of this page,
   * column by column; their arrays in `changes` are then empty.
   */
  columns: z.optional(
    z.object({
      household: z.optional(ColumnBlockSchema),
      person: z.optional(ColumnBlockSchema),
      account: z.optional(ColumnBlockSchema),
      paymentLine: z.optional(ColumnBlockSchema),
    }),
  ),
});
export type PullResponse = z.infer<typeof PullResponseSchema>;

export const PullQuerySchema = z.object({
  cursor: z.optional(z.string().check(z.maxLength(4096))),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(20_000))),
  /** `columns`: the compact page format of sync-columns.ts; `rows` (default): one object per row. */
  format: z.optional(z.enum(['rows', 'columns'])),
  /** `1`: also send the region names of the area (a device asks once, and again after a handover). */
  regions: z.optional(z.enum(['1'])),
});

const Sha256 = z.string().check(z.regex(/^[0-9a-f]{64}$/, '应为 SHA-256 十六进制串'));

/** Save a check form (new or edited). `baseRev` is the server revision it was edited from, 0 for a new form. */
export const FormPutMutationSchema = z.object({
  id: z.uuid(),
  counter: z.int().check(z.positive()),
  kind: z.literal('form.put'),
  formId: z.uuid(),
  baseRev: z.int().check(z.nonnegative()),
  /** Validated separately so its errors name the field (CheckFormBodySchema). */
  body: z.unknown(),
  /** Blobs the body references; the server refuses the mutation until they are uploaded. */
  blobs: z.array(Sha256),
  /** Device clock, recorded, never used for ordering. */
  clientTime: z.iso.datetime({ offset: true }),
});
export type FormPutMutation = Omit<z.infer<typeof FormPutMutationSchema>, 'body'> & { body: CheckFormBody };

export const PushRequestSchema = z.object({
  deviceId: z.uuid(),
  appVersion: z.string().check(z.maxLength(64)),
  /** Entries still waiting in the device's outbox, including this batch: shown to supervisors. */
  outboxSize: z.optional(z.int().check(z.nonnegative())),
  /** Each entry is validated on its own, so one malformed mutation is rejected alone. */
  mutations: z.array(z.unknown()).check(z.maxLength(200, '一批最多 200 条')),
});

export const MUTATION_STATUSES = ['applied', 'duplicate', 'conflict', 'rejected'] as const;
export type MutationStatus = (typeof MUTATION_STATUSES)[number];

export const FieldConflictSchema = z.object({
  path: z.string(),
  mine: z.unknown(),
  theirs: z.unknown(),
});

export const MutationResultSchema = z.object({
  /** The mutation id, or null when the entry was too malformed to have one. */
  id: z.nullable(z.string()),
  index: z.int(),
  status: z.enum(MUTATION_STATUSES),
  /** The form's revision after this mutation (applied, duplicate, conflict). */
  rev: z.optional(z.int()),
  message: z.optional(z.string()),
  /** rejected: the offending fields; conflict: the fields kept side by side. */
  fields: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  conflicts: z.optional(z.array(FieldConflictSchema)),
  /**
   * duplicate only: this mutation id was settled earlier with ANOTHER body (its
   * answer was lost, then the form was edited and the retry carried the edit).
   * The body now sent is not stored: the device sends it again under a new
   * mutation id, on top of `rev` when the earlier one made a version.
   */
  bodyDiffers: z.optional(z.literal(true)),
});
export type MutationResult = z.infer<typeof MutationResultSchema>;

export const PushResponseSchema = z.object({
  results: z.array(MutationResultSchema),
});
export type PushResponse = z.infer<typeof PushResponseSchema>;
