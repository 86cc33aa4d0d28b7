/**
 * One-card account numbers (一卡通账号): bank cards, passbooks (存折) and the
 * financial account of a social-security card (社保卡金融账户).
 *
 * Bank cards, social-security cards included, are 16–19 digits ending in a
 * Luhn check digit. A failed Luhn check is only a warning (domain.md §7):
 * the number on the roster is the one the bank actually pays into, and the
 * cadre must be able to record it as seen even when it looks wrong, then
 * let the supervisor sort it out, rather than be stopped mid-visit.
 * Passbook numbers follow each bank's own scheme, so they get a length check
 * only.
 */
import { compactDigits } from './normalize.ts';

export type AccountType = 'card' | 'passbook' | 'sscard';

export type AccountNumberResult = { ok: true; number: string; warning?: string } | { ok: false; message: string };

const CARD_MIN = 16;
const CARD_MAX = 19;
const PASSBOOK_MIN = 8;
const PASSBOOK_MAX = 30;

/** Sum of the Luhn-transformed digits, doubling every second digit from the right end of `digits` when `doubleLast` is set. */
function luhnSum(digits: string, doubleLast: boolean): number {
  let sum = 0;
  let double = doubleLast;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = Number(digits.charAt(i));
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum;
}

/**
 * Whether a digit string passes the Luhn (mod 10) check. False for anything
 * that is not at least two ASCII digits (a lone check digit proves nothing).
 */
export function luhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  return luhnSum(digits, false) % 10 === 0;
}

/**
 * The Luhn check digit to append to `partial`. Throws a RangeError if
 * `partial` is not a non-empty string of ASCII digits.
 */
export function luhnCheckDigit(partial: string): string {
  if (!/^\d+$/.test(partial)) {
    throw new RangeError(`luhnCheckDigit expects digits, got ${JSON.stringify(partial)}`);
  }
  // The check digit will be the new rightmost digit, so the current
  // rightmost digit is the first one doubled.
  return String((10 - (luhnSum(partial, true) % 10)) % 10);
}

/**
 * Folds an account number as typed (grouped with spaces or dashes,
 * full-width digits) to bare ASCII digits. Does not check the result.
 */
export function normalizeAccountNumber(raw: string): string {
  return compactDigits(raw);
}

const TYPE_LABEL: Readonly<Record<AccountType, string>> = {
  card: '银行卡号',
  passbook: '存折账号',
  sscard: '社保卡金融账号',
};

/** Validates an account number for the given account type. */
export function validateAccountNumber(raw: string, type: AccountType): AccountNumberResult {
  const label = TYPE_LABEL[type];
  const number = normalizeAccountNumber(raw);
  if (number === '') return { ok: false, message: `请输入${label}` };
  if (!/^\d+$/.test(number)) return { ok: false, message: `${label}只能包含数字` };

  if (type === 'passbook') {
    if (number.length < PASSBOOK_MIN || number.length > PASSBOOK_MAX) {
      return { ok: false, message: `${label}应为${PASSBOOK_MIN}–${PASSBOOK_MAX}位数字，当前为 ${number.length} 位` };
    }
    return { ok: true, number };
  }

  if (number.length < CARD_MIN || number.length > CARD_MAX) {
    return { ok: false, message: `${label}应为${CARD_MIN}–${CARD_MAX}位数字，当前为 ${number.length} 位` };
  }
  if (!luhnValid(number)) {
    return { ok: true, number, warning: `${label}未通过校验，可能有输错的数字，请与卡面逐位核对` };
  }
  return { ok: true, number };
}
