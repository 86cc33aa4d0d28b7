import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { luhnValid } from '#shared/domain/account-number.ts';
import { validateCitizenId } from '#shared/domain/citizen-id.ts';
import {
  AccountSchema,
  HouseholdSchema,
  PaymentLineSchema,
  PersonSchema,
  RegionSchema,
  SubsidyItemSchema,
  periodMonths,
  periodsStartingBetween,
  type Account,
  type Household,
  type PaymentLine,
  type Person,
  type SubsidyItem,
} from '#shared/schemas/roster.ts';
import { PLANTED_KIND_CODES, PLANTED_KINDS, generateDemoCounty, type DemoCounty, type PlantedKind } from '#server/cli/demo/generate.ts';

const PEOPLE = 2_000;

interface Collected {
  households: Household[];
  persons: Person[];
  accounts: Account[];
  lines: PaymentLine[];
  householdById: Map<string, Household>;
  personById: Map<string, Person>;
  accountByKey: Map<string, Account>;
  itemByCode: Map<string, SubsidyItem>;
}

const accountKey = (number: string, bankName: string): string => `${bankName}|${number}`;
const townshipOf = (villageCode: string): string => `${villageCode.slice(0, 9)}000`;

function collect(demo: DemoCounty): Collected {
  const c: Collected = {
    households: [],
    persons: [],
    accounts: [],
    lines: [],
    householdById: new Map(),
    personById: new Map(),
    accountByKey: new Map(),
    itemByCode: new Map(demo.items.map((i) => [i.code, i])),
  };
  for (const b of demo.bundles()) {
    c.households.push(b.household);
    c.persons.push(...b.persons);
    c.accounts.push(...b.accounts);
    c.lines.push(...b.paymentLines);
  }
  for (const h of c.households) c.householdById.set(h.id, h);
  for (const p of c.persons) c.personById.set(p.id, p);
  for (const a of c.accounts) c.accountByKey.set(accountKey(a.number, a.bankName), a);
  return c;
}

function digest(demo: DemoCounty): string {
  const hash = createHash('sha256');
  for (const b of demo.bundles()) hash.update(JSON.stringify(b));
  hash.update(JSON.stringify(demo.planted));
  return hash.digest('hex');
}

/**
 * Straightforward reference detectors for every planted kind. On clean data
 * each finds nothing; on planted data each must find exactly the manifest's
 * cases, which proves both that the manifest is right and that nothing was
 * planted by accident.
 */
