/**
 * The order households are walked in a village: by 组 (一组, 二组 … 十二组),
 * then by house number (2 before 10, 12-1 after 12). Roster group names are
 * Chinese numerals more often than digits, and a plain string sort would put
 * 十一组 before 二组.
 */

const DIGIT: Readonly<Record<string, number>> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** The value of a Chinese numeral up to 9,999 ('十二' → 12, '一百零五' → 105), or null. */
export function chineseNumeralValue(s: string): number | null {
  if (s === '') return null;
  let total = 0;
  let digit: number | null = null;
  for (const ch of s) {
    const d = DIGIT[ch];
    if (d !== undefined) {
      digit = d;
      continue;
    }
    const unit = ch === '十' ? 10 : ch === '百' ? 100 : ch === '千' ? 1000 : null;
    if (unit === null) return null;
    // '十二' starts with the unit: an implied one.
    total += (digit ?? 1) * unit;
    digit = null;
  }
  return total + (digit ?? 0);
}

const LEADING_NUMBER_RE = /^\s*(?:第)?([0-9０-９]+|[零〇一二两三四五六七八九十百千]+)/u;

/** The number a group name or house number starts with ('三组' → 3, '12-1' → 12, '第十组' → 10), or null. */
export function leadingNumber(s: string): number | null {
  const m = LEADING_NUMBER_RE.exec(s);
  const raw = m?.[1];
  if (raw === undefined) return null;
  if (/^[0-9０-９]+$/u.test(raw)) return Number(raw.replace(/[０-９]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
  return chineseNumeralValue(raw);
}

const collator = new Intl.Collator('zh-CN', { numeric: true });

function byLeadingNumber(a: string, b: string): number {
  const na = leadingNumber(a);
  const nb = leadingNumber(b);
  if (na !== null && nb !== null && na !== nb) return na - nb;
  // Numbered before unnumbered ('一组' before '河东组'), then the collator.
  if (na !== null && nb === null) return -1;
  if (na === null && nb !== null) return 1;
  return collator.compare(a, b);
}

export function compareGroupNames(a: string, b: string): number {
  return byLeadingNumber(a, b);
}

export function compareHouseNumbers(a: string, b: string): number {
  return byLeadingNumber(a, b);
}

/** Sorts households for display: village code, then 组, then house number. */
export function compareHouseholds(a: { villageCode: string; groupName: string; houseNumber: string }, b: { villageCode: string; groupName: string; houseNumber: string }): number {
  if (a.villageCode !== b.villageCode) return a.villageCode < b.villageCode ? -1 : 1;
  return compareGroupNames(a.groupName, b.groupName) || compareHouseNumbers(a.houseNumber, b.houseNumber);
}
