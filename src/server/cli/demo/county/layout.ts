/** The county's layout, computed once per generated county: household sizes, villages, agent banks, the planting plan. */
import type { Region } from '#shared/schemas/roster.ts';
import { pickSurname } from '../names.ts';
import { createRandom, hashString, WeightedPicker } from '../random.ts';
import { AGENT_BANKS, FOCUS_VILLAGE_CODE, FOCUS_VILLAGE_SHARE, HILL_TOWNSHIPS, HOUSEHOLD_KINDS, PLANT_RATE, SIZE_PICKER, STREAM, type AgentBank } from './constants.ts';


export interface VillageInfo {
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

export interface Layout {
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

export function buildLayout(seed: number, people: number, anomalies: boolean, regions: readonly Region[]): Layout {
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

export function isCommunity(name: string): boolean {
  return name.includes('社区') || name.includes('居民委员会');
}

export function villageTownship(villages: readonly VillageInfo[], villageOf: Uint16Array, h: number): string {
  return villages[villageOf[h] ?? 0]?.townshipCode ?? '';
}

/** In the B2 township, every third household banks with the second bank. */
export function isB2Household(townshipIndex: Uint32Array, h: number): boolean {
  return (townshipIndex[h] ?? 0) % 3 === 1;
}

