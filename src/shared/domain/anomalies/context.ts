/**
 * The indexes every rule shares, built once per scan in O(rows): items,
 * households, persons and accounts by key, and for each payment line its
 * resolved item, beneficiary and account (parallel arrays, so a rule walks
 * the lines by index without a Map lookup per rule). Groupings that several
 * rules need (lines per account, lines per entitlement) are built on first
 * use. Nothing here is quadratic: all rules over a county of 50,000 people
 * and 450,000 lines take under a second (BENCHMARKS.md).
 */
import { maskAccount, maskCitizenId } from '#shared/domain/mask.ts';
import { formatYuan } from '#shared/domain/money.ts';
import type { ProblemCode } from '#shared/domain/problem-codes.ts';
import { isWithinArea } from '#shared/domain/region-code.ts';
import { monthLabel, periodMonths, type PeriodKind } from '#shared/schemas/roster.ts';
import { findingId } from './finding-id.ts';
import type {
  AccountRef,
  AnomalyAccount,
  AnomalyHousehold,
  AnomalyInput,
  AnomalyItem,
  AnomalyOptions,
  AnomalyPaymentLine,
  AnomalyPerson,
  AnomalyRule,
  Finding,
} from './types.ts';

export interface AnomalyRuleDefinition {
  id: AnomalyRule;
  /** The codes this rule can report. */
  problemCodes: readonly ProblemCode[];
  check(ctx: AnomalyContext): Finding[];
}

export type PeriodGranularity = Exclude<PeriodKind, 'once'>;

export interface PeriodInfo {
  label: string;
  granularity: PeriodGranularity;
  /** Month indexes (see monthIndex), inclusive. */
  first: number;
  last: number;
  /** First and last day, 'YYYY-MM-DD'. */
  startDate: string;
  endDate: string;
}

/** What a rule states about one finding; the context fills in the id, villages and sorting. */
export interface FindingSpec {
  rule: AnomalyRule;
  problemCode: ProblemCode;
  /** Identifies the case (person, account, household + item ...), never the evidence. */
  key: readonly string[];
  title: string;
  detail: string;
  householdIds: Iterable<string>;
  personIds: Iterable<string>;
  accountNumbers: Iterable<string>;
  itemCodes: Iterable<string>;
  amountFen: number;
  /** Indexes into ctx.lines. */
  lines: Iterable<number>;
  accounts?: readonly AccountRef[] | undefined;
  missingPeriods?: readonly string[] | undefined;
  /** Villages to add to those of the households and lines (e.g. an account's). */
  villageCodes?: Iterable<string> | undefined;
}

export class AnomalyContext {
  readonly options: { lateAfterMonths: number; collectorMinHouseholds: number; areaPrefix: string | undefined };
  readonly items = new Map<string, AnomalyItem>();
  readonly households = new Map<string, AnomalyHousehold>();
  readonly persons = new Map<string, AnomalyPerson>();
  /** Accounts by number; usually one, several only when two banks issued the same digits. */
  readonly accountsByNumber = new Map<string, AnomalyAccount[]>();
  readonly accountsByHolder = new Map<string, AnomalyAccount[]>();
  readonly lines: readonly AnomalyPaymentLine[];
  /** Per line (same index as `lines`): its item, beneficiary and account, when on file. */
  readonly lineItem: (AnomalyItem | undefined)[];
  readonly linePerson: (AnomalyPerson | undefined)[];
  readonly lineAccount: (AnomalyAccount | undefined)[];

  private readonly householdVillage = new Map<string, string>();
  private readonly regionNames: ReadonlyMap<string, string>;
  private readonly periods = new Map<string, PeriodInfo | null>();
  private members: Map<string, AnomalyPerson[]> | undefined;
  private byAccount: Map<AnomalyAccount, number[]> | undefined;
  private byEntitlement: Map<AnomalyItem, Map<string, number[]>> | undefined;
  private readonly memos = new WeakMap<object, unknown>();

