import { describe, expect, it } from 'vitest';
import { KeyRowIndex } from '#server/import/key-index.ts';

describe('KeyRowIndex', () => {
  it('remembers the first row of each key and reports it for a repeat', () => {
    const index = new KeyRowIndex();
    expect(index.addOrGet('DB:421321196805120013:2021-01:1', 2)).toBeUndefined();
    expect(index.addOrGet('DB:421321196805120013:2021-02:1', 3)).toBeUndefined();
    expect(index.addOrGet('DB:421321196805120013:2021-01:1', 9)).toBe(2);
    expect(index.size).toBe(2);
  });

  it('keeps every key through growth, without false duplicates among 200,000 similar keys', () => {
    const index = new KeyRowIndex(16);
    // One assertion over all keys: 200,000 expect() calls cost seconds on a busy machine.
    const falseDuplicates: number[] = [];
    for (let i = 0; i < 200_000; i++) if (index.addOrGet(`DB:4213211968051200${i}:2021-01:1`, i + 2) !== undefined) falseDuplicates.push(i);
    expect(falseDuplicates).toEqual([]);
    expect(index.size).toBe(200_000);
    for (const i of [0, 1, 77_777, 199_999]) expect(index.addOrGet(`DB:4213211968051200${i}:2021-01:1`, 0)).toBe(i + 2);
  });
});
