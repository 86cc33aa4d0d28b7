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
    const what = forcedKind ? `${KIND_SPECS[forcedKind].label}表` : '任何一类名册（区划、补贴项目、户、人员、账户、发放明细）';
    return {
      ok: false,
      kind: forcedKind ?? null,
      reason: `找不到表头：前 ${HEADER_SEARCH_ROWS} 行中没有${what}的列名${seen.length > 0 ? `（第一行为：${seen.slice(0, 8).join('、')}）` : ''}；请使用模板中的列名`,
    };
  }
  const label = KIND_SPECS[best.kind].label;
  const parts: string[] = [];
  if (best.missing.length > 0) parts.push(`缺少必填列：${best.missing.map((c) => c.zh).join('、')}`);
  for (const [a, b] of best.duplicates) parts.push(`列“${a}”与“${b}”是同一列，只能保留一个`);
  if (best.unknown.length > 0) parts.push(`未识别的列：${best.unknown.join('、')}`);
  return { ok: false, kind: best.kind, reason: `第 ${best.row} 行看起来是${label}表的表头，但${parts.join('；')}` };
}
