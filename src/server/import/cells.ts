/**
 * Cell normalisation: what a county clerk's spreadsheet holds turned into
 * canonical values, each with a clear Chinese reason when it cannot be.
 *
 * A raw cell is what the readers produce: text from a CSV, or a string,
 * number, boolean or date from an XLSX cell. Text is folded to half-width
 * and trimmed (ideographic spaces included) before anything looks at it.
 */
import { storableText } from '#shared/domain/json-limits.ts';
import { toHalfWidth } from '#shared/domain/normalize.ts';
import { MAX_AMOUNT_FEN } from '#shared/schemas/roster.ts';
import { importText as t } from '#server/messages/import.zh-CN.ts';
import { FIRST_HALF, QUARTER_WORDS, YES_NO } from './vocabulary.ts';

export type RawCell = string | number | boolean | Date | null;

export type CellResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): CellResult<T> => ({ ok: true, value });
const fail = <T>(reason: string): CellResult<T> => ({ ok: false, reason });

/** Leading/trailing whitespace including NBSP, ideographic and zero-width spaces. */
const EDGE_SPACE_RE = /^[\s\u200B-\u200D\u2060\uFEFF]+|[\s\u200B-\u200D\u2060\uFEFF]+$/gu;

/** Characters toHalfWidth changes: tested first because most cells have none and folding walks every character. */
const FOLDABLE_RE = /[\uFF01-\uFF5E\u3000]/u;
const BLANK_RE = /^[\s\u200B-\u200D\u2060\uFEFF]*$/u;

/** The cell as trimmed half-width text; '' for an empty cell. Dates become YYYY-MM-DD. */
export function cellText(raw: RawCell): string {
  if (raw === null) return '';
  if (typeof raw === 'string') return (FOLDABLE_RE.test(raw) ? toHalfWidth(raw) : raw).replace(EDGE_SPACE_RE, '');
  if (typeof raw === 'number') return Number.isFinite(raw) ? String(raw) : '';
  if (typeof raw === 'boolean') return raw ? 'TRUE' : 'FALSE';
  return Number.isNaN(raw.getTime()) ? '' : isoDateUtc(raw);
}

/** The cell as it appears to the user, for the report (not normalised). */
export function cellDisplay(raw: RawCell): string | null {
  if (raw === null) return null;
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : isoDateUtc(raw);
  // Shown and stored in the report: U+0000 as the visible ␀, an unpaired surrogate as U+FFFD.
  const s = storableText(String(raw));
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

export function isBlank(raw: RawCell): boolean {
  if (raw === null) return true;
  if (typeof raw === 'string') return BLANK_RE.test(raw);
  return cellText(raw) === '';
}

/** Text PostgreSQL cannot store (U+0000, an unpaired surrogate): the cell is an error, never a failed file. */
export function hasUnstorableChar(raw: RawCell): boolean {
  return typeof raw === 'string' && (raw.includes('\u0000') || !raw.isWellFormed());
}

/** U+FFFD: what a decoder writes for bytes that are not valid in the file's encoding. */
export function hasReplacementChar(raw: RawCell): boolean {
  return typeof raw === 'string' && raw.includes('\uFFFD');
}

function isoDateUtc(d: Date): string {
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/**
 * Long digit strings (IDs, card numbers) that Excel turned into numbers: the
 * digits beyond the 15th are gone, so the value cannot be repaired and the
 * user must re-enter the column as text.
 */
export function digitsCell(raw: RawCell, label: string): CellResult<string> {
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw) || raw < 0) return fail(t.cell.excelNumber(label));
    return ok(String(raw));
  }
  const text = cellText(raw);
  if (/^\d(?:\.\d+)?e\+\d+$/iu.test(text)) {
    return fail(t.cell.scientific(label, text));
  }
  return ok(text);
}

// ---------------------------------------------------------------------------
// Dates

const MIN_YEAR = 1900;
const MAX_YEAR = 2100;
/** Excel's 1900 date system: serial 1 is 1900-01-01 and serial 60 the non-existent 1900-02-29. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const MAX_SERIAL = 73050; // 2099-12-31

function calendarDate(y: number, m: number, d: number): string | null {
  if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1) return null;
  if (d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  return `${String(y)}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** An Excel date serial (1900 system) as YYYY-MM-DD, or null outside 1900–2099. */
