import type { ImportProblem, ImportSeverity } from '#shared/schemas/roster-import.ts';
import { cellDisplay, type RawCell } from './cells.ts';
import { KIND_SPECS } from './columns.ts';
import type { HeaderMap } from './headers.ts';

/**
 * One data row being parsed and checked: reads cells by field, and collects
 * the row's problems, each naming the column as written in the file.
 */
export class RowCursor {
  readonly problems: ImportProblem[] = [];
  hasError = false;

  constructor(
    readonly file: string,
    readonly sheet: string | null,
    readonly header: HeaderMap,
    readonly row: number,
    readonly cells: readonly RawCell[],
  ) {}

  /** The raw cell of a field; null when the column is absent or the cell empty. */
  raw(field: string): RawCell {
    const i = this.header.fieldIndex.get(field);
    return i === undefined ? null : (this.cells[i] ?? null);
  }

  has(field: string): boolean {
    return this.header.fieldIndex.has(field);
  }

  /** The header as written; for a column the file lacks, the template's header, so the admin knows what to add. */
  column(field: string): string | null {
    const i = this.header.fieldIndex.get(field);
    if (i !== undefined) return this.header.texts[i] ?? null;
    return KIND_SPECS[this.header.kind].columns.find((c) => c.field === field)?.zh ?? null;
  }

  report(severity: ImportSeverity, field: string | null, reason: string, value?: string | null): void {
    if (severity === 'error') this.hasError = true;
    this.problems.push({
      file: this.file,
      sheet: this.sheet,
      row: this.row,
      column: field === null ? null : this.column(field),
      value: value !== undefined ? value : field === null ? null : cellDisplay(this.raw(field)),
      reason,
      severity,
    });
  }

  error(field: string | null, reason: string, value?: string | null): void {
    this.report('error', field, reason, value);
  }

  warn(field: string | null, reason: string, value?: string | null): void {
    this.report('warning', field, reason, value);
  }
}