function detect(c: Collected): Record<PlantedKind, string[]> {
  const household = (id: string): Household => c.householdById.get(id)!;
  const account = (l: PaymentLine): Account => c.accountByKey.get(accountKey(l.accountNumber, l.bankName))!;
  const item = (code: string): SubsidyItem => c.itemByCode.get(code)!;

  const a3 = new Set<string>();
  for (const l of c.lines) {
    const p = c.personById.get(l.beneficiaryPersonId)!;
    if (p.status === 'deceased' && p.statusDate !== undefined && l.paidOn >= p.statusDate) a3.add(p.id);
    const months = periodMonths(l.period)!;
    if (p.status === 'deceased' && p.statusDate !== undefined) {
      const death = Number(p.statusDate.slice(0, 4)) * 12 + Number(p.statusDate.slice(5, 7)) - 1;
      if (months.first > death) a3.add(p.id);
    }
    if (p.status === 'moved-out' || p.status === 'not-member') a3.add(p.id);
  }

  const a2 = new Set<string>();
  const byEntitlement = new Map<string, PaymentLine[]>();
  for (const l of c.lines) {
    const key = `${l.itemCode}|${l.beneficiaryPersonId}`;
    byEntitlement.set(key, [...(byEntitlement.get(key) ?? []), l]);
  }
  for (const [key, ls] of byEntitlement) {
    const it = item(ls[0]!.itemCode);
    const expected =
      it.amountBasis === 'fixed'
        ? it.standardAmountFen
        : it.amountBasis === 'per-mu'
          ? Math.round((Math.round(household(ls[0]!.householdId).farmlandMu! * 100) * it.standardAmountFen) / 100)
          : ls[0]!.amountFen;
    if (ls.some((l) => l.amountFen !== expected)) a2.add(key);
    if (it.period !== 'once') {
      const firsts = ls.map((l) => periodMonths(l.period)!.first);
      const all = periodsStartingBetween(it.period, Math.min(...firsts), Math.max(...firsts));
      if (all.length !== ls.length) a2.add(key);
    }
  }

  const accountsByHolder = new Map<string, Account[]>();
  for (const a of c.accounts) accountsByHolder.set(a.holderPersonId, [...(accountsByHolder.get(a.holderPersonId) ?? []), a]);
  const b1 = [...accountsByHolder].filter(([, as]) => as.length > 1).map(([id]) => id);

  const banksByTownship = new Map<string, Set<string>>();
  const addBank = (villageCode: string, bank: string): void => {
    const t = townshipOf(villageCode);
    banksByTownship.set(t, (banksByTownship.get(t) ?? new Set()).add(bank));
  };
  for (const a of c.accounts) addBank(household(c.personById.get(a.holderPersonId)!.householdId).villageCode, a.bankName);
  for (const l of c.lines) addBank(household(l.householdId).villageCode, l.bankName);
  const b2 = [...banksByTownship].filter(([, banks]) => banks.size > 1).map(([t]) => t);

  const c2 = new Set<string>();
  const a4 = new Set<string>();
  const c1 = new Set<string>();
  const cadreHouseholds = new Set(c.persons.filter((p) => p.isCadreRelative === true).map((p) => p.householdId));
  for (const l of c.lines) {
    const holder = c.personById.get(account(l).holderPersonId)!;
    if (holder.householdId !== l.householdId) c2.add(l.accountNumber);
    const it = item(l.itemCode);
    if (it.unit === 'household' && holder.id !== household(l.householdId).headPersonId && holder.householdId === l.householdId) a4.add(l.householdId);
    if (it.unit === 'person' && holder.id !== l.beneficiaryPersonId && holder.householdId === l.householdId) a4.add(l.householdId);
    if (it.meansTested && cadreHouseholds.has(l.householdId)) c1.add(l.householdId);
  }

  return {
    'payment-after-death': [...a3].sort(),
    'short-or-missing-periods': [...a2].sort(),
    'several-accounts': b1.sort(),
    'township-two-banks': b2.sort(),
    'account-for-unrelated-people': [...c2].sort(),
    'cadre-relative-receiving': [...c1].sort(),
    'household-item-to-non-head': [...a4].sort(),
  };
}

/** The same keys as detect(), taken from the manifest. */
function manifestKeys(demo: DemoCounty): Record<PlantedKind, string[]> {
  const out = Object.fromEntries(PLANTED_KINDS.map((k) => [k, [] as string[]])) as Record<PlantedKind, string[]>;
  for (const pc of demo.planted.cases) {
    switch (pc.kind) {
      case 'payment-after-death':
        out[pc.kind].push(pc.personId);
        break;
      case 'short-or-missing-periods':
        out[pc.kind].push(`${pc.itemCode}|${pc.personId}`);
        break;
      case 'several-accounts':
        out[pc.kind].push(pc.personId);
        break;
      case 'township-two-banks':
        out[pc.kind].push(pc.townshipCode);
        break;
      case 'account-for-unrelated-people':
        out[pc.kind].push(pc.accountNumber);
        break;
      case 'cadre-relative-receiving':
      case 'household-item-to-non-head':
        out[pc.kind].push(pc.householdId);
        break;
    }
  }
  for (const k of PLANTED_KINDS) out[k].sort();
  return out;
}

const planted = generateDemoCounty({ seed: 20220301, people: PEOPLE });
const clean = generateDemoCounty({ seed: 20220301, people: PEOPLE, anomalies: false });
const plantedData = collect(planted);
const cleanData = collect(clean);

