/**
 * Streams the worksheets of an XLSX workbook with exceljs's streaming
 * reader: rows are parsed one at a time and never held as a whole sheet.
 * (exceljs spills worksheets to temporary files when Excel has written the
 * shared strings after them, and keeps the shared strings in memory.)
 *
 * Date-formatted cells arrive as dates because styles are read; numbers,
 * booleans and text as themselves; rich text, hyperlinks and formulas are
 * reduced to their text or result.
 */
import { createReadStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { RawCell } from './cells.ts';
import type { SheetRow } from './csv-reader.ts';
import { ImportFileError } from './problems.ts';
import { importText as t } from '#server/messages/import.zh-CN.ts';

export interface XlsxSheet {
  /** Position in the workbook, from 0. */
  index: number;
  name: string;
  /** Must be consumed (or abandoned) before the next sheet is requested. */
  rows: AsyncIterable<SheetRow>;
}

/** The parts of exceljs's streaming worksheet reader this module uses (its typings omit `name`). */
interface StreamedWorksheet extends AsyncIterable<{ number: number; values: unknown }> {
  name?: string;
}

export const UNREADABLE_XLSX = t.file.unreadableXlsx;

/** Reduces an exceljs cell value to a raw cell. */
export function toRawCell(value: unknown): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    const v = value as { richText?: { text?: unknown }[]; text?: unknown; result?: unknown; error?: unknown; formula?: unknown; sharedFormula?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((r) => (typeof r.text === 'string' ? r.text : '')).join('');
    if (v.formula !== undefined || v.sharedFormula !== undefined) return toRawCell(v.result);
    if (typeof v.error === 'string') return v.error;
    if (typeof v.text === 'string') return v.text;
    if (typeof v.text === 'object') return toRawCell(v.text);
  }
  return null;
}

export interface XlsxReadOptions {
  onBytes?: (n: number) => void;
  signal?: AbortSignal | undefined;
}

/** The worksheets of a workbook in file order, each with its rows (blank rows are not yielded). */
export async function* readXlsxSheets(path: string, opts: XlsxReadOptions = {}): AsyncGenerator<XlsxSheet, void, undefined> {
  const file = createReadStream(path, { highWaterMark: 256 * 1024, ...(opts.signal ? { signal: opts.signal } : {}) });
  const counted = new PassThrough({ highWaterMark: 256 * 1024 });
  file.on('data', (chunk) => opts.onBytes?.(chunk.length));
  file.on('error', (err) => counted.destroy(err));
  file.pipe(counted);

  const reader = new ExcelJS.stream.xlsx.WorkbookReader(counted, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let index = 0;
  try {
    for await (const ws of reader as AsyncIterable<StreamedWorksheet>) {
      const sheetIndex = index++;
      const name = ws.name ?? `Sheet${sheetIndex + 1}`;
      const read = { started: false };
      yield { index: sheetIndex, name, rows: sheetRows(ws, name, read) };
      // A sheet stored before the shared strings comes from a temp file exceljs deletes as soon as
      // we move on; if nobody began reading it, its stream would open after the delete (an uncaught
      // ENOENT, seen as a flaky failure). Such a sheet is read through, unused, first.
      if (!read.started) {
        for await (const _row of ws) {
          // skipped
        }
      }
    }
  } catch (err) {
    throw asFileError(err);
  } finally {
    file.destroy();
    counted.destroy();
  }
}

async function* sheetRows(ws: StreamedWorksheet, name: string, read: { started: boolean }): AsyncGenerator<SheetRow, void, undefined> {
  read.started = true;
  try {
    for await (const row of ws) {
      const values = Array.isArray(row.values) ? (row.values as unknown[]) : [];
      // exceljs rows are 1-based and sparse: index 0 is always empty.
      const cells: RawCell[] = [];
      for (let i = 1; i < values.length; i++) cells.push(toRawCell(values[i]));
      yield { row: row.number, cells };
    }
  } catch (err) {
    throw asFileError(err, name);
  }
}

function asFileError(err: unknown, sheet: string | null = null): unknown {
  if (err instanceof ImportFileError) return err;
  if (err instanceof Error && err.name === 'AbortError') return err;
  return new ImportFileError(UNREADABLE_XLSX, sheet);
}
