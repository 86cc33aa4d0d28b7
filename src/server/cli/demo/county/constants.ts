/** The demo county's fixed facts: its code, the campaign's months, agent banks, household sizes, planting rates, PRNG streams. */
import { monthIndex, type SubsidyItem } from '#shared/schemas/roster.ts';
import { WeightedPicker } from '../random.ts';
import { SUBSIDY_CATALOGUE, type ItemCode } from '../subsidy-catalogue.ts';
import type { PlantedKind } from './types.ts';

export const COUNTY_CODE = '421321000000';
/** The address code of every generated citizen ID. */
export const ID_ADDRESS = '421321';
export const FIRST_MONTH = monthIndex(2020, 1);
export const LAST_MONTH = monthIndex(2021, 12);
/** Ages below are "age on 2021-12-31", the eve of the 2022 campaign. */
export const AGE_YEAR = 2021;

/**
 * Agent banks. The BIN-like prefixes look like real Chinese debit cards
 * (6210…, 6228…, 6217…, 623… for social-security cards) but are not an
 * authoritative BIN table.
 */
export interface AgentBank {
  name: string;
  cardBin: string;
  sscardBin: string;
  /** Passbooks: a bank-specific two-digit prefix, never 62, so they do not look like cards. */
  passbookPrefix: string;
  /** Relative share of townships served. */
  weight: number;
}

export const AGENT_BANKS: readonly AgentBank[] = [
  { name: '湖北随县农村商业银行', cardBin: '621059', sscardBin: '623059', passbookPrefix: '81', weight: 8 },
  { name: '中国农业银行', cardBin: '622848', sscardBin: '623052', passbookPrefix: '82', weight: 4 },
  { name: '中国邮政储蓄银行', cardBin: '621799', sscardBin: '623098', passbookPrefix: '83', weight: 3 },
  { name: '中国工商银行', cardBin: '621226', sscardBin: '623062', passbookPrefix: '84', weight: 1 },
  { name: '中国建设银行', cardBin: '621700', sscardBin: '623094', passbookPrefix: '85', weight: 1 },
  { name: '湖北银行', cardBin: '621028', sscardBin: '623028', passbookPrefix: '86', weight: 1 },
];

/** Townships in the 大洪山 / 桐柏山 hills: more forest, so more forestry subsidies. */
export const HILL_TOWNSHIPS = new Set(['421321105', '421321106', '421321107', '421321114', '421321115', '421321116', '421321117']);

/** The demo cadre's village (厉山镇 星亮村, see src/server/cli/demo-data.ts) and its share of households. */
export const FOCUS_VILLAGE_CODE = '421321101200';
export const FOCUS_VILLAGE_SHARE = 0.04;

/** Household sizes of a Hubei village (share in per cent). */
export const SIZE_PICKER = new WeightedPicker<number>([
  [1, 12],
  [2, 25],
  [3, 22],
  [4, 20],
  [5, 13],
  [6, 6],
  [7, 2],
]);

/**
 * Planting rates: the chance that a household is chosen for one of the six
 * household-level kinds (one kind per household, so cases never overlap).
 * B2 is one township, always.
 */
export const PLANT_RATE = 0.06;
export const HOUSEHOLD_KINDS = [
  'payment-after-death',
  'short-or-missing-periods',
  'several-accounts',
  'account-for-unrelated-people',
  'cadre-relative-receiving',
  'household-item-to-non-head',
] as const satisfies readonly PlantedKind[];
export type HouseholdKind = (typeof HOUSEHOLD_KINDS)[number];
/** Kinds that need a second member (a deceased parent, a spouse's card, a member paid elsewhere). */
export const NEEDS_TWO: ReadonlySet<HouseholdKind> = new Set(['payment-after-death', 'account-for-unrelated-people', 'household-item-to-non-head']);

/** Stream ids for createRandom(seed, stream, ...): one per independent decision. */
export const STREAM = {
  sizes: 1,
  villages: 2,
  banks: 3,
  plan: 4,
  household: 5,
  idBase: 6,
} as const;

export const ITEMS: Readonly<Record<ItemCode, SubsidyItem>> = Object.fromEntries(SUBSIDY_CATALOGUE.map((i) => [i.code, i])) as Record<
  ItemCode,
  SubsidyItem
>;