  constructor(input: AnomalyInput, options: AnomalyOptions = {}) {
    this.options = {
      lateAfterMonths: options.lateAfterMonths ?? 3,
      collectorMinHouseholds: options.collectorMinHouseholds ?? 3,
      areaPrefix: options.areaPrefix,
    };
    this.regionNames = input.regionNames ?? new Map();
    for (const item of input.items) this.items.set(item.code, item);
    for (const h of input.households) {
      this.households.set(h.id, h);
      this.householdVillage.set(h.id, h.villageCode);
    }
    for (const p of input.persons) {
      this.persons.set(p.id, p);
      // Context persons (outside the area) come without their household row.
      if (p.villageCode && !this.householdVillage.has(p.householdId)) this.householdVillage.set(p.householdId, p.villageCode);
    }
    for (const a of input.accounts) {
      const same = this.accountsByNumber.get(a.number);
      if (same?.some((x) => x.bankName === a.bankName)) continue; // (number, bank) is the key: keep the first
      if (same) same.push(a);
      else this.accountsByNumber.set(a.number, [a]);
      const held = this.accountsByHolder.get(a.holderPersonId);
      if (held) held.push(a);
      else this.accountsByHolder.set(a.holderPersonId, [a]);
    }
    this.lines = input.paymentLines;
    const n = this.lines.length;
    this.lineItem = new Array<AnomalyItem | undefined>(n);
    this.linePerson = new Array<AnomalyPerson | undefined>(n);
    this.lineAccount = new Array<AnomalyAccount | undefined>(n);
    for (let i = 0; i < n; i++) {
      const line = this.lines[i];
      if (!line) continue;
      this.lineItem[i] = this.items.get(line.itemCode);
      this.linePerson[i] = this.persons.get(line.beneficiaryPersonId);
      this.lineAccount[i] = this.findAccount(line.accountNumber, line.bankName);
      if (line.villageCode && !this.householdVillage.has(line.householdId)) this.householdVillage.set(line.householdId, line.villageCode);
    }
  }

  findAccount(number: string, bankName: string): AnomalyAccount | undefined {
    const same = this.accountsByNumber.get(number);
    if (!same) return undefined;
    for (const a of same) if (a.bankName === bankName) return a;
    return undefined;
  }

  line(i: number): AnomalyPaymentLine {
    const line = this.lines[i];
    if (!line) throw new RangeError(`no payment line ${i}`);
    return line;
  }

  /** Persons on file by household (context persons included). */
  membersOf(householdId: string): readonly AnomalyPerson[] {
    if (!this.members) {
      this.members = new Map();
      for (const p of this.persons.values()) {
        const list = this.members.get(p.householdId);
        if (list) list.push(p);
        else this.members.set(p.householdId, [p]);
      }
    }
    return this.members.get(householdId) ?? [];
  }

  /**
   * The household a line's money belongs to: for a household item the line's
   * own household, for a personal item the beneficiary's household on the
   * roster (else the line's column).
   */
  householdOfLine(i: number): string {
    const line = this.line(i);
    if (this.lineItem[i]?.unit === 'household') return line.householdId;
    return this.linePerson[i]?.householdId ?? line.householdId;
  }

  villageOfHousehold(householdId: string): string | undefined {
    return this.householdVillage.get(householdId);
  }

  villageOfLine(i: number): string | undefined {
    const line = this.line(i);
    return line.villageCode ?? this.householdVillage.get(line.householdId);
  }

  /**
   * The entitlement a line belongs to: the household for household items
   * (the head may change, the household's entitlement does not), the
   * beneficiary for personal items.
   */
  unitKey(i: number, item: AnomalyItem): string {
    const line = this.line(i);
    return item.unit === 'household' ? line.householdId : line.beneficiaryPersonId;
  }

  /** Lines by the account (on file) they were paid into. */
  linesByAccount(): ReadonlyMap<AnomalyAccount, readonly number[]> {
    if (!this.byAccount) {
      const map = new Map<AnomalyAccount, number[]>();
      for (let i = 0; i < this.lines.length; i++) {
        const a = this.lineAccount[i];
        if (!a) continue;
        const list = map.get(a);
        if (list) list.push(i);
        else map.set(a, [i]);
      }
      this.byAccount = map;
    }
    return this.byAccount;
  }