describe('generateDemoCounty: determinism', () => {
  it('gives identical output for the same seed and size, and different output otherwise', () => {
    const a = digest(generateDemoCounty({ seed: 7, people: 800 }));
    expect(digest(generateDemoCounty({ seed: 7, people: 800 }))).toBe(a);
    expect(digest(generateDemoCounty({ seed: 8, people: 800 }))).not.toBe(a);
    expect(digest(generateDemoCounty({ seed: 7, people: 800, anomalies: false }))).not.toBe(a);
  });

  it('repeats itself across passes of the same county', () => {
    const ids = [...planted.paymentLines()].map((l) => l.id);
    expect(ids).toEqual(plantedData.lines.map((l) => l.id));
    expect([...planted.persons()]).toEqual(plantedData.persons);
  });
});

describe.each([
  ['planted', plantedData],
  ['clean', cleanData],
])('generateDemoCounty: %s data is valid', (_name, c) => {
  it('has exactly the requested number of people in households of 1–7', () => {
    expect(c.persons).toHaveLength(PEOPLE);
    const sizes = new Map<string, number>();
    for (const p of c.persons) sizes.set(p.householdId, (sizes.get(p.householdId) ?? 0) + 1);
    expect(sizes.size).toBe(c.households.length);
    for (const n of sizes.values()) expect(n).toBeGreaterThanOrEqual(1);
    for (const n of sizes.values()) expect(n).toBeLessThanOrEqual(7);
  });

  it('passes the roster schemas', () => {
    for (const h of c.households) HouseholdSchema.parse(h);
    for (const p of c.persons) PersonSchema.parse(p);
    for (const a of c.accounts) AccountSchema.parse(a);
    for (const l of c.lines) PaymentLineSchema.parse(l);
    for (const i of c.itemByCode.values()) SubsidyItemSchema.parse(i);
  });

  it('gives every person a valid citizen ID of 随县 that matches birth date and sex', () => {
    for (const p of c.persons) {
      const r = validateCitizenId(p.id, { today: new Date(2022, 0, 1) });
      expect(r.ok, p.id).toBe(true);
      if (!r.ok) continue;
      expect(r.regionCode).toBe('421321');
      expect(r.birthDate).toBe(p.birthDate);
      expect(r.sex).toBe(p.sex);
    }
  });

  it('keeps natural keys unique', () => {
    expect(new Set(c.households.map((h) => h.id)).size).toBe(c.households.length);
    expect(new Set(c.persons.map((p) => p.id)).size).toBe(c.persons.length);
    expect(c.accountByKey.size).toBe(c.accounts.length);
    expect(new Set(c.accounts.map((a) => a.number)).size).toBe(c.accounts.length);
    expect(new Set(c.lines.map((l) => l.id)).size).toBe(c.lines.length);
    expect(new Set(c.households.map((h) => `${h.villageCode}|${h.groupName}|${h.houseNumber}`)).size).toBe(c.households.length);
  });

  it('gives bank and social-security cards a valid Luhn digit', () => {
    const cards = c.accounts.filter((a) => a.type !== 'passbook');
    expect(cards.length).toBeGreaterThan(0);
    for (const a of cards) {
      expect(a.number).toMatch(/^62\d{17}$/);
      expect(luhnValid(a.number), a.number).toBe(true);
    }
    const kinds = new Set(c.accounts.map((a) => a.type));
    expect([...kinds].sort()).toEqual(['card', 'passbook', 'sscard']);
  });

  it('references only existing regions, households, persons, accounts and items', () => {
    const villages = new Set(planted.regions.filter((r) => r.level === 'village').map((r) => r.code));
    const bad: string[] = [];
    for (const h of c.households) {
      const head = c.personById.get(h.headPersonId);
      if (!villages.has(h.villageCode) || head?.householdId !== h.id || head.relation !== '户主') bad.push(h.id);
    }
    for (const p of c.persons) if (!c.householdById.has(p.householdId)) bad.push(p.id);
    for (const a of c.accounts) if (!c.personById.has(a.holderPersonId)) bad.push(a.number);
    for (const l of c.lines) {
      if (
        !c.itemByCode.has(l.itemCode) ||
        c.personById.get(l.beneficiaryPersonId)?.householdId !== l.householdId ||
        !c.accountByKey.has(accountKey(l.accountNumber, l.bankName)) ||
        l.paidOn < '2020-01-01' ||
        l.paidOn > '2021-12-31'
      ) {
        bad.push(l.id);
      }
    }
    expect(bad).toEqual([]);
  });

  it('pays household items for the head and personal items for the beneficiary, within the period', () => {
    const monthsOf = { month: 1, quarter: 3, 'half-year': 6, year: 12, once: 12 } as const;
    const bad: string[] = [];
    for (const l of c.lines) {
      const item = c.itemByCode.get(l.itemCode)!;
      const p = c.personById.get(l.beneficiaryPersonId)!;
      const months = periodMonths(l.period)!;
      const paid = Number(l.paidOn.slice(0, 4)) * 12 + Number(l.paidOn.slice(5, 7)) - 1;
      if (
        (item.unit === 'household' && p.relation !== '户主') ||
        months.last - months.first + 1 !== monthsOf[item.period] ||
        paid < months.first ||
        paid > months.last
      ) {
        bad.push(l.id);
      }
    }
    expect(bad).toEqual([]);
  });

  it('makes relations and birth dates consistent', () => {
    const membersOf = new Map<string, Person[]>();
    for (const p of c.persons) membersOf.set(p.householdId, [...(membersOf.get(p.householdId) ?? []), p]);
    for (const h of c.households) {
      const members = membersOf.get(h.id) ?? [];
      const head = members.find((p) => p.relation === '户主')!;
      expect(members.filter((p) => p.relation === '户主')).toHaveLength(1);
      expect(head.status).toBe('living');
      const year = (p: Person): number => Number(p.birthDate.slice(0, 4));
      for (const p of members) {
        if (p.relation === '子' || p.relation === '女') expect(year(p) - year(head), p.id).toBeGreaterThanOrEqual(18);
        if (p.relation === '孙子女') expect(year(p) - year(head), p.id).toBeGreaterThanOrEqual(36);
        if (p.relation === '父母') expect(year(head) - year(p), p.id).toBeGreaterThanOrEqual(18);
        if (p.relation === '子') expect(p.sex).toBe('M');
        if (p.relation === '女') expect(p.sex).toBe('F');
        if (p.relation === '配偶') expect(p.sex).not.toBe(head.sex);
      }
    }
  });
});

