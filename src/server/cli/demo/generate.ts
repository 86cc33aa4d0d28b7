/**
 * The demo county: 随县 (421321) with its real townships and villages,
 * households of realistic size and make-up, valid citizen IDs and card
 * numbers, one agent bank per township, the subsidy catalogue, and the
 * payment lines of 2020-01 … 2021-12 — with anomalies planted at known,
 * seed-determined places (listed in `planted`) or none at all.
 *
 * Determinism: the same options always give the same county, byte for byte.
 * Every household draws from its own PRNG stream (seed, household index), so
 * changing how one household is built does not reshuffle the rest; the only
 * state carried from one household to the next is what must be globally
 * unique (ID sequence numbers, account serials) and the planting
 * bookkeeping.
 *
 * Streaming: nothing proportional to the number of payment lines is kept.
 * Each iterator (`bundles()`, `persons()`, `paymentLines()` …) starts a fresh
 * pass that builds one household at a time. `counts` and `planted` need a
 * complete pass: they are computed on first access (and for free when a
 * `bundles()` pass has already run to its end).
 *
 * What "clean" guarantees, and therefore what the anomaly checks may rely
 * on when `anomalies: false`:
 * - every person holds at most one account; accounts are never shared;
 * - household items are paid to the head's account, personal items to the
 *   beneficiary's own account;
 * - all accounts of a township are at its one agent bank;
 * - a fixed-standard line pays exactly the standard, a per-mu line exactly
 *   round(farmlandMu × standard); a variable item pays the same amount in
 *   every period of a beneficiary;
 * - each entitlement's periods are contiguous (no gap between the first
 *   and the last paid period);
 * - nobody is paid after death: no line is paid on or after the death date
 *   and no period starts after it; moved-out and non-members receive nothing;
 * - households with a cadre relative receive no means-tested item.
 */
import { luhnCheckDigit, type AccountType } from '#shared/domain/account-number.ts';
import { citizenIdCheckDigit } from '#shared/domain/citizen-id.ts';
import type { ProblemCode } from '#shared/domain/problem-codes.ts';
import {
  monthIndex,
  paymentLineId,
  periodMonths,
  periodsStartingBetween,
  type Account,
  type Household,
  type PaymentLine,
  type Person,
  type PersonStatus,
  type Region,
  type Relation,
  type Sex,
  type SubsidyItem,
} from '#shared/schemas/roster.ts';
import { pickGivenName, pickSurname } from './names.ts';
import { createRandom, hashString, mix, WeightedPicker, type Random } from './random.ts';
import regionsJson from './regions-421321.json' with { type: 'json' };
import { ANNUAL_PAY_MONTH, SUBSIDY_CATALOGUE, type ItemCode } from './subsidy-catalogue.ts';

// ---------------------------------------------------------------------------
// Public types

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

// ---------------------------------------------------------------------------
// Constants

const COUNTY_CODE = '421321000000';
/** The address code of every generated citizen ID. */
const ID_ADDRESS = '421321';
const FIRST_MONTH = monthIndex(2020, 1);
const LAST_MONTH = monthIndex(2021, 12);
/** Ages below are "age on 2021-12-31", the eve of the 2022 campaign. */
const AGE_YEAR = 2021;

/**
 * Agent banks. The BIN-like prefixes look like real Chinese debit cards
 * (6210…, 6228…, 6217…, 623… for social-security cards) but are not an
 * authoritative BIN table.
 */