  /** Lines of items on file, by item and then by entitlement (see unitKey). */
  linesByEntitlement(): ReadonlyMap<AnomalyItem, ReadonlyMap<string, readonly number[]>> {
    if (!this.byEntitlement) {
      const map = new Map<AnomalyItem, Map<string, number[]>>();
      for (let i = 0; i < this.lines.length; i++) {
        const item = this.lineItem[i];
        if (!item) continue;
        let byUnit = map.get(item);
        if (!byUnit) map.set(item, (byUnit = new Map<string, number[]>()));
        const key = this.unitKey(i, item);
        const list = byUnit.get(key);
        if (list) list.push(i);
        else byUnit.set(key, [i]);
      }
      this.byEntitlement = map;
    }
    return this.byEntitlement;
  }

  /**
   * A value derived from `key` (e.g. an entitlement's line list), computed
   * once per scan: over-standard and short-or-missing-periods both need the
   * per-period totals of every entitlement.
   */
  memo<T>(key: object, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = compute();
    this.memos.set(key, value);
    return value;
  }

  /** Parsed period label, cached (a county has a few dozen distinct labels). */
  period(label: string): PeriodInfo | null {
    let info = this.periods.get(label);
    if (info === undefined) {
      info = parsePeriod(label);
      this.periods.set(label, info);
    }
    return info;
  }

  // -------------------------------------------------------------------------
  // Chinese text

  personLabel(personId: string): string {
    const name = this.persons.get(personId)?.name;
    return name ? `${name}（${maskCitizenId(personId)}）` : `身份证号 ${maskCitizenId(personId)}`;
  }

  householdLabel(householdId: string): string {
    const head = this.households.get(householdId)?.headPersonId;
    const name = head === undefined ? undefined : this.persons.get(head)?.name;
    return name ? `户 ${householdId}（户主 ${name}）` : `户 ${householdId}`;
  }

  /** Whose entitlement a line group is, for the text: the household or the person. */
  entitlementLabel(item: AnomalyItem, unitKey: string): string {
    return item.unit === 'household' ? this.householdLabel(unitKey) : this.personLabel(unitKey);
  }

  itemName(code: string): string {
    return this.items.get(code)?.name ?? `项目 ${code}`;
  }

  regionName(code12: string): string {
    return this.regionNames.get(code12) ?? code12;
  }

  // -------------------------------------------------------------------------
  // Findings

  finding(spec: FindingSpec): Finding {
    const lineIdx = [...spec.lines];
    const householdIds = sortedUnique(spec.householdIds);
    const villages = new Set<string>(spec.villageCodes ?? []);
    for (const h of householdIds) {
      const v = this.villageOfHousehold(h);
      if (v) villages.add(v);
    }
    for (const i of lineIdx) {
      const v = this.villageOfLine(i);
      if (v) villages.add(v);
    }
    const accounts = [...(spec.accounts ?? [])].sort(compareAccounts);
    return {
      id: findingId(spec.rule, spec.key),
      rule: spec.rule,
      problemCode: spec.problemCode,
      title: spec.title,
      detail: spec.detail,
      villageCodes: sortedUnique(villages),
      householdIds,
      personIds: sortedUnique(spec.personIds),
      accountNumbers: sortedUnique(spec.accountNumbers),
      itemCodes: sortedUnique(spec.itemCodes),
      amountFen: spec.amountFen,
      evidence: {
        paymentLineIds: sortedUnique(lineIdx.map((i) => this.line(i).id)),
        accounts,
        missingPeriods: sortedUnique(spec.missingPeriods ?? []),
      },
    };
  }

  /** True when the finding touches the scanned area (or no area was given). */
  inScope(f: Finding): boolean {
    const area = this.options.areaPrefix;
    return area === undefined || f.villageCodes.some((v) => isWithinArea(v, area));
  }
}

// ---------------------------------------------------------------------------
// Helpers shared by the rules

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compare);
}

export function sumAmounts(ctx: AnomalyContext, lineIdx: Iterable<number>): number {
  let total = 0;
  for (const i of lineIdx) total += ctx.line(i).amountFen;
  return total;
}

