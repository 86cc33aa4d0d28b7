/**
 * The public disclosure of a village (公示, issue 15, item 6). A village's
 * figures are read once and kept for a few minutes (an LRU cache of
 * villages, lru-cache): a notice link shared in a village group is opened by
 * hundreds of phones within minutes, and each should not cost a scan of the
 * village's payment lines. Concurrent first requests share one read.
 */
import { LRUCache } from 'lru-cache';
import { maskName } from '#shared/domain/mask.ts';
import type { Disclosure, DisclosureRow, PaymentRun } from '#shared/schemas/disclosure.ts';
import type { Db } from '#server/db/client.ts';
import { findVillage, policyItems, villagePayments, type VillagePlace, type VillagePayment } from '#server/db/disclosure-repository.ts';

/** How long a village's figures are served before they are read again. */
export const DISCLOSURE_TTL_MS = 10 * 60_000;

interface VillageFigures {
  place: VillagePlace;
  items: Awaited<ReturnType<typeof policyItems>>;
  years: string[];
  rows: Map<string, DisclosureRow[]>;
  generatedAt: string;
}

/** The period after this one, of the same kind: 2021-12 → 2022-01, 2021-Q4 → 2022-Q1, 2021-H2 → 2022-H1, 2021 → 2022. */
export function nextPeriod(period: string): string {
  const year = Number(period.slice(0, 4));
  const m = /^\d{4}-(\d{2})$/.exec(period);
  if (m) {
    const month = Number(m[1]);
    return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  }
  const q = /^\d{4}-([QH])([1-4])$/.exec(period);
  if (q) {
    const last = q[1] === 'Q' ? 4 : 2;
    const n = Number(q[2]);
    return n === last ? `${year + 1}-${q[1]}1` : `${year}-${q[1]}${n + 1}`;
  }
  return String(year + 1);
}

/** Consecutive periods paid the same amount, as one run. */
export function paymentRuns(payments: readonly { period: string; amountFen: number }[]): PaymentRun[] {
  const runs: PaymentRun[] = [];
  for (const p of payments) {
    const last = runs.at(-1);
    if (last && last.amountFen === p.amountFen && nextPeriod(last.to) === p.period) {
      last.to = p.period;
      last.periods += 1;
    } else {
      runs.push({ from: p.period, to: p.period, periods: 1, amountFen: p.amountFen });
    }
  }
  return runs;
}

function rowsByYear(payments: readonly VillagePayment[]): Map<string, DisclosureRow[]> {
  const byYear = new Map<string, DisclosureRow[]>();
  let i = 0;
  while (i < payments.length) {
    const first = payments[i] as VillagePayment;
    const year = first.period.slice(0, 4);
    let j = i;
    while (j < payments.length) {
      const p = payments[j] as VillagePayment;
      if (p.personId !== first.personId || p.itemCode !== first.itemCode || p.period.slice(0, 4) !== year) break;
      j++;
    }
    const group = payments.slice(i, j);
    const rows = byYear.get(year) ?? [];
    rows.push({
      name: first.name === null ? '*' : maskName(first.name),
      groupName: first.groupName,
      itemCode: first.itemCode,
      runs: paymentRuns(group),
      totalFen: group.reduce((s, p) => s + p.amountFen, 0),
    });
    byYear.set(year, rows);
    i = j;
  }
  return byYear;
}

export class DisclosureService {
  private readonly cache: LRUCache<string, VillageFigures | false>;

  constructor(
    private readonly db: Db,
    opts: { ttlMs?: number; villages?: number } = {},
  ) {
    this.cache = new LRUCache<string, VillageFigures | false>({
      max: opts.villages ?? 500,
      ttl: opts.ttlMs ?? DISCLOSURE_TTL_MS,
      // A miss reads the village once; requests arriving meanwhile wait for the same read.
      fetchMethod: async (code) => this.read(code),
    });
  }

  private async read(code: string): Promise<VillageFigures | false> {
    const place = await findVillage(this.db, code);
    if (!place) return false;
    const [items, payments] = await Promise.all([policyItems(this.db), villagePayments(this.db, code)]);
    const rows = rowsByYear(payments);
    return { place, items, years: [...rows.keys()].sort().reverse(), rows, generatedAt: new Date().toISOString() };
  }

  /** Whether a village's figures are being served from the cache (for the response header). */
  cached(code: string): boolean {
    return this.cache.has(code);
  }

  /** The village's disclosure for a year (the newest with payments when none is asked), or undefined for no such village. */
  async village(code: string, year?: string): Promise<Disclosure | undefined> {
    const figures = await this.cache.fetch(code);
    if (!figures) return undefined;
    const shown = year ?? figures.years[0] ?? null;
    const rows = shown === null ? [] : (figures.rows.get(shown) ?? []);
    const perItem = new Map<string, { beneficiaries: number; amountFen: number }>();
    for (const r of rows) {
      const t = perItem.get(r.itemCode) ?? { beneficiaries: 0, amountFen: 0 };
      t.beneficiaries += 1;
      t.amountFen += r.totalFen;
      perItem.set(r.itemCode, t);
    }
    return {
      village: figures.place,
      year: shown,
      years: figures.years,
      items: figures.items.map((it) => ({ ...it, beneficiaries: perItem.get(it.code)?.beneficiaries ?? 0, amountFen: perItem.get(it.code)?.amountFen ?? 0 })),
      rows,
      totalFen: rows.reduce((s, r) => s + r.totalFen, 0),
      generatedAt: figures.generatedAt,
    };
  }
}
