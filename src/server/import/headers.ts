/**
 * Finds the header row of a sheet and maps its columns to fields.
 *
 * County spreadsheets often carry a title row ("随县2021年低保发放明细表")
 * or two above the header, so the header is the first of the first few
 * non-blank rows that names every required column of a kind. The kind comes
 * from the worksheet name when it names one ('人员'), else from the header:
 * the kind whose required columns are all present and that recognises the
 * most columns.
 */
import { cellText, type RawCell } from './cells.ts';
import { columnForHeader, isIgnoredHeader, KIND_SPECS, ROSTER_DATA_KINDS, type ColumnSpec, type RosterDataKind } from './columns.ts';
import { importText as t } from '#server/messages/import.zh-CN.ts';

/** How many non-blank rows from the top may be searched for the header. */
export const HEADER_SEARCH_ROWS = 10;

export interface HeaderMap {
  kind: RosterDataKind;
  /** Row number of the header. */
  row: number;
  /** Header text as written, by cell index. */
  texts: string[];
  /** Cell index of each field present. */
  fieldIndex: Map<string, number>;
  /** Headers that are neither a column of the kind nor a known ignorable column. */
  unknown: string[];
}

export type HeaderMatch =
  | { ok: true; header: HeaderMap }
  | {
      ok: false;
      /** The kind the rows resemble most, null when nothing was recognised. */
      kind: RosterDataKind | null;
      reason: string;
    };

interface Candidate {
  kind: RosterDataKind;
  row: number;
  texts: string[];
  matched: Map<string, number>;
  duplicates: [string, string][];
  missing: ColumnSpec[];
  unknown: string[];
}

function evaluate(kind: RosterDataKind, row: number, cells: readonly RawCell[]): Candidate {
  const texts = cells.map((c) => cellText(c));
  const matched = new Map<string, number>();
  const duplicates: [string, string][] = [];
  const unknown: string[] = [];
  texts.forEach((text, i) => {
    if (text === '') return;
    const col = columnForHeader(kind, text);
    if (!col) {
      if (!isIgnoredHeader(kind, text)) unknown.push(text);
      return;
    }
    const earlier = matched.get(col.field);
    if (earlier !== undefined) duplicates.push([texts[earlier] ?? '', text]);
    else matched.set(col.field, i);
  });
  const missing = KIND_SPECS[kind].columns.filter((c) => c.required && !matched.has(c.field));
  return { kind, row, texts, matched, duplicates, missing, unknown };
}

const complete = (c: Candidate) => c.missing.length === 0 && c.duplicates.length === 0;

/**
 * Looks for the header among `rows` (the first non-blank rows of a sheet).
 * `forcedKind` comes from the worksheet name.
 */
export function matchHeader(rows: readonly { row: number; cells: readonly RawCell[] }[], forcedKind?: RosterDataKind): HeaderMatch {
  const kinds = forcedKind ? [forcedKind] : ROSTER_DATA_KINDS;
  let best: Candidate | null = null;
  for (const { row, cells } of rows.slice(0, HEADER_SEARCH_ROWS)) {
    const candidates = kinds.map((k) => evaluate(k, row, cells));
    const found = candidates.filter(complete).sort((a, b) => b.matched.size - a.matched.size)[0];
    if (found) {
      return { ok: true, header: { kind: found.kind, row: found.row, texts: found.texts, fieldIndex: found.matched, unknown: found.unknown } };
    }
    for (const c of candidates) if (c.matched.size > 0 && (best === null || c.matched.size > best.matched.size)) best = c;
  }
  if (best === null) {
    const seen = rows[0]?.cells.map((c) => cellText(c)).filter((t) => t !== '') ?? [];
    const what = forcedKind ? t.header.kindTable(KIND_SPECS[forcedKind].label) : t.header.anyKind;
    return {
      ok: false,
      kind: forcedKind ?? null,
      reason: t.header.notFound(HEADER_SEARCH_ROWS, what, seen.slice(0, 8)),
    };
  }
  const label = KIND_SPECS[best.kind].label;
  const parts: string[] = [];
  if (best.missing.length > 0) parts.push(t.header.missing(best.missing.map((c) => c.zh)));
  for (const [a, b] of best.duplicates) parts.push(t.header.sameColumn(a, b));
  if (best.unknown.length > 0) parts.push(t.header.unknown(best.unknown));
  return { ok: false, kind: best.kind, reason: t.header.almost(best.row, label, parts) };
}
