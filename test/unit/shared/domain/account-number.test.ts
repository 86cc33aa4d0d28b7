import { describe, expect, it } from 'vitest';
import {
  luhnCheckDigit,
  luhnValid,
  normalizeAccountNumber,
  validateAccountNumber,
} from '#shared/domain/account-number.ts';
import type { AccountType } from '#shared/domain/account-number.ts';

/** A 6217 (China Construction Bank debit) number with a correct check digit. */
function card6217(body: string): string {
  const partial = `6217${body}`;
  return partial + luhnCheckDigit(partial);
}

describe('luhnValid', () => {
  it.each(['4111111111111111', '5555555555554444', '79927398713', '6217001234567893', '6217000000001234560'])(
    'accepts the known-good number %s',
    (digits) => {
      expect(luhnValid(digits)).toBe(true);
    },
  );

  it.each(['4111111111111112', '79927398710', '6217001234567890', '1234567812345678'])('rejects %s', (digits) => {
    expect(luhnValid(digits)).toBe(false);
  });

  it('detects every single-digit substitution', () => {
    const good = '6217001234567893';
    for (let pos = 0; pos < good.length; pos++) {
      for (const d of '0123456789') {
        if (d === good[pos]) continue;
        expect(luhnValid(good.slice(0, pos) + d + good.slice(pos + 1))).toBe(false);
      }
    }
  });

  it('detects adjacent transpositions other than 09 ↔ 90', () => {
    expect(luhnValid('6217001234567839')).toBe(false); // …93 → …39
    expect(luhnValid('2617001234567893')).toBe(false); // 62… → 26…
  });

  it.each(['', '0', '4111 1111 1111 1111', '411111111111111a', '４１１１１１１１１１１１１１１１'])(
    'returns false for %j (not two or more ASCII digits)',
    (digits) => {
      expect(luhnValid(digits)).toBe(false);
    },
  );
});

describe('luhnCheckDigit', () => {
  it.each([
    ['7992739871', '3'],
    ['411111111111111', '1'],
    ['621700123456789', '3'],
    ['621700000000123456', '0'],
    ['622202400000000000', '6'],
    ['0', '0'],
  ])('%s → %s', (partial, check) => {
    expect(luhnCheckDigit(partial)).toBe(check);
  });

  it('always produces a number that luhnValid accepts', () => {
    for (let n = 0; n < 500; n++) {
      const partial = `6217${String(n * 7919).padStart(11, '0')}`;
      expect(luhnValid(partial + luhnCheckDigit(partial))).toBe(true);
    }
  });

  it.each(['', '12a', '１２３'])('throws a RangeError for %j', (partial) => {
    expect(() => luhnCheckDigit(partial)).toThrow(RangeError);
  });
});

describe('normalizeAccountNumber', () => {
  it('removes spaces and dashes and converts full-width digits', () => {
    expect(normalizeAccountNumber(' 6217 0012-3456\u20147893 ')).toBe('6217001234567893');
    expect(normalizeAccountNumber('６２１７　００１２　３４５６　７８９３')).toBe('6217001234567893');
  });
});

