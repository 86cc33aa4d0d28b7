/**
 * The roster importer: with a file's plan (plan.ts: format, sheets, kinds, headers), it
 * streams the rows in dependency order through parsing, duplicate and
 * referential checks, and batched upserts into a {@link RosterImportStore}.
 *
 * Memory does not grow with the file: rows are handled a batch at a time
 * and the only per-row state kept is the compact duplicate index
 * (key-index.ts) and at most `reportCap` problems.
 *
 * Referential checks ask the store, which runs inside the import's
 * transaction: a persons sheet sees the households written by the sheet
 * before it. That is why kinds are processed in dependency order — several
 * files of one upload by their kind, the sheets of one workbook by reading
 * it again when they are out of order (a workbook in template order is read
 * once after the plan).
 */
import type { ImportPartSummary } from '#shared/schemas/roster-import.ts';
import { isBlank } from './cells.ts';
import { readCsvRows, type SheetRow } from './csv-reader.ts';
import { KeyRowIndex } from './key-index.ts';
import type { ProblemLog } from './problems.ts';
import { RowCursor } from './row-cursor.ts';
import { reportGarbledCells } from './rows.ts';
import type { RosterImportStore } from './store.ts';
import { readXlsxSheets } from './xlsx-reader.ts';
import type { FilePlan, PlannedPart } from './plan.ts';
import { HANDLERS, type AnyHandler, type Ctx, type Pending } from './kind-handlers.ts';

export interface ImportProgressState {
  bytesRead: number;
  bytesTotal: number;
  rows: number;
}

export interface ImportOptions {
  store: RosterImportStore;
  importId: string;
  /** The admin's area prefix: rows outside it are errors. Null (command line) imports anywhere. */
  areaPrefix: string | null;
  log: ProblemLog;
  /** Updated as the file is read; the caller polls it. */
  progress?: ImportProgressState;
  signal?: AbortSignal | undefined;
  /** Rows per database round trip. */
  batchRows?: number;
  /** Counts to add to as rows are settled (lets a caller show them while the import runs). */
  counts?: ImportResult['counts'];
}

export interface ImportResult {
  parts: ImportPartSummary[];
  counts: { ok: number; warning: number; error: number };
}

/** Rows per round trip: large enough to amortise it, small enough for a quick transaction step. */
const DEFAULT_BATCH_ROWS = 2000;

class PartImporter {
  private batch: Pending<unknown>[] = [];
  private inFlight: Promise<void> = Promise.resolve();
  private readonly index = new KeyRowIndex();
  readonly summary: ImportPartSummary;

  constructor(
    private readonly plan: FilePlan,
    private readonly part: PlannedPart,
    private readonly opts: ImportOptions,
    private readonly ctx: Ctx,
    private readonly counts: ImportResult['counts'],
  ) {
    this.summary = { sheet: part.sheet, kind: part.header.kind, rows: 0, inserted: 0, updated: 0, unchanged: 0, errors: 0, warnings: 0 };
  }

  private get handler(): AnyHandler {
    return HANDLERS[this.part.header.kind];
  }

  async consume(rows: AsyncIterable<SheetRow>): Promise<void> {
    const batchRows = this.opts.batchRows ?? DEFAULT_BATCH_ROWS;
    const handler = this.handler;
    try {
      for await (const { row, cells } of rows) {
        if (row <= this.part.header.row || cells.every(isBlank)) continue;
        this.summary.rows++;
        if (this.opts.progress) this.opts.progress.rows++;
        const c = new RowCursor(this.plan.fileName, this.part.sheet, this.part.header, row, cells);
        reportGarbledCells(c);
        let value = c.hasError ? null : handler.parse(c);
        if (value !== null && !c.hasError) {
          const earlier = this.index.addOrGet(handler.key(value), row);
          if (earlier !== undefined) {
            c.error(c.has(handler.keyField) ? handler.keyField : null, handler.duplicateReason(earlier));
            value = null;
          }
        }
        this.batch.push({ c, value: c.hasError ? null : value });
        if (this.batch.length >= batchRows) {
          // The next batch is parsed while this one is checked and written;
          // the database still sees one batch at a time, in file order.
          await this.inFlight;
          const batch = this.batch;
          this.batch = [];
          this.inFlight = this.settle(batch);
          // Observed by the next await; avoids an unhandled rejection meanwhile.
          this.inFlight.catch(() => undefined);
        }
      }
      await this.inFlight;
      const last = this.batch;
      this.batch = [];
      await this.settle(last);
    } finally {
      // Never leave a write running past a failure: the caller rolls the
      // transaction back, and a statement arriving after the rollback would
      // run outside it.
      await this.inFlight.catch(() => undefined);
    }
  }

