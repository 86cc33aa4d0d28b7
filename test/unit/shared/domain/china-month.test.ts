import { describe, expect, it } from 'vitest';
import { chinaMonth } from '#shared/domain/china-month.ts';

describe('chinaMonth', () => {
  it("is China's calendar month, which starts eight hours before UTC's", () => {
    expect(chinaMonth(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11');
    expect(chinaMonth(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12');
    expect(chinaMonth(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01');
  });
});
