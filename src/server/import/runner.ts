/**
 * Background imports for the upload route: uploads are answered at once and
 * imported one at a time, in upload order (two imports running together
 * would contend for the same rows, and PGlite runs one transaction at a
 * time anyway). While a run is queued or running its progress, counts and
 * first problems live here; once finished, the stored record is the truth.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { ImportCounts, ImportRunKind } from '#shared/schemas/roster-import.ts';
import type { Db } from '#server/db/client.ts';
import { kindRank } from './columns.ts';
import type { ImportProgressState } from './importer.ts';
import { PlanError, type FilePlan } from './plan.ts';
import { ProblemLog } from './problems.ts';
import { planImport, runImport, type ImportOutcome } from './service.ts';

export interface UploadedFile {
  /** Temporary copy of the upload; deleted when its run ends. */
  path: string;
  fileName: string;
  sizeBytes: number;
  sha256: string;
}

export interface RunUser {
  id: string;
  displayName: string;
  areaCode: string;
  areaPrefix: string;
  /** The session that uploaded: lets its own status polls skip the database (see the route). */
  sessionId: string;
  username: string;
  /** Where the upload came from (the audit log's address). */
  ip: string;
}

export interface LiveRun {
  id: string;
  fileName: string;
  sha256: string;
  status: 'queued' | 'running';
  kind: ImportRunKind | null;
  startedAt: Date;
  user: RunUser;
  progress: ImportProgressState;
  counts: ImportCounts;
  log: ProblemLog;
}

export interface RunnerOptions {
  maxFileBytes: number;
  reportCap: number;
  onError: (err: unknown, run: LiveRun) => void;
  /** Told of each run's outcome once it is recorded (the audit log). */
  onFinished?: (run: LiveRun, outcome: ImportOutcome) => Promise<void>;
}

export class ImportRunner {
  private readonly live = new Map<string, LiveRun>();
  private tail: Promise<void> = Promise.resolve();
  private readonly stopping = new AbortController();

  constructor(
    private readonly db: Db,
    private readonly opts: RunnerOptions,
  ) {}

  /** Queues the files of one upload; they are imported after every earlier upload. */
  submit(files: readonly UploadedFile[], user: RunUser): LiveRun[] {
    const runs = files.map<LiveRun>((f) => ({
      id: randomUUID(),
      fileName: f.fileName,
      sha256: f.sha256,
      status: 'queued',
      kind: null,
      startedAt: new Date(),
      user,
      progress: { bytesRead: 0, bytesTotal: f.sizeBytes, rows: 0 },
      counts: { ok: 0, warning: 0, error: 0 },
      log: new ProblemLog(this.opts.reportCap),
    }));
    for (const r of runs) this.live.set(r.id, r);
    this.tail = this.tail.then(() => this.process(runs, files));
    return runs;
  }

  get(id: string): LiveRun | undefined {
    return this.live.get(id);
  }

  list(): LiveRun[] {
    return [...this.live.values()];
  }

  /**
   * Server shutdown: the running import is cancelled (its transaction rolls
   * back) and queued ones are recorded as not imported; resolves when all
   * records are written, before the database is closed.
   */
  async close(): Promise<void> {
    this.stopping.abort(new Error('server closing'));
    await this.tail;
  }

  private async process(runs: LiveRun[], files: readonly UploadedFile[]): Promise<void> {
    try {
      const planned: { run: LiveRun; file: UploadedFile; plan: FilePlan | PlanError }[] = [];
      for (const [i, file] of files.entries()) {
        const run = runs[i];
        if (!run) continue;
        const plan = await planImport(file.path, file.fileName, { maxFileBytes: this.opts.maxFileBytes });
        run.kind = plan instanceof PlanError ? plan.kindGuess : plan.kind;
        planned.push({ run, file, plan });
      }
      // Files of one upload go in dependency order: households before their persons.
      const rank = (p: FilePlan | PlanError) => (p instanceof PlanError ? -1 : Math.min(...p.parts.map((x) => kindRank(x.header.kind))));
      planned.sort((a, b) => rank(a.plan) - rank(b.plan));
      for (const { run, file, plan } of planned) {
        run.status = 'running';
        run.startedAt = new Date();
        try {
          const outcome = await runImport(this.db, file.path, file.fileName, plan, {
            id: run.id,
            sha256: file.sha256,
            user: { id: run.user.id, areaPrefix: run.user.areaPrefix },
            maxFileBytes: this.opts.maxFileBytes,
            progress: run.progress,
            counts: run.counts,
            log: run.log,
            signal: this.stopping.signal,
          });
          if (outcome.internalError !== undefined) this.opts.onError(outcome.internalError, run);
          await this.opts.onFinished?.(run, outcome);
        } catch (err) {
          // Recording the outcome itself failed (the database is gone): nothing more to do than say so.
          this.opts.onError(err, run);
        } finally {
          this.live.delete(run.id);
          await rm(file.path, { force: true });
        }
      }
    } catch (err) {
      for (const run of runs) this.opts.onError(err, run);
    } finally {
      for (const run of runs) this.live.delete(run.id);
      await Promise.all(files.map((f) => rm(f.path, { force: true })));
    }
  }
}
