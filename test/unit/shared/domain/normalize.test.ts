import { describe, expect, it } from 'vitest';
import { compactDigits, stripDashes, stripWhitespace, toHalfWidth, unifyDashes } from '#shared/domain/normalize.ts';

describe('toHalfWidth', () => {
  it('converts full-width digits and letters to ASCII', () => {
    expect(toHalfWidth('１１０１０５１９４９１２３１００２ｘ')).toBe('11010519491231002x');
    expect(toHalfWidth('ＡＢＣａｂｃ')).toBe('ABCabc');
  });

  it('converts the whole U+FF01–U+FF5E range, boundaries included', () => {
    expect(toHalfWidth('\uFF01')).toBe('!');
    expect(toHalfWidth('\uFF5E')).toBe('~');
    expect(toHalfWidth('（０７２２）－１２３')).toBe('(0722)-123');
  });

  it('converts the ideographic space to an ordinary space', () => {
    expect(toHalfWidth('张\u3000三')).toBe('张 三');
  });

  it('leaves Chinese text, ASCII and characters just outside the range alone', () => {
    expect(toHalfWidth('张三明 abc 123')).toBe('张三明 abc 123');
    expect(toHalfWidth('\uFF00\uFF5F')).toBe('\uFF00\uFF5F');
    // The full-width comma is in the range; the ideographic full stop U+3002 is not.
    expect(toHalfWidth('，。')).toBe(',。');
  });

  it('keeps astral-plane characters intact', () => {
    expect(toHalfWidth('𠀀１')).toBe('𠀀1');
  });

  it('returns an empty string for empty input', () => {
    expect(toHalfWidth('')).toBe('');
  });
});

describe('stripWhitespace', () => {
  it('removes ordinary, ideographic, non-breaking and zero-width spaces', () => {
    expect(stripWhitespace(' 1\t2\n3\u30004\u00A05\u200B6\uFEFF7 ')).toBe('1234567');
  });
});

describe('dashes', () => {
  it('unifies and strips the dash forms IMEs produce', () => {
    expect(unifyDashes('0722—1234567')).toBe('0722-1234567');
    expect(unifyDashes('a\u2010b\u2212c')).toBe('a-b-c');
    expect(stripDashes('6217-0000\u20140001')).toBe('621700000001');
  });
});

describe('compactDigits', () => {
  it('folds grouped, full-width digit strings', () => {
    expect(compactDigits(' ６２１７ ０００－１２３４ ')).toBe('62170001234');
  });

  it('does not remove other characters', () => {
    expect(compactDigits('12a 34')).toBe('12a34');
  });
});
