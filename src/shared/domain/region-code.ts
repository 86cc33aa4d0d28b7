/**
 * 12-digit statistical division codes (统计用区划代码):
 *
 *   PP CC DD TTT VVV
 *   │  │  │  │   └ village / community (村、居委会)
 *   │  │  │  └ township / town / street (乡、镇、街道)
 *   │  │  └ county (县、区、县级市)           ┐
 *   │  └ city (地级市、州、盟)                ├ GB/T 2260, 6 digits
 *   └ province (省、自治区、直辖市)           ┘
 *
 * The level is read from the trailing zeros only. Some prefecture-level
 * cities have no county level (东莞 4419, 中山 4420, 儋州 4604, 嘉峪关 6202),
 * so their townships look like 441900003000: county digits '00' under a
 * township. Requiring the parts to nest strictly would reject real codes.
 *
 * Area scoping (which records a user or device may hold) compares
 * significant prefixes: a county user with area '421321' sees every code
 * starting with '421321'.
 */
import { stripWhitespace, toHalfWidth } from './normalize.ts';

export type RegionLevel = 'province' | 'city' | 'county' | 'township' | 'village';

/** Significant digits of a code at each level. */
export const REGION_PREFIX_LENGTH: Readonly<Record<RegionLevel, number>> = {
  province: 2,
  city: 4,
  county: 6,
  township: 9,
  village: 12,
};

/** Province codes run 11–82; anything starting 0 or 9 is not a division. */
const CODE12_RE = /^[1-8]\d{11}$/;
const PREFIX_LENGTHS: readonly number[] = [2, 4, 6, 9, 12];

/**
 * The level of a 12-digit code, or null when it is not a 12-digit code
 * with a plausible province (first digit 1–8).
 */
export function regionLevel(code12: string): RegionLevel | null {
  if (!CODE12_RE.test(code12)) return null;
  if (code12.endsWith('0000000000')) return 'province';
  if (code12.endsWith('00000000')) return 'city';
  if (code12.endsWith('000000')) return 'county';
  if (code12.endsWith('000')) return 'township';
  return 'village';
}

/**
 * The significant prefix of a 12-digit code (2, 4, 6, 9 or 12 digits), used
 * as the area key for scoping. Throws a RangeError on an invalid code rather
 * than returning '' or the input: an empty or wrong prefix used as a scope
 * would silently widen or narrow what a user can see.
 */
export function regionPrefix(code12: string): string {
  const level = regionLevel(code12);
  if (level === null) {
    throw new RangeError(`regionPrefix expects a 12-digit region code, got ${JSON.stringify(code12)}`);
  }
  return code12.slice(0, REGION_PREFIX_LENGTH[level]);
}

/**
 * Pads a 2/4/6/9/12-digit code with zeros to 12 digits ('421321' →
 * '421321000000'). Full-width digits and spaces are tolerated. Returns null
 * for anything else, including a first digit outside 1–8.
 */
export function toRegionCode12(code: string): string | null {
  const s = stripWhitespace(toHalfWidth(code));
  if (!/^\d+$/.test(s) || !PREFIX_LENGTHS.includes(s.length)) return null;
  const code12 = s.padEnd(12, '0');
  return CODE12_RE.test(code12) ? code12 : null;
}

/**
 * Whether `code12` lies inside the area given by `areaPrefix` (a 2/4/6/9/12-
 * digit prefix; a full 12-digit area code such as '421321000000' is reduced
 * to its significant prefix first). Fails closed: an empty, malformed or
 * odd-length prefix matches nothing, so a missing area on a user record can
 * never mean "everywhere". Shorter codes ('421321') are accepted for
 * `code12` too and padded.
 */
export function isWithinArea(code12: string, areaPrefix: string): boolean {
  const code = toRegionCode12(code12);
  if (code === null) return false;
  const area = normalizeAreaPrefix(areaPrefix);
  if (area === null) return false;
  return code.startsWith(area);
}

/**
 * The canonical area prefix for an area given as a prefix or as a 12-digit
 * code: '421321' → '421321', '421321000000' → '421321', '4213211012' → null.
 */
export function normalizeAreaPrefix(area: string): string | null {
  const s = stripWhitespace(toHalfWidth(area));
  if (s.length === 12) return regionLevel(s) === null ? null : regionPrefix(s);
  if (!PREFIX_LENGTHS.includes(s.length) || !/^[1-8]\d*$/.test(s)) return null;
  return s;
}

/**
 * The code of the enclosing division one level up ('421321101200' →
 * '421321101000'), or null for a province or an invalid code. For the
 * county-less cities this skips straight from township to city.
 */
export function parentRegionCode(code12: string): string | null {
  const level = regionLevel(code12);
  if (level === null || level === 'province') return null;
  const keep = { city: 2, county: 4, township: 6, village: 9 }[level];
  return code12.slice(0, keep).padEnd(12, '0');
}

export type RegionCodeResult = { ok: true; code: string; level: RegionLevel } | { ok: false; message: string };

/**
 * Validates a region code as typed by an administrator. Accepts the full 12
 * digits or a 2/4/6/9-digit prefix, and returns the padded 12-digit code.
 */
export function validateRegionCode(raw: string): RegionCodeResult {
  const s = stripWhitespace(toHalfWidth(raw));
  if (s === '') return { ok: false, message: '请输入行政区划代码' };
  if (!/^\d+$/.test(s)) return { ok: false, message: '行政区划代码只能包含数字' };
  if (!PREFIX_LENGTHS.includes(s.length)) {
    return { ok: false, message: `行政区划代码应为12位（也可填2、4、6、9位前缀），当前为 ${s.length} 位` };
  }
  const code = toRegionCode12(s);
  const level = code === null ? null : regionLevel(code);
  if (code === null || level === null) return { ok: false, message: '行政区划代码首位应为1-8' };
  return { ok: true, code, level };
}

/**
 * The half-open range of 12-digit codes inside an area prefix, for an index
 * range scan (`code >= lo and code < hi`) that works under any collation,
 * unlike `LIKE prefix%`. `hi` is null when the prefix is all nines.
 */
export function areaCodeRange(areaPrefix: string): { lo: string; hi: string | null } {
  if (!/^\d{2,12}$/.test(areaPrefix)) throw new RangeError(`invalid area prefix: ${areaPrefix}`);
  const next = (BigInt(areaPrefix) + 1n).toString().padStart(areaPrefix.length, '0');
  return { lo: areaPrefix, hi: next.length > areaPrefix.length ? null : next };
}
