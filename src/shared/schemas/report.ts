/**
 * The monthly report (月报, issue 15, item 3): per township, what the month
 * added, and where the campaign stands at its end.
 */
import * as z from 'zod/mini';

const count = z.int().check(z.nonnegative());
const fen = z.int();

export const MonthlyRowSchema = z.object({
  /** A township (12 digits), or the area's own code for items above any one township. */
  code: z.string(),
  name: z.string(),
  /** Households whose cadre form first reached the server this month; and all so far. */
  checkedInMonth: count,
  checkedToDate: count,
  households: count,
  /** Problems found this month, by category and by code. */
  foundInMonth: count,
  byCategory: z.record(z.string(), count),
  byCode: z.record(z.string(), count),
  amountInvolvedFen: fen,
  /** Items closed (销号) this month, and the money recovered on them. */
  closedInMonth: count,
  amountRecoveredFen: fen,
  /** Items referred to the discipline inspection commission (移送纪检监察) with a date this month. */
  referredInMonth: count,
  /** At the month's end: found so far, not yet closed or dismissed. */
  openAtEnd: count,
  closedToDate: count,
});
export type MonthlyRow = z.infer<typeof MonthlyRowSchema>;

export const MonthlyReportSchema = z.object({
  month: z.string(),
  area: z.object({ code: z.string(), name: z.string() }),
  rows: z.array(MonthlyRowSchema),
  total: MonthlyRowSchema,
  generatedAt: z.string(),
});
export type MonthlyReport = z.infer<typeof MonthlyReportSchema>;

export const MonthlyQuerySchema = z.object({
  month: z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM，如 2026-11')),
  area: z.optional(z.string().check(z.regex(/^\d{12}$/, '地区代码应为 12 位数字'))),
});
