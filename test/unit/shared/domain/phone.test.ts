import { describe, expect, it } from 'vitest';
import { validatePhone } from '#shared/domain/phone.ts';

describe('validatePhone: none', () => {
  it.each(['', '   ', '无', ' 无 ', '没有', '暂无', '无电话', 'none', 'NONE', 'None', '/', '-', '—', '——', '\u3000'])(
    'treats %j as no phone',
    (raw) => {
      expect(validatePhone(raw)).toEqual({ ok: true, kind: 'none', value: '' });
    },
  );
});

describe('validatePhone: mobile', () => {
  it.each(['13812345678', '15012345678', '16612345678', '17712345678', '18912345678', '19912345678', '14512345678'])(
    'accepts %s',
    (raw) => {
      expect(validatePhone(raw)).toEqual({ ok: true, kind: 'mobile', value: raw });
    },
  );

  it.each([
    ['grouped with spaces', '138 1234 5678'],
    ['grouped with dashes', '138-1234-5678'],
    ['full-width', '１３８１２３４５６７８'],
    ['surrounded by spaces', '  13812345678  '],
    ['+86 prefix', '+86 138 1234 5678'],
    ['+86- prefix', '+86-13812345678'],
    ['0086 prefix', '008613812345678'],
    ['86 prefix', '8613812345678'],
  ])('normalizes %s', (_label, raw) => {
    expect(validatePhone(raw)).toEqual({ ok: true, kind: 'mobile', value: '13812345678' });
  });

  it.each([
    ['10 digits', '1381234567', 10],
    ['12 digits', '138123456789', 12],
    ['8 digits starting 1', '12345678', 8],
  ])('rejects %s by length', (_label, raw, len) => {
    expect(validatePhone(raw)).toEqual({ ok: false, message: `手机号应为11位，当前为 ${String(len)} 位` });
  });

  it.each(['10012345678', '11012345678', '12012345678'])('rejects %s (second digit 0–2)', (raw) => {
    expect(validatePhone(raw)).toEqual({ ok: false, message: '手机号格式不正确，应以13–19开头' });
  });
});

describe('validatePhone: landline', () => {
  it.each([
    ['0722-1234567', '0722-1234567'],
    ['07221234567', '0722-1234567'],
    ['0722 1234567', '0722-1234567'],
    ['(0722)1234567', '0722-1234567'],
    ['（０７２２）１２３４５６７', '0722-1234567'],
    ['0722—1234567', '0722-1234567'],
    ['027-87654321', '027-87654321'],
    ['02787654321', '027-87654321'],
    ['027 8765 4321', '027-87654321'],
    ['010-12345678', '010-12345678'],
    ['0710-3456789', '0710-3456789'],
    ['07103456789', '0710-3456789'],
  ])('accepts %j as %s', (raw, value) => {
    expect(validatePhone(raw)).toEqual({ ok: true, kind: 'landline', value });
  });

  it.each([
    ['0722-1234567-8001', '0722-1234567-8001'],
    ['0722-1234567转8001', '0722-1234567-8001'],
    ['0722-1234567 转 8001', '0722-1234567-8001'],
    ['0722-1234567分机8001', '0722-1234567-8001'],
    ['0722-1234567 ext. 8001', '0722-1234567-8001'],
    ['0722-1234567x8001', '0722-1234567-8001'],
    ['07221234567#8001', '0722-1234567-8001'],
    ['07221234567-8001', '0722-1234567-8001'],
    ['027-87654321-12', '027-87654321-12'],
  ])('accepts %j with an extension as %s', (raw, value) => {
    expect(validatePhone(raw)).toEqual({ ok: true, kind: 'landline', value });
  });

  it.each(['3456789', '87654321', '345-6789', '8765 4321'])('asks for the area code on %j', (raw) => {
    expect(validatePhone(raw)).toEqual({ ok: false, message: '固定电话请加区号，例如 0722-1234567' });
  });

  it.each([
    ['a 4-digit area code starting 02', '0271-1234567', '区号 0271 不正确'],
    ['a 3-digit area code not starting 01/02', '072-1234567', '区号 072 不正确'],
    ['a 2-digit area code', '07-1234567', '区号 07 不正确'],
  ])('rejects %s', (_label, raw, fragment) => {
    const result = validatePhone(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(fragment);
  });

  it.each([
    ['a 6-digit number', '0722-123456', '固定电话号码应为7–8位，当前为 6 位'],
    ['a 9-digit number', '0722-123456789', '固定电话号码应为7–8位，当前为 9 位'],
    ['no number', '0722', '固定电话号码应为7–8位，当前为 0 位'],
    ['a number starting 0', '0722-0234567', '固定电话号码不应以0开头，区号只需填一次'],
    ['the area code typed twice', '0722-07221234', '固定电话号码不应以0开头，区号只需填一次'],
    ['an over-long extension', '0722-1234567-1234567', '分机号过长'],
    ['two extensions', '0722-1234567-12-34', '电话号码格式不正确，例如 0722-1234567'],
    ['an extension both ways', '0722-1234567-12转34', '电话号码格式不正确，例如 0722-1234567'],
  ])('rejects %s', (_label, raw, message) => {
    expect(validatePhone(raw)).toEqual({ ok: false, message });
  });

  it.each(['电话0722-1234567', '0722-12345a7', 'abc', '+44 20 7946 0958'])('rejects non-digits in %j', (raw) => {
    expect(validatePhone(raw)).toEqual({ ok: false, message: '电话号码只能包含数字，请填写11位手机号或带区号的固定电话' });
  });

  it('gives a general hint for other digit strings', () => {
    expect(validatePhone('95588')).toEqual({ ok: false, message: '请填写11位手机号或带区号的固定电话，例如 0722-1234567' });
  });
});
