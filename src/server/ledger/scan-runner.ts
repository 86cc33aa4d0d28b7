/**
 * Anomaly scans into the ledger, in the background (issue 13, item 4).
 *
 * A scan walks its area one township at a time (area-scan.ts): what a
 * township's rules find is written to the ledger with the scan's progress,
 * in one transaction per township, and its rows are let go. Memory is one
 * township's, whatever the size of the area.
 *
 * Scans run one at a time, in request order (PGlite runs one transaction at
 * a time anyway); a request for an area already queued (or running, unless
 * an import brought new data) answers with that scan. A scan stopped by a
 * restart is marked failed at the next start; what it had written stays,
 * and a rescan links to it.
 */
import { appendAudit } from '#server/db/audit-repository.ts';
import { inTransaction, type Database } from '#server/db/client.ts';
import { recordFinding } from '#server/db/ledger-repository.ts';
import { failUnfinishedScans, findScan, finishScan, insertScan, scanProgress, startScan, type ScanCounts, type ScanRow } from '#server/db/scan-repository.ts';
import { apiText } from '#server/messages/api.zh-CN.ts';
import { privacyKeys } from '#server/privacy/keys.ts';
import { regionPrefix } from '#shared/domain/region-code.ts';
import { areaScan } from './area-scan.ts';
import { findingEntry } from './ledger-service.ts';

export interface ScanRequester {
  userId: string | null;
  username: string | null;
  /** Where the request came from (the audit log's address). */
  ip: string | null;
}

/** Runs one queued scan to its end, township by township (area-scan.ts); returns its counts. */
export async function runScan(database: Database, scanId: string, who: ScanRequester, signal?: AbortSignal): Promise<ScanCounts> {
  const scan = await findScan(database.db, scanId);
  if (!scan) throw new Error(`no scan ${scanId}`);
  const keys = await privacyKeys(database.db);
  const area = await areaScan(database, regionPrefix(scan.areaCode));
  await startScan(database.db, scan.id, area.units.length);
  const counts: ScanCounts = { findings: 0, created: 0, linked: 0, known: 0 };
  let done = 0;
  for await (const { findings } of area.each()) {
    if (signal?.aborted) throw new Error('scan stopped');
    done += 1;
    // What a township found goes on the ledger with the scan's progress, in one transaction.
    await inTransaction(database.db, async (tx) => {
      for (const f of findings) {
        const entry = findingEntry(keys, f);
        if (entry === null) continue;
        counts.findings += 1;
        counts[await recordFinding(tx, entry, { userId: who.userId, username: who.username })] += 1;
      }
      await scanProgress(tx, scan.id, done, counts);
    });
  }
  await inTransaction(database.db, async (tx) => {
    await finishScan(tx, scan.id, 'done');
    await appendAudit(tx, {
      userId: who.userId,
      username: who.username,
      action: 'ledger.scan',
      targetType: 'scan',
      targetId: scan.id,
      areaCode: scan.areaCode,
      ip: who.ip,
      details: { trigger: scan.trigger, units: area.units.length, ...counts },
    });
  });
  return counts;
}

export interface ScanRunnerOptions {
  onError: (err: unknown, scanId: string) => void;
}

export class ScanRunner {
  private tail: Promise<void> = Promise.resolve();
  private requests: Promise<void> = Promise.resolve();
  /** Area code → the newest scan of it queued or running in this process. */
  private readonly active = new Map<string, string>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly database: Database,
    private readonly opts: ScanRunnerOptions,
  ) {}

  /** Marks scans a previous process left unfinished as failed. Call once at start-up. */
  async recover(): Promise<number> {
    return failUnfinishedScans(this.database.db, apiText.ledger.scanInterrupted);
  }

  /**
   * Queues a scan of `areaCode` after every earlier one. A scan of the area
   * still queued is answered instead of a second one; so is one running,
   * unless new data came in (an import) after it started.
   */
  request(areaCode: string, trigger: 'manual' | 'import', who: ScanRequester): Promise<ScanRow> {
    // One request at a time, so two at once cannot both find no scan and queue two.
    const answer = this.requests.then(() => this.queue(areaCode, trigger, who));
    this.requests = answer.then(
      () => undefined,
      () => undefined,
    );
    return answer;
  }

  private async queue(areaCode: string, trigger: 'manual' | 'import', who: ScanRequester): Promise<ScanRow> {
    const latest = this.active.get(areaCode);
    if (latest !== undefined) {
      const row = await findScan(this.database.db, latest);
      if (row && (row.status === 'queued' || (row.status === 'running' && trigger === 'manual'))) return row;
    }
    const row = await insertScan(this.database.db, { areaCode, trigger, userId: who.userId, username: who.username });
    this.active.set(areaCode, row.id);
    this.tail = this.tail.then(() => this.run(row, who));
    return row;
  }

  private async run(row: ScanRow, who: ScanRequester): Promise<void> {
    try {
      await runScan(this.database, row.id, who, this.stopping.signal);
    } catch (err) {
      this.opts.onError(err, row.id);
      const message = this.stopping.signal.aborted ? apiText.ledger.scanInterrupted : apiText.ledger.scanFailed;
      await finishScan(this.database.db, row.id, 'failed', message).catch((e: unknown) => {
        this.opts.onError(e, row.id);
      });
    } finally {
      if (this.active.get(row.areaCode) === row.id) this.active.delete(row.areaCode);
    }
  }

  /** Resolves when every scan queued so far has ended (tests, shutdown). */
  idle(): Promise<void> {
    return this.tail;
  }

  /** Stops after the township under way; the scan is marked failed (interrupted). */
  async close(): Promise<void> {
    this.stopping.abort();
    await this.tail;
  }
}
