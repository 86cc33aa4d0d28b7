import { sql } from 'drizzle-orm';
import { bigint, check, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { FieldConflict } from '#shared/domain/form-merge.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import type { MutationResult } from '#shared/schemas/sync.ts';
import { users } from './auth.ts';

/**
 * The 64-bit transaction id of the transaction that last wrote a row, kept
 * in step by a trigger (migration 0001). Pull orders changes by it and only
 * serves rows of transactions older than every transaction still running
 * (pg_snapshot_xmin), so a transaction that commits late is never skipped.
 */
export const xid8 = customType<{ data: string; driverData: string }>({
  dataType: () => 'xid8',
});

export const syncXid = () => xid8('xid').notNull().default(sql`pg_current_xact_id()`);

export const checkForms = pgTable(
  'check_forms',
  {
    id: uuid('id').primaryKey(),
    householdId: text('household_id').notNull(),
    villageCode: text('village_code').notNull(),
    kind: text('kind', { enum: ['cadre', 'inspection'] }).notNull(),
    rev: integer('rev').notNull(),
    body: jsonb('body').$type<CheckFormBody>().notNull(),
    reviewStatus: text('review_status', { enum: ['submitted', 'returned', 'accepted'] }).notNull().default('submitted'),
    reviewComment: text('review_comment'),
    /** The section of the form a return's comment is about (a SectionId), so the device opens the form there. */
    reviewSection: text('review_section'),
    /** Fields two devices changed differently, both values kept until a supervisor resolves them. */
    conflicts: jsonb('conflicts').$type<FieldConflict[]>().notNull().default([]),
    authorUserId: uuid('author_user_id')
      .notNull()
      .references(() => users.id),
    deviceId: text('device_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    xid: syncXid(),
  },
  (t) => [
    index('check_forms_village_xid_idx').on(t.villageCode, t.xid, t.id),
    index('check_forms_household_idx').on(t.householdId),
    check('check_forms_village_code_check', sql`${t.villageCode} ~ '^[0-9]{12}$'`),
  ],
);

/** Every version of every form, append-only: the evidence trail. */
export const checkFormVersions = pgTable(
  'check_form_versions',
  {
    formId: uuid('form_id')
      .notNull()
      .references(() => checkForms.id),
    rev: integer('rev').notNull(),
    body: jsonb('body').$type<CheckFormBody>().notNull(),
    reviewStatus: text('review_status', { enum: ['submitted', 'returned', 'accepted'] }).notNull(),
    reviewComment: text('review_comment'),
    /** The mutation that made this version, or null for a server-side change (review). */
    mutationId: uuid('mutation_id'),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    deviceId: text('device_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.formId, t.rev] })],
);

/** The raw mutation log: every mutation received, with the answer it got, so a retry gets the same answer. */
export const syncMutations = pgTable(
  'sync_mutations',
  {
    id: uuid('id').primaryKey(),
    deviceId: text('device_id').notNull(),
    counter: bigint('counter', { mode: 'number' }).notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    status: text('status', { enum: ['applied', 'duplicate', 'conflict', 'rejected'] }).notNull(),
    result: jsonb('result').$type<MutationResult>().notNull(),
    /**
     * The mutation as received. When its form body was stored exactly as sent,
     * the body lives in check_form_versions (mutation_id = id) and is left out here.
     */
    payload: jsonb('payload').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('sync_mutations_device_counter_key').on(t.deviceId, t.counter)],
);

/** One row per device: who uses it, when it last synced, what it still holds. */
export const devices = pgTable('devices', {
  id: text('id').primaryKey(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
  appVersion: text('app_version'),
  lastPushAt: timestamp('last_push_at', { withTimezone: true }),
  lastPullAt: timestamp('last_pull_at', { withTimezone: true }),
  /** Mutations the device reported as still waiting in its outbox. */
  unsentCount: integer('unsent_count'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** A lost phone: its sessions ended, and the next time it reaches the server it is told to wipe. */
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  revokedBy: uuid('revoked_by'),
  /** When the device reported it wiped the area, and what unsent work was lost with it. */
  wipedAt: timestamp('wiped_at', { withTimezone: true }),
  lostForms: integer('lost_forms'),
  lostMutations: integer('lost_mutations'),
});

/** Attachments (signatures, photos), content-addressed; the bytes live in the blob store. */
export const blobs = pgTable('blobs', {
  sha256: text('sha256').primaryKey(),
  size: integer('size').notNull(),
  contentType: text('content_type').notNull(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
