import { describe, expect, it } from 'vitest';
import { maskAccount, maskCitizenId, maskName, maskPhone } from '#shared/domain/mask.ts';

describe('maskCitizenId', () => {
  it('keeps the first 4 and last 4 of an 18-character ID', () => {
    expect(maskCitizenId('421321199001011234')).toBe('4213**********1234');
    expect(maskCitizenId('11010519491231002X')).toBe('1101**********002X');
  });

  it('normalizes before masking, so typed variants mask the same', () => {
    expect(maskCitizenId(' １１０１０５１９４９１２３１００２ｘ ')).toBe('1101**********002X');
    expect(maskCitizenId('110105 19491231 002x')).toBe('1101**********002X');
  });

  it('keeps the length for other lengths that still fit the pattern', () => {
    expect(maskCitizenId('110105491231002')).toBe('1101*******1002');
    expect(maskCitizenId('123456789')).toBe('1234*6789');
  });

  it.each([
    ['', ''],
    ['1', '*'],
    ['1234', '***4'],
    ['12345678', '******78'],
  ])('reveals little of a too-short value: %j → %j', (raw, masked) => {
    expect(maskCitizenId(raw)).toBe(masked);
  });
});

describe('maskAccount', () => {
  it('shows first 4 and last 4 around two fixed groups', () => {
    expect(maskAccount('6217000000001234567')).toBe('6217 **** **** 4567');
    expect(maskAccount('6217001234567893')).toBe('6217 **** **** 7893');
  });

  it('does not reveal the length', () => {
    expect(maskAccount('6217000000001234')).toBe('6217 **** **** 1234');
    expect(maskAccount('621700000000000001234')).toBe('6217 **** **** 1234');
  });

  it('masks passbook numbers the same way', () => {
    expect(maskAccount('4213210101000123456')).toBe('4213 **** **** 3456');
    expect(maskAccount('123456789012')).toBe('1234 **** **** 9012');
  });

  it('ignores spaces, dashes and full-width digits in the input', () => {
    expect(maskAccount('6217 0000 0000 1234 567')).toBe('6217 **** **** 4567');
    expect(maskAccount('６２１７-０００１-２３４５-６７８９')).toBe('6217 **** **** 6789');
  });

  it.each([
    ['', ''],
    ['   ', ''],
    ['7', '**** **** **** ****'],
    ['12345', '**** **** **** ***5'],
    ['12345678', '**** **** **** **78'],
  ])('reveals little of a too-short value: %j → %j', (raw, masked) => {
    expect(maskAccount(raw)).toBe(masked);
  });
});

describe('maskName', () => {
  it.each([
    ['张三明', '张*明'],
    ['张三', '张*'],
    ['欧阳小明', '欧**明'],
    ['司马相如', '司**如'],
    ['爱新觉罗·溥仪', '爱***·*仪'],
    ['阿卜杜拉·艾买提', '阿***·**提'],
    ['  张三明 ', '张*明'],
    ['张', '*'],
    ['', ''],
    ['   ', ''],
  ])('%j → %j', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it('counts astral-plane characters as one', () => {
    expect(maskName('𠀀三明')).toBe('𠀀*明');
    expect(maskName('张𠀀明')).toBe('张*明');
  });
});

describe('maskPhone', () => {
  it('masks a mobile as 3 + **** + 4', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('reads the number the way validatePhone does', () => {
    expect(maskPhone('+86 138 1234 5678')).toBe('138****5678');
    expect(maskPhone('１３８-１２３４-５６７８')).toBe('138****5678');
  });

  it('keeps a landline area code and the last 4 digits, dropping any extension', () => {
    expect(maskPhone('0722-1234567')).toBe('0722-***4567');
    expect(maskPhone('02787654321')).toBe('027-****4321');
    expect(maskPhone('0722-1234567转8001')).toBe('0722-***4567');
  });

  it('returns an empty string for no phone', () => {
    expect(maskPhone('')).toBe('');
    expect(maskPhone('无')).toBe('');
  });

  it('still masks values it cannot parse', () => {
    expect(maskPhone('1381234567')).toBe('138***4567');
    expect(maskPhone('12345')).toBe('****5');
    expect(maskPhone('x')).toBe('*');
  });
});
