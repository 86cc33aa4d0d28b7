/** What one pass works with: members, entitlements, line specs, and the state carried from one household to the next. */
import type { Account, PersonStatus, Relation, Sex, SubsidyItem } from '#shared/schemas/roster.ts';
import type { HouseholdKind } from './constants.ts';
import type { Layout } from './layout.ts';
import type { PlantedCase } from './types.ts';

/** What every household of a pass is built from: the seed and the county's layout. */
export interface CountyPlan {
  seed: number;
  layout: Layout;
}

export interface Member {
  relation: Relation;
  sex: Sex;
  birthYear: number;
  birthMonth: number;
  birthDay: number;
  birthDate: string;
  id: string;
  name: string;
  status: PersonStatus;
  statusDate?: string;
  /** Month index of death. */
  deathMonth?: number;
  phone?: string;
  cadreRelative: boolean;
  /** 0 none, 1 disabled, 2 severely disabled (not on the roster; drives CL01/CL02). */
  disability: 0 | 1 | 2;
  account?: Account;
}

export interface Entitlement {
  item: SubsidyItem;
  beneficiary: Member;
  /** Month indexes, inclusive. */
  start: number;
  end: number;
  amountFen: number;
  /** For one-off items: the year paid for and the month paid in. */
  once?: { year: number; month: number };
  /** Planted A2. */
  missing?: ReadonlySet<string>;
  short?: ReadonlyMap<string, number>;
  /** Planted A3: months of payments after the death month. */
  afterDeathMonths?: number;
  /** Overrides the default routing (head / beneficiary). */
  account?: Account;
}

export interface LineSpec {
  period: string;
  paidOn: string;
  amountFen: number;
}

export interface Donor {
  account: Account;
  householdId: string;
  townshipCode: string;
}

export interface PassState {
  idCounters: Map<string, number>;
  accountSerial: number;
  donor: Donor | null;
  pending: HouseholdKind[];
  cases: PlantedCase[];
  b2Accounts: string[];
  b2Households: string[];
  payDays: Map<string, number>;
}

export interface HouseholdDraft {
  relation: Relation;
  sex: Sex;
  age: number;
}

/** A planted A2: the entitlement with periods missing and periods paid short. */
export interface A2Plant {
  ent: Entitlement;
  missing: string[];
  short: Map<string, number>;
}
