/** What the demo county generator gives: options, the household bundles, the planted cases and their manifest. */
import type { ProblemCode } from '#shared/domain/problem-codes.ts';
import type { Account, Household, PaymentLine, Person, Region, SubsidyItem } from '#shared/schemas/roster.ts';

export interface DemoCountyOptions {
  seed: number;
  /** Exact number of persons to generate. */
  people: number;
  /** Plant the anomalies listed in `planted` (default true); false gives clean data. */
  anomalies?: boolean;
}

/** One household with everything that belongs to it, in insertion order. */
export interface DemoHouseholdBundle {
  household: Household;
  persons: Person[];
  /** Accounts held by members of this household. */
  accounts: Account[];
  /**
   * Lines for beneficiaries of this household. A planted C2 line may pay into
   * an account of an earlier household's bundle, never a later one.
   */
  paymentLines: PaymentLine[];
}

export type PlantedKind =
  | 'payment-after-death'
  | 'short-or-missing-periods'
  | 'several-accounts'
  | 'township-two-banks'
  | 'account-for-unrelated-people'
  | 'cadre-relative-receiving'
  | 'household-item-to-non-head';

export const PLANTED_KINDS = [
  'payment-after-death',
  'short-or-missing-periods',
  'several-accounts',
  'township-two-banks',
  'account-for-unrelated-people',
  'cadre-relative-receiving',
  'household-item-to-non-head',
] as const satisfies readonly PlantedKind[];

export const PLANTED_KIND_CODES = {
  'payment-after-death': 'A3',
  'short-or-missing-periods': 'A2',
  'several-accounts': 'B1',
  'township-two-banks': 'B2',
  'account-for-unrelated-people': 'C2',
  'cadre-relative-receiving': 'C1',
  'household-item-to-non-head': 'A4',
} as const satisfies Record<PlantedKind, ProblemCode>;

/** Every id a planted case involves; the kind-specific fields say which is which. */
interface PlantedCaseBase {
  householdIds: string[];
  personIds: string[];
  accountNumbers: string[];
  itemCodes: string[];
  /** The evidence lines (see each kind); empty for B2, whose evidence is the accounts. */
  paymentLineIds: string[];
}

export type PlantedCase = PlantedCaseBase &
  (
    | {
        /** A person died (status deceased, statusDate) and monthly payments went on; lines = those paid after the death date (which are exactly those whose period starts after it). */
        kind: 'payment-after-death';
        code: 'A3';
        personId: string;
        deathDate: string;
      }
    | {
        /** A fixed-standard monthly item with periods missing between the first and last payment and/or lines below the standard; lines = all lines of that item and person (the evidence), shortLineIds = those below the standard. */
        kind: 'short-or-missing-periods';
        code: 'A2';
        personId: string;
        itemCode: string;
        missingPeriods: string[];
        shortLineIds: string[];
      }
    | {
        /** A head holding two accounts at the same bank, paid from two departments; lines = all lines into either account. */
        kind: 'several-accounts';
        code: 'B1';
        personId: string;
        departments: string[];
      }
    | {
        /** Part of one township's households hold their accounts at a second bank; accountNumbers = those accounts. */
        kind: 'township-two-banks';
        code: 'B2';
        townshipCode: string;
        bankNames: string[];
      }
    | {
        /** A personal item of a member of one household paid into the account of a person of another household; lines = those lines. */
        kind: 'account-for-unrelated-people';
        code: 'C2';
        accountNumber: string;
        bankName: string;
        holderPersonId: string;
        beneficiaryPersonIds: string[];
      }
    | {
        /** The head, a cadre relative, receives a means-tested household item (低保); lines = those lines. */
        kind: 'cadre-relative-receiving';
        code: 'C1';
        personId: string;
        householdId: string;
      }
    | {
        /** A household item paid into the account of a member who is not the head; lines = those lines. */
        kind: 'household-item-to-non-head';
        code: 'A4';
        householdId: string;
        headPersonId: string;
        accountHolderPersonId: string;
        accountNumber: string;
      }
  );

export interface PlantedManifest {
  cases: PlantedCase[];
  counts: Record<PlantedKind, number>;
}

export interface DemoCountyCounts {
  households: number;
  persons: number;
  accounts: number;
  paymentLines: number;
}

export interface DemoCounty {
  readonly seed: number;
  readonly people: number;
  readonly anomalies: boolean;
  readonly countyCode: string;
  /** The province, city, county, its townships and villages. */
  readonly regions: readonly Region[];
  readonly items: readonly SubsidyItem[];
  /** Township code (12 digits) → its agent bank. Under B2 one township also uses a second bank. */
  readonly agentBanks: Readonly<Record<string, string>>;
  /** Each call starts a fresh, identical pass. */
  bundles(): Generator<DemoHouseholdBundle, void, undefined>;
  households(): Generator<Household, void, undefined>;
  persons(): Generator<Person, void, undefined>;
  accounts(): Generator<Account, void, undefined>;
  paymentLines(): Generator<PaymentLine, void, undefined>;
  /** Computed by a full pass on first access. */
  readonly counts: DemoCountyCounts;
  /** Computed by a full pass on first access; no cases when `anomalies` is false. */
  readonly planted: PlantedManifest;
}