export function excelSerialToDate(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > MAX_SERIAL) return null;
  const whole = Math.floor(serial);
  // Serials before 1900-03-01 are off by Excel's phantom 29 February.
  const days = whole < 61 ? whole + 1 : whole;
  if (whole === 60) return null;
  return isoDateUtc(new Date(EXCEL_EPOCH_MS + days * 86_400_000));
}

const DATE_RE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT].*)?$/u;

const DATE_HINT = t.cell.dateHint;

/**
 * A civil date from a date cell, an Excel serial (also when a CSV carries
 * the bare number of an unformatted date column), 2020-01-05, 2020/1/5,
 * 2020.1.5, 2020年1月5日 or 20200105. A time after the date is ignored.
 */
export function parseDate(raw: RawCell): CellResult<string> {
  if (raw instanceof Date) {
    if (Number.isNaN(raw.getTime())) return fail(DATE_HINT);
    const y = raw.getUTCFullYear();
    return y >= MIN_YEAR && y <= MAX_YEAR ? ok(isoDateUtc(raw)) : fail(t.cell.dateOutOfRange(isoDateUtc(raw), MIN_YEAR, MAX_YEAR));
  }
  if (typeof raw === 'number') {
    const d = excelSerialToDate(raw);
    return d === null ? fail(t.cell.notExcelDate(DATE_HINT, raw)) : ok(d);
  }
  const text = cellText(raw);
  const m = DATE_RE.exec(text);
  if (m) {
    const d = calendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return d === null ? fail(t.cell.noSuchDate(text)) : ok(d);
  }
  if (/^\d{8}$/u.test(text)) {
    const d = calendarDate(Number(text.slice(0, 4)), Number(text.slice(4, 6)), Number(text.slice(6, 8)));
    return d === null ? fail(t.cell.noSuchDate(text)) : ok(d);
  }
  if (/^\d{4}$/u.test(text) && Number(text) >= MIN_YEAR && Number(text) <= MAX_YEAR) {
    return fail(t.cell.yearOnly);
  }
  if (/^\d{1,5}(?:\.\d+)?$/u.test(text)) {
    const d = excelSerialToDate(Number(text));
    if (d !== null) return ok(d);
  }
  return fail(DATE_HINT);
}

// ---------------------------------------------------------------------------
// Money

const AMOUNT_HINT = t.cell.amountHint;

/**
 * An amount in yuan (元) with at most two decimals, as integer fen (分).
 * Negative amounts, text and a third decimal are refused rather than
 * rounded: a rounded amount would hide exactly the short payments the check
 * is looking for. `allowZero` for standards of variable items.
 */
export function parseYuanToFen(raw: RawCell, opts: { allowZero?: boolean } = {}): CellResult<number> {
  let fen: number;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return fail(AMOUNT_HINT);
    if (raw < 0) return fail(t.cell.amountNegative);
    const scaled = raw * 100;
    fen = Math.round(scaled);
    // A cell computed by a formula carries binary noise (0.1 + 0.2); more than
    // that is a real third decimal.
    if (Math.abs(scaled - fen) > 1e-6) return fail(t.cell.amountDecimals);
  } else {
    let text = cellText(raw).replace(/^[¥￥]\s*/u, '').replace(/\s*元$/u, '');
    if (/^\d{1,3}(?:,\d{3})+(?:\.\d*)?$/u.test(text)) text = text.replace(/,/gu, '');
    if (text === '') return fail(t.cell.amountRequired);
    if (/^-\s*\d/u.test(text)) return fail(t.cell.amountNegative);
    const m = /^(\d+)(?:\.(\d*))?$/u.exec(text);
    if (!m) return fail(AMOUNT_HINT);
    const decimals = m[2] ?? '';
    if (decimals.length > 2) {
      if (!/^0*$/u.test(decimals.slice(2))) return fail(t.cell.amountDecimals);
    }
    const whole = m[1] ?? '0';
    if (whole.length > 12) return fail(t.cell.amountTooLarge);
    fen = Number(whole) * 100 + Number(decimals.slice(0, 2).padEnd(2, '0'));
  }
  if (fen > MAX_AMOUNT_FEN) return fail(t.cell.amountOverMax);
  if (fen === 0 && opts.allowZero !== true) return fail(t.cell.amountZero);
  return ok(fen);
}

