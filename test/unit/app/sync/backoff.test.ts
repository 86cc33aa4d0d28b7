import { describe, expect, it } from 'vitest';
import { BACKOFF_MAX_MS, backoffDelay } from '#app/sync/backoff.ts';

describe('backoffDelay', () => {
  it('doubles per failure, between half and all of the nominal delay, capped', () => {
    expect(backoffDelay(1, () => 0)).toBe(2_500);
    expect(backoffDelay(1, () => 1)).toBe(5_000);
    expect(backoffDelay(2, () => 1)).toBe(10_000);
    expect(backoffDelay(4, () => 0.5)).toBe(30_000);
    expect(backoffDelay(30, () => 1)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(30, () => 0)).toBe(BACKOFF_MAX_MS / 2);
  });

  it('spreads retries of many devices', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3)));
    expect(delays.size).toBeGreaterThan(40);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(10_000);
  });
});
