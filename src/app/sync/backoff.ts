const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_MAX_MS = 10 * 60 * 1000;

/**
 * Exponential backoff with jitter ("equal jitter": half fixed, half random):
 * a village of phones regaining signal together does not retry in step, and
 * no retry comes sooner than half the nominal delay.
 */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const cap = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}
