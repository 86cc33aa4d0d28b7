/**
 * Coverage at every level (issue 15, item 1): 市不漏镇、镇不漏村、村不漏户、
 * 户不漏人、人不漏项. The server counts from coverage_households and
 * coverage_villages (src/server/db/schema/coverage.ts), kept as forms and
 * rosters change, so a city costs a sum over its villages.
 */
import * as z from 'zod/mini';
import { REGION_LEVELS } from './roster.ts';
import { OUTCOMES } from './check-form.ts';

const count = z.int().check(z.nonnegative());

/** One region's counts: the area, or one of its townships or villages. */
export const CoverageNodeSchema = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(REGION_LEVELS),
  villages: count,
  /** Villages with at least one cadre form. */
  villagesStarted: count,
  households: count,
  /** Households with a cadre form, whatever its outcome; not found and refused are counted apart too. */
  visited: count,
  notFound: count,
  refused: count,
  persons: count,
  personsCovered: count,
  items: count,
  itemsCovered: count,
});
export type CoverageNode = z.infer<typeof CoverageNodeSchema>;

/** A household of a village: what its form covers, or that it has none yet. */
export const CoverageHouseholdSchema = z.object({
  householdId: z.string(),
  groupName: z.string(),
  houseNumber: z.string(),
  headName: z.nullable(z.string()),
  persons: count,
  personsCovered: count,
  items: count,
  itemsCovered: count,
  outcome: z.nullable(z.enum(OUTCOMES)),
  formId: z.nullable(z.string()),
  authorName: z.nullable(z.string()),
});
export type CoverageHousehold = z.infer<typeof CoverageHouseholdSchema>;

export const CoverageReportSchema = z.object({
  area: CoverageNodeSchema,
  /** From the user's own area down to this one, for the way back up. */
  path: z.array(z.object({ code: z.string(), name: z.string() })),
  /** Townships of a county, villages of a township; empty for a village. */
  children: z.array(CoverageNodeSchema),
  /** The households of a village; empty above. */
  households: z.array(CoverageHouseholdSchema),
  /** Villages of the area no form has reached yet (the first 200), and how many there are. */
  villagesAtZero: z.array(z.object({ code: z.string(), name: z.string(), households: count })),
  villagesAtZeroTotal: count,
});
export type CoverageReport = z.infer<typeof CoverageReportSchema>;

export const CoverageQuerySchema = z.object({
  /** A 12-digit region code inside the user's area; the user's own area when absent. */
  area: z.optional(z.string().check(z.regex(/^\d{12}$/, '地区代码应为 12 位数字'))),
});
