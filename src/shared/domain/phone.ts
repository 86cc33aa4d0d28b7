/**
 * Household contact phone numbers.
 *
 * Mobiles are 11 digits starting 13–19. Landlines are an area code plus a
 * 7–8 digit local number, optionally an extension. The area code is 3 digits
 * for 010 and 020–029 and 4 digits everywhere else (0722 随州, 0710 襄阳…),
 * which is what lets '07221234567' be split without a separator. Many rural
 * households have no phone at all; '无' is a valid answer, not an error.
 *
 * The canonical value is what gets stored and compared: bare 11 digits for a
 * mobile, 'AREA-NUMBER' or 'AREA-NUMBER-EXT' for a landline, '' for none.
 */
import { compactDigits, stripWhitespace, toHalfWidth, unifyDashes } from './normalize.ts';

export type PhoneKind = 'mobile' | 'landline' | 'none';

export type PhoneResult = { ok: true; kind: PhoneKind; value: string } | { ok: false; message: string };

/** Ways of writing "no phone" on a form, compared after lower-casing. */
const NONE_WORDS: ReadonlySet<string> = new Set(['', '无', '没有', '暂无', '无电话', 'none', '/', '-', '--']);

/** Extension markers: '0722-1234567转8001', '… ext 8001', '… x8001', '… #8001'. */
const EXTENSION_RE = /^(.*?)\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$/iu;

const fail = (message: string): PhoneResult => ({ ok: false, message });

export function validatePhone(raw: string): PhoneResult {
  const text = unifyDashes(toHalfWidth(raw)).trim();
  if (NONE_WORDS.has(stripWhitespace(text).toLowerCase())) return { ok: true, kind: 'none', value: '' };

  const compact = compactDigits(text).replace(/^(?:\+86|0086|86)(?=1\d{10}$)/u, '');
  if (/^1\d*$/u.test(compact)) return validateMobile(compact);
  return validateLandline(text);
}

function validateMobile(digits: string): PhoneResult {
  if (digits.length !== 11) return fail(`手机号应为11位，当前为 ${digits.length} 位`);
  if (!/^1[3-9]/u.test(digits)) return fail('手机号格式不正确，应以13–19开头');
  return { ok: true, kind: 'mobile', value: digits };
}

function validateLandline(text: string): PhoneResult {
  let main = text;
  let ext = '';
  const extMatch = EXTENSION_RE.exec(text);
  if (extMatch) {
    main = extMatch[1] ?? '';
    ext = extMatch[2] ?? '';
  }
  // '(0722)1234567' is the same as '0722-1234567'.
  main = main.replace(/^\(\s*(\d+)\s*\)/u, '$1-');
  const tokens = main.split(/[\s-]+/u).filter((t) => t !== '');
  if (tokens.length === 0 || !tokens.every((t) => /^\d+$/u.test(t))) {
    return fail('电话号码只能包含数字，请填写11位手机号或带区号的固定电话');
  }

  const first = tokens[0] ?? '';
  if (!first.startsWith('0')) {
    const digits = tokens.join('');
    if (digits.length === 7 || digits.length === 8) return fail('固定电话请加区号，例如 0722-1234567');
    return fail('请填写11位手机号或带区号的固定电话，例如 0722-1234567');
  }

  let area: string;
  let rest: string[];
  if (first.length <= 4) {
    area = first;
    rest = tokens.slice(1);
  } else {
    // Area code and number written together: split by the area-code rule.
    const areaLen = /^0[12]/u.test(first) ? 3 : 4;
    area = first.slice(0, areaLen);
    rest = [first.slice(areaLen), ...tokens.slice(1)];
  }

  // Local numbers are sometimes grouped ('027 8765 4321'): join groups until
  // the number is long enough; one group left over is the extension.
  let number = '';
  while (number.length < 7 && rest.length > 0) number += rest.shift() ?? '';
  if (rest.length > 1 || (rest.length === 1 && ext !== '')) return fail('电话号码格式不正确，例如 0722-1234567');
  if (rest.length === 1) ext = rest[0] ?? '';

  const threeDigitArea = /^0[12]/u.test(area);
  if (!/^0\d{2,3}$/u.test(area) || (area.length === 3) !== threeDigitArea) {
    return fail(`区号 ${area} 不正确（010、020–029为3位，其他地区为4位，如 0722）`);
  }
  if (number.length < 7 || number.length > 8) return fail(`固定电话号码应为7–8位，当前为 ${number.length} 位`);
  // Real local numbers start 2–8, but the form's own example (0722-1234567)
  // and made-up demo numbers start with 1, so only a leading 0 (the area
  // code typed twice) is refused.
  if (number.startsWith('0')) return fail('固定电话号码不应以0开头，区号只需填一次');
  if (ext.length > 6) return fail('分机号过长');

  return { ok: true, kind: 'landline', value: ext === '' ? `${area}-${number}` : `${area}-${number}-${ext}` };
}
