/**
 * One import run from start to finish, shared by the HTTP route and the
 * command line: plan the file, record the run, import it in one
 * transaction, and store the outcome with its report.
 *
 * The run's record is written before the transaction and finished inside
 * it, so "succeeded" commits together with the rows; a failure rolls the
 * rows back and then marks the record failed, with the reason.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as z from 'zod/mini';
import { ImportPartSummarySchema, ImportProblemSchema, type ImportCounts, type ImportPartSummary, type ImportProblem, type ImportRunKind } from '#shared/schemas/roster-import.ts';
import type { Db } from '#server/db/client.ts';
import { finishImportRecord, inImportTransaction, insertImportRecord } from '#server/db/roster-import-repository.ts';
import { importPlannedFile, type ImportProgressState } from './importer.ts';
import { PlanError, planFile, type FilePlan } from './plan.ts';
import { DEFAULT_REPORT_CAP, ImportFileError, ProblemLog } from './problems.ts';
import { importText as t } from '#server/messages/import.zh-CN.ts';

/** What `roster_imports.report` holds. */
export const StoredReportSchema = z.object({
  version: z.literal(1),
  fileError: z.nullable(z.string()),
  parts: z.array(ImportPartSummarySchema),
  problemCount: z.int(),
  problems: z.array(ImportProblemSchema),
});
export type StoredReport = z.infer<typeof StoredReportSchema>;

export interface ImportUser {
  id: string;
  /** Rows outside this region-code prefix are refused. */
  areaPrefix: string;
}

export interface ImportRunOptions {
  /** The run's id; a new UUID when omitted. */
  id?: string;
  /** Hex SHA-256 of the file when the caller already has it (hashed while uploading). */
  sha256?: string;
  /** Null for the command line: no user, no area restriction unless `areaPrefix` is given. */
  user: ImportUser | null;
  areaPrefix?: string | null;
  maxFileBytes?: number;
  reportCap?: number;
  batchRows?: number;
  progress?: ImportProgressState;
  counts?: ImportCounts;
  signal?: AbortSignal | undefined;
  /** Collected problems, for showing them while the run is going. */
  log?: ProblemLog;
}

export interface ImportOutcome {
  id: string;
  fileName: string;
  kind: ImportRunKind;
  status: 'succeeded' | 'failed';
  counts: ImportCounts;
  parts: ImportPartSummary[];
  fileError: string | null;
  problemCount: number;
  /** The kept problems (at most the report cap). */
  problems: ImportProblem[];
  /** An unexpected error (a bug, the database gone): the run failed and this is why, for the logs. */
  internalError?: unknown;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Plans a file; a file that cannot be imported at all comes back as a PlanError rather than thrown. */
export async function planImport(path: string, fileName: string, opts: { maxFileBytes?: number } = {}): Promise<FilePlan | PlanError> {
  try {
    return await planFile(path, fileName, opts);
  } catch (err) {
    if (err instanceof PlanError) return err;
    if (err instanceof ImportFileError) return new PlanError(err.message, 'workbook', err.sheet);
    throw err;
  }
}

function fileProblem(fileName: string, err: ImportFileError): ImportProblem {
  return { file: fileName, sheet: err.sheet, row: null, column: null, value: null, reason: err.message, severity: 'error' };
}

function reportOf(fileError: string | null, parts: ImportPartSummary[], log: ProblemLog, first?: ImportProblem): StoredReport {
  const problems = first ? [first, ...log.kept].slice(0, Math.max(log.cap, 1)) : log.kept;
  return { version: 1, fileError, parts, problemCount: log.count + (first ? 1 : 0), problems };
}

/**
 * Imports one file: `plan` from {@link planImport}. Never throws for a bad
 * file; the outcome says what happened and the record holds it too.
 */
export async function runImport(db: Db, path: string, fileName: string, plan: FilePlan | PlanError, opts: ImportRunOptions): Promise<ImportOutcome> {
  const id = opts.id ?? randomUUID();
  const sha256 = opts.sha256 ?? (await sha256File(path));
  const log = opts.log ?? new ProblemLog(opts.reportCap ?? DEFAULT_REPORT_CAP);
  const counts = opts.counts ?? { ok: 0, warning: 0, error: 0 };
  const userId = opts.user?.id ?? null;
  const areaPrefix = opts.areaPrefix !== undefined ? opts.areaPrefix : (opts.user?.areaPrefix ?? null);

  if (plan instanceof PlanError) {
    const report = reportOf(plan.message, [], log, fileProblem(fileName, plan));
    await insertImportRecord(db, { id, kind: plan.kindGuess, fileName, sha256, userId, status: 'failed', report });
    return { id, fileName, kind: plan.kindGuess, status: 'failed', counts: { ok: 0, warning: 0, error: 0 }, parts: [], fileError: plan.message, problemCount: report.problemCount, problems: report.problems };
  }

  await insertImportRecord(db, { id, kind: plan.kind, fileName, sha256, userId, status: 'running' });
  try {
    const result = await inImportTransaction(db, async (store, tx) => {
      const r = await importPlannedFile(plan, {
        store,
        importId: id,
        areaPrefix,
        log,
        counts,
        ...(opts.progress ? { progress: opts.progress } : {}),
        ...(opts.batchRows ? { batchRows: opts.batchRows } : {}),
        signal: opts.signal,
      });
      await finishImportRecord(tx, id, {
        status: 'succeeded',
        okCount: r.counts.ok,
        warningCount: r.counts.warning,
        errorCount: r.counts.error,
        report: reportOf(null, r.parts, log),
      });
      return r;
    });
    return { id, fileName, kind: plan.kind, status: 'succeeded', counts: result.counts, parts: result.parts, fileError: null, problemCount: log.count, problems: log.kept };
  } catch (err) {
    const aborted = opts.signal?.aborted === true;
    const message =
      err instanceof ImportFileError
        ? err.message
        : aborted
          ? t.file.cancelled
          : t.file.internal;
    const fileErr = err instanceof ImportFileError ? err : new ImportFileError(message);
    const report = reportOf(message, [], log, fileProblem(fileName, fileErr));
    try {
      await finishImportRecord(db, id, { status: 'failed', okCount: 0, warningCount: 0, errorCount: 0, report });
    } catch {
      // The report itself was refused: the run must still end, with the reason and no detail.
      await finishImportRecord(db, id, { status: 'failed', okCount: 0, warningCount: 0, errorCount: 0, report: reportOf(message, [], new ProblemLog(0)) });
    }
    return {
      id,
      fileName,
      kind: plan.kind,
      status: 'failed',
      counts: { ok: 0, warning: 0, error: 0 },
      parts: [],
      fileError: message,
      problemCount: report.problemCount,
      problems: report.problems,
      ...(err instanceof ImportFileError || aborted ? {} : { internalError: err }),
    };
  }
}

/** Reads a stored report back; an unreadable one (written by an older version) becomes empty. */
export function parseStoredReport(value: unknown): StoredReport {
  const parsed = StoredReportSchema.safeParse(value);
  return parsed.success ? parsed.data : { version: 1, fileError: null, parts: [], problemCount: 0, problems: [] };
}
