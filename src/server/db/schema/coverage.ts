import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Coverage kept up to date as forms and rosters change (issue 15, item 1), so
 * counting a city is summing a few thousand village rows, not reading a
 * million people and every form body.
 *
 * - coverage_households: one row per household with a cadre form: its
 *   outcome and how many of its roster people and ledger items (person ×
 *   item pairs) the form answered. Written by triggers on check_forms in the
 *   same statement as the form (migration 0018), and recomputed for an area
 *   after a roster import (ykt_coverage_refresh_area), because the roster is
 *   what the answers are counted against.
 * - coverage_villages: the roster's totals per village (households, people,
 *   item pairs), recomputed after an import, and the sums of the village's
 *   coverage_households, recomputed by the same triggers for the villages a
 *   write touched, so an area's coverage is a sum over its villages.
 *
 * The rule is the device's (src/shared/domain/coverage.ts): a person counts
 * when the form answered "present" and "status", an item when it answered
 * "received"; members added on the spot and items the ledger lacks add
 * nothing. A household with two cadre forms counts its latest.
 */
export const coverageHouseholds = pgTable(
  'coverage_households',
  {
    householdId: text('household_id').primaryKey(),
    villageCode: text('village_code').notNull(),
    formId: uuid('form_id').notNull(),
    outcome: text('outcome', { enum: ['checked', 'not-found', 'refused'] }).notNull(),
    personsCovered: integer('persons_covered').notNull(),
    itemsCovered: integer('items_covered').notNull(),
    authorUserId: uuid('author_user_id').notNull(),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('coverage_households_village_idx').on(t.villageCode)],
);

export const coverageVillages = pgTable('coverage_villages', {
  villageCode: text('village_code').primaryKey(),
  households: integer('households').notNull(),
  persons: integer('persons').notNull(),
  items: integer('items').notNull(),
  /** The village's coverage_households summed, kept by the same triggers (ykt_coverage_rollup). */
  visited: integer('visited').notNull().default(0),
  notFound: integer('not_found').notNull().default(0),
  refused: integer('refused').notNull().default(0),
  personsCovered: integer('persons_covered').notNull().default(0),
  itemsCovered: integer('items_covered').notNull().default(0),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull().defaultNow(),
});
