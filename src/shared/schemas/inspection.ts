/**
 * Wire schemas of spot checks (issue 14): drawing a round (preview, then
 * publish), its progress, assigning households to inspectors, the comparison
 * of one household's two forms and the quality table. The rules themselves
 * are src/shared/domain/inspection/.
 */
import * as z from 'zod/mini';
import { COMPARE_CLASSES, COMPARE_FIELDS, type CompareField } from '../domain/inspection/compare.ts';
import { VISIT_FLAGS } from '../domain/inspection/visit-proof.ts';

const share = z.number().check(z.gte(0.01, '比例应在 1% 到 100% 之间'), z.lte(1, '比例应在 1% 到 100% 之间'));
const atLeast = z.int('应为整数').check(z.minimum(1, '至少为 1'), z.maximum(1000, '不能超过 1000'));
const regionCode = z.string().check(z.regex(/^\d{12}$/, '应为12位区划代码'));

export const SampleRuleSchema = z.object({
  villageShare: share,
  weakVillageShare: share,
  householdShare: share,
  minVillages: atLeast,
  minHouseholds: atLeast,
});

export const DrawRequestSchema = z.object({
  areaCode: regionCode,
  seed: z.string().check(z.trim(), z.minLength(1, '请填写随机种子'), z.maxLength(100, '随机种子不能超过100字')),
  rule: SampleRuleSchema,
});
export type DrawRequest = z.infer<typeof DrawRequestSchema>;

export const PublishRoundSchema = z.object({
  ...DrawRequestSchema.shape,
  name: z.string().check(z.trim(), z.minLength(1, '请填写批次名称'), z.maxLength(100, '名称不能超过100字')),
  /** The input hash the preview showed: publishing refuses if the input changed since. */
  inputHash: z.string().check(z.regex(/^[0-9a-f]{64}$/, '应为 SHA-256 十六进制串')),
});
export type PublishRound = z.infer<typeof PublishRoundSchema>;

const VillageDrawSchema = z.object({ code: z.string(), name: z.nullable(z.string()), households: z.int(), required: z.int(), sampled: z.int() });
const TownshipDrawSchema = z.object({
  code: z.string(),
  name: z.nullable(z.string()),
  villages: z.int(),
  households: z.int(),
  problemsPer100: z.number(),
  weak: z.boolean(),
  share: z.number(),
  required: z.int(),
  sampledVillages: z.array(VillageDrawSchema),
  sampledHouseholds: z.int(),
});

export const DrawPreviewSchema = z.object({
  areaCode: z.string(),
  seed: z.string(),
  inputHash: z.string(),
  medianProblemsPer100: z.number(),
  households: z.int(),
  sampledHouseholds: z.int(),
  /** Sampled households that had to be in: open anomaly, not found, refused. */
  mandatory: z.int(),
  townships: z.array(TownshipDrawSchema),
});
export type DrawPreview = z.infer<typeof DrawPreviewSchema>;

export const RoundSummarySchema = z.object({
  id: z.string(),
  number: z.int(),
  name: z.string(),
  areaCode: z.string(),
  areaName: z.nullable(z.string()),
  seed: z.string(),
  rule: SampleRuleSchema,
  inputHash: z.string(),
  households: z.int(),
  createdByName: z.nullable(z.string()),
  createdAt: z.string(),
});
export type RoundSummary = z.infer<typeof RoundSummarySchema>;

export const VillageProgressSchema = z.object({
  villageCode: z.string(),
  villageName: z.nullable(z.string()),
  sampled: z.int(),
  assigned: z.int(),
  done: z.int(),
  compared: z.int(),
  t1Flagged: z.int(),
  inspectors: z.nullable(z.string()),
});
export type VillageProgress = z.infer<typeof VillageProgressSchema>;

export const RoundDetailSchema = z.object({
  round: RoundSummarySchema,
  villages: z.array(VillageProgressSchema),
});
export type RoundDetail = z.infer<typeof RoundDetailSchema>;

