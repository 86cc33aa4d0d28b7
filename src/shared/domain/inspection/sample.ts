/**
 * The spot-check draw (重点抽查, issue 14; domain.md §9), a pure function
 * anyone can re-run with the published seed and the frozen input.
 *
 * The method, in full:
 *
 * 1. Each unit's rank is SHA-256(seed + "|" + unit id) as lowercase hex; a
 *    stratum's units are taken in ascending rank (ties cannot happen: ids
 *    differ). Villages are ranked by their 12-digit code, households by their
 *    roster id.
 * 2. Townships. A township is *weak* when its problems per 100 checked
 *    households is below the median of the area's townships, or zero
 *    (零报送). A weak township's village share is `weakVillageShare`, any
 *    other's `villageShare`.
 * 3. Villages of a township: every village holding a mandatory household (an
 *    open anomaly finding, or a household the cadre marked not found or
 *    refused) is in; then villages in rank order until the township has
 *    max(minVillages, ⌈share × villages⌉) (never more than it has).
 * 4. Households of a sampled village: the mandatory ones; then, for each
 *    cadre who checked households there (in rank order of their first
 *    household), their first household in rank order, so every cadre's work
 *    is re-checked where the quota allows; then households in rank order
 *    until the village has max(minHouseholds, ⌈householdShare × households⌉).
 *
 * The input (the frozen roster snapshot with the weights and the mandatory
 * marks) is hashed canonically (`sampleInputHash`); a published round stores
 * it, so the same seed and input give the same sample on any machine.
 */
import { sha256 } from '../anomalies/finding-id.ts';

export interface SampleRule {
  /** Share of each township's villages (0–1). */
  villageShare: number;
  /** Share of the villages of a weak township (few or zero problems found). */
  weakVillageShare: number;
  /** Share of each sampled village's households. */
  householdShare: number;
  minVillages: number;
  minHouseholds: number;
}

export const DEFAULT_SAMPLE_RULE: SampleRule = { villageShare: 0.3, weakVillageShare: 0.5, householdShare: 0.3, minVillages: 1, minHouseholds: 1 };

export const MANDATORY_REASONS = ['anomaly', 'not-found', 'refused'] as const;
export type MandatoryReason = (typeof MANDATORY_REASONS)[number];

export interface SampleHousehold {
  id: string;
  /** The user who checked it (the cadre form's author), or null when no form yet. */
  cadre: string | null;
  mandatory: MandatoryReason | null;
}

export interface SampleVillage {
  code: string;
  households: SampleHousehold[];
}

export interface SampleTownship {
  code: string;
  /** Households the cadres' forms checked, and the problems those forms recorded. */
  checked: number;
  problems: number;
  villages: SampleVillage[];
}

export interface SampleInput {
  areaCode: string;
  townships: SampleTownship[];
}

export type SampleReason = 'drawn' | 'cadre' | MandatoryReason;

export interface SampledHousehold {
  householdId: string;
  villageCode: string;
  townshipCode: string;
  reason: SampleReason;
}

export interface VillageDraw {
  code: string;
  households: number;
  /** The rule's minimum for this village. */
  required: number;
  sampled: number;
}

export interface TownshipDraw {
  code: string;
  villages: number;
  households: number;
  problemsPer100: number;
  weak: boolean;
  share: number;
  /** The rule's minimum number of villages. */
  required: number;
  sampledVillages: VillageDraw[];
  sampledHouseholds: number;
}

export interface SampleResult {
  inputHash: string;
  medianProblemsPer100: number;
  townships: TownshipDraw[];
  households: SampledHousehold[];
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** A unit's place in its stratum: SHA-256(seed | id) as hex. */
export function sampleRank(seed: string, id: string): string {
  return hex(sha256(`${seed}|${id}`));
}

function byRank<T>(seed: string, units: readonly T[], id: (u: T) => string): T[] {
  return units
    .map((u) => ({ u, r: sampleRank(seed, id(u)) }))
    .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0))
    .map((x) => x.u);
}

