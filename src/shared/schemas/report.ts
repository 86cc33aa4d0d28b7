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

/**
 * The two stage summaries (阶段性工作总结 by 10 July, 年度工作总结 by
 * 12 December): the year's cumulative numbers up to the last full month
 * before the due date (1 January to 30 June, and to 30 November), so each
 * agrees with the monthly reports of its months. Asked for before its period
 * ends, a summary runs to today and says so.
 */
export const StageSchema = z.enum(['1', '2']);
export type Stage = z.infer<typeof StageSchema>;

export const StageReportSchema = z.object({
  year: z.int(),
  stage: StageSchema,
  /** First and last day counted (China's dates), the day it is due, and whether the period is over. */
  from: z.string(),
  through: z.string(),
  due: z.string(),
  complete: z.boolean(),
  area: z.object({ code: z.string(), name: z.string() }),
  /** Per township: the "InMonth" figures count the whole period. */
  rows: z.array(MonthlyRowSchema),
  total: MonthlyRowSchema,
  villages: z.object({ villages: count, started: count }),
  inspection: z.object({ rounds: count, villages: count, sampled: count, rechecked: count, differing: count, t1Differing: count }),
  generatedAt: z.string(),
});
export type StageReport = z.infer<typeof StageReportSchema>;

export const StageQuerySchema = z.object({
  year: z.string().check(z.regex(/^20\d{2}$/, '年份应为 4 位数字，如 2026')),
  stage: z.enum(['1', '2'], '阶段应为 1（阶段性工作总结）或 2（年度工作总结）'),
  area: z.optional(z.string().check(z.regex(/^\d{12}$/, '地区代码应为 12 位数字'))),
});
