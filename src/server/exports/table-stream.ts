/**
 * A table streamed out as CSV (UTF-8 with BOM, so Excel keeps the Chinese)
 * or as XLSX (exceljs's streaming writer: each row is committed and
 * written out as it comes), page by page, so memory stays flat whatever the
 * size. Columns named in `textColumns` are written as text in XLSX, so
 * Excel never turns a masked ID or a house number into a number.
 */
import { PassThrough, Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { csvLine, UTF8_BOM } from '#server/import/csv-write.ts';

export type Cell = string | number | null;

export function csvStream(header: readonly string[], pages: AsyncIterable<Cell[][]>): Readable {
  async function* lines() {
    yield UTF8_BOM + csvLine(header);
    for await (const page of pages) {
      let chunk = '';
      for (const row of page) chunk += csvLine(row);
      yield chunk;
    }
  }
  return Readable.from(lines());
}

/**
 * Where a sheet's XML goes: exceljs writes it into a StreamBuf that hands each
 * full 64 KiB block to the zip entry without heeding write()'s answer, so on a
 * slow deflate the XML would pile up in the entry's buffer. Reached through
 * exceljs internals (a sheet's `stream` and its `pipes`); if they change
 * shape this finds nothing and only the response's drain paces the rows.
 */
function zipEntryOf(sheet: unknown): Writable[] {
  const pipes = (sheet as { stream?: { pipes?: unknown } }).stream?.pipes;
  return Array.isArray(pipes) ? pipes.filter((p): p is Writable => typeof (p as Partial<Writable>).once === 'function') : [];
}

/** archiver's streams come from an old readable-stream without `writableNeedDrain`: read its state instead. */
const needsDrain = (w: Writable) => (w.writableNeedDrain as boolean | undefined) ?? (w as { _writableState?: { needDrain?: boolean } })._writableState?.needDrain === true;

async function drained(streams: Writable[]) {
  for (const w of streams) if (needsDrain(w)) await new Promise((resolve) => w.once('drain', resolve));
}

export function xlsxStream(sheetName: string, header: readonly string[], pages: AsyncIterable<Cell[][]>, textColumns: ReadonlySet<number>): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = header.map((h, i) => ({ header: h, key: String(i), width: Math.max(8, h.length * 2 + 2), style: textColumns.has(i) ? { numFmt: '@' } : {} }));
  sheet.getRow(1).font = { bold: true };
  void (async () => {
    try {
      for await (const page of pages) {
        for (const row of page) sheet.addRow(row.map((c, i) => (c !== null && textColumns.has(i) ? String(c) : c))).commit();
        // Let the zip's deflate and then the response drain before the next page is read.
        await drained(zipEntryOf(sheet));
        await drained([out]);
      }
      sheet.commit();
      await wb.commit();
    } catch (err) {
      out.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  })();
  return out;
}
