/**
 * The visit time is stored as ISO 8601 with the phone's offset
 * ('2022-06-01T09:30:00+08:00'): a supervisor reads the local time the
 * cadre saw, and the instant stays exact.
 */
import { t } from '../../i18n/index.ts';

const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');

export function isoWithOffset(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${sign}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
}

/** ISO → the value of an <input type="datetime-local"> in the phone's time zone ('' if unparseable). */
export function isoToLocalInput(iso: string | null): string {
  if (iso === null) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return isoWithOffset(new Date(t)).slice(0, 16);
}

/** The value of an <input type="datetime-local"> → ISO with offset, or null when empty or impossible. */
export function localInputToIso(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  if (d.getMonth() !== Number(m[2]) - 1 || d.getDate() !== Number(m[3])) return null;
  return isoWithOffset(d);
}

/** For display: '2022-06-01 09:30'. */
export function formatLocal(iso: string): string {
  return isoToLocalInput(iso).replace('T', ' ');
}

/** Today on the phone's calendar, 'YYYY-MM-DD' (the max of a date input). */
export function localToday(): string {
  return isoWithOffset(new Date()).slice(0, 10);
}

/** For display in Chinese whatever the browser's language: '2026年12月2日 18:37' ('' if unparseable). */
export function formatChineseDateTime(iso: string | null): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(isoToLocalInput(iso));
  if (!m) return '';
  return t.dateTime(m[1] ?? '', Number(m[2]), Number(m[3]), `${m[4] ?? ''}:${m[5] ?? ''}`);
}