describe('generateDemoCounty: clean data', () => {
  it('plants nothing and none of the reference detectors fires', () => {
    expect(clean.planted.cases).toEqual([]);
    for (const n of Object.values(clean.planted.counts)) expect(n).toBe(0);
    const found = detect(cleanData);
    for (const k of PLANTED_KINDS) expect(found[k], k).toEqual([]);
  });

  it('uses one agent bank per township, the one in agentBanks', () => {
    const byAccount = new Map<string, Set<string>>();
    for (const a of cleanData.accounts) {
      const t = townshipOf(cleanData.householdById.get(cleanData.personById.get(a.holderPersonId)!.householdId)!.villageCode);
      byAccount.set(t, (byAccount.get(t) ?? new Set()).add(a.bankName));
    }
    expect(byAccount.size).toBeGreaterThan(10);
    for (const [t, banks] of byAccount) expect([...banks], t).toEqual([clean.agentBanks[t]]);
    for (const l of cleanData.lines) expect(l.bankName).toBe(clean.agentBanks[townshipOf(cleanData.householdById.get(l.householdId)!.villageCode)]);
  });

  it("pays household items into the head's account and personal items into the beneficiary's own", () => {
    for (const l of cleanData.lines) {
      const holder = cleanData.accountByKey.get(accountKey(l.accountNumber, l.bankName))!.holderPersonId;
      const item = cleanData.itemByCode.get(l.itemCode)!;
      if (item.unit === 'household') expect(holder, l.id).toBe(cleanData.householdById.get(l.householdId)!.headPersonId);
      else expect(holder, l.id).toBe(l.beneficiaryPersonId);
    }
  });

  it('gives every account at least one payment', () => {
    const used = new Set(cleanData.lines.map((l) => accountKey(l.accountNumber, l.bankName)));
    for (const a of cleanData.accounts) expect(used.has(accountKey(a.number, a.bankName)), a.number).toBe(true);
  });
});

