import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { Assignment, Referral } from '#shared/domain/ledger/lifecycle.ts';
import { LEDGER_STATES } from '#shared/domain/ledger/lifecycle.ts';
import { SCAN_STATUSES } from '#shared/schemas/ledger.ts';
import { syncXid } from './sync.ts';

const oneOf = (values: readonly string[]) => sql.raw(`(${values.map((v) => `'${v}'`).join(', ')})`);

/**
 * The problem ledger (问题台账, issue 13): one row per problem, found once and
 * kept until it is closed. `dedupe_key` makes the same finding found again
 * (a rescan, a second form) land on the same item: problem code, the person
 * (by key, never a citizen ID) or household, and the subsidy item.
 */
export const ledgerItems = pgTable(
  'ledger_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** 问题编号: short, increasing, for people to quote. */
    number: bigint('number', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    problemCode: text('problem_code').notNull(),
    category: text('category', { enum: ['A', 'B', 'C'] }).notNull(),
    state: text('state', { enum: LEDGER_STATES }).notNull().default('found'),
    /**
     * The smallest region holding everything the item is about: a village, or
     * the township or county for a finding across villages. Areas filter on it.
     */
    areaCode: text('area_code').notNull(),
    householdId: text('household_id'),
    personKey: text('person_key'),
    itemCode: text('item_code'),
    dedupeKey: text('dedupe_key').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    amountInvolvedFen: bigint('amount_involved_fen', { mode: 'number' }),
    amountRecoveredFen: bigint('amount_recovered_fen', { mode: 'number' }),
    outcome: text('outcome'),
    assignment: jsonb('assignment').$type<Assignment>(),
    referral: jsonb('referral').$type<Referral>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Last writing transaction: items assigned to a village reach its cadre's device on pull (later). */
    xid: syncXid(),
  },
  (t) => [
    unique('ledger_items_dedupe_key_unique').on(t.dedupeKey),
    unique('ledger_items_number_unique').on(t.number),
    index('ledger_items_area_number_idx').on(t.areaCode, t.number),
    index('ledger_items_state_idx').on(t.state, t.number),
    check('ledger_items_state_check', sql`${t.state} in ${oneOf(LEDGER_STATES)}`),
    check('ledger_items_area_code_check', sql`${t.areaCode} ~ '^[0-9]{12}$'`),
  ],
);

/** Where an item was found: a form's problem, an anomaly finding, a re-check, a tip-off, a supervisor. Each source once. */
export const ledgerSources = pgTable(
  'ledger_sources',
  {
    itemId: uuid('item_id')
      .notNull()
      .references(() => ledgerItems.id),
    kind: text('kind', { enum: ['form', 'anomaly', 'inspection', 'tip', 'manual'] }).notNull(),
    /** The finding's id, or `formId:problemKey`. */
    ref: text('ref').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('ledger_sources_kind_ref_unique').on(t.kind, t.ref), index('ledger_sources_item_idx').on(t.itemId)],
);

/** Every change of an item: who, when, from which state to which, and why. */
export const ledgerEvents = pgTable(
  'ledger_events',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().primaryKey(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => ledgerItems.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    userId: uuid('user_id'),
    username: text('username'),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    comment: text('comment'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    /**
     * The step's idempotency key, from a device's ledger outbox: a step sent
     * again after a lost reply is answered, not taken twice.
     */
    mutationId: uuid('mutation_id'),
  },
  (t) => [index('ledger_events_item_idx').on(t.itemId, t.id), uniqueIndex('ledger_events_mutation_id_unique').on(t.mutationId)],
);

/**
 * A citizen's tip-off (举报线索) behind a ledger item: how it came in and the
 * reporter's contact, if they left one. Only county-level supervisors see the
 * contact, and every look at it is in the audit log.
 */
export const ledgerTips = pgTable('ledger_tips', {
  itemId: uuid('item_id')
    .primaryKey()
    .references(() => ledgerItems.id),
  via: text('via', { enum: ['web', 'phone'] }).notNull(),
  contactName: text('contact_name'),
  contactPhone: text('contact_phone'),
  place: text('place'),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Anomaly scans of an area into the ledger (issue 13, item 4): run in the
 * background one township at a time, after an import or on demand. The row
 * is the scan's progress while it runs and its record afterwards.
 */
export const anomalyScans = pgTable(
  'anomaly_scans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    areaCode: text('area_code').notNull(),
    trigger: text('trigger', { enum: ['manual', 'import'] }).notNull(),
    status: text('status', { enum: SCAN_STATUSES }).notNull().default('queued'),
    userId: uuid('user_id'),
    username: text('username'),
    unitsTotal: integer('units_total').notNull().default(0),
    unitsDone: integer('units_done').notNull().default(0),
    findings: integer('findings').notNull().default(0),
    created: integer('created').notNull().default(0),
    linked: integer('linked').notNull().default(0),
    known: integer('known').notNull().default(0),
    error: text('error'),
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('anomaly_scans_area_queued_idx').on(t.areaCode, t.queuedAt),
    check('anomaly_scans_status_check', sql`${t.status} in ${oneOf(SCAN_STATUSES)}`),
  ],
);

/**
 * Evidence photos of an item's rectification (blobs by SHA-256), each once
 * per item. Whoever may see the item may read its photos (blobs-repository).
 */
export const ledgerEvidence = pgTable(
  'ledger_evidence',
  {
    itemId: uuid('item_id')
      .notNull()
      .references(() => ledgerItems.id),
    sha256: text('sha256').notNull(),
    userId: uuid('user_id'),
    username: text('username'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'ledger_evidence_pkey', columns: [t.itemId, t.sha256] }), index('ledger_evidence_sha256_idx').on(t.sha256)],
);
