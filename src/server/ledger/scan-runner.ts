/**
 * Anomaly scans into the ledger, in the background (issue 13, item 4).
 *
 * A scan walks its area one township at a time (scanUnits): it loads that
 * township's roster and payment lines, runs the rules, writes what they
 * find to the ledger and its progress to the scan's row, in one
 * transaction per township, and lets the rows go. Memory is one township's,
 * whatever the size of the area. The one rule that looks across townships
 * (an account collecting for households elsewhere, C2/C3) gets the lines
 * paid into its township's accounts from the rest of the area up front
 * (crossUnitLines, one set-based join), so a township-by-township scan
 * finds exactly what a scan of the whole area at once finds.
 *
 * Scans run one at a time, in request order (PGlite runs one transaction at
 * a time anyway); a request for an area already queued (or running, unless
 * an import brought new data) answers with that scan. A scan stopped by a restart is marked failed at the next
 * start; what it had written stays, and a rescan links to it.
 */
import { runAnomalyChecks, type AnomalyAccount, type Finding } from '#shared/domain/anomalies/index.ts';
import { crossUnitLines, loadAnomalyInput, scanUnits } from '#server/db/anomaly-repository.ts';
import { appendAudit } from '#server/db/audit-repository.ts';
import { inTransaction, type Database } from '#server/db/client.ts';
import { recordFinding } from '#server/db/ledger-repository.ts';
import { failUnfinishedScans, findScan, finishScan, insertScan, scanProgress, startScan, type ScanCounts, type ScanRow } from '#server/db/scan-repository.ts';
import { apiText } from '#server/messages/api.zh-CN.ts';
import { privacyKeys } from '#server/privacy/keys.ts';
import { regionPrefix } from '#shared/domain/region-code.ts';
import { findingEntry } from './ledger-service.ts';

export interface ScanRequester {
  userId: string | null;
  username: string | null;
  /** Where the request came from (the audit log's address). */
  ip: string | null;
}

/** Runs one queued scan to its end, township by township; returns its counts. */
export async function runScan(database: Database, scanId: string, who: ScanRequester, signal?: AbortSignal): Promise<ScanCounts> {
  const scan = await findScan(database.db, scanId);
  if (!scan) throw new Error(`no scan ${scanId}`);
  const prefix = regionPrefix(scan.areaCode);
  const keys = await privacyKeys(database.db);
  const units = await scanUnits(database.db, prefix);
  await startScan(database.db, scan.id, units.length);
  const cross = await crossUnitLines(database.db, prefix);
  const counts: ScanCounts = { findings: 0, created: 0, linked: 0, known: 0 };
  let done = 0;
  for (const unit of units) {
    if (signal?.aborted) throw new Error('scan stopped');
    const input = await loadAnomalyInput(database, unit, cross.get(unit) ?? []);
    const found = runAnomalyChecks(input, { areaPrefix: unit });
    // A single unit records all it sees, as a scan of that area always did.
    const findings = units.length === 1 ? found : found.filter((f) => homeUnit(f, input.accounts, unit.length) === unit);
    done += 1;
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
      details: { trigger: scan.trigger, units: units.length, ...counts },
    });
  });
  return counts;
}

/**
 * The one unit whose scan records a finding: a case seen from several
 * townships (an account collecting across a border) is recorded by the
 * township that sees all of it. For an account, that is its holder's, which
 * crossUnitLines gave every line paid into it; for anything else, the
 * township of its first village (its data lies in one household's).
 */
function homeUnit(f: Finding, accounts: readonly AnomalyAccount[], unitLength: number): string {
  if (f.rule === 'account-for-other-households') {
    const ref = f.evidence.accounts[0];
    const account = ref && accounts.find((a) => a.number === ref.number && a.bankName === ref.bankName);
    if (account && account.villageCode) return account.villageCode.slice(0, unitLength);
  }
  return (f.villageCodes[0] ?? '').slice(0, unitLength);
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