/** A non-negative decimal with at most two places (farmland in mu). */
export function parseDecimal2(raw: RawCell, max: number): CellResult<number> {
  const text = typeof raw === 'number' ? String(raw) : cellText(raw);
  const m = /^(\d+)(?:\.(\d+))?$/u.exec(text);
  if (!m) return fail(/^-/u.test(text) ? t.cell.negative : t.cell.decimalHint);
  const hundredths = Number(text) * 100;
  if (Math.abs(hundredths - Math.round(hundredths)) > 1e-6) return fail(t.cell.twoDecimals);
  const value = Math.round(hundredths) / 100;
  return value > max ? fail(t.cell.notAbove(max)) : ok(value);
}

/** A positive whole number (a payment's sequence number). */
export function parsePositiveInt(raw: RawCell, max: number): CellResult<number> {
  const text = typeof raw === 'number' ? String(raw) : cellText(raw);
  if (!/^\d+$/u.test(text) || Number(text) < 1 || Number(text) > max) return fail(t.cell.intRange(max));
  return ok(Number(text));
}

// ---------------------------------------------------------------------------
// Words

/**
 * One of a fixed set of values, written in any of the given words (compared
 * case-insensitively, spaces removed). The reason lists the words people
 * should use.
 */
export function parseChoice<T extends string>(raw: RawCell, words: ReadonlyMap<string, T>, shown: readonly string[]): CellResult<T> {
  const key = cellText(raw).replace(/\s+/gu, '').toLowerCase();
  const value = words.get(key);
  return value === undefined ? fail(t.cell.oneOf(shown)) : ok(value);
}

/** Builds a choice map from value → accepted words. */
export function choiceWords<T extends string>(entries: Readonly<Record<T, readonly string[]>>): Map<string, T> {
  const map = new Map<string, T>();
  for (const [value, words] of Object.entries(entries) as [T, readonly string[]][]) {
    map.set(value.toLowerCase(), value);
    for (const w of words) map.set(w.replace(/\s+/gu, '').toLowerCase(), value);
  }
  return map;
}

const YES_NO_WORDS = choiceWords(YES_NO.words);

export function parseYesNo(raw: RawCell): CellResult<boolean> {
  if (typeof raw === 'boolean') return ok(raw);
  const r = parseChoice(raw, YES_NO_WORDS, YES_NO.shown);
  return r.ok ? ok(r.value === 'yes') : r;
}

// ---------------------------------------------------------------------------
// Payment periods

const PERIOD_HINT = t.cell.periodHint;

/**
 * A period label ('2020-03', '2020-Q1', '2020-H1', '2020') from what the
 * platforms export: 2020年3月, 2020/3, 202003, 2020年第一季度, 2020年上半年,
 * 2020年, or a date cell (Excel turns '2020-03' into 2020-03-01 on its own).
 */
export function parsePeriod(raw: RawCell): CellResult<string> {
  if (raw instanceof Date) {
    if (Number.isNaN(raw.getTime())) return fail(PERIOD_HINT);
    return ok(`${raw.getUTCFullYear()}-${String(raw.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  const text = cellText(raw).replace(/\s+/gu, '').toUpperCase();
  const year = (y: string) => Number(y) >= MIN_YEAR && Number(y) <= MAX_YEAR;
  let m = /^(\d{4})(?:年)?$/u.exec(text);
  if (m?.[1] !== undefined && year(m[1])) return ok(m[1]);
  m = /^(\d{4})(?:[-/.年])(\d{1,2})月?$/u.exec(text) ?? /^(\d{4})(\d{2})$/u.exec(text);
  if (m?.[1] !== undefined && m[2] !== undefined && year(m[1])) {
    const month = Number(m[2]);
    if (month >= 1 && month <= 12) return ok(`${m[1]}-${String(month).padStart(2, '0')}`);
    return fail(t.cell.badMonth(PERIOD_HINT, m[2]));
  }
  m = /^(\d{4})(?:[-年]?(?:第)?)(?:Q([1-4])|([一二三四1-4])季度?)$/u.exec(text);
  if (m?.[1] !== undefined && year(m[1])) {
    const q = m[2] ?? QUARTER_WORDS[m[3] ?? ''];
    if (q !== undefined) return ok(`${m[1]}-Q${q}`);
  }
  m = /^(\d{4})(?:[-年]?)(?:H([12])|(上|下)半年)$/u.exec(text);
  if (m?.[1] !== undefined && year(m[1])) return ok(`${m[1]}-H${m[2] ?? (m[3] === FIRST_HALF ? '1' : '2')}`);
  return fail(PERIOD_HINT);
}
