/**
 * The beneficiary roster and the payment ledger (domain.md §3): regions,
 * the subsidy item catalogue, households, persons, one-card accounts and
 * payment lines. These schemas describe stored, canonical rows; the importer
 * normalises raw cells (full-width digits, spaces, lower-case x, Excel dates)
 * before it parses a row with them.
 *
 * Money is always an integer number of fen (分), never a float of yuan:
 * 0.1 + 0.2 yuan must add up exactly when a check sums two years of payments.
 *
 * zod/mini like the other shared schemas: the device validates with these too.
 */
import * as z from 'zod/mini';
import type { AccountType } from '#shared/domain/account-number.ts';
import { validateCitizenId } from '#shared/domain/citizen-id.ts';
import { regionLevel, regionPrefix, type RegionLevel } from '#shared/domain/region-code.ts';

// ---------------------------------------------------------------------------
// Shared field schemas

/** The largest amount a Postgres `integer` column holds: 21,474,836.47 yuan. */
export const MAX_AMOUNT_FEN = 2_147_483_647;

/** An amount of money in fen (分). */
export const AmountFenSchema = z.int('金额应为以分为单位的整数').check(z.positive('金额应大于0'), z.maximum(MAX_AMOUNT_FEN, '金额过大'));

/** A civil date, 'YYYY-MM-DD'. */
export const CivilDateSchema = z.iso.date('日期应为真实存在的日期，格式 YYYY-MM-DD');

/** A 12-digit statistical division code. */
export const RegionCodeSchema = z.string().check(z.regex(/^\d{12}$/, '行政区划代码应为12位数字'));

/** A village-level (村/社区) 12-digit code: every household belongs to one. */
export const VillageCodeSchema = z
  .string()
  .check(
    z.regex(/^\d{12}$/, '行政区划代码应为12位数字'),
    z.refine((c) => regionLevel(c) === 'village', '应为村（社区）级的12位行政区划代码'),
  );

/**
 * An 18-character citizen ID in canonical form (GB 11643 check digit,
 * upper-case X). Stored IDs are compared as strings, so a lower-case x or a
 * full-width digit must have been normalised away before this point.
 */
export const CitizenIdSchema = z.string().check(
  z.superRefine((value, ctx) => {
    const result = validateCitizenId(value);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.issue.message, input: value });
    } else if (result.id !== value) {
      ctx.addIssue({ code: 'custom', message: '身份证号应为18位规范格式（无空格，末位X大写）', input: value });
    }
  }),
);

/**
 * Natural keys end up inside composite keys such as a payment line id
 * (`item:person:period:seq`), so they may not contain ':' or whitespace.
 */
const KeySchema = z.string().check(z.minLength(1, '不能为空'), z.maxLength(64, '不能超过64个字符'), z.regex(/^[^:\s]+$/, '不能包含空格或冒号'));

const textOf = (max: number) => z.string().check(z.trim(), z.minLength(1, '不能为空'), z.maxLength(max, `不能超过${max}个字符`));
const PhoneSchema = textOf(32);
const AccountNumberSchema = z.string().check(z.regex(/^\d{8,30}$/, '账号应为8–30位数字'));

// ---------------------------------------------------------------------------
// Regions

export const REGION_LEVELS = ['province', 'city', 'county', 'township', 'village'] as const satisfies readonly RegionLevel[];

export const RegionSchema = z
  .object({
    code: RegionCodeSchema,
    name: textOf(100),
    level: z.enum(REGION_LEVELS),
    /** The enclosing division; null for a province (or the top of an imported subset). */
    parentCode: z.nullable(RegionCodeSchema),
  })
  .check(
    z.superRefine((r, ctx) => {
      const level = regionLevel(r.code);
      if (level !== r.level) {
        ctx.addIssue({ code: 'custom', path: ['level'], message: `区划代码 ${r.code} 的级别应为 ${level ?? '无效'}`, input: r.level });
        return;
      }
      if (r.parentCode === null) return;
      const parentLevel = regionLevel(r.parentCode);
      // An ancestor is any shallower division whose significant prefix the code
      // starts with; cities without counties skip a level, so no strict nesting.
      if (
        parentLevel === null ||
        REGION_LEVELS.indexOf(parentLevel) >= REGION_LEVELS.indexOf(level) ||
        !r.code.startsWith(regionPrefix(r.parentCode))
      ) {
        ctx.addIssue({ code: 'custom', path: ['parentCode'], message: `上级区划 ${r.parentCode} 不包含 ${r.code}`, input: r.parentCode });
      }
    }),
  );
export type Region = z.infer<typeof RegionSchema>;

// ---------------------------------------------------------------------------
// Subsidy items

export const SUBSIDY_UNITS = ['household', 'person'] as const;
export type SubsidyUnit = (typeof SUBSIDY_UNITS)[number];

