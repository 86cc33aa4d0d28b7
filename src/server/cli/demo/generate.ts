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
 *
 * This file runs the passes; the parts live in county/, one per section of
 * the work: types (what it gives), constants, layout (once per county),
 * household (one household, step by step), members, entitlements, accounts,
 * planted (the manifest), model (what a pass carries), helpers.
 */
import regionsJson from './regions-421321.json' with { type: 'json' };
import type { Region } from '#shared/schemas/roster.ts';
import { SUBSIDY_CATALOGUE } from './subsidy-catalogue.ts';
import { COUNTY_CODE } from './county/constants.ts';
import { buildHousehold } from './county/household.ts';
import { buildLayout } from './county/layout.ts';
import type { CountyPlan, PassState } from './county/model.ts';
import { manifestOf } from './county/planted.ts';
import type { DemoCounty, DemoCountyCounts, DemoCountyOptions, DemoHouseholdBundle, PlantedManifest } from './county/types.ts';

export * from './county/types.ts';
export { AGENT_BANKS, FOCUS_VILLAGE_CODE } from './county/constants.ts';

export function generateDemoCounty(options: DemoCountyOptions): DemoCounty {
  const { seed, people } = options;
  const anomalies = options.anomalies ?? true;
  if (!Number.isSafeInteger(people) || people < 1) throw new RangeError(`people must be a positive integer, got ${people}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);

  const regions = regionsJson as Region[];
  const layout = buildLayout(seed, people, anomalies, regions);
  const plan: CountyPlan = { seed, layout };
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
      const bundle = buildHousehold(plan, h, state);
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