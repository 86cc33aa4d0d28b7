/**
 * The public disclosure of a village (公示, issue 15, item 6): the subsidy
 * items of the policy list, and who in the village was paid what, item by
 * item and period by period. Public, no sign-in: names are masked (张*明),
 * and no ID or account number is ever part of it.
 */
import * as z from 'zod/mini';
import { PERIOD_KINDS, SUBSIDY_UNITS } from './roster.ts';

const count = z.int().check(z.nonnegative());
const fen = z.int();

export const VillageCodeParamSchema = z.object({ villageCode: z.string().check(z.regex(/^\d{12}$/, '村代码应为12位数字')) });
export const DisclosureQuerySchema = z.object({ year: z.optional(z.string().check(z.regex(/^\d{4}$/, '年份应为4位数字，如 2021'))) });

/** An item of the policy list, with what the village received of it in the year. */
export const DisclosureItemSchema = z.object({
  code: z.string(),
  name: z.string(),
  department: z.string(),
  unit: z.enum(SUBSIDY_UNITS),
  period: z.enum(PERIOD_KINDS),
  standardAmountFen: fen,
  beneficiaries: count,
  amountFen: fen,
});
export type DisclosureItem = z.infer<typeof DisclosureItemSchema>;

/** Consecutive periods paid the same amount: 2021-01 to 2021-12, 350.00 each. */
export const PaymentRunSchema = z.object({ from: z.string(), to: z.string(), periods: count, amountFen: fen });
export type PaymentRun = z.infer<typeof PaymentRunSchema>;

export const DisclosureRowSchema = z.object({
  /** Masked: the first and last character kept (张*明). */
  name: z.string(),
  groupName: z.string(),
  itemCode: z.string(),
  runs: z.array(PaymentRunSchema),
  totalFen: fen,
});
export type DisclosureRow = z.infer<typeof DisclosureRowSchema>;

export const DisclosureSchema = z.object({
  village: z.object({ code: z.string(), name: z.string(), township: z.string(), county: z.string() }),
  /** The year shown, and every year the village has payments in (newest first). */
  year: z.nullable(z.string()),
  years: z.array(z.string()),
  items: z.array(DisclosureItemSchema),
  rows: z.array(DisclosureRowSchema),
  totalFen: fen,
  /** When the figures were read from the ledger (they are cached for a few minutes). */
  generatedAt: z.string(),
});
export type Disclosure = z.infer<typeof DisclosureSchema>;