export const PERIOD_KINDS = ['month', 'quarter', 'half-year', 'year', 'once'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/**
 * How the standard amount turns into the amount of one payment line:
 * - fixed: every line is exactly the standard;
 * - per-mu: the standard is per mu (亩) of the household's contracted
 *   farmland, line = round(farmlandMu × standard);
 * - variable: assessed case by case (临时救助, 危房改造, forest area not on the
 *   roster); the standard is only a reference, so a "short amount" check
 *   cannot use it.
 */
export const AMOUNT_BASES = ['fixed', 'per-mu', 'variable'] as const;
export type AmountBasis = (typeof AMOUNT_BASES)[number];

export const SubsidyItemSchema = z
  .object({
    code: KeySchema,
    name: textOf(100),
    /** Responsible department, e.g. 民政, 残联, 农业农村. */
    department: textOf(50),
    /** Paid per household (to the head's one card) or per person (to the beneficiary's one card). */
    unit: z.enum(SUBSIDY_UNITS),
    /** Standard amount of one payment (one period) in fen; see AMOUNT_BASES. */
    standardAmountFen: z.int('金额应为以分为单位的整数').check(z.nonnegative('金额不能为负数'), z.maximum(MAX_AMOUNT_FEN, '金额过大')),
    period: z.enum(PERIOD_KINDS),
    amountBasis: z._default(z.enum(AMOUNT_BASES), 'fixed'),
    /**
     * Means-tested assistance (低保, 特困, 临时救助 ...): the items where
     * favouring cadres' relatives (优亲厚友, C1) is a finding.
     */
    meansTested: z._default(z.boolean(), false),
    description: z.optional(z.string().check(z.trim(), z.maxLength(500))),
  })
  .check(
    z.refine((i) => i.amountBasis === 'variable' || i.standardAmountFen > 0, {
      path: ['standardAmountFen'],
      message: '固定标准或按亩计算的项目，标准金额应大于0',
    }),
  );
export type SubsidyItem = z.infer<typeof SubsidyItemSchema>;

// ---------------------------------------------------------------------------
// Households and persons

export const HouseholdSchema = z.object({
  /** Natural key: village code + 组 + house number, or the platform's own household id. */
  id: KeySchema,
  villageCode: VillageCodeSchema,
  /** 组 (村民小组), e.g. 三组. */
  groupName: textOf(32),
  houseNumber: textOf(32),
  headPersonId: CitizenIdSchema,
  phone: z.optional(PhoneSchema),
  /** Contracted farmland (承包耕地) in mu, two decimals: the base of per-mu items. */
  farmlandMu: z.optional(
    z
      .number()
      .check(
        z.nonnegative('面积不能为负数'),
        z.maximum(100_000, '面积过大'),
        z.refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, '面积最多保留两位小数'),
      ),
  ),
});
export type Household = z.infer<typeof HouseholdSchema>;

/** Relation to the head of household, as printed on the 户口簿-style roster. */
export const RELATIONS = ['户主', '配偶', '子', '女', '父母', '孙子女', '兄弟姐妹', '其他'] as const;
export type Relation = (typeof RELATIONS)[number];