describe('generateDemoCounty: planted anomalies', () => {
  it('plants every kind at least once, with its problem code', () => {
    for (const k of PLANTED_KINDS) expect(planted.planted.counts[k], k).toBeGreaterThanOrEqual(1);
    for (const pc of planted.planted.cases) expect(pc.code).toBe(PLANTED_KIND_CODES[pc.kind]);
    expect(planted.planted.counts['township-two-banks']).toBe(1);
  });

  it('plants every kind even in a county of 500 people', () => {
    const small = generateDemoCounty({ seed: 3, people: 500 });
    for (const k of PLANTED_KINDS) expect(small.planted.counts[k], k).toBeGreaterThanOrEqual(1);
    const found = detect(collect(small));
    expect(found).toEqual(manifestKeys(small));
  });

  it('lists only ids that exist in the data', () => {
    const lineIds = new Set(plantedData.lines.map((l) => l.id));
    const accountNumbers = new Set(plantedData.accounts.map((a) => a.number));
    for (const pc of planted.planted.cases) {
      for (const id of pc.householdIds) expect(plantedData.householdById.has(id), id).toBe(true);
      for (const id of pc.personIds) expect(plantedData.personById.has(id), id).toBe(true);
      for (const n of pc.accountNumbers) expect(accountNumbers.has(n), n).toBe(true);
      for (const code of pc.itemCodes) expect(plantedData.itemByCode.has(code), code).toBe(true);
      for (const id of pc.paymentLineIds) expect(lineIds.has(id), id).toBe(true);
      if (pc.kind !== 'township-two-banks') expect(pc.paymentLineIds.length, pc.kind).toBeGreaterThan(0);
    }
  });

  it('describes each case correctly', () => {
    const lineById = new Map(plantedData.lines.map((l) => [l.id, l]));
    for (const pc of planted.planted.cases) {
      const lines = pc.paymentLineIds.map((id) => lineById.get(id)!);
      switch (pc.kind) {
        case 'payment-after-death': {
          const p = plantedData.personById.get(pc.personId)!;
          expect(p.status).toBe('deceased');
          expect(p.statusDate).toBe(pc.deathDate);
          for (const l of lines) expect(l.paidOn > pc.deathDate).toBe(true);
          expect(lines.length).toBeGreaterThanOrEqual(3);
          break;
        }
        case 'short-or-missing-periods': {
          const item = plantedData.itemByCode.get(pc.itemCode)!;
          expect(pc.missingPeriods.length + pc.shortLineIds.length).toBeGreaterThan(0);
          for (const l of lines) expect(l.itemCode === pc.itemCode && l.beneficiaryPersonId === pc.personId).toBe(true);
          for (const id of pc.shortLineIds) expect(lineById.get(id)!.amountFen).toBeLessThan(item.standardAmountFen);
          expect(lines.filter((l) => l.amountFen < item.standardAmountFen).map((l) => l.id)).toEqual(pc.shortLineIds);
          const paidPeriods = lines.map((l) => l.period);
          for (const period of pc.missingPeriods) expect(paidPeriods).not.toContain(period);
          break;
        }
        case 'several-accounts': {
          const held = plantedData.accounts.filter((a) => a.holderPersonId === pc.personId).map((a) => a.number);
          expect(held.sort()).toEqual([...pc.accountNumbers].sort());
          expect(pc.departments.length).toBeGreaterThanOrEqual(2);
          expect(new Set(lines.map((l) => l.accountNumber)).size).toBe(2);
          break;
        }
        case 'township-two-banks': {
          expect(pc.bankNames).toHaveLength(2);
          expect(pc.bankNames[0]).not.toBe(pc.bankNames[1]);
          expect(pc.accountNumbers.length).toBeGreaterThan(0);
          break;
        }
        case 'account-for-unrelated-people': {
          const holder = plantedData.personById.get(pc.holderPersonId)!;
          for (const l of lines) {
            expect(l.accountNumber).toBe(pc.accountNumber);
            expect(l.householdId).not.toBe(holder.householdId);
            expect(pc.beneficiaryPersonIds).toContain(l.beneficiaryPersonId);
          }
          break;
        }
        case 'cadre-relative-receiving': {
          expect(plantedData.personById.get(pc.personId)!.isCadreRelative).toBe(true);
          for (const l of lines) expect(plantedData.itemByCode.get(l.itemCode)!.meansTested).toBe(true);
          break;
        }
        case 'household-item-to-non-head': {
          expect(pc.accountHolderPersonId).not.toBe(pc.headPersonId);
          for (const l of lines) {
            expect(l.accountNumber).toBe(pc.accountNumber);
            expect(plantedData.itemByCode.get(l.itemCode)!.unit).toBe('household');
          }
          break;
        }
      }
    }
  });

  it('plants exactly the listed cases: reference detectors find those and nothing else', () => {
    expect(detect(plantedData)).toEqual(manifestKeys(planted));
  });
});

