/** Small pure helpers of the generator: numbers and dates as text, random picks. */
import type { Random } from '../random.ts';

export const CHINESE_DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三 (up to 99). */
export function chineseNumber(n: number): string {
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  const t = tens === 0 ? '' : tens === 1 ? '十' : `${CHINESE_DIGITS[tens] ?? ''}十`;
  return t + (CHINESE_DIGITS[ones] ?? '');
}

export const pad = (n: number, width: number): string => String(n).padStart(width, '0');
export const isoDate = (y: number, m: number, d: number): string => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
export const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** A uniformly random civil date in [from, to] (ISO strings). */
export function randomDate(rng: Random, from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  const day = 86_400_000;
  const t = a + rng.int(0, Math.max(0, Math.floor((b - a) / day))) * day;
  return new Date(t).toISOString().slice(0, 10);
}

export function sample<T>(rng: Random, items: readonly T[], n: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length > 0) {
    const i = rng.int(0, pool.length - 1);
    const [x] = pool.splice(i, 1);
    if (x !== undefined) out.push(x);
  }
  return out;
}

export function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