/** How many of `n` units a share with a minimum asks for (at most n). */
export function quota(n: number, share: number, min: number): number {
  // Rounded to 1e-9 first so that 0.3 × 10 is 3, not 3.0000000000000004 → 4.
  return Math.min(n, Math.max(min, Math.ceil(Math.round(share * n * 1e9) / 1e9)));
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

const per100 = (t: SampleTownship): number => (t.checked === 0 ? 0 : (100 * t.problems) / t.checked);

/** The input in one canonical order: townships, villages and households sorted by id. */
export function canonicalSampleInput(input: SampleInput): SampleInput {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    areaCode: input.areaCode,
    townships: [...input.townships]
      .sort((a, b) => cmp(a.code, b.code))
      .map((t) => ({
        code: t.code,
        checked: t.checked,
        problems: t.problems,
        villages: [...t.villages]
          .sort((a, b) => cmp(a.code, b.code))
          .map((v) => ({ code: v.code, households: [...v.households].sort((a, b) => cmp(a.id, b.id)).map((h) => ({ id: h.id, cadre: h.cadre, mandatory: h.mandatory })) })),
      })),
  };
}

/** SHA-256 of the canonical input's JSON: the frozen snapshot's identity. */
export function sampleInputHash(input: SampleInput): string {
  return hex(sha256(JSON.stringify(canonicalSampleInput(input))));
}

function drawVillage(seed: string, township: string, v: SampleVillage, rule: SampleRule): { picked: SampledHousehold[]; required: number } {
  const ranked = byRank(seed, v.households, (h) => h.id);
  const required = quota(v.households.length, rule.householdShare, rule.minHouseholds);
  const picked = new Map<string, SampleReason>();
  for (const h of ranked) if (h.mandatory !== null) picked.set(h.id, h.mandatory);
  const cadresSeen = new Set<string>();
  for (const h of ranked) if (h.cadre !== null && picked.has(h.id)) cadresSeen.add(h.cadre);
  for (const h of ranked) {
    if (picked.size >= required) break;
    if (h.cadre === null || cadresSeen.has(h.cadre)) continue;
    cadresSeen.add(h.cadre);
    picked.set(h.id, 'cadre');
  }
  for (const h of ranked) {
    if (picked.size >= required) break;
    if (!picked.has(h.id)) picked.set(h.id, 'drawn');
  }
  // Listed in rank order, the order an inspector would be given them.
  const out = ranked.flatMap((h) => {
    const reason = picked.get(h.id);
    return reason === undefined ? [] : [{ householdId: h.id, villageCode: v.code, townshipCode: township, reason }];
  });
  return { picked: out, required };
}

export function drawSample(seed: string, rule: SampleRule, raw: SampleInput): SampleResult {
  const input = canonicalSampleInput(raw);
  const rates = input.townships.map(per100);
  const med = median(rates);
  const townships: TownshipDraw[] = [];
  const households: SampledHousehold[] = [];
  for (const t of input.townships) {
    const rate = per100(t);
    const weak = rate === 0 || rate < med;
    const share = weak ? Math.max(rule.weakVillageShare, rule.villageShare) : rule.villageShare;
    const required = quota(t.villages.length, share, rule.minVillages);
    const ranked = byRank(seed, t.villages, (v) => v.code);
    const chosen = new Set<string>();
    for (const v of ranked) if (v.households.some((h) => h.mandatory !== null)) chosen.add(v.code);
    for (const v of ranked) {
      if (chosen.size >= required) break;
      chosen.add(v.code);
    }
    const sampledVillages: VillageDraw[] = [];
    let sampledHouseholds = 0;
    for (const v of ranked) {
      if (!chosen.has(v.code)) continue;
      const d = drawVillage(seed, t.code, v, rule);
      households.push(...d.picked);
      sampledHouseholds += d.picked.length;
      sampledVillages.push({ code: v.code, households: v.households.length, required: d.required, sampled: d.picked.length });
    }
    townships.push({
      code: t.code,
      villages: t.villages.length,
      households: t.villages.reduce((n, v) => n + v.households.length, 0),
      problemsPer100: Math.round(rate * 100) / 100,
      weak,
      share,
      required,
      sampledVillages,
      sampledHouseholds,
    });
  }
  return { inputHash: sampleInputHash(input), medianProblemsPer100: Math.round(med * 100) / 100, townships, households };
}
