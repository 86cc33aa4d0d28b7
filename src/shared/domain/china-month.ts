/** The calendar month in China (UTC+8, no daylight saving) at `now`, as YYYY-MM: reports run by it. */
export function chinaMonth(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
}
