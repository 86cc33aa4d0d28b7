/**
 * Display masks for personal information (PIPL; domain.md §8). Lists,
 * search results and anything printed or exported for people without a
 * need to see the full value use these. They never throw: a malformed or
 * empty value on a roster must still render.
 *
 * Values too short for the standard pattern are malformed; rather than
 * reveal most of them, only the last quarter (at most the usual tail) is
 * shown.
 */
import { normalizeCitizenId } from './citizen-id.ts';
import { validatePhone } from './phone.ts';
import { compactDigits, stripWhitespace, toHalfWidth } from './normalize.ts';

type Ends = { start: string; hidden: number; end: string };

/** Splits `chars` into a visible start, a hidden count and a visible end. */
function keepEnds(chars: readonly string[], head: number, tail: number): Ends {
  const n = chars.length;
  if (n > head + tail) {
    return { start: chars.slice(0, head).join(''), hidden: n - head - tail, end: chars.slice(n - tail).join('') };
  }
  const shown = Math.min(tail, Math.floor(n / 4));
  return { start: '', hidden: n - shown, end: chars.slice(n - shown).join('') };
}

function maskMiddle(value: string, head: number, tail: number): string {
  const { start, hidden, end } = keepEnds(Array.from(value), head, tail);
  return start + '*'.repeat(hidden) + end;
}

/** '421321199001011234' → '4213**********1234' (first 4, last 4, length kept). */
export function maskCitizenId(id: string): string {
  return maskMiddle(normalizeCitizenId(id), 4, 4);
}

/**
 * '6217000000001234567' → '6217 **** **** 4567'. Cards and passbooks alike:
 * first 4 and last 4 digits around two fixed groups, so the display does not
 * reveal the length either. Spaces and dashes in the input are ignored.
 */
export function maskAccount(accountNumber: string): string {
  const value = compactDigits(accountNumber);
  if (value === '') return '';
  const { start, end } = keepEnds(Array.from(value), 4, 4);
  return `${start.padEnd(4, '*')} **** **** ${end.padStart(4, '*')}`;
}

/** Separators inside names (少数民族 names such as 阿卜杜拉·艾买提) stay visible. */
const NAME_SEPARATOR_RE = /^[·•・.\s]$/u;

/**
 * '张三明' → '张*明', '张三' → '张*', '欧阳小明' → '欧**明': the first
 * character, and the last for names of three or more. A one-character value
 * is fully masked.
 */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  const n = chars.length;
  if (n === 0) return '';
  if (n === 1) return '*';
  const first = chars[0] ?? '';
  if (n === 2) return `${first}*`;
  const middle = chars
    .slice(1, -1)
    .map((ch) => (NAME_SEPARATOR_RE.test(ch) ? ch : '*'))
    .join('');
  return first + middle + (chars[n - 1] ?? '');
}

/**
 * '13812345678' → '138****5678'; landline '0722-1234567' → '0722-***4567'
 * (area code kept, extension dropped); '无' or empty → ''. Input is read the
 * way {@link validatePhone} reads it, so '+86 138 1234 5678' masks the same.
 */
export function maskPhone(phone: string): string {
  const parsed = validatePhone(phone);
  if (parsed.ok) {
    if (parsed.kind === 'none') return '';
    if (parsed.kind === 'mobile') return maskMiddle(parsed.value, 3, 4);
    const [area = '', number = ''] = parsed.value.split('-');
    return `${area}-${maskMiddle(number, 0, 4)}`;
  }
  // Unparseable: still mask it (3 + stars + 4, or less for short values).
  const value = stripWhitespace(toHalfWidth(phone));
  return maskMiddle(value, 3, 4);
}
