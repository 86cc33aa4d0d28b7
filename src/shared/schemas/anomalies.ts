/**
 * Wire schemas of the anomaly scan (POST /api/anomalies/scan). The finding
 * shape is the one src/shared/domain/anomalies produces; the assignment
 * checks at the bottom fail to compile if the two drift apart.
 */
import * as z from 'zod/mini';
import { ANOMALY_RULES, type Finding } from '#shared/domain/anomalies/types.ts';
import { PROBLEM_CODE_VALUES } from '#shared/domain/problem-codes.ts';
import { regionLevel } from '#shared/domain/region-code.ts';

export const ProblemCodeSchema = z.enum(PROBLEM_CODE_VALUES);
export const AnomalyRuleSchema = z.enum(ANOMALY_RULES);

export const FindingSchema = z.object({
  id: z.uuid(),
  rule: AnomalyRuleSchema,
  problemCode: ProblemCodeSchema,
  title: z.string(),
  detail: z.string(),
  villageCodes: z.array(z.string()),
  householdIds: z.array(z.string()),
  /** Person keys (the server's surrogate keys; never citizen IDs on the wire). */
  personIds: z.array(z.string()),
  /** Masked ('6217 **** **** 4567'): full account numbers stay on the server. */
  accountNumbers: z.array(z.string()),
  itemCodes: z.array(z.string()),
  amountFen: z.int(),
  evidence: z.object({
    paymentLineIds: z.array(z.string()),
    accounts: z.array(z.object({ number: z.string(), bankName: z.string() })),
    missingPeriods: z.array(z.string()),
  }),
});

/** The most findings one response carries; page with `offset` for more. */
export const MAX_FINDINGS_PAGE = 500;

export const AnomalyScanBodySchema = z.object({
  /** Narrow the scan to one village of the caller's area (403 outside it). */
  villageCode: z.optional(
    z.string().check(
      z.regex(/^\d{12}$/, '行政区划代码应为12位数字'),
      z.refine((c) => regionLevel(c) === 'village', '应为村（社区）级的12位行政区划代码'),
    ),
  ),
  /** Only findings with this problem code in `findings` (the counts always cover all). */
  problemCode: z.optional(ProblemCodeSchema),
  offset: z.optional(z.int().check(z.minimum(0, '不能小于0'))),
  limit: z.optional(z.int().check(z.minimum(1, '至少为1'), z.maximum(MAX_FINDINGS_PAGE, `不能超过${MAX_FINDINGS_PAGE}`))),
});
export type AnomalyScanBody = z.infer<typeof AnomalyScanBodySchema>;

const countsOf = <T extends readonly [string, ...string[]]>(keys: T) => z.record(z.enum(keys), z.int());

export const AnomalyScanResultSchema = z.object({
  /** The area scanned: the caller's area prefix, or the village asked for. */
  areaPrefix: z.string(),
  scannedAt: z.iso.datetime({ offset: true }),
  /** Rows read from the roster and the ledger (context rows outside the area included). */
  scanned: z.object({ households: z.int(), persons: z.int(), accounts: z.int(), paymentLines: z.int() }),
  /** Findings per problem code and per rule, over the whole scan. */
  counts: countsOf(PROBLEM_CODE_VALUES),
  countsByRule: countsOf(ANOMALY_RULES),
  /** Number of findings matching `problemCode` (all when absent), and their money. */
  total: z.int(),
  amountFen: z.int(),
  offset: z.int(),
  limit: z.int(),
  /** One page of the matching findings, ordered by problem code, rule, village, id. */
  findings: z.array(FindingSchema),
  /** Time spent loading and checking, milliseconds. */
  durationMs: z.object({ load: z.number(), rules: z.number() }),
});
export type AnomalyScanResult = z.infer<typeof AnomalyScanResultSchema>;

// Compile-time check that the domain type and the wire schema describe the same object.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type FindingWireCheck = Assert<Same<Finding, z.infer<typeof FindingSchema>>>;