  private async settle(batch: Pending<unknown>[]): Promise<void> {
    if (batch.length === 0) return;
    if (this.opts.signal?.aborted) throw this.opts.signal.reason instanceof Error ? this.opts.signal.reason : new Error('import aborted');
    const handler = this.handler;
    const rows = await handler.check(batch, this.ctx);
    const writable: unknown[] = [];
    rows.forEach((r, i) => {
      if (r !== null && batch[i]?.c.hasError === false) writable.push(r);
    });
    const written = writable.length > 0 ? await handler.write(writable, this.ctx) : { inserted: 0, updated: 0 };
    this.summary.inserted += written.inserted;
    this.summary.updated += written.updated;
    this.summary.unchanged += writable.length - written.inserted - written.updated;
    for (const { c } of batch) {
      for (const p of c.problems) this.opts.log.add(p);
      if (c.hasError) {
        this.summary.errors++;
        this.counts.error++;
      } else if (c.problems.length > 0) {
        this.summary.warnings++;
        this.counts.warning++;
      } else {
        this.counts.ok++;
      }
    }
  }
}

/**
 * Imports a planned file through `opts.store`. The caller wraps the call in
 * one transaction: an ImportFileError thrown here (a file that turns out to
 * be broken half-way) must roll back everything written before it.
 */
export async function importPlannedFile(plan: FilePlan, opts: ImportOptions): Promise<ImportResult> {
  for (const p of plan.problems) opts.log.add(p);
  const ctx: Ctx = { store: opts.store, importId: opts.importId, areaPrefix: opts.areaPrefix, knownItems: new Set() };
  const counts = opts.counts ?? { ok: 0, warning: 0, error: 0 };
  const parts: ImportPartSummary[] = [];
  const progress = opts.progress;
  if (progress) {
    progress.bytesTotal = plan.sizeBytes * plan.passes.length;
    progress.bytesRead = 0;
  }
  const onBytes = (n: number) => {
    if (progress) progress.bytesRead += n;
  };

  if (plan.format === 'csv') {
    const part = plan.parts[0];
    if (!part) return { parts, counts };
    const importer = new PartImporter(plan, part, opts, ctx, counts);
    await importer.consume(readCsvRows(plan.path, { onBytes, signal: opts.signal }));
    return { parts: [importer.summary], counts };
  }

  const byIndex = new Map(plan.parts.map((p) => [p.sheetIndex, p]));
  for (const pass of plan.passes) {
    const wanted = new Set(pass);
    for await (const sheet of readXlsxSheets(plan.path, { onBytes, signal: opts.signal })) {
      const part = byIndex.get(sheet.index);
      if (!part || !wanted.has(sheet.index)) continue;
      const importer = new PartImporter(plan, part, opts, ctx, counts);
      await importer.consume(sheet.rows);
      parts.push(importer.summary);
      wanted.delete(sheet.index);
      // The rest of the workbook is for a later pass: stop reading it now.
      if (wanted.size === 0) break;
    }
  }
  // Report parts in processing order, which is how the plan lists them.
  const order = new Map(plan.parts.map((p, i) => [p.sheetIndex, i]));
  const sheetIndexOf = (s: ImportPartSummary) => plan.parts.find((p) => p.sheet === s.sheet)?.sheetIndex ?? 0;
  parts.sort((a, b) => (order.get(sheetIndexOf(a)) ?? 0) - (order.get(sheetIndexOf(b)) ?? 0));
  return { parts, counts };
}
