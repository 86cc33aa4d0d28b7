/**
 * Planning an import file: its format (sniffed, not trusted from the name),
 * its sheets, the kind of data each holds and its header row, before any row
 * is read for real (importer.ts).
 */
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ImportRunKind } from '#shared/schemas/roster-import.ts';
import { isBlank } from './cells.ts';
import { KIND_SPECS, kindForSheetName, kindRank, type RosterDataKind } from './columns.ts';
import { readCsvRows, type SheetRow } from './csv-reader.ts';
import { HEADER_SEARCH_ROWS, matchHeader, type HeaderMap } from './headers.ts';
import { ImportFileError, type ImportProblem } from './problems.ts';
import { readXlsxSheets } from './xlsx-reader.ts';
import { formatBytes } from '#shared/domain/format-bytes.ts';
import { importText as t } from '#server/messages/import.zh-CN.ts';

/** 1 GiB: a county's full payment history as CSV is a few hundred MB. */
export const DEFAULT_MAX_FILE_BYTES = 1024 ** 3;

export type FileFormat = 'csv' | 'xlsx';

export interface PlannedPart {
  sheet: string | null;
  /** Worksheet position (0 for a CSV file). */
  sheetIndex: number;
  header: HeaderMap;
}

export interface FilePlan {
  path: string;
  fileName: string;
  sizeBytes: number;
  format: FileFormat;
  kind: ImportRunKind;
  /** In processing order (dependency order, then file order). */
  parts: PlannedPart[];
  /** For a workbook: which sheets each reading of the file processes. */
  passes: number[][];
  /** Found while planning: unknown columns, skipped sheets. */
  problems: ImportProblem[];
}

/** A failure before the file's kind was known carries the kind it most resembles, for the import record. */
export class PlanError extends ImportFileError {
  constructor(
    message: string,
    readonly kindGuess: ImportRunKind,
    sheet: string | null = null,
  ) {
    super(message, sheet);
    this.name = 'PlanError';
  }
}

/** A guess from the file name ('人员.csv', 'persons-2021.csv'), used only to label a failed run. */
function kindFromFileName(fileName: string): RosterDataKind | null {
  const base = fileName.replace(/\.[^.]*$/u, '');
  for (const kind of Object.keys(KIND_SPECS) as RosterDataKind[]) {
    if (KIND_SPECS[kind].sheetNames.some((n) => base.toLowerCase().includes(n.toLowerCase()))) return kind;
  }
  return null;
}

/** Names a text table may carry; anything else that is not a workbook (a .docx, a .pdf) is refused by name. */
const TEXT_EXTENSIONS: ReadonlySet<string> = new Set(['', '.csv', '.txt', '.tsv']);
const WORKBOOK_EXTENSIONS: ReadonlySet<string> = new Set(['', '.xlsx', '.xlsm']);

async function sniffFormat(path: string): Promise<FileFormat | 'xls'> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(8);
    const { bytesRead } = await fh.read(buf, 0, 8, 0);
    if (bytesRead >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04) return 'xlsx';
    if (bytesRead >= 4 && buf[0] === 0xd0 && buf[1] === 0xcf && buf[2] === 0x11 && buf[3] === 0xe0) return 'xls';
    return 'csv';
  } finally {
    await fh.close();
  }
}

async function firstRows(rows: AsyncIterable<SheetRow>): Promise<SheetRow[]> {
  const out: SheetRow[] = [];
  for await (const r of rows) {
    if (r.cells.every(isBlank)) continue;
    out.push(r);
    if (out.length >= HEADER_SEARCH_ROWS) break;
  }
  return out;
}

function unknownColumnProblems(fileName: string, sheet: string | null, header: HeaderMap): ImportProblem[] {
  return header.unknown.map((column) => ({
    file: fileName,
    sheet,
    row: header.row,
    column,
    value: null,
    reason: t.plan.unknownColumn(KIND_SPECS[header.kind].label),
    severity: 'warning' as const,
  }));
}

