/**
 * Money as the cadre types and reads it: yuan with at most two decimals on
 * screen, integer fen everywhere else (see roster.ts: 0.1 + 0.2 yuan must
 * add up exactly when two years of payments are summed).
 */
import { toHalfWidth } from './normalize.ts';

export type YuanParse = { ok: true; fen: number | null } | { ok: false; message: string };

const MAX_FEN = 2_147_483_647;

/**
 * '1234.5' → 123450 fen; '' → null (not answered). Full-width digits, a
 * trailing 元 and thousands separators are accepted; letters, a minus sign
 * or a third decimal are not. Parsed from the digits, never through a float.
 */
export function parseYuan(raw: string): YuanParse {
  const text = toHalfWidth(raw).replace(/[\s,，]/gu, '').replace(/元$/u, '');
  if (text === '') return { ok: true, fen: null };
  if (text.startsWith('-')) return { ok: false, message: '金额不能为负数' };
  const m = /^(\d+)(?:\.(\d{0,2}))?$/u.exec(text);
  if (!m) {
    if (/^\d+\.\d{3,}$/u.test(text)) return { ok: false, message: '金额最多两位小数（角、分）' };
    return { ok: false, message: '金额只能填数字，例如 1234.50' };
  }
  const yuan = m[1] ?? '0';
  const cents = (m[2] ?? '').padEnd(2, '0');
  if (yuan.length > 8) return { ok: false, message: '金额过大' };
  const fen = Number(yuan) * 100 + Number(cents);
  if (fen > MAX_FEN) return { ok: false, message: '金额过大' };
  return { ok: true, fen };
}

/** 123450 → '1234.50' (no unit, no separators: what goes back into an input). */
export function fenToYuanInput(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** 123450 → '1,234.50', for reading beside a unit the text already gives (a column headed 元). */
export function formatYuanAmount(fen: number): string {
  const [whole = '0', cents = '00'] = fenToYuanInput(fen).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/gu, ',')}.${cents}`;
}

/** 123450 → '1,234.50 元', for reading: the one spelling of money on screen, in reports and in findings. */
export function formatYuan(fen: number): string {
  return `${formatYuanAmount(fen)} 元`;
}
