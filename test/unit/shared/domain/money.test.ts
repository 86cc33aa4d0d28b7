import { describe, expect, it } from 'vitest';
import { fenToYuanInput, formatYuan, parseYuan } from '#shared/domain/money.ts';

describe('parseYuan', () => {
  it('reads yuan as typed into whole fen, without floating point', () => {
    expect(parseYuan('1234.5')).toEqual({ ok: true, fen: 123450 });
    expect(parseYuan('0.29')).toEqual({ ok: true, fen: 29 });
    expect(parseYuan('１，２００元')).toEqual({ ok: true, fen: 120000 });
    expect(parseYuan(' 80. ')).toEqual({ ok: true, fen: 8000 });
    expect(parseYuan('')).toEqual({ ok: true, fen: null });
  });

  it('explains what is wrong with letters, a minus or a third decimal', () => {
    expect(parseYuan('12a')).toEqual({ ok: false, message: '金额只能填数字，例如 1234.50' });
    expect(parseYuan('-5')).toEqual({ ok: false, message: '金额不能为负数' });
    expect(parseYuan('1.234')).toEqual({ ok: false, message: '金额最多两位小数（角、分）' });
    expect(parseYuan('999999999')).toEqual({ ok: false, message: '金额过大' });
  });
});

describe('formatting fen', () => {
  it('writes fen back as yuan', () => {
    expect(fenToYuanInput(123450)).toBe('1234.50');
    expect(fenToYuanInput(5)).toBe('0.05');
    expect(formatYuan(1152000)).toBe('11,520.00 元');
  });
});
