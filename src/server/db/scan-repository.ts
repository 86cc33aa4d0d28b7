/** Anomaly scans (anomaly_scans): one row per scan, its progress while it runs and its record after. */
import { desc, eq, inArray, sql } from 'drizzle-orm';
import type { LedgerScan } from '#shared/schemas/ledger.ts';
import type { Db } from './client.ts';
import { anomalyScans } from './schema/index.ts';

export type ScanRow = typeof anomalyScans.$inferSelect;

export interface ScanCounts {
  findings: number;
  created: number;
  linked: number;
  known: number;
}

export async function insertScan(db: Db, s: { areaCode: string; trigger: 'manual' | 'import'; userId: string | null; username: string | null }): Promise<ScanRow> {
  const [row] = await db.insert(anomalyScans).values(s).returning();
  if (!row) throw new Error('insert into anomaly_scans returned no row');
  return row;
}

export async function findScan(db: Db, id: string): Promise<ScanRow | null> {
  const [row] = await db.select().from(anomalyScans).where(eq(anomalyScans.id, id));
  return row ?? null;
}

/** The newest scan of any of these areas (a user's area and the areas around it). */
export async function latestScanOf(db: Db, areaCodes: readonly string[]): Promise<ScanRow | null> {
  const [row] = await db.select().from(anomalyScans).where(inArray(anomalyScans.areaCode, [...areaCodes])).orderBy(desc(anomalyScans.queuedAt)).limit(1);
  return row ?? null;
}

export async function startScan(db: Db, id: string, unitsTotal: number): Promise<void> {
  await db.update(anomalyScans).set({ status: 'running', unitsTotal, startedAt: sql`now()` }).where(eq(anomalyScans.id, id));
}

export async function scanProgress(db: Db, id: string, unitsDone: number, counts: ScanCounts): Promise<void> {
  await db
    .update(anomalyScans)
    .set({ unitsDone, ...counts })
    .where(eq(anomalyScans.id, id));
}

export async function finishScan(db: Db, id: string, status: 'done' | 'failed', error: string | null = null): Promise<void> {
  await db.update(anomalyScans).set({ status, error, finishedAt: sql`now()` }).where(eq(anomalyScans.id, id));
}

/** Scans a stopped process left queued or running: they will not go on, say so. */
export async function failUnfinishedScans(db: Db, error: string): Promise<number> {
  const rows = await db
    .update(anomalyScans)
    .set({ status: 'failed', error, finishedAt: sql`now()` })
    .where(inArray(anomalyScans.status, ['queued', 'running']))
    .returning({ id: anomalyScans.id });
  return rows.length;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export function toLedgerScan(r: ScanRow): LedgerScan {
  return {
    id: r.id,
    areaCode: r.areaCode,
    trigger: r.trigger,
    status: r.status,
    username: r.username,
    unitsTotal: r.unitsTotal,
    unitsDone: r.unitsDone,
    findings: r.findings,
    created: r.created,
    linked: r.linked,
    known: r.known,
    error: r.error,
    queuedAt: r.queuedAt.toISOString(),
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
  };
}