export const SampleHouseholdSchema = z.object({
  householdId: z.string(),
  villageCode: z.string(),
  groupName: z.nullable(z.string()),
  houseNumber: z.nullable(z.string()),
  headName: z.nullable(z.string()),
  reason: z.enum(['drawn', 'cadre', 'anomaly', 'not-found', 'refused']),
  inspectorUserId: z.nullable(z.string()),
  inspectorName: z.nullable(z.string()),
  done: z.boolean(),
  compared: z.nullable(z.int()),
  differing: z.nullable(z.int()),
  t1Differing: z.nullable(z.int()),
});
export type SampleHousehold = z.infer<typeof SampleHouseholdSchema>;

export const AssignSchema = z.object({
  /** null takes the households back. */
  inspectorId: z.nullable(z.uuid('检查组账号无效')),
  villageCodes: z.optional(z.array(regionCode).check(z.maxLength(2000))),
  householdIds: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.maxLength(20000))),
});
export type Assign = z.infer<typeof AssignSchema>;

export const InspectorSchema = z.object({ id: z.string(), username: z.string(), displayName: z.string(), areaCode: z.string() });
export type Inspector = z.infer<typeof InspectorSchema>;

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const fieldNames = Object.keys(COMPARE_FIELDS) as [CompareField, ...CompareField[]];
export const FieldDifferenceSchema = z.object({
  field: z.enum(fieldNames),
  cls: z.enum(COMPARE_CLASSES),
  about: z.string(),
  /** Who or what the field is about, named for people: a member's name, `name · item`, a masked account. */
  aboutLabel: z.string(),
  cadre: scalar,
  inspector: scalar,
  differs: z.boolean(),
});
export type FieldDifferenceWire = z.infer<typeof FieldDifferenceSchema>;

const ClassCountSchema = z.object({ compared: z.int(), differing: z.int() });

export const ComparisonSchema = z.object({
  householdId: z.string(),
  villageCode: z.string(),
  headName: z.nullable(z.string()),
  cadre: z.object({ formId: z.string(), rev: z.int(), author: z.nullable(z.string()), visitedAt: z.nullable(z.string()) }),
  inspection: z.object({ formId: z.string(), rev: z.int(), author: z.nullable(z.string()), visitedAt: z.nullable(z.string()) }),
  byClass: z.object({ T1: ClassCountSchema, T2: ClassCountSchema, T3: ClassCountSchema }),
  compared: z.int(),
  differing: z.int(),
  fields: z.array(FieldDifferenceSchema),
});
export type Comparison = z.infer<typeof ComparisonSchema>;

export const QualityRowSchema = z.object({
  level: z.enum(['cadre', 'village', 'township']),
  key: z.string(),
  name: z.nullable(z.string()),
  households: z.int(),
  t1Households: z.int(),
  compared: z.int(),
  differing: z.int(),
  t1Compared: z.int(),
  t1Differing: z.int(),
  t2Compared: z.int(),
  t2Differing: z.int(),
  /** differing / compared over T1 and T2 fields. */
  errorRate: z.number(),
  /** Above the threshold: re-train or investigate. */
  flagged: z.boolean(),
});
export type QualityRow = z.infer<typeof QualityRowSchema>;

export const QualitySchema = z.object({ threshold: z.number(), rows: z.array(QualityRowSchema) });
export type Quality = z.infer<typeof QualitySchema>;

/** Visit proof per cadre (issue 14, item 6): how their forms' recorded visits look, and how many of each flag. */
export const VisitQualityRowSchema = z.object({
  author: z.string(),
  name: z.nullable(z.string()),
  forms: z.int(),
  /** Forms whose app recorded the visit (newer app versions). */
  recorded: z.int(),
  /** Median active minutes per person over the checked households with a record. */
  medianMinutesPerPerson: z.nullable(z.number()),
  flagged: z.int(),
  flags: z.record(z.enum(VISIT_FLAGS), z.int()),
});
export type VisitQualityRow = z.infer<typeof VisitQualityRowSchema>;
export const VisitQualitySchema = z.array(VisitQualityRowSchema);
