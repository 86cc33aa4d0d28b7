/**
 * CSV for Excel: a UTF-8 byte-order mark (without it Excel on Chinese
 * Windows reads UTF-8 as GBK and shows mojibake), CRLF line ends, and
 * quoting where needed.
 */
import type { ImportProblem } from '#shared/schemas/roster-import.ts';
import { importText as t } from '#server/messages/import.zh-CN.ts';

export const UTF8_BOM = '\uFEFF';

/**
 * One CSV cell. A cell starting with = + - @ (or a tab/CR) would be run as a
 * formula by Excel; the report echoes what uploaded files contained, so such
 * cells are prefixed with an apostrophe (OWASP's CSV-injection advice).
 */
export function csvCell(value: string | number | null | undefined, opts: { guardFormula?: boolean } = {}): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (opts.guardFormula !== false && /^[=+\-@\t\r]/u.test(s)) s = `'${s}`;
  return /[",\r\n]/u.test(s) ? `"${s.replace(/"/gu, '""')}"` : s;
}

export function csvLine(cells: readonly (string | number | null | undefined)[], opts: { guardFormula?: boolean } = {}): string {
  return `${cells.map((c) => csvCell(c, opts)).join(',')}\r\n`;
}

export const REPORT_HEADER = t.report.header;

/** The whole report as a CSV document, BOM included. `omitted` problems beyond the stored cap are mentioned on a last line. */
export function reportCsv(problems: readonly ImportProblem[], omitted: number): string {
  let out = UTF8_BOM + csvLine(REPORT_HEADER);
  for (const p of problems) {
    out += csvLine([p.file, p.sheet, p.row, p.column, p.value, p.reason, p.severity === 'error' ? t.report.error : t.report.warning]);
  }
  if (omitted > 0) out += csvLine(['', '', '', '', '', t.report.omitted(omitted, problems.length), '']);
  return out;
}
