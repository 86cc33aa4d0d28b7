/**
 * The roster import as seen over the wire: the upload answer, the status of
 * one run (progress, counts, the first problems) and the list of recent runs.
 * The admin screen parses every answer with these schemas; the server
 * declares them as its response schemas.
 */
import * as z from 'zod/mini';

/** The six kinds of roster data a file or a worksheet holds, in the order they must be imported. */
export const ROSTER_DATA_KINDS = ['regions', 'subsidy-items', 'households', 'persons', 'accounts', 'payment-lines'] as const;
export type RosterDataKind = (typeof ROSTER_DATA_KINDS)[number];

/** A run's kind: one data kind, or 'workbook' for a workbook holding several. */
export const IMPORT_RUN_KINDS = [...ROSTER_DATA_KINDS, 'workbook'] as const;
export const ImportRunKindSchema = z.enum(IMPORT_RUN_KINDS);
export type ImportRunKind = z.infer<typeof ImportRunKindSchema>;

/** 'queued' exists only while the server holds the run in memory; the stored record starts at 'running'. */
export const ImportRunStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed']);
export type ImportRunStatus = z.infer<typeof ImportRunStatusSchema>;

export const ImportSeveritySchema = z.enum(['error', 'warning']);
export type ImportSeverity = z.infer<typeof ImportSeveritySchema>;

/**
 * One problem of an import. `row` is the row number as Excel shows it (the
 * header is row 1); null for a problem with the whole file. `column` is the
 * header as written in the file.
 */
export const ImportProblemSchema = z.object({
  file: z.string(),
  sheet: z.nullable(z.string()),
  row: z.nullable(z.int()),
  column: z.nullable(z.string()),
  value: z.nullable(z.string()),
  reason: z.string(),
  severity: ImportSeveritySchema,
});
export type ImportProblem = z.infer<typeof ImportProblemSchema>;

/** Rows of one kind read from one CSV file or one worksheet. */
export const ImportPartSummarySchema = z.object({
  sheet: z.nullable(z.string()),
  kind: z.enum(ROSTER_DATA_KINDS),
  /** Data rows read (blank rows not counted). */
  rows: z.int(),
  inserted: z.int(),
  updated: z.int(),
  /** Identical to what was already stored: not written again. */
  unchanged: z.int(),
  /** Skipped because of an error. */
  errors: z.int(),
  /** Imported with a warning. */
  warnings: z.int(),
});
export type ImportPartSummary = z.infer<typeof ImportPartSummarySchema>;

export const ImportCountsSchema = z.object({
  /** Rows imported without any problem. */
  ok: z.int(),
  /** Rows imported with at least one warning. */
  warning: z.int(),
  /** Rows skipped because of an error. */
  error: z.int(),
});
export type ImportCounts = z.infer<typeof ImportCountsSchema>;

export const ImportProgressSchema = z.object({
  bytesRead: z.number(),
  bytesTotal: z.number(),
  rows: z.int(),
});
export type ImportProgress = z.infer<typeof ImportProgressSchema>;

const IsoInstant = z.iso.datetime({ offset: true });

export const ImportRunSchema = z.object({
  id: z.uuid(),
  fileName: z.string(),
  kind: z.nullable(ImportRunKindSchema),
  status: ImportRunStatusSchema,
  sha256: z.nullable(z.string()),
  /** Display name of the admin who uploaded it; null for a command-line import. */
  userName: z.nullable(z.string()),
  startedAt: IsoInstant,
  finishedAt: z.nullable(IsoInstant),
  progress: ImportProgressSchema,
  counts: ImportCountsSchema,
  /** Why the whole file was refused (nothing was changed); null otherwise. */
  fileError: z.nullable(z.string()),
  parts: z.array(ImportPartSummarySchema),
  /** Exact number of problems, even when the stored list is capped. */
  problemCount: z.int(),
  /** The first problems (the full list is in the CSV report). */
  problems: z.array(ImportProblemSchema),
});
export type ImportRun = z.infer<typeof ImportRunSchema>;

/** A run in the list of recent runs: no problems, no parts. */
export const ImportRunListItemSchema = z.omit(ImportRunSchema, { problems: true, parts: true, progress: true });
export type ImportRunListItem = z.infer<typeof ImportRunListItemSchema>;

export const ImportRunListSchema = z.object({ runs: z.array(ImportRunListItemSchema) });

/** One import run per uploaded file, queued in upload order (the server reorders by dependency). */
export const ImportUploadResponseSchema = z.object({
  imports: z.array(z.object({ id: z.uuid(), fileName: z.string() })),
});
export type ImportUploadResponse = z.infer<typeof ImportUploadResponseSchema>;
