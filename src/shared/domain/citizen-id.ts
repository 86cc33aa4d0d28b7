/**
 * Resident citizen ID numbers (公民身份号码), GB 11643-1999.
 *
 * Layout of the 18 characters:
 *   0–5   address code (GB/T 2260 county where first registered)
 *   6–13  birth date YYYYMMDD
 *   14–16 sequence; the last of the three is odd for men, even for women
 *   17    check digit, 0–9 or X (X stands for 10)
 *
 * The address code is where the ID was first issued, not where the person
 * lives now, so it is only checked for plausibility (first digit 1–8), never
 * against the household's village.
 *
 * 15-digit IDs (issued before 1999) are rejected with a dedicated code: the
 * one-card platform and the banks key everything on the 18-digit form, and a
 * cadre can read the new number off the person's current card.
 */
import { stripWhitespace, toHalfWidth } from './normalize.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character indexed by (weighted sum mod 11). */
const CHECK_CHARS = '10X98765432';
const MIN_BIRTH_YEAR = 1900;

export type IdIssueCode = 'empty' | 'length' | 'chars' | 'region' | 'birth' | 'checksum' | 'old15';

export type IdIssue = { code: IdIssueCode; message: string };

export type CitizenIdValid = {
  ok: true;
  /** Normalized 18-character ID, trailing X upper-case. */
  id: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'M' | 'F';
  /** The 6-digit address code (GB/T 2260). */
  regionCode: string;
};

export type CitizenIdResult = CitizenIdValid | { ok: false; issue: IdIssue };

export type CitizenIdOptions = {
  /** The reference day for "birth date not in the future"; defaults to now. */
  today?: Date | undefined;
};

/**
 * Computes the check character for the first 17 digits of an ID.
 * Throws a RangeError if `first17` is not exactly 17 ASCII digits: callers
 * building IDs (fixtures, the 15→18 upgrade) must pass clean input.
 */
export function citizenIdCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError(`citizenIdCheckDigit expects 17 digits, got ${JSON.stringify(first17)}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += Number(first17.charAt(i)) * (WEIGHTS[i] ?? 0);
  }
  return CHECK_CHARS.charAt(sum % 11);
}

/**
 * Folds what a cadre might type or paste into the canonical form: full-width
 * digits and letters to ASCII, all whitespace (leading, trailing, between
 * groups) removed, a lower-case x made upper-case.
 */
export function normalizeCitizenId(raw: string): string {
  return stripWhitespace(toHalfWidth(raw)).toUpperCase();
}

/**
 * Converts a 15-digit ID to its 18-digit form the way the public security
 * bureaus did: insert the century '19' before the 2-digit birth year and
 * append the check digit. Throws a RangeError if the input (after
 * normalization) is not 15 digits.
 */
export function upgradeOld15Id(id15: string): string {
  const id = normalizeCitizenId(id15);
  if (!/^\d{15}$/.test(id)) {
    throw new RangeError(`upgradeOld15Id expects 15 digits, got ${JSON.stringify(id15)}`);
  }
  const first17 = `${id.slice(0, 6)}19${id.slice(6)}`;
  return first17 + citizenIdCheckDigit(first17);
}

/** Validates an ID as typed; see the module comment for the rules. */
export function validateCitizenId(raw: string, opts?: CitizenIdOptions): CitizenIdResult {
  const id = normalizeCitizenId(raw);
  const fail = (code: IdIssueCode, message: string): CitizenIdResult => ({ ok: false, issue: { code, message } });

  if (id === '') return fail('empty', '请输入身份证号');
  // Only digits, with an optional X as the very last character.
  if (!/^\d*X?$/.test(id)) return fail('chars', '身份证号只能包含数字，最后一位可以是 X');

  if (/^\d{15}$/.test(id)) {
    const upgraded = upgradeOld15Id(id);
    // Only suggest the 18-digit number when it is itself valid: a 15-digit
    // ID with a typo would otherwise produce a confident wrong suggestion.
    const suggestion = validateCitizenId(upgraded, opts).ok ? `，对应的18位号码为 ${upgraded}，请与现用身份证核对` : '，请改填现用的18位身份证号';
    return fail('old15', `这是15位旧身份证号，需升级为18位${suggestion}`);
  }
  if (id.length !== 18) return fail('length', `身份证号应为18位，当前为 ${id.length} 位`);

  const regionCode = id.slice(0, 6);
  if (!/^[1-8]/.test(regionCode)) return fail('region', `身份证号前6位地址码 ${regionCode} 无效（首位应为1-8）`);

  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (year < MIN_BIRTH_YEAR) return fail('birth', `身份证号中的出生年份 ${year} 早于1900年`);
  if (!isCalendarDate(year, month, day)) return fail('birth', `身份证号中的出生日期 ${birthDate} 不存在`);
  // ISO dates compare correctly as strings.
  if (birthDate > localIsoDate(opts?.today ?? new Date())) {
    return fail('birth', `身份证号中的出生日期 ${birthDate} 晚于今天`);
  }

  const expected = citizenIdCheckDigit(id.slice(0, 17));
  if (id.charAt(17) !== expected) return fail('checksum', `身份证号校验位错误，应为 ${expected}`);

  const sexDigit = Number(id.charAt(16));
  return { ok: true, id, birthDate, sex: sexDigit % 2 === 1 ? 'M' : 'F', regionCode };
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one; UTC avoids DST gaps.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/**
 * The calendar day of `d` on the device's clock. Birth dates are civil dates
 * with no time zone; comparing against the local day means a baby born today
 * in China is accepted on a phone set to China time.
 */
function localIsoDate(d: Date): string {
  const y = String(d.getFullYear()).padStart(4, '0');
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}
