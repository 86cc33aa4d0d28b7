/**
 * Input and output of the anomaly checks.
 *
 * The input rows are the roster types of #shared/schemas/roster.ts cut down
 * to the columns the rules read, so the server selects only those columns
 * and the generator's full rows fit as they are. Optional `villageCode`s are
 * the copies the database keeps for area scoping; without them the village
 * is looked up through the household.
 */
import type { ProblemCode } from '#shared/domain/problem-codes.ts';
import type { AmountBasis, PeriodKind, PersonStatus, SubsidyUnit } from '#shared/schemas/roster.ts';

export interface AnomalyItem {
  code: string;
  name: string;
  department: string;
  unit: SubsidyUnit;
  standardAmountFen: number;
  period: PeriodKind;
  amountBasis: AmountBasis;
  meansTested: boolean;
}

export interface AnomalyHousehold {
  id: string;
  villageCode: string;
  headPersonId: string;
}

export interface AnomalyPerson {
  id: string;
  householdId: string;
  villageCode?: string | null | undefined;
  name?: string | null | undefined;
  birthDate: string;
  status: PersonStatus;
  statusDate?: string | null | undefined;
  isCadreRelative?: boolean | null | undefined;
}

export interface AnomalyAccount {
  number: string;
  bankName: string;
  holderPersonId: string;
  villageCode?: string | null | undefined;
}

export interface AnomalyPaymentLine {
  id: string;
  itemCode: string;
  beneficiaryPersonId: string;
  householdId: string;
  villageCode?: string | null | undefined;
  period: string;
  amountFen: number;
  paidOn: string;
  accountNumber: string;
  bankName: string;
}

/**
 * One area's roster (at most a county: ~50,000 people, ~500,000 lines).
 * Tables other than the payment lines are read once into indexes, so any
 * iterable does; the lines are walked by several rules and must be an array.
 *
 * Rows of neighbouring areas may be added as context (an account outside the
 * area that an area line paid into, and its holder): with `areaPrefix` set,
 * findings about context rows alone are dropped.
 */
export interface AnomalyInput {
  items: Iterable<AnomalyItem>;
  households: Iterable<AnomalyHousehold>;
  persons: Iterable<AnomalyPerson>;
  accounts: Iterable<AnomalyAccount>;
  paymentLines: readonly AnomalyPaymentLine[];
  /** Region code (12 digits) → name, used in the Chinese text only. */
  regionNames?: ReadonlyMap<string, string> | undefined;
}

export const ANOMALY_RULES = [
  'paid-after-death',
  'over-standard',
  'short-or-missing-periods',
  'late-payment',
  'paid-to-other-member',
  'not-on-roster',
  'several-accounts',
  'several-agent-banks',
  'cadre-relative-means-tested',
  'account-for-other-households',
] as const;
export type AnomalyRule = (typeof ANOMALY_RULES)[number];

export interface AnomalyOptions {
  /** Run only these rules (default: all). */
  rules?: readonly AnomalyRule[] | undefined;
  /**
   * The scanned area (a 2–12 digit prefix). Findings none of whose villages
   * lies inside it are dropped: they concern context rows only.
   */
  areaPrefix?: string | undefined;
  /** late-payment: months after the end of the period that still count as on time (default 3). */
  lateAfterMonths?: number | undefined;
  /** account-for-other-households: this many other households on one account makes it C3 (default 3). */
  collectorMinHouseholds?: number | undefined;
}

export interface AccountRef {
  number: string;
  bankName: string;
}

export interface FindingEvidence {
  /** The payment lines that prove the finding, sorted. */
  paymentLineIds: string[];
  /** Accounts the finding is about (number + bank: the account's key). */
  accounts: AccountRef[];
  /** Periods that should have been paid and were not (short-or-missing-periods). */
  missingPeriods: string[];
}

export interface Finding {
  /** Deterministic: see finding-id.ts. */
  id: string;
  rule: AnomalyRule;
  problemCode: ProblemCode;
  /** Short Chinese title of the case. */
  title: string;
  /** Chinese description with the amounts, periods and dates. */
  detail: string;
  /** Villages of the households involved, sorted. */
  villageCodes: string[];
  householdIds: string[];
  personIds: string[];
  accountNumbers: string[];
  itemCodes: string[];
  /** The money involved, in fen (see each rule for what is counted). */
  amountFen: number;
  evidence: FindingEvidence;
}