describe('generateDemoCounty: size', () => {
  it('scales with people and reports counts equal to what it streams', () => {
    const small = generateDemoCounty({ seed: 11, people: 1_000 });
    const large = generateDemoCounty({ seed: 11, people: 4_000 });
    const count = (d: DemoCounty) => {
      const c = { households: 0, persons: 0, accounts: 0, paymentLines: 0 };
      for (const b of d.bundles()) {
        c.households++;
        c.persons += b.persons.length;
        c.accounts += b.accounts.length;
        c.paymentLines += b.paymentLines.length;
      }
      return c;
    };
    const s = count(small);
    const l = count(large);
    expect(small.counts).toEqual(s);
    expect(large.counts).toEqual(l);
    expect(s.persons).toBe(1_000);
    expect(l.persons).toBe(4_000);
    for (const key of ['households', 'accounts', 'paymentLines'] as const) {
      const ratio = l[key] / s[key];
      expect(ratio, key).toBeGreaterThan(3.4);
      expect(ratio, key).toBeLessThan(4.6);
    }
    // About ten payment lines per person (the import benchmark's ratio).
    expect(l.paymentLines / l.persons).toBeGreaterThan(7);
    expect(l.paymentLines / l.persons).toBeLessThan(13);
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => generateDemoCounty({ seed: 1, people: 0 })).toThrow(RangeError);
    expect(() => generateDemoCounty({ seed: 1, people: 1.5 })).toThrow(RangeError);
  });

  it('ships the real regions of 随县: 19 townships, 394 villages', () => {
    const regions = planted.regions;
    for (const r of regions) RegionSchema.parse(r);
    expect(regions.filter((r) => r.level === 'township')).toHaveLength(19);
    expect(regions.filter((r) => r.level === 'village')).toHaveLength(394);
    expect(regions.find((r) => r.code === '421321000000')?.name).toBe('随县');
    expect(Object.keys(planted.agentBanks)).toHaveLength(19);
  });

  it('puts households in every village once there are enough of them', () => {
    const villages = planted.regions.filter((r) => r.level === 'village').map((r) => r.code);
    expect(plantedData.households.length).toBeGreaterThan(villages.length);
    const used = new Set(plantedData.households.map((h) => h.villageCode));
    expect(villages.filter((v) => !used.has(v))).toEqual([]);
  });
});