/**
 * Reads just enough of a file to know what it holds. Throws PlanError for a
 * file that cannot be imported at all; nothing is written before this.
 */
export async function planFile(path: string, fileName: string, opts: { maxFileBytes?: number } = {}): Promise<FilePlan> {
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const nameGuess = kindFromFileName(fileName);
  const { size } = await stat(path);
  const format = size === 0 ? 'csv' : await sniffFormat(path);
  // The record of a failed run needs a kind; 'workbook' stands for "not known".
  const guess: ImportRunKind = nameGuess ?? 'workbook';
  if (size === 0) throw new PlanError(t.plan.empty, guess);
  if (size > maxBytes) throw new PlanError(t.plan.tooLarge(formatBytes(size), formatBytes(maxBytes)), guess);
  if (format === 'xls') {
    throw new PlanError(t.plan.oldExcel, guess);
  }
  const ext = extname(fileName).toLowerCase();
  if ((format === 'csv' && !TEXT_EXTENSIONS.has(ext)) || (format === 'xlsx' && !WORKBOOK_EXTENSIONS.has(ext))) {
    throw new PlanError(t.plan.unsupported(ext), guess);
  }
  const problems: ImportProblem[] = [];

  if (format === 'csv') {
    const head = await firstRows(readCsvRows(path));
    if (head.length === 0) throw new PlanError(t.plan.noContent, guess);
    const match = matchHeader(head);
    if (!match.ok) throw new PlanError(match.reason, match.kind ?? guess);
    problems.push(...unknownColumnProblems(fileName, null, match.header));
    const part: PlannedPart = { sheet: null, sheetIndex: 0, header: match.header };
    return { path, fileName, sizeBytes: size, format, kind: match.header.kind, parts: [part], passes: [[0]], problems };
  }

  const found: PlannedPart[] = [];
  let sheets = 0;
  for await (const sheet of readXlsxSheets(path)) {
    sheets++;
    const named = kindForSheetName(sheet.name);
    const head = await firstRows(sheet.rows);
    if (head.length === 0) continue;
    const match = matchHeader(head, named);
    if (match.ok) {
      found.push({ sheet: sheet.name, sheetIndex: sheet.index, header: match.header });
      problems.push(...unknownColumnProblems(fileName, sheet.name, match.header));
    } else if (named !== undefined || match.kind !== null) {
      // Named like a roster sheet, or its header half-matches one: the admin
      // meant it to be imported, so importing the other sheets alone would
      // leave a hole nobody notices.
      throw new PlanError(t.plan.sheet(sheet.name, match.reason), named ?? match.kind ?? guess, sheet.name);
    } else {
      problems.push({
        file: fileName,
        sheet: sheet.name,
        row: null,
        column: null,
        value: null,
        reason: t.plan.sheetSkipped,
        severity: 'warning',
      });
    }
  }
  if (sheets === 0) throw new PlanError(t.plan.noSheets, guess);
  if (found.length === 0) throw new PlanError(t.plan.nothingToImport, guess);

  const ordered = [...found].sort((a, b) => kindRank(a.header.kind) - kindRank(b.header.kind) || a.sheetIndex - b.sheetIndex);
  // Each reading of the workbook handles sheets in file order, so the
  // dependency order splits into runs that also rise in file order.
  const passes: number[][] = [];
  let current: number[] = [];
  for (const p of ordered) {
    const last = current.at(-1);
    if (last !== undefined && p.sheetIndex < last) {
      passes.push(current);
      current = [];
    }
    current.push(p.sheetIndex);
  }
  if (current.length > 0) passes.push(current);
  const kinds = new Set(found.map((p) => p.header.kind));
  const kind: ImportRunKind = kinds.size === 1 ? (found[0]?.header.kind ?? 'workbook') : 'workbook';
  return { path, fileName, sizeBytes: size, format, kind, parts: ordered, passes, problems };
}
