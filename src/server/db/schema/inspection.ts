import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { SampleInput, SampleRule } from '#shared/domain/inspection/sample.ts';
import type { FieldDifference } from '#shared/domain/inspection/compare.ts';

/**
 * Spot-check rounds (重点抽查, issue 14). A round is drawn from a frozen
 * input (the area's households with the weights and mandatory marks at the
 * moment of the draw, stored whole with its SHA-256) and a public seed, so
 * anyone can re-run the draw (src/shared/domain/inspection/sample.ts). Once
 * stored a round's sample never changes; only who re-checks what does.
 */
export const inspectionRounds = pgTable(
  'inspection_rounds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** 批次号: short, for people to quote. */
    number: bigint('number', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    name: text('name').notNull(),
    areaCode: text('area_code').notNull(),
    seed: text('seed').notNull(),
    rule: jsonb('rule').$type<SampleRule>().notNull(),
    inputHash: text('input_hash').notNull(),
    input: jsonb('input').$type<SampleInput>().notNull(),
    households: integer('households').notNull(),
    createdBy: uuid('created_by'),
    createdByName: text('created_by_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('inspection_rounds_area_idx').on(t.areaCode, t.createdAt), check('inspection_rounds_area_code_check', sql`${t.areaCode} ~ '^[0-9]{12}$'`)],
);

/** The households a round drew, each with why, and the inspector it is given to. */
export const inspectionSample = pgTable(
  'inspection_sample',
  {
    roundId: uuid('round_id')
      .notNull()
      .references(() => inspectionRounds.id),
    householdId: text('household_id').notNull(),
    villageCode: text('village_code').notNull(),
    /** The order of the draw within the round. */
    position: integer('position').notNull(),
    reason: text('reason', { enum: ['drawn', 'cadre', 'anomaly', 'not-found', 'refused'] }).notNull(),
    inspectorUserId: uuid('inspector_user_id'),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'inspection_sample_pkey', columns: [t.roundId, t.householdId] }),
    index('inspection_sample_inspector_idx').on(t.inspectorUserId, t.householdId),
    index('inspection_sample_household_idx').on(t.householdId),
    index('inspection_sample_round_village_idx').on(t.roundId, t.villageCode, t.position),
  ],
);

/**
 * A sampled household's cadre form against its re-check (compare.ts), kept
 * for the revisions it was computed from and recomputed when either changes.
 */
export const inspectionComparisons = pgTable(
  'inspection_comparisons',
  {
    roundId: uuid('round_id')
      .notNull()
      .references(() => inspectionRounds.id),
    householdId: text('household_id').notNull(),
    villageCode: text('village_code').notNull(),
    cadreFormId: uuid('cadre_form_id').notNull(),
    cadreRev: integer('cadre_rev').notNull(),
    cadreUserId: uuid('cadre_user_id').notNull(),
    inspectionFormId: uuid('inspection_form_id').notNull(),
    inspectionRev: integer('inspection_rev').notNull(),
    inspectorUserId: uuid('inspector_user_id').notNull(),
    compared: integer('compared').notNull(),
    differing: integer('differing').notNull(),
    t1Compared: integer('t1_compared').notNull(),
    t1Differing: integer('t1_differing').notNull(),
    t2Compared: integer('t2_compared').notNull(),
    t2Differing: integer('t2_differing').notNull(),
    t3Compared: integer('t3_compared').notNull(),
    t3Differing: integer('t3_differing').notNull(),
    fields: jsonb('fields').$type<FieldDifference[]>().notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'inspection_comparisons_pkey', columns: [t.roundId, t.householdId] }), index('inspection_comparisons_cadre_form_idx').on(t.cadreFormId)],
);