export const PERSON_STATUSES = ['living', 'deceased', 'moved-out', 'not-member'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

export const SEXES = ['M', 'F'] as const;
export type Sex = (typeof SEXES)[number];

export const PersonSchema = z
  .object({
    /** The 18-digit citizen ID is the natural key. */
    id: CitizenIdSchema,
    householdId: KeySchema,
    name: textOf(50),
    sex: z.enum(SEXES),
    birthDate: CivilDateSchema,
    relation: z.enum(RELATIONS),
    status: z.enum(PERSON_STATUSES),
    /** Date of death, moving out or leaving the household. */
    statusDate: z.optional(CivilDateSchema),
    phone: z.optional(PhoneSchema),
    /** A relative of a village cadre (干部亲属), declared on the form or the roster. */
    isCadreRelative: z.optional(z.boolean()),
  })
  .check(
    z.superRefine((p, ctx) => {
      const id = validateCitizenId(p.id);
      if (!id.ok) return; // already reported on `id`
      if (id.birthDate !== p.birthDate) {
        ctx.addIssue({ code: 'custom', path: ['birthDate'], message: `出生日期与身份证号不符（身份证号为 ${id.birthDate}）`, input: p.birthDate });
      }
      if (id.sex !== p.sex) {
        ctx.addIssue({ code: 'custom', path: ['sex'], message: `性别与身份证号不符（身份证号为${id.sex === 'M' ? '男' : '女'}）`, input: p.sex });
      }
      if (p.statusDate !== undefined && p.statusDate < p.birthDate) {
        ctx.addIssue({ code: 'custom', path: ['statusDate'], message: '状态日期早于出生日期', input: p.statusDate });
      }
    }),
  );
export type Person = z.infer<typeof PersonSchema>;

// ---------------------------------------------------------------------------
// Accounts

export const ACCOUNT_TYPES = ['card', 'passbook', 'sscard'] as const satisfies readonly AccountType[];

export const AccountSchema = z
  .object({
    /** Digits only; unique together with bankName. */
    number: AccountNumberSchema,
    type: z.enum(ACCOUNT_TYPES),
    bankName: textOf(64),
    holderPersonId: CitizenIdSchema,
    openedOn: z.optional(CivilDateSchema),
  })
  // A failed Luhn check is only a warning (domain.md §7), reported by the
  // importer through validateAccountNumber; the length of a card is not.
  .check(
    z.refine((a) => a.type === 'passbook' || (a.number.length >= 16 && a.number.length <= 19), {
      path: ['number'],
      message: '银行卡号（含社保卡金融账号）应为16–19位数字',
    }),
  );
export type Account = z.infer<typeof AccountSchema>;

// ---------------------------------------------------------------------------
// Payment periods

/**
 * A payment line's period label: '2020-03' (month), '2020-Q1' (quarter),
 * '2020-H1' (half-year) or '2020' (year; also used for one-off items, which
 * are labelled with the year they were paid for).
 */
export const PeriodLabelSchema = z.string().check(z.regex(/^\d{4}(?:-(?:0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$/, '发放期间应为 2020、2020-03、2020-Q1 或 2020-H1 格式'));

/** Month index counted from January of year 0: makes month arithmetic plain integer arithmetic. */
export function monthIndex(year: number, month1to12: number): number {
  return year * 12 + (month1to12 - 1);
}

/** 'YYYY-MM' of a month index. */
export function monthLabel(index: number): string {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/**
 * The first and last month (as month indexes) a period label covers, or null
 * when the label is malformed.
 */
export function periodMonths(label: string): { first: number; last: number } | null {
  const m = /^(\d{4})(?:-(\d{2})|-Q([1-4])|-H([12]))?$/.exec(label);
  if (!m) return null;
  const year = Number(m[1]);
  if (m[2] !== undefined) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return null;
    return { first: monthIndex(year, month), last: monthIndex(year, month) };
  }
  if (m[3] !== undefined) {
    const first = monthIndex(year, (Number(m[3]) - 1) * 3 + 1);
    return { first, last: first + 2 };
  }
  if (m[4] !== undefined) {
    const first = monthIndex(year, (Number(m[4]) - 1) * 6 + 1);
    return { first, last: first + 5 };
  }
  return { first: monthIndex(year, 1), last: monthIndex(year, 12) };
}

const MONTHS_PER_PERIOD: Readonly<Record<Exclude<PeriodKind, 'once'>, number>> = {
  month: 1,
  quarter: 3,
  'half-year': 6,
  year: 12,
};

/** The label of the period of `kind` that contains month index `index`. */
export function periodLabelOf(kind: Exclude<PeriodKind, 'once'>, index: number): string {
  const year = Math.floor(index / 12);
  const m0 = index % 12;
  switch (kind) {
    case 'month':
      return monthLabel(index);
    case 'quarter':
      return `${year}-Q${Math.floor(m0 / 3) + 1}`;
    case 'half-year':
      return `${year}-H${Math.floor(m0 / 6) + 1}`;
    case 'year':
      return String(year);
  }
}

/**
 * Every period of `kind` that starts within [fromMonth, toMonth] (month
 * indexes, inclusive), in order. The A2 check uses it to find periods missing
 * between a beneficiary's first and last payment.
 */
export function periodsStartingBetween(kind: Exclude<PeriodKind, 'once'>, fromMonth: number, toMonth: number): string[] {
  const step = MONTHS_PER_PERIOD[kind];
  const out: string[] = [];
  let start = Math.ceil(fromMonth / step) * step;
  for (; start <= toMonth; start += step) out.push(periodLabelOf(kind, start));
  return out;
}

// ---------------------------------------------------------------------------
// Payment lines

export const PaymentLineSchema = z.object({
  /** Deterministic natural key, see paymentLineId(); or the platform's own line id. */
  id: z.string().check(z.minLength(1, '不能为空'), z.maxLength(128, '不能超过128个字符')),
  itemCode: KeySchema,
  /** The person paid for; for a household item, the head of household. */
  beneficiaryPersonId: CitizenIdSchema,
  householdId: KeySchema,
  period: PeriodLabelSchema,
  amountFen: AmountFenSchema,
  paidOn: CivilDateSchema,
  accountNumber: AccountNumberSchema,
  bankName: textOf(64),
});
export type PaymentLine = z.infer<typeof PaymentLineSchema>;

/**
 * The natural key of a payment line. `seq` (from 1) tells apart several
 * payments of the same item, person and period, e.g. a supplementary one.
 */
export function paymentLineId(line: { itemCode: string; beneficiaryPersonId: string; period: string; seq: number }): string {
  return `${line.itemCode}:${line.beneficiaryPersonId}:${line.period}:${line.seq}`;
}
