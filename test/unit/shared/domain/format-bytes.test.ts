import { describe, expect, it } from 'vitest';
import { formatBytes } from '#shared/domain/format-bytes.ts';

describe('formatBytes', () => {
  it('reads in KB, MB and GB with one decimal at most', () => {
    expect(formatBytes(0)).toBe('0 KB');
    expect(formatBytes(1)).toBe('1 KB');
    expect(formatBytes(512 * 1024)).toBe('512 KB');
    expect(formatBytes(1024 ** 2)).toBe('1 MB');
    expect(formatBytes(1.5 * 1024 ** 2)).toBe('1.5 MB');
    expect(formatBytes(64 * 1024 ** 2)).toBe('64 MB');
    expect(formatBytes(2.34 * 1024 ** 3)).toBe('2.3 GB');
  });
});
