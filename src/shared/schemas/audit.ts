/**
 * The audit log (issue 12, item 4): who did what, when, from where. Append-
 * only on the server, each entry chained to the one before by a SHA-256
 * hash, so an entry edited or deleted afterwards is found by the check an
 * admin runs (GET /api/admin/audit/verify).
 */
import * as z from 'zod/mini';

export const AUDIT_ACTIONS = [
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.sign_out',
  'auth.session_revoked',
  'form.review',
  'form.resolve',
  'import.run',
  'user.create',
  'user.update',
  'user.disable',
  'user.enable',
  'user.reset_password',
  'user.password_changed',
  'device.revoke',
  'device.wiped',
  'audit.verify',
  'audit.export',
  'pii.view',
  'ledger.scan',
  'ledger.action',
  'tip.contact_view',
  'inspection.draw',
  'inspection.assign',
  'export.forms',
  'export.form_items',
  'export.ledger',
  'export.coverage',
  'export.sample',
  'export.report',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AuditEntrySchema = z.object({
  seq: z.int(),
  at: z.string(),
  userId: z.nullable(z.string()),
  /** The acting user's name at the time (for a failed sign-in: the name typed). */
  username: z.nullable(z.string()),
  action: z.enum(AUDIT_ACTIONS),
  targetType: z.nullable(z.string()),
  targetId: z.nullable(z.string()),
  /** The area the entry belongs to (the actor's, or the target's); null when unknown (a failed sign-in of no user). */
  areaCode: z.nullable(z.string()),
  ip: z.nullable(z.string()),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditQuerySchema = z.object({
  action: z.optional(z.enum(AUDIT_ACTIONS)),
  /** Username (exact). */
  user: z.optional(z.string().check(z.maxLength(64))),
  /** ISO dates or instants, inclusive from, exclusive to. */
  from: z.optional(z.iso.date()),
  to: z.optional(z.iso.date()),
  /** Entries older than this seq (keyset paging, newest first). */
  before: z.optional(z.coerce.number().check(z.int(), z.minimum(1))),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(500))),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditPageSchema = z.object({
  entries: z.array(AuditEntrySchema),
  /** The `before` of the next (older) page, or null at the oldest entry. */
  next: z.nullable(z.int()),
});
export type AuditPage = z.infer<typeof AuditPageSchema>;

export const AuditVerifySchema = z.object({
  ok: z.boolean(),
  checked: z.int(),
  /** The first entries whose hash or link to the one before does not hold (at most 20). */
  broken: z.array(z.object({ seq: z.int(), reason: z.enum(['hash', 'link']) })),
  /** The newest entry: note its hash (print it) to detect later that entries after it were cut off. */
  head: z.nullable(z.object({ seq: z.int(), at: z.string(), hash: z.string() })),
});
export type AuditVerify = z.infer<typeof AuditVerifySchema>;