describe('validateAccountNumber: cards', () => {
  const card16 = card6217('00123456789');
  const card19 = card6217('00000000123456');

  it.each(['card', 'sscard'] as const)('accepts 16- and 19-digit Luhn-valid %s numbers without a warning', (type) => {
    expect(card16).toHaveLength(16);
    expect(card19).toHaveLength(19);
    expect(validateAccountNumber(card16, type)).toEqual({ ok: true, number: card16 });
    expect(validateAccountNumber(card19, type)).toEqual({ ok: true, number: card19 });
  });

  it('accepts 17- and 18-digit cards too', () => {
    const card17 = card6217('001234567890');
    const card18 = card6217('0012345678901');
    expect(validateAccountNumber(card17, 'card')).toEqual({ ok: true, number: card17 });
    expect(validateAccountNumber(card18, 'card')).toEqual({ ok: true, number: card18 });
  });

  it('accepts the classic test number 4111111111111111', () => {
    expect(validateAccountNumber('4111111111111111', 'card')).toEqual({ ok: true, number: '4111111111111111' });
  });

  it('normalizes grouped and full-width input', () => {
    const grouped = `${card19.slice(0, 4)} ${card19.slice(4, 8)}-${card19.slice(8, 12)} ${card19.slice(12)}`;
    expect(validateAccountNumber(grouped, 'card')).toEqual({ ok: true, number: card19 });
    const fullWidth = card16.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    expect(validateAccountNumber(` ${fullWidth} `, 'card')).toEqual({ ok: true, number: card16 });
  });

  it.each(['card', 'sscard'] as const)('keeps a Luhn failure on a %s as ok with a warning', (type) => {
    const result = validateAccountNumber('4111111111111112', type);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.number).toBe('4111111111111112');
    expect(result.warning).toMatch(/未通过校验/);
    expect(result.warning).toMatch(/核对/);
  });

  it('names the account type in messages', () => {
    expect(validateAccountNumber('4111111111111112', 'sscard')).toMatchObject({ warning: expect.stringContaining('社保卡') as unknown });
    expect(validateAccountNumber('', 'card')).toEqual({ ok: false, message: '请输入银行卡号' });
    expect(validateAccountNumber('', 'sscard')).toEqual({ ok: false, message: '请输入社保卡金融账号' });
  });

  it.each([
    ['15 digits', '621700123456789', 15],
    ['20 digits', '62170012345678901234', 20],
    ['8 digits', '62170012', 8],
  ])('rejects a card of %s', (_label, raw, len) => {
    expect(validateAccountNumber(raw, 'card')).toEqual({ ok: false, message: `银行卡号应为16–19位数字，当前为 ${String(len)} 位` });
  });

  it.each(['6217 0012 3456 789X', '6217.0012.3456.7893', '卡号6217001234567893', '6217001234567893元'])(
    'rejects non-digits in %j',
    (raw) => {
      expect(validateAccountNumber(raw, 'card')).toEqual({ ok: false, message: '银行卡号只能包含数字' });
    },
  );

  it('rejects empty and blank input', () => {
    expect(validateAccountNumber('', 'card')).toEqual({ ok: false, message: '请输入银行卡号' });
    expect(validateAccountNumber(' - ', 'card')).toEqual({ ok: false, message: '请输入银行卡号' });
  });
});

describe('validateAccountNumber: passbooks', () => {
  it.each(['12345678', '4213210101000123456', '123456789012345678901234567890'])('accepts %s with no Luhn check', (raw) => {
    expect(validateAccountNumber(raw, 'passbook')).toEqual({ ok: true, number: raw });
  });

  it('does not warn when the number happens to fail Luhn', () => {
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(validateAccountNumber('4111111111111112', 'passbook')).toEqual({ ok: true, number: '4111111111111112' });
  });

  it.each([
    ['1234567', 7],
    ['1234567890123456789012345678901', 31],
  ])('rejects %s by length', (raw, len) => {
    expect(validateAccountNumber(raw, 'passbook')).toEqual({
      ok: false,
      message: `存折账号应为8–30位数字，当前为 ${String(len)} 位`,
    });
  });

  it('rejects non-digits and empty input', () => {
    expect(validateAccountNumber('NO.12345678', 'passbook')).toEqual({ ok: false, message: '存折账号只能包含数字' });
    expect(validateAccountNumber('', 'passbook')).toEqual({ ok: false, message: '请输入存折账号' });
  });
});

describe('validateAccountNumber: every type', () => {
  const types: AccountType[] = ['card', 'passbook', 'sscard'];
  it('never returns a number containing anything but digits', () => {
    for (const type of types) {
      const result = validateAccountNumber(' ６２１７-0012 3456 7893 ', type);
      expect(result.ok && result.number).toBe('6217001234567893');
    }
  });
});
