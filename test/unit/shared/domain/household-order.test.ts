import { describe, expect, it } from 'vitest';
import { chineseNumeralValue, compareGroupNames, compareHouseholds, compareHouseNumbers, leadingNumber } from '#shared/domain/household-order.ts';

describe('chineseNumeralValue', () => {
  it.each([
    ['一', 1],
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['二十三', 23],
    ['一百零五', 105],
    ['两', 2],
  ])('%s → %i', (s, n) => expect(chineseNumeralValue(s)).toBe(n));

  it('rejects what is not a numeral', () => {
    expect(chineseNumeralValue('河东')).toBeNull();
    expect(chineseNumeralValue('')).toBeNull();
  });
});

describe('ordering', () => {
  it('reads the leading number of group names and house numbers', () => {
    expect(leadingNumber('三组')).toBe(3);
    expect(leadingNumber('第十一组')).toBe(11);
    expect(leadingNumber('12-1')).toBe(12);
    expect(leadingNumber('１２号')).toBe(12);
    expect(leadingNumber('河东组')).toBeNull();
  });

  it('sorts groups by their number, named groups last', () => {
    expect(['十一组', '二组', '河东组', '一组', '十组'].sort(compareGroupNames)).toEqual(['一组', '二组', '十组', '十一组', '河东组']);
  });

  it('sorts house numbers naturally', () => {
    expect(['10', '2', '12-1', '12', '1'].sort(compareHouseNumbers)).toEqual(['1', '2', '10', '12', '12-1']);
  });

  it('sorts households by village, group, house', () => {
    const h = (villageCode: string, groupName: string, houseNumber: string) => ({ villageCode, groupName, houseNumber });
    const sorted = [h('2', '一组', '1'), h('1', '二组', '1'), h('1', '一组', '10'), h('1', '一组', '9')].sort(compareHouseholds);
    expect(sorted).toEqual([h('1', '一组', '9'), h('1', '一组', '10'), h('1', '二组', '1'), h('2', '一组', '1')]);
  });
});