interface AgentBank {
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
const HILL_TOWNSHIPS = new Set(['421321105', '421321106', '421321107', '421321114', '421321115', '421321116', '421321117']);

/** The demo cadre's village (厉山镇 星亮村, see src/server/cli/demo-data.ts) and its share of households. */
export const FOCUS_VILLAGE_CODE = '421321101200';
const FOCUS_VILLAGE_SHARE = 0.04;

/** Household sizes of a Hubei village (share in per cent). */
const SIZE_PICKER = new WeightedPicker<number>([
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
const PLANT_RATE = 0.06;
const HOUSEHOLD_KINDS = [
  'payment-after-death',
  'short-or-missing-periods',
  'several-accounts',
  'account-for-unrelated-people',
  'cadre-relative-receiving',
  'household-item-to-non-head',
] as const satisfies readonly PlantedKind[];
type HouseholdKind = (typeof HOUSEHOLD_KINDS)[number];
/** Kinds that need a second member (a deceased parent, a spouse's card, a member paid elsewhere). */
const NEEDS_TWO: ReadonlySet<HouseholdKind> = new Set(['payment-after-death', 'account-for-unrelated-people', 'household-item-to-non-head']);

/** Stream ids for createRandom(seed, stream, ...): one per independent decision. */
const STREAM = {
  sizes: 1,
  villages: 2,
  banks: 3,
  plan: 4,
  household: 5,
  idBase: 6,
} as const;

const ITEMS: Readonly<Record<ItemCode, SubsidyItem>> = Object.fromEntries(SUBSIDY_CATALOGUE.map((i) => [i.code, i])) as Record<
  ItemCode,
  SubsidyItem
>;

const CHINESE_DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三 (up to 99). */
function chineseNumber(n: number): string {
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  const t = tens === 0 ? '' : tens === 1 ? '十' : `${CHINESE_DIGITS[tens] ?? ''}十`;
  return t + (CHINESE_DIGITS[ones] ?? '');
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const isoDate = (y: number, m: number, d: number): string => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

// ---------------------------------------------------------------------------
// County layout (computed once per generateDemoCounty call)

interface VillageInfo {
  code: string;
  townshipCode: string;
  community: boolean;
  hill: boolean;
  /** Registered reservoir migrants live here (水库移民后期扶持). */
  reservoir: boolean;
  /** The two surnames most of the village shares. */
  clanSurnames: readonly [string, string];
  firstHousehold: number;
  households: number;
  groups: number;
}

interface Layout {
  sizes: Uint8Array;
  villages: VillageInfo[];
  /** Index into `villages` for each household. */
  villageOf: Uint16Array;
  /** Township-local index of each household (households of a township are contiguous). */
  townshipIndex: Uint32Array;
  agentBank: Map<string, AgentBank>;
  b2: { townshipCode: string; bank: AgentBank } | null;
  /** HOUSEHOLD_KINDS index planned for each household, or -1. */
  plan: Int8Array;
  /** 1 where the plan entry guarantees at least one case of its kind. */
  forced: Uint8Array;
}

function buildLayout(seed: number, people: number, anomalies: boolean, regions: readonly Region[]): Layout {
  // Household sizes until the exact number of people is reached.
  const sizeRng = createRandom(seed, STREAM.sizes);
  const sizeList: number[] = [];
  let total = 0;
  while (total < people) {
    const s = Math.min(SIZE_PICKER.pick(sizeRng), people - total);
    sizeList.push(s);
    total += s;
  }
  const sizes = Uint8Array.from(sizeList);
  const H = sizes.length;

  // Spread households over villages by weight (communities are larger),
  // largest remainder so the total is exact. Once there are enough
  // households, every village gets at least one: coverage views ("村不漏户")
  // and the demo cadre's village should never be empty.
  const villageRegions = regions.filter((r) => r.level === 'village');
  const vRng = createRandom(seed, STREAM.villages);
  const weights = villageRegions.map((v) => (isCommunity(v.name) ? 0.8 + vRng.next() * 1.2 : 0.5 + vRng.next()));
  // The demo cadre's village (星亮村) holds ~4% of the county, so the field
  // path has a realistic village to work through at any demo size.
  const focus = villageRegions.findIndex((v) => v.code === FOCUS_VILLAGE_CODE);
  if (focus >= 0) {
    const others = weights.reduce((a, w, i) => (i === focus ? a : a + w), 0);
    weights[focus] = (others * FOCUS_VILLAGE_SHARE) / (1 - FOCUS_VILLAGE_SHARE);
  }
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const base = H >= villageRegions.length ? 1 : 0;
  const spread = H - base * villageRegions.length;
  const exact = weights.map((w) => (w / weightSum) * spread);
  const counts = exact.map((x) => base + Math.floor(x));
  let remaining = H - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (remaining === 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    remaining--;
  }

  const villages: VillageInfo[] = [];
  const villageOf = new Uint16Array(H);
  const townshipIndex = new Uint32Array(H);
  let next = 0;
  let township = '';
  let inTownship = 0;
  const townshipHouseholds = new Map<string, number>();
  villageRegions.forEach((v, vi) => {
    const n = counts[vi] ?? 0;
    const townshipCode = `${v.code.slice(0, 9)}000`;
    const clan = createRandom(seed, STREAM.villages, hashString(v.code));
    villages.push({
      code: v.code,
      townshipCode,
      community: isCommunity(v.name),
      hill: HILL_TOWNSHIPS.has(v.code.slice(0, 9)),
      reservoir: clan.chance(0.05),
      clanSurnames: [pickSurname(clan), pickSurname(clan)],
      firstHousehold: next,
      households: n,
      // Real villages have 5–15 groups (村民小组) of 20–60 households.
      groups: Math.max(1, Math.min(15, Math.round(n / 30))),
    });
    if (townshipCode !== township) {
      township = townshipCode;
      inTownship = 0;
    }
    for (let k = 0; k < n; k++) {
      villageOf[next] = vi;
      townshipIndex[next] = inTownship++;
      next++;
    }
    townshipHouseholds.set(townshipCode, (townshipHouseholds.get(townshipCode) ?? 0) + n);
  });

  // One agent bank per township.
  const bankRng = createRandom(seed, STREAM.banks);
  const bankPicker = new WeightedPicker(AGENT_BANKS.map((b) => [b, b.weight] as const));
  const agentBank = new Map<string, AgentBank>();
  for (const r of regions) if (r.level === 'township') agentBank.set(r.code, bankPicker.pick(bankRng));

  // B2: the township with the most households also pays through a second bank.
  let b2: Layout['b2'] = null;
  if (anomalies) {
    let best: [string, number] | null = null;
    for (const [code, n] of townshipHouseholds) if (best === null || n > best[1]) best = [code, n];
    const main = best ? agentBank.get(best[0]) : undefined;
    if (best && main && best[1] >= 2) {
      const others = AGENT_BANKS.filter((b) => b !== main);
      b2 = { townshipCode: best[0], bank: bankRng.pick(others) };
    }
  }

  // Which households get a planted case. Forced entries spread the six kinds
  // over the county so that even a small county has one of each.
  const plan = new Int8Array(H).fill(-1);
  const forced = new Uint8Array(H);
  if (anomalies) {
    const planRng = createRandom(seed, STREAM.plan);
    const isB2 = (h: number): boolean => b2 !== null && villageTownship(villages, villageOf, h) === b2.townshipCode && isB2Household(townshipIndex, h);
    for (let h = 0; h < H; h++) {
      if (!isB2(h) && planRng.chance(PLANT_RATE)) plan[h] = planRng.int(0, HOUSEHOLD_KINDS.length - 1);
    }
    HOUSEHOLD_KINDS.forEach((_, k) => {
      let h = Math.floor(((k + 0.5) * H) / HOUSEHOLD_KINDS.length);
      for (let tries = 0; tries < H && (isB2(h) || forced[h] === 1); tries++) h = (h + 1) % H;
      if (H > 0) {
        plan[h] = k;
        forced[h] = 1;
      }
    });
  }

  return { sizes, villages, villageOf, townshipIndex, agentBank, b2, plan, forced };
}

function isCommunity(name: string): boolean {
  return name.includes('社区') || name.includes('居民委员会');
}

function villageTownship(villages: readonly VillageInfo[], villageOf: Uint16Array, h: number): string {
  return villages[villageOf[h] ?? 0]?.townshipCode ?? '';
}

/** In the B2 township, every third household banks with the second bank. */
function isB2Household(townshipIndex: Uint32Array, h: number): boolean {
  return (townshipIndex[h] ?? 0) % 3 === 1;
}

// ---------------------------------------------------------------------------
// One pass

interface Member {
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

interface Entitlement {
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

interface LineSpec {
  period: string;
  paidOn: string;
  amountFen: number;
}

interface Donor {
  account: Account;
  householdId: string;
  townshipCode: string;
}

interface PassState {
  idCounters: Map<string, number>;
  accountSerial: number;
  donor: Donor | null;
  pending: HouseholdKind[];
  cases: PlantedCase[];
  b2Accounts: string[];
  b2Households: string[];
  payDays: Map<string, number>;
}

interface HouseholdDraft {
  relation: Relation;
  sex: Sex;
  age: number;
}

export function generateDemoCounty(options: DemoCountyOptions): DemoCounty {
  const { seed, people } = options;
  const anomalies = options.anomalies ?? true;
  if (!Number.isSafeInteger(people) || people < 1) throw new RangeError(`people must be a positive integer, got ${people}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);

  const regions = regionsJson as Region[];
  const layout = buildLayout(seed, people, anomalies, regions);
  const agentBanks: Record<string, string> = {};
  for (const [code, bank] of layout.agentBank) agentBanks[code] = bank.name;

  let summary: { counts: DemoCountyCounts; planted: PlantedManifest } | undefined;

  function* pass(): Generator<DemoHouseholdBundle, void, undefined> {
    const state: PassState = {
      idCounters: new Map(),
      accountSerial: 0,
      donor: null,
      pending: [],
      cases: [],
      b2Accounts: [],
      b2Households: [],
      payDays: new Map(),
    };
    const counts: DemoCountyCounts = { households: 0, persons: 0, accounts: 0, paymentLines: 0 };
    for (let h = 0; h < layout.sizes.length; h++) {
      const bundle = buildHousehold(h, state);
      counts.households++;
      counts.persons += bundle.persons.length;
      counts.accounts += bundle.accounts.length;
      counts.paymentLines += bundle.paymentLines.length;
      yield bundle;
    }
    if (layout.b2 && state.b2Accounts.length > 0) {
      const main = layout.agentBank.get(layout.b2.townshipCode);
      state.cases.push({
        kind: 'township-two-banks',
        code: 'B2',
        townshipCode: layout.b2.townshipCode,
        bankNames: [main?.name ?? '', layout.b2.bank.name],
        householdIds: state.b2Households,
        personIds: [],
        accountNumbers: state.b2Accounts,
        itemCodes: [],
        paymentLineIds: [],
      });
    }
    summary ??= { counts, planted: manifestOf(state.cases) };
  }

  function buildHousehold(h: number, state: PassState): DemoHouseholdBundle {
    const rng = createRandom(seed, STREAM.household, h);
    const size = layout.sizes[h] ?? 1;
    const village = layout.villages[layout.villageOf[h] ?? 0];
    if (!village) throw new Error(`household ${h} has no village`);
    const townshipCode = village.townshipCode;
    const inB2 = layout.b2 !== null && townshipCode === layout.b2.townshipCode && isB2Household(layout.townshipIndex, h);
    const bank = inB2 && layout.b2 ? layout.b2.bank : layout.agentBank.get(townshipCode);
    if (!bank) throw new Error(`township ${townshipCode} has no agent bank`);

    const intent = resolveIntent(h, size, townshipCode, inB2, state);

    // Address: group (组) and house number from the household's place in its village.
    const j = h - village.firstHousehold;
    const g = Math.floor((j * village.groups) / village.households);
    const houseNo = j - Math.ceil((g * village.households) / village.groups) + 1;
    const householdId = `${village.code}-${pad(g + 1, 2)}-${pad(houseNo, 3)}`;

    // Members.
    const drafts = composeHousehold(rng, size, intent);
    const members = drafts.map((d) => makeMember(rng, d, state));
    nameMembers(rng, members, village);
    assignStatuses(rng, members, intent);
    for (const m of members) {
      const age = AGE_YEAR - m.birthYear;
      const severe = m.status !== 'not-member' && rng.chance(age >= 70 ? 0.03 : 0.012);
      m.disability = severe ? 2 : rng.chance(0.02) ? 1 : 0;
      if (age >= 18 && rng.chance(m.relation === '户主' ? 0.85 : 0.4)) m.phone = mobile(rng);
    }
    const head = members[0];
    if (!head) throw new Error('empty household');

    // Cadre relatives: a few clean households have one; C1 makes the head one.
    if (intent === 'cadre-relative-receiving') head.cadreRelative = true;
    else if (intent === null && rng.chance(0.02)) {
      const adults = members.filter((m) => m.status === 'living' && AGE_YEAR - m.birthYear >= 18);
      rng.pick(adults.length > 0 ? adults : [head]).cadreRelative = true;
    }
    const cadreHousehold = members.some((m) => m.cadreRelative);

    // Land.
    const farming = intent === 'several-accounts' || intent === 'household-item-to-non-head' || rng.chance(village.community ? 0.25 : 0.88);
    const farmlandMu = farming ? round2(village.community ? 0.5 + rng.next() * 2.5 : (1.2 + rng.next() * 7.8) * (size >= 3 ? 1.3 : 1)) : undefined;
    const forestMu =
      intent === 'several-accounts' || (!village.community && rng.chance(village.hill ? 0.3 : 0.08)) ? round2(5 + rng.next() * 75) : undefined;

    // Entitlements.
    const ents = decideEntitlements(rng, members, {
      intent,
      village,
      size,
      cadreHousehold,
      farmlandMu,
      forestMu,
    });

    // Planted changes to entitlements (before lines and accounts).
    const plantedMember = members[1];
    if (intent === 'payment-after-death' && plantedMember) {
      for (const e of ents) if (e.beneficiary === plantedMember) e.afterDeathMonths = rng.int(3, 9);
    }
    let a2: { ent: Entitlement; missing: string[]; short: Map<string, number> } | null = null;
    if (intent === 'short-or-missing-periods') {
      const ent = ents.find((e) => e.item.code === 'MZ01' || e.item.code === 'MZ09');
      if (!ent) throw new Error('A2 household without 低保');
      const periods = periodsStartingBetween('month', ent.start, ent.end);
      const inner = periods.slice(1, -1);
      const variant = rng.next();
      const missing = new Set<string>();
      const short = new Map<string, number>();
      if (variant < 0.75) for (const p of sample(rng, inner, rng.int(1, 3))) missing.add(p);
      if (variant >= 0.5) {
        const rest = inner.filter((p) => !missing.has(p));
        for (const p of sample(rng, rest, rng.int(1, 3))) {
          // 5–30 % withheld, in whole yuan.
          short.set(p, ent.amountFen - Math.max(100, Math.round((ent.amountFen * rng.int(5, 30)) / 100 / 100) * 100));
        }
      }
      ent.missing = missing;
      ent.short = short;
      a2 = { ent, missing: [...missing], short };
    }

    // Line specs first: who actually receives decides who needs an account.
    const specs = new Map<Entitlement, LineSpec[]>();
    for (const e of ents) {
      const s = lineSpecs(e, townshipCode, state);
      if (s.length > 0) specs.set(e, s);
    }
    const paid = [...specs.keys()];

    // Accounts and routing.
    const accounts: Account[] = [];
    const openAccount = (m: Member, type: AccountType, openedOn: string): Account => {
      const acc: Account = { number: accountNumber(bank, type, townshipCode, ++state.accountSerial), type, bankName: bank.name, holderPersonId: m.id, openedOn };
      accounts.push(acc);
      if (inB2) state.b2Accounts.push(acc.number);
      return acc;
    };
    const defaultOpenedOn = (m: Member): string => randomDate(rng, m.birthDate > '2010-01-01' ? m.birthDate : '2010-01-01', '2019-12-31');
    const accountOf = (m: Member): Account => {
      m.account ??= openAccount(m, accountType(rng, m), defaultOpenedOn(m));
      return m.account;
    };

    let c2: { donor: Donor; beneficiary: Member; ent: Entitlement } | null = null;
    if (intent === 'account-for-unrelated-people' && plantedMember && state.donor) {
      const ent = paid.find((e) => e.beneficiary === plantedMember);
      if (!ent) throw new Error('C2 member without a paid item');
      ent.account = state.donor.account;
      c2 = { donor: state.donor, beneficiary: plantedMember, ent };
      state.donor = null;
    }
    let a4: { ent: Entitlement; holder: Member } | null = null;
    if (intent === 'household-item-to-non-head' && plantedMember) {
      const ent = paid.find((e) => e.item.code === 'NY01');
      if (!ent) throw new Error('A4 household without 耕地地力保护补贴');
      ent.account = accountOf(plantedMember);
      a4 = { ent, holder: plantedMember };
    }
    // Default routing, in member order so account numbers follow the roster.
    for (const m of members) {
      const own = paid.some((e) => e.account === undefined && (e.item.unit === 'household' ? m === head : e.beneficiary === m));
      if (own) accountOf(m);
    }
    let b1: { second: Account; first: Account } | null = null;
    if (intent === 'several-accounts') {
      const first = accountOf(head);
      const second = openAccount(head, first.type === 'card' ? 'passbook' : 'card', randomDate(rng, '2019-01-01', '2019-12-31'));
      for (const e of paid) if (e.item.department === '林业') e.account = second;
      b1 = { first, second };
    }

    // Lines.
    const lines: PaymentLine[] = [];
    const linesOf = new Map<Entitlement, PaymentLine[]>();
    for (const [e, ss] of specs) {
      const beneficiary = e.item.unit === 'household' ? head : e.beneficiary;
      const account = e.account ?? (e.item.unit === 'household' ? head.account : e.beneficiary.account);
      if (!account) throw new Error(`no account for ${e.item.code} in ${householdId}`);
      const own: PaymentLine[] = [];
      for (const s of ss) {
        const line: PaymentLine = {
          id: paymentLineId({ itemCode: e.item.code, beneficiaryPersonId: beneficiary.id, period: s.period, seq: 1 }),
          itemCode: e.item.code,
          beneficiaryPersonId: beneficiary.id,
          householdId,
          period: s.period,
          amountFen: s.amountFen,
          paidOn: s.paidOn,
          accountNumber: account.number,
          bankName: account.bankName,
        };
        own.push(line);
        lines.push(line);
      }
      linesOf.set(e, own);
    }

    // Planted manifest entries.
    const recorded = recordPlanted(intent, {
      householdId,
      head,
      plantedMember,
      ents: paid,
      linesOf,
      lines,
      a2,
      b1,
      c2,
      a4,
    });
    if (recorded) state.cases.push(recorded);
    if (inB2) state.b2Households.push(householdId);

    // A clean household's head lends the next C2 case an account.
    if (intent === null && !inB2 && head.account) state.donor = { account: head.account, householdId, townshipCode };

    const household: Household = {
      id: householdId,
      villageCode: village.code,
      groupName: `${chineseNumber(g + 1)}组`,
      houseNumber: String(houseNo),
      headPersonId: head.id,
    };
    const phone = head.phone ?? members.find((m) => m.phone !== undefined)?.phone;
    if (phone !== undefined) household.phone = phone;
    if (farmlandMu !== undefined) household.farmlandMu = farmlandMu;

    return { household, persons: members.map((m) => toPerson(m, householdId)), accounts, paymentLines: lines };
  }

  /** The planted kind this household gets, if any; forced kinds that do not fit wait for a later household. */
  function resolveIntent(h: number, size: number, townshipCode: string, inB2: boolean, state: PassState): HouseholdKind | null {
    if (inB2) return null;
    const fits = (k: HouseholdKind): boolean =>
      (size >= 2 || !NEEDS_TWO.has(k)) && (k !== 'account-for-unrelated-people' || state.donor?.townshipCode === townshipCode);
    const planned = layout.plan[h] ?? -1;
    const plannedKind = planned >= 0 ? (HOUSEHOLD_KINDS[planned] ?? null) : null;
    const plannedForced = layout.forced[h] === 1;
    const waiting = state.pending.findIndex(fits);
    if (waiting >= 0) {
      const [kind] = state.pending.splice(waiting, 1);
      if (plannedKind && plannedForced) state.pending.push(plannedKind);
      return kind ?? null;
    }
    if (plannedKind === null) return null;
    if (fits(plannedKind)) return plannedKind;
    if (plannedForced) state.pending.push(plannedKind);
    return null;
  }

  function lineSpecs(e: Entitlement, townshipCode: string, state: PassState): LineSpec[] {
    const out: LineSpec[] = [];
    const m = e.beneficiary;
    const dead = m.status === 'deceased' && m.deathMonth !== undefined && m.statusDate !== undefined;
    const push = (period: string, first: number, payYear: number, payMonth: number): void => {
      if (e.missing?.has(period)) return;
      const paidOn = isoDate(payYear, payMonth, payDay(state, e.item.code, townshipCode, period));
      if (dead && e.item.unit === 'person') {
        const deathMonth = m.deathMonth ?? 0;
        if (e.afterDeathMonths !== undefined) {
          if (first > Math.min(LAST_MONTH, deathMonth + e.afterDeathMonths)) return;
        } else if (first > deathMonth || paidOn >= (m.statusDate ?? '')) return;
      }
      out.push({ period, paidOn, amountFen: e.short?.get(period) ?? e.amountFen });
    };
    if (e.item.period === 'once') {
      const once = e.once ?? { year: 2021, month: 6 };
      push(String(once.year), monthIndex(once.year, 1), once.year, once.month);
      return out;
    }
    const kind = e.item.period;
    for (const period of periodsStartingBetween(kind, e.start, e.end)) {
      const months = periodMonths(period);
      if (!months) continue;
      const year = Math.floor(months.first / 12);
      let payMonth: number;
      if (kind === 'year') payMonth = ANNUAL_PAY_MONTH[e.item.code as ItemCode] ?? 6;
      else payMonth = (months.last % 12) + 1; // monthly, quarterly, half-yearly: paid in the last month
      push(period, months.first, year, payMonth);
    }
    return out;
  }

  /**
   * Pay day of an item's batch in a township and period: the same for all its
   * beneficiaries, as when the treasury releases one batch. Always odd, and
   * death days are always even, so "paid before/after death" is never a tie.
   */
  function payDay(state: PassState, itemCode: string, townshipCode: string, period: string): number {
    const key = `${itemCode}|${townshipCode}|${period}`;
    let d = state.payDays.get(key);
    if (d === undefined) {
      d = 3 + 2 * (mix(seed, hashString(key)) % 12);
      state.payDays.set(key, d);
    }
    return d;
  }

  function makeMember(rng: Random, d: HouseholdDraft, state: PassState): Member {
    const birthYear = AGE_YEAR - d.age;
    // Nobody in the roster is born after 2021-12-31.
    const birthMonth = rng.int(1, 12);
    const birthDay = rng.int(1, daysInMonth(birthYear, birthMonth));
    const birthDate = isoDate(birthYear, birthMonth, birthDay);
    const birth8 = birthDate.replaceAll('-', '');
    const key = birth8 + d.sex;
    const count = state.idCounters.get(key) ?? 0;
    if (count >= 500) throw new RangeError(`more than 500 ${d.sex} persons born on ${birthDate}: the ID sequence is exhausted`);
    state.idCounters.set(key, count + 1);
    // Sequence: odd for men, even for women (GB 11643), starting at a
    // per-date offset so the numbers do not all begin 001.
    const slot = (mix(seed, STREAM.idBase, Number(birth8)) + count) % 500;
    const first17 = `${ID_ADDRESS}${birth8}${pad(slot * 2 + (d.sex === 'M' ? 1 : 0), 3)}`;
    return {
      relation: d.relation,
      sex: d.sex,
      birthYear,
      birthMonth,
      birthDay,
      birthDate,
      id: first17 + citizenIdCheckDigit(first17),
      name: '',
      status: 'living',
      cadreRelative: false,
      disability: 0,
    };
  }

  const summarise = (): { counts: DemoCountyCounts; planted: PlantedManifest } => {
    if (!summary) for (const _ of pass()); // a full pass sets `summary`
    if (!summary) throw new Error('demo county pass did not complete');
    return summary;
  };

  return {
    seed,
    people,
    anomalies,
    countyCode: COUNTY_CODE,
    regions,
    items: SUBSIDY_CATALOGUE,
    agentBanks,
    bundles: pass,
    *households() {
      for (const b of pass()) yield b.household;
    },
    *persons() {
      for (const b of pass()) yield* b.persons;
    },
    *accounts() {
      for (const b of pass()) yield* b.accounts;
    },
    *paymentLines() {
      for (const b of pass()) yield* b.paymentLines;
    },
    get counts() {
      return summarise().counts;
    },
    get planted() {
      return summarise().planted;
    },
  };
}

// ---------------------------------------------------------------------------
// Household composition

function composeHousehold(rng: Random, size: number, intent: HouseholdKind | null): HouseholdDraft[] {
  const headSex: Sex = rng.chance(0.86) ? 'M' : 'F';
  const other = (s: Sex): Sex => (s === 'M' ? 'F' : 'M');
  let headAge: number;
  if (intent === 'payment-after-death') headAge = rng.int(36, 66);
  else if (size === 1) headAge = rng.chance(0.65) ? rng.int(60, 92) : rng.int(24, 59);
  else headAge = 26 + Math.floor(((rng.next() + rng.next()) / 2) * 57);
  const out: HouseholdDraft[] = [{ relation: '户主', sex: headSex, age: headAge }];
  if (size === 1) return out;

  if (intent === 'payment-after-death') {
    // The planted deceased is member 1: an old parent of the head.
    out.push({ relation: '父母', sex: rng.chance(0.5) ? 'M' : 'F', age: Math.min(98, Math.max(70, headAge + rng.int(22, 32))) });
  }
  // A4 pays the spouse's card; C2 pays the spouse's item into a neighbour's card.
  const wantsSpouse = intent === 'household-item-to-non-head' || intent === 'account-for-unrelated-people' || rng.chance(size >= 3 ? 0.9 : 0.75);
  if (wantsSpouse && out.length < size) {
    const gap = rng.int(-1, 5);
    out.push({ relation: '配偶', sex: other(headSex), age: Math.max(20, Math.min(98, headSex === 'M' ? headAge - gap : headAge + gap)) });
  }

  while (out.length < size) {
    const couple = out.filter((d) => d.relation === '户主' || d.relation === '配偶');
    const youngestParent = Math.min(...couple.map((d) => d.age));
    const parents = out.filter((d) => d.relation === '父母');
    const adultChildren = out.filter((d) => (d.relation === '子' || d.relation === '女') && d.age >= 20);
    const options: [string, number][] = [];
    if (youngestParent >= 20) options.push(['child', headAge < 60 ? 6 : 2]);
    if (parents.length < 2 && headAge + 20 <= 98) options.push(['parent', headAge < 50 ? 3 : headAge < 60 ? 1 : 0.2]);
    if (adultChildren.length > 0) options.push(['grandchild', 5]);
    options.push(['sibling', 0.3], ['other', 0.2]);
    const choice = new WeightedPicker(options).pick(rng);
    switch (choice) {
      case 'child': {
        const sex: Sex = rng.chance(0.52) ? 'M' : 'F';
        out.push({ relation: sex === 'M' ? '子' : '女', sex, age: rng.int(Math.max(0, youngestParent - 42), youngestParent - 20) });
        break;
      }
      case 'parent': {
        const sex: Sex = parents[0] ? other(parents[0].sex) : rng.chance(0.5) ? 'M' : 'F';
        out.push({ relation: '父母', sex, age: Math.min(98, headAge + rng.int(20, 35)) });
        break;
      }
      case 'grandchild': {
        const oldest = Math.max(...adultChildren.map((d) => d.age));
        out.push({ relation: '孙子女', sex: rng.chance(0.52) ? 'M' : 'F', age: rng.int(Math.max(0, oldest - 40), oldest - 20) });
        break;
      }
      case 'sibling':
        out.push({ relation: '兄弟姐妹', sex: rng.chance(0.5) ? 'M' : 'F', age: Math.max(16, Math.min(95, headAge + rng.int(-10, 10))) });
        break;
      default:
        out.push({ relation: '其他', sex: rng.chance(0.5) ? 'M' : 'F', age: rng.int(5, 80) });
    }
  }
  return out;
}

function nameMembers(rng: Random, members: Member[], village: VillageInfo): void {
  const local = (): string => (rng.chance(0.45) ? rng.pick(village.clanSurnames) : pickSurname(rng));
  const head = members[0];
  if (!head) return;
  const headSurname = local();
  const spouse = members.find((m) => m.relation === '配偶');
  const spouseSurname = local();
  // Children take the father's surname.
  const childSurname = head.sex === 'M' || !spouse ? headSurname : spouseSurname;
  for (const m of members) {
    let surname: string;
    switch (m.relation) {
      case '户主':
      case '兄弟姐妹':
        surname = headSurname;
        break;
      case '配偶':
        surname = spouseSurname;
        break;
      case '子':
      case '女':
      case '孙子女':
        surname = childSurname;
        break;
      case '父母':
        surname = m.sex === 'M' ? headSurname : local();
        break;
      default:
        surname = local();
    }
    m.name = surname + pickGivenName(rng, m.sex, m.birthYear);
  }
}

function assignStatuses(rng: Random, members: Member[], intent: HouseholdKind | null): void {
  members.forEach((m, i) => {
    if (i === 0) return; // the head is living: a dead head would be replaced on the roster
    const age = AGE_YEAR - m.birthYear;
    if (i === 1 && intent === 'payment-after-death') {
      // Dies on the 26th or 28th, after every pay day (odd, ≤ 25) of that month.
      const month = rng.int(monthIndex(2020, 3), monthIndex(2021, 9));
      setDeath(m, month, rng.chance(0.5) ? 26 : 28);
      return;
    }
    if (i === 1 && intent !== null) return; // protected planted member stays living
    if (age >= 65 && rng.chance(0.05)) {
      setDeath(m, rng.int(monthIndex(2020, 2), monthIndex(2021, 11)), 2 * rng.int(1, 14));
    } else if ((m.relation === '子' || m.relation === '女' || m.relation === '孙子女' || m.relation === '兄弟姐妹') && age >= 18 && age <= 45 && rng.chance(0.04)) {
      m.status = 'moved-out';
      m.statusDate = randomDate(rng, '2018-01-01', '2021-11-30');
    } else if (m.relation === '其他' && rng.chance(0.3)) {
      m.status = 'not-member';
    }
  });
}

function setDeath(m: Member, month: number, day: number): void {
  const y = Math.floor(month / 12);
  const mo = (month % 12) + 1;
  m.status = 'deceased';
  m.deathMonth = month;
  m.statusDate = isoDate(y, mo, day); // day ≤ 28 fits every month
}

// ---------------------------------------------------------------------------
// Entitlements

interface HouseholdFacts {
  intent: HouseholdKind | null;
  village: VillageInfo;
  size: number;
  cadreHousehold: boolean;
  farmlandMu: number | undefined;
  forestMu: number | undefined;
}

function decideEntitlements(rng: Random, members: Member[], f: HouseholdFacts): Entitlement[] {
  const head = members[0];
  if (!head) return [];
  const ents: Entitlement[] = [];
  const full = { start: FIRST_MONTH, end: LAST_MONTH };
  const add = (code: ItemCode, beneficiary: Member, range: { start: number; end: number }, amountFen?: number, once?: { year: number; month: number }): Entitlement | null => {
    if (range.start > range.end) return null;
    const item = ITEMS[code];
    const e: Entitlement = { item, beneficiary, start: range.start, end: range.end, amountFen: amountFen ?? item.standardAmountFen };
    if (once) e.once = once;
    ents.push(e);
    return e;
  };
  const perMu = (code: ItemCode, mu: number): number => Math.round((Math.round(mu * 100) * ITEMS[code].standardAmountFen) / 100);
  const headAge = AGE_YEAR - head.birthYear;
  const plantedMember = members[1];
  const protectedMember = f.intent === 'account-for-unrelated-people' ? plantedMember : undefined;

  // 特困 (living alone, old, nobody to support them) excludes 低保.
  const tekun = f.size === 1 && headAge >= 60 && !f.cadreHousehold && f.intent !== 'short-or-missing-periods' && rng.chance(0.35);
  const dibaoCode: ItemCode = f.village.community ? 'MZ09' : 'MZ01';
  const forcedDibao = f.intent === 'short-or-missing-periods' || f.intent === 'cadre-relative-receiving';
  const poorBase = (f.village.community ? 0.05 : 0.07) + (members.some((m) => m.disability > 0) ? 0.05 : 0);
  const dibao = forcedDibao || (!tekun && !f.cadreHousehold && rng.chance(poorBase));
  if (dibao) {
    let range = full;
    if (f.intent !== 'short-or-missing-periods') {
      const r = rng.next();
      if (r < 0.1) range = { start: rng.int(FIRST_MONTH + 1, LAST_MONTH - 6), end: LAST_MONTH };
      else if (r < 0.2) range = { start: FIRST_MONTH, end: rng.int(FIRST_MONTH + 6, LAST_MONTH - 1) };
    }
    add(dibaoCode, head, range);
  }
  // C1 is about 低保 alone; other means-tested items would blur the case.
  const meansTestedAllowed = !f.cadreHousehold;
  if (meansTestedAllowed && (dibao || tekun) && rng.chance(0.04)) {
    add('MZ04', head, full, rng.int(5, 30) * 10000, { year: rng.chance(0.5) ? 2020 : 2021, month: rng.int(3, 11) });
  } else if (meansTestedAllowed && !dibao && !tekun && rng.chance(0.02)) {
    add('MZ04', head, full, rng.int(5, 30) * 10000, { year: rng.chance(0.5) ? 2020 : 2021, month: rng.int(3, 11) });
  }
  if (meansTestedAllowed && (dibao || tekun) && rng.chance(0.06)) {
    add('ZJ01', head, full, rng.int(10, 35) * 100000, { year: rng.chance(0.5) ? 2020 : 2021, month: rng.int(4, 11) });
  }

  // Land and forest (household items to the head).
  if (f.farmlandMu !== undefined) {
    if (f.intent === 'several-accounts' || f.intent === 'household-item-to-non-head' || rng.chance(0.98)) add('NY01', head, full, perMu('NY01', f.farmlandMu));
    if (rng.chance(0.7)) add('NY02', head, full, perMu('NY02', f.farmlandMu), { year: 2021, month: ANNUAL_PAY_MONTH.NY02 ?? 7 });
    if (rng.chance(0.55)) add('NY03', head, full, perMu('NY03', f.farmlandMu));
  }
  if (f.forestMu !== undefined) {
    add('LY01', head, full, Math.round(f.forestMu * ITEMS.LY01.standardAmountFen));
    if (f.intent !== 'several-accounts' && rng.chance(0.2)) add('LY02', head, full, Math.round((1 + rng.next() * 5) * 240) * 100);
  }

  // Personal items.
  const childrenInHousehold = members.some((m) => (m.relation === '子' || m.relation === '女') && m.status === 'living' && AGE_YEAR - m.birthYear >= 18);
  for (const m of members) {
    if (m.status === 'moved-out' || m.status === 'not-member') continue;
    // Infants born after mid-2019 have no card of their own yet.
    if (m.birthDate > '2019-06-30') continue;
    if (m === protectedMember) {
      // Planted C2: exactly one personal item, paid into someone else's card.
      m.disability = 2;
      add('CL02', m, full);
      continue;
    }
    const age = AGE_YEAR - m.birthYear;
    const turns = (years: number): number => monthIndex(m.birthYear + years, m.birthMonth) + 1; // from the month after the birthday
    const until = (years: number): number => monthIndex(m.birthYear + years, m.birthMonth); // up to the birthday month
    const plantedDeath = f.intent === 'payment-after-death' && m === plantedMember;

    if (plantedDeath || (age >= 60 && rng.chance(0.97))) add('RS01', m, { start: Math.max(FIRST_MONTH, turns(60)), end: LAST_MONTH });
    if (age >= 80 && rng.chance(0.95)) {
      add('MZ05', m, { start: Math.max(FIRST_MONTH, turns(80)), end: Math.min(LAST_MONTH, until(90)) });
      add('MZ06', m, { start: Math.max(FIRST_MONTH, turns(90)), end: LAST_MONTH });
    }
    if (m === head && tekun) {
      add('MZ02', m, full);
      if (rng.chance(0.4)) add('MZ03', m, full);
    }
    if (age < 18 + 2) {
      const end = Math.min(LAST_MONTH, until(18));
      if (m.relation === '孙子女' && !childrenInHousehold && rng.chance(0.25)) add('MZ07', m, { start: FIRST_MONTH, end });
      else if (rng.chance(0.004)) add('MZ08', m, { start: FIRST_MONTH, end });
    }
    if (m.disability > 0 && meansTestedAllowed && (dibao || tekun)) add('CL01', m, full);
    if (m.disability === 2) add('CL02', m, full);
    if (!plantedDeath) {
      // Yearly and quarterly items are left off the planted deceased so that
      // "paid after death" and "period after death" name the same lines.
      if (age >= 60 && rng.chance(0.12)) add('WJ01', m, { start: Math.max(FIRST_MONTH, turns(60)), end: LAST_MONTH });
      if (m.sex === 'M' && age >= 60 && rng.chance(0.03)) add('TY04', m, { start: Math.max(FIRST_MONTH, turns(60)), end: LAST_MONTH });
      if (f.village.reservoir && m.birthDate < '2006-07-01' && rng.chance(0.7)) add('SL01', m, full);
    }
    if (age >= 49 && rng.chance(0.004)) add('WJ02', m, full);
    if (m.sex === 'M') {
      if (age >= 85 && rng.chance(0.05)) add('TY01', m, full);
      if (age >= 50 && rng.chance(0.004)) add('TY02', m, full);
      if (age >= 55 && rng.chance(0.006)) add('TY03', m, full);
    }
  }
  return ents;
}

// ---------------------------------------------------------------------------
// Accounts

function accountType(rng: Random, m: Member): AccountType {
  const old = AGE_YEAR - m.birthYear >= 60;
  const r = rng.next();
  if (old) return r < 0.25 ? 'sscard' : r < 0.45 ? 'passbook' : 'card';
  return r < 0.05 ? 'sscard' : r < 0.1 ? 'passbook' : 'card';
}

/**
 * A unique, random-looking account number. `serial` is unique within a pass;
 * multiplying by an odd constant not divisible by 5 is a bijection modulo a
 * power of ten, so distinct serials give distinct numbers.
 *
 * Passbooks get a Luhn digit too: many real ones have none, but a clean demo
 * import should not produce thousands of warnings.
 */
function accountNumber(bank: AgentBank, type: AccountType, townshipCode: string, serial: number): string {
  const branch = townshipCode.slice(6, 9);
  let partial: string;
  if (type === 'passbook') {
    partial = `${bank.passbookPrefix}${branch}${scramble(serial, 12)}`; // 17 digits + check = 18
  } else {
    const bin = type === 'sscard' ? bank.sscardBin : bank.cardBin;
    partial = `${bin}${branch}${scramble(serial, 9)}`; // 18 digits + check = 19
  }
  return partial + luhnCheckDigit(partial);
}

function scramble(serial: number, digits: number): string {
  const modulus = 10n ** BigInt(digits);
  const value = (BigInt(serial) * 2654435761n + 12345n) % modulus;
  return value.toString().padStart(digits, '0');
}

// ---------------------------------------------------------------------------
// Planted manifest

interface PlantContext {
  householdId: string;
  head: Member;
  plantedMember: Member | undefined;
  ents: Entitlement[];
  linesOf: Map<Entitlement, PaymentLine[]>;
  lines: PaymentLine[];
  a2: { ent: Entitlement; missing: string[]; short: Map<string, number> } | null;
  b1: { first: Account; second: Account } | null;
  c2: { donor: Donor; beneficiary: Member; ent: Entitlement } | null;
  a4: { ent: Entitlement; holder: Member } | null;
}

function recordPlanted(intent: HouseholdKind | null, c: PlantContext): PlantedCase | null {
  const idsOf = (e: Entitlement): string[] => (c.linesOf.get(e) ?? []).map((l) => l.id);
  switch (intent) {
    case null:
      return null;
    case 'payment-after-death': {
      const m = c.plantedMember;
      if (!m?.statusDate) throw new Error('A3 member without a death date');
      const deathDate = m.statusDate;
      const after = c.lines.filter((l) => l.beneficiaryPersonId === m.id && l.paidOn > deathDate);
      return {
        kind: 'payment-after-death',
        code: 'A3',
        personId: m.id,
        deathDate,
        householdIds: [c.householdId],
        personIds: [m.id],
        accountNumbers: unique(after.map((l) => l.accountNumber)),
        itemCodes: unique(after.map((l) => l.itemCode)),
        paymentLineIds: after.map((l) => l.id),
      };
    }
    case 'short-or-missing-periods': {
      if (!c.a2) throw new Error('A2 not planted');
      const { ent, missing, short } = c.a2;
      const shortLineIds = (c.linesOf.get(ent) ?? []).filter((l) => short.has(l.period)).map((l) => l.id);
      return {
        kind: 'short-or-missing-periods',
        code: 'A2',
        personId: c.head.id,
        itemCode: ent.item.code,
        missingPeriods: [...missing].sort(),
        shortLineIds,
        householdIds: [c.householdId],
        personIds: [c.head.id],
        accountNumbers: unique((c.linesOf.get(ent) ?? []).map((l) => l.accountNumber)),
        itemCodes: [ent.item.code],
        paymentLineIds: idsOf(ent),
      };
    }
    case 'several-accounts': {
      if (!c.b1) throw new Error('B1 not planted');
      const numbers = [c.b1.first.number, c.b1.second.number];
      const into = c.lines.filter((l) => numbers.includes(l.accountNumber));
      const departments = unique(c.ents.filter((e) => (c.linesOf.get(e) ?? []).some((l) => numbers.includes(l.accountNumber))).map((e) => e.item.department));
      return {
        kind: 'several-accounts',
        code: 'B1',
        personId: c.head.id,
        departments,
        householdIds: [c.householdId],
        personIds: [c.head.id],
        accountNumbers: numbers,
        itemCodes: unique(into.map((l) => l.itemCode)),
        paymentLineIds: into.map((l) => l.id),
      };
    }
    case 'account-for-unrelated-people': {
      if (!c.c2) throw new Error('C2 not planted');
      const { donor, beneficiary, ent } = c.c2;
      return {
        kind: 'account-for-unrelated-people',
        code: 'C2',
        accountNumber: donor.account.number,
        bankName: donor.account.bankName,
        holderPersonId: donor.account.holderPersonId,
        beneficiaryPersonIds: [beneficiary.id],
        householdIds: [donor.householdId, c.householdId],
        personIds: [donor.account.holderPersonId, beneficiary.id],
        accountNumbers: [donor.account.number],
        itemCodes: [ent.item.code],
        paymentLineIds: idsOf(ent),
      };
    }
    case 'cadre-relative-receiving': {
      const ent = c.ents.find((e) => e.item.code === 'MZ01' || e.item.code === 'MZ09');
      if (!ent) throw new Error('C1 household without 低保');
      return {
        kind: 'cadre-relative-receiving',
        code: 'C1',
        personId: c.head.id,
        householdId: c.householdId,
        householdIds: [c.householdId],
        personIds: [c.head.id],
        accountNumbers: unique((c.linesOf.get(ent) ?? []).map((l) => l.accountNumber)),
        itemCodes: [ent.item.code],
        paymentLineIds: idsOf(ent),
      };
    }
    case 'household-item-to-non-head': {
      if (!c.a4?.holder.account) throw new Error('A4 not planted');
      const { ent, holder } = c.a4;
      const account = holder.account;
      if (!account) throw new Error('A4 holder without account');
      return {
        kind: 'household-item-to-non-head',
        code: 'A4',
        householdId: c.householdId,
        headPersonId: c.head.id,
        accountHolderPersonId: holder.id,
        accountNumber: account.number,
        householdIds: [c.householdId],
        personIds: [c.head.id, holder.id],
        accountNumbers: [account.number],
        itemCodes: [ent.item.code],
        paymentLineIds: idsOf(ent),
      };
    }
  }
}

function manifestOf(cases: PlantedCase[]): PlantedManifest {
  const counts = Object.fromEntries(PLANTED_KINDS.map((k) => [k, 0])) as Record<PlantedKind, number>;
  for (const c of cases) counts[c.kind]++;
  return { cases, counts };
}

// ---------------------------------------------------------------------------
// Small helpers

function toPerson(m: Member, householdId: string): Person {
  const p: Person = {
    id: m.id,
    householdId,
    name: m.name,
    sex: m.sex,
    birthDate: m.birthDate,
    relation: m.relation,
    status: m.status,
  };
  if (m.statusDate !== undefined) p.statusDate = m.statusDate;
  if (m.phone !== undefined) p.phone = m.phone;
  if (m.cadreRelative) p.isCadreRelative = true;
  return p;
}

const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158', '159', '180', '181', '182', '183', '186', '187', '188', '189', '199'];

function mobile(rng: Random): string {
  return rng.pick(MOBILE_PREFIXES) + pad(rng.int(0, 99_999_999), 8);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** A uniformly random civil date in [from, to] (ISO strings). */
function randomDate(rng: Random, from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  const day = 86_400_000;
  const t = a + rng.int(0, Math.max(0, Math.floor((b - a) / day))) * day;
  return new Date(t).toISOString().slice(0, 10);
}

function sample<T>(rng: Random, items: readonly T[], n: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length > 0) {
    const i = rng.int(0, pool.length - 1);
    const [x] = pool.splice(i, 1);
    if (x !== undefined) out.push(x);
  }
  return out;
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