/** '2020-03、2020-04' for a few labels, '2020-01 至 2021-12 共24期' for many. */
export function describePeriods(labels: Iterable<string>): string {
  const sorted = sortedUnique(labels);
  if (sorted.length <= 4) return sorted.join('、');
  return `${sorted[0] ?? ''} 至 ${sorted[sorted.length - 1] ?? ''} 共${sorted.length}期`;
}

export function compareAccounts(a: AccountRef, b: AccountRef): number {
  return compare(a.number, b.number) || compare(a.bankName, b.bankName);
}

/** The distinct accounts (number + bank) some lines were paid into, sorted. */
export function uniqueAccounts(lines: Iterable<{ accountNumber: string; bankName: string }>): AccountRef[] {
  const seen = new Map<string, AccountRef>();
  for (const l of lines) seen.set(`${l.accountNumber}\u001f${l.bankName}`, { number: l.accountNumber, bankName: l.bankName });
  return [...seen.values()].sort(compareAccounts);
}

export function accountLabel(a: AccountRef): string {
  return `${a.bankName} ${maskAccount(a.number)}`;
}

/** The lines grouped by item code, as '城乡居民基础养老金 2021-04 至 2021-09 共6期 690.00 元'. */
export function describeLinesByItem(ctx: AnomalyContext, lineIdx: readonly number[]): string {
  const byItem = new Map<string, number[]>();
  for (const i of lineIdx) {
    const code = ctx.line(i).itemCode;
    const list = byItem.get(code);
    if (list) list.push(i);
    else byItem.set(code, [i]);
  }
  return [...byItem.keys()]
    .sort(compare)
    .map((code) => {
      const idx = byItem.get(code) ?? [];
      return `${ctx.itemName(code)} ${describePeriods(idx.map((i) => ctx.line(i).period))} ${formatYuan(sumAmounts(ctx, idx))}`;
    })
    .join('；');
}

export interface PeriodTotal {
  period: PeriodInfo;
  amountFen: number;
  lines: number[];
}

/**
 * One entitlement's lines summed per period, in period order. Labels that do
 * not match the item's period (a quarter label on a monthly item) cannot be
 * compared with the standard and are left out; one-off items take any label.
 */
export function periodTotals(ctx: AnomalyContext, item: AnomalyItem, lineIdx: readonly number[]): readonly PeriodTotal[] {
  return ctx.memo(lineIdx, () => computePeriodTotals(ctx, item, lineIdx));
}

function computePeriodTotals(ctx: AnomalyContext, item: AnomalyItem, lineIdx: readonly number[]): PeriodTotal[] {
  const byLabel = new Map<string, PeriodTotal>();
  for (const i of lineIdx) {
    const line = ctx.line(i);
    let total = byLabel.get(line.period);
    if (!total) {
      const period = ctx.period(line.period);
      if (!period || (item.period !== 'once' && period.granularity !== item.period)) continue;
      byLabel.set(line.period, (total = { period, amountFen: 0, lines: [] }));
    }
    total.amountFen += line.amountFen;
    total.lines.push(i);
  }
  return [...byLabel.values()].sort((a, b) => a.period.first - b.period.first);
}

/** Whether the person is 18 or older on `date` (minors' money legitimately goes to a guardian). */
export function isAdultOn(person: AnomalyPerson, date: string): boolean {
  const year = Number(person.birthDate.slice(0, 4));
  return `${String(year + 18).padStart(4, '0')}${person.birthDate.slice(4)}` <= date;
}

function daysInMonth(monthIdx: number): number {
  const year = Math.floor(monthIdx / 12);
  const month = monthIdx % 12; // 0-based
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** The last day of month index `monthIdx`, 'YYYY-MM-DD'. */
export function monthEndDate(monthIdx: number): string {
  return `${monthLabel(monthIdx)}-${String(daysInMonth(monthIdx)).padStart(2, '0')}`;
}

function parsePeriod(label: string): PeriodInfo | null {
  const months = periodMonths(label);
  if (!months) return null;
  const granularity: PeriodGranularity = label.includes('-Q') ? 'quarter' : label.includes('-H') ? 'half-year' : label.length === 4 ? 'year' : 'month';
  return {
    label,
    granularity,
    first: months.first,
    last: months.last,
    startDate: `${monthLabel(months.first)}-01`,
    endDate: monthEndDate(months.last),
  };
}
