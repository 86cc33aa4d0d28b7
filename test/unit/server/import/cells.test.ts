import { describe, expect, it } from 'vitest';
import { cellText, digitsCell, excelSerialToDate, isBlank, parseDate, parsePeriod, parseYesNo, parseYuanToFen } from '#server/import/cells.ts';

describe('cellText', () => {
  it('trims ordinary, ideographic and zero-width spaces and folds full-width characters', () => {
    expect(cellText('  王德明 ')).toBe('王德明');
    expect(cellText('\u3000４２１３２１\u200B')).toBe('421321');
    expect(cellText('\uFEFF户编号')).toBe('户编号');
    expect(cellText(null)).toBe('');
    expect(cellText(12.5)).toBe('12.5');
    expect(cellText(new Date(Date.UTC(2020, 0, 5)))).toBe('2020-01-05');
  });

  it('treats a cell of spaces as blank', () => {
    expect(isBlank(' \u3000 ')).toBe(true);
    expect(isBlank('0')).toBe(false);
    expect(isBlank(0)).toBe(false);
  });
});

describe('digitsCell', () => {
  it('refuses an 18-digit number that Excel stored as a number (digits lost)', () => {
    const r = digitsCell(421321196805120000, '身份证号');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('文本');
  });

  it('refuses scientific notation from a CSV saved by Excel', () => {
    const r = digitsCell('4.21321E+17', '身份证号');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('科学计数法');
  });

  it('keeps a short number exactly', () => {
    expect(digitsCell(421321101200, '代码')).toEqual({ ok: true, value: '421321101200' });
  });
});

describe('parseDate', () => {
  it.each([
    ['2020-01-05', '2020-01-05'],
    ['2020/1/5', '2020-01-05'],
    ['2020.1.5', '2020-01-05'],
    ['2020年1月5日', '2020-01-05'],
    ['２０２０年１月５日', '2020-01-05'],
    ['20200105', '2020-01-05'],
    ['2020-01-05 00:00:00', '2020-01-05'],
    ['43835', '2020-01-05'],
  ])('reads %s', (input, expected) => {
    expect(parseDate(input)).toEqual({ ok: true, value: expected });
  });

  it('reads Excel date serials and date cells', () => {
    expect(parseDate(43835)).toEqual({ ok: true, value: '2020-01-05' });
    expect(parseDate(new Date(Date.UTC(1949, 11, 31)))).toEqual({ ok: true, value: '1949-12-31' });
  });

  it("follows Excel's 1900 calendar, including its phantom 29 February", () => {
    expect(excelSerialToDate(1)).toBe('1900-01-01');
    expect(excelSerialToDate(59)).toBe('1900-02-28');
    expect(excelSerialToDate(60)).toBeNull();
    expect(excelSerialToDate(61)).toBe('1900-03-01');
  });

  it('refuses dates that do not exist, a bare year and text', () => {
    expect(parseDate('2021-02-29').ok).toBe(false);
    const year = parseDate('2020');
    expect(year.ok).toBe(false);
    if (!year.ok) expect(year.reason).toContain('年份');
    expect(parseDate('去年').ok).toBe(false);
  });
});

describe('parseYuanToFen', () => {
  it.each([
    ['580', 58000],
    ['580.5', 58050],
    ['580.05', 58005],
    ['  ５８０.００ ', 58000],
    ['¥1,234.50', 123450],
    ['100元', 10000],
    ['12.300', 1230],
  ])('reads %s yuan', (input, fen) => {
    expect(parseYuanToFen(input)).toEqual({ ok: true, value: fen });
  });

  it('reads numeric cells, forgiving a formula’s binary noise', () => {
    expect(parseYuanToFen(580.1)).toEqual({ ok: true, value: 58010 });
    expect(parseYuanToFen(0.1 + 0.2)).toEqual({ ok: true, value: 30 });
  });

  it('refuses negative, non-numeric, three-decimal and zero amounts', () => {
    const cases: [unknown, string][] = [
      ['-100', '负数'],
      [-5, '负数'],
      ['一百', '数字'],
      ['12.345', '两位小数'],
      [12.345, '两位小数'],
      ['0', '大于0'],
      ['', '不能为空'],
    ];
    for (const [input, reason] of cases) {
      const r = parseYuanToFen(input as string);
      expect(r.ok, String(input)).toBe(false);
      if (!r.ok) expect(r.reason).toContain(reason);
    }
  });

  it('accepts zero where allowed (the standard of a variable item)', () => {
    expect(parseYuanToFen('0', { allowZero: true })).toEqual({ ok: true, value: 0 });
  });
});

describe('parsePeriod', () => {
  it.each([
    ['2020-03', '2020-03'],
    ['2020-3', '2020-03'],
    ['2020/3', '2020-03'],
    ['2020年3月', '2020-03'],
    ['202003', '2020-03'],
    ['2020', '2020'],
    ['2020年', '2020'],
    ['2020-Q1', '2020-Q1'],
    ['2020q2', '2020-Q2'],
    ['2020年第三季度', '2020-Q3'],
    ['2020年上半年', '2020-H1'],
    ['2020-H2', '2020-H2'],
  ])('reads %s', (input, expected) => {
    expect(parsePeriod(input)).toEqual({ ok: true, value: expected });
  });

  it('reads a date cell as its month (Excel turns 2020-03 into a date)', () => {
    expect(parsePeriod(new Date(Date.UTC(2020, 2, 1)))).toEqual({ ok: true, value: '2020-03' });
  });

  it('refuses month 13 and free text', () => {
    expect(parsePeriod('2020-13').ok).toBe(false);
    expect(parsePeriod('三月').ok).toBe(false);
  });
});

describe('parseYesNo', () => {
  it('reads 是/否 and the usual variants', () => {
    expect(parseYesNo('是')).toEqual({ ok: true, value: true });
    expect(parseYesNo(' 否 ')).toEqual({ ok: true, value: false });
    expect(parseYesNo('Y')).toEqual({ ok: true, value: true });
    expect(parseYesNo(true)).toEqual({ ok: true, value: true });
    expect(parseYesNo('也许').ok).toBe(false);
  });
});
