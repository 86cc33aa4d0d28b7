import { describe, expect, it } from 'vitest';
import {
  citizenIdCheckDigit,
  normalizeCitizenId,
  upgradeOld15Id,
  validateCitizenId,
} from '#shared/domain/citizen-id.ts';
import type { CitizenIdResult, IdIssueCode } from '#shared/domain/citizen-id.ts';

/** A fixed day so tests about "the future" do not depend on the clock. */
const TODAY = new Date(2022, 5, 15); // 2022-06-15 local time

/**
 * Independent reference for the check digit, written from the standard's own
 * definition rather than the weight table: the weight of the character at
 * 1-based position i counted from the right is 2^(i-1) mod 11, and the check
 * character a1 makes the weighted sum of all 18 characters ≡ 1 (mod 11).
 */
function referenceCheckDigit(first17: string): string {
  let sum = 0;
  for (let p = 0; p < 17; p++) {
    const weight = 2 ** (17 - p) % 11;
    sum += Number(first17[p]) * weight;
  }
  const a1 = (12 - (sum % 11)) % 11;
  return a1 === 10 ? 'X' : String(a1);
}

/** Appends the check digit. */
function withCheck(first17: string): string {
  return first17 + citizenIdCheckDigit(first17);
}

/** Deterministic pseudo-random digits (LCG), so failures are reproducible. */
function* digitStream(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    yield state % 10;
  }
}

function issueCode(result: CitizenIdResult): IdIssueCode | 'ok' {
  return result.ok ? 'ok' : result.issue.code;
}

function issueMessage(result: CitizenIdResult): string {
  if (result.ok) throw new Error(`expected a failure, got ${result.id}`);
  return result.issue.message;
}

describe('citizenIdCheckDigit', () => {
  it('gives X for the standard example 11010519491231002X', () => {
    expect(citizenIdCheckDigit('11010519491231002')).toBe('X');
  });

  it('matches a hand-worked example', () => {
    // 4·7 + 2·9 + 1·10 + 3·5 + 2·8 + 1·4 + 1·2 + 9·1 + 9·6 + 0·3
    // + 0·7 + 1·9 + 0·10 + 1·5 + 1·8 + 2·4 + 3·2 = 192; 192 mod 11 = 5 → '7'
    expect(citizenIdCheckDigit('42132119900101123')).toBe('7');
    expect(citizenIdCheckDigit('42132119900101124')).toBe('5');
  });

  it('agrees with the reference definition for 2,000 pseudo-random inputs and covers all 11 check values', () => {
    const digits = digitStream(20220615);
    const seen = new Set<string>();
    for (let n = 0; n < 2000; n++) {
      let first17 = '';
      for (let i = 0; i < 17; i++) first17 += String(digits.next().value);
      const check = citizenIdCheckDigit(first17);
      expect(check).toBe(referenceCheckDigit(first17));
      seen.add(check);
    }
    expect([...seen].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']);
  });

  it('rejects anything but exactly 17 ASCII digits', () => {
    expect(() => citizenIdCheckDigit('1101051949123100')).toThrow(RangeError);
    expect(() => citizenIdCheckDigit('110105194912310021')).toThrow(RangeError);
    expect(() => citizenIdCheckDigit('1101051949123100X')).toThrow(RangeError);
    expect(() => citizenIdCheckDigit('１１０１０５１９４９１２３１００２')).toThrow(RangeError);
  });
});

describe('normalizeCitizenId', () => {
  it('converts full-width digits and letters', () => {
    expect(normalizeCitizenId('１１０１０５１９４９１２３１００２ｘ')).toBe('11010519491231002X');
    expect(normalizeCitizenId('１１０１０５１９４９１２３１００２Ｘ')).toBe('11010519491231002X');
  });

  it('trims, removes internal spaces and upper-cases the x', () => {
    expect(normalizeCitizenId('  110105 19491231 002x\t')).toBe('11010519491231002X');
    expect(normalizeCitizenId('110105\u300019491231\u3000002X')).toBe('11010519491231002X');
  });

  it('leaves an already clean ID unchanged', () => {
    expect(normalizeCitizenId('421321199001011237')).toBe('421321199001011237');
  });
});

describe('validateCitizenId: valid IDs', () => {
  it('accepts the standard example and extracts its fields', () => {
    expect(validateCitizenId('11010519491231002X', { today: TODAY })).toEqual({
      ok: true,
      id: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'F',
      regionCode: '110105',
    });
  });

  it.each([
    ['full-width with full-width x', '１１０１０５１９４９１２３１００２ｘ'],
    ['lower-case x', '11010519491231002x'],
    ['surrounding spaces', '  11010519491231002X  '],
    ['internal spaces', '110105 1949 1231 002X'],
    ['ideographic spaces', '\u300011010519491231002X\u3000'],
  ])('accepts %s', (_label, raw) => {
    const result = validateCitizenId(raw, { today: TODAY });
    expect(result.ok).toBe(true);
    expect(result.ok && result.id).toBe('11010519491231002X');
  });

  it('accepts IDs built with citizenIdCheckDigit and reads sex from the 17th digit', () => {
    const male = withCheck('42132119900101123');
    expect(male).toBe('421321199001011237');
    expect(validateCitizenId(male, { today: TODAY })).toEqual({
      ok: true,
      id: male,
      birthDate: '1990-01-01',
      sex: 'M',
      regionCode: '421321',
    });
    const female = withCheck('42132119900101124');
    expect(validateCitizenId(female, { today: TODAY })).toMatchObject({ ok: true, sex: 'F' });
  });

  it('accepts 2,000 built IDs across regions, dates and sequences', () => {
    const digits = digitStream(421321);
    const next = (): number => digits.next().value as number;
    for (let n = 0; n < 2000; n++) {
      const region = `${String(1 + (next() % 8))}${String(next())}${String(next())}${String(next())}${String(next())}${String(next())}`;
      const year = 1900 + ((next() * 10 + next()) % 100) + (next() % 2) * 20; // 1900–2019
      const month = 1 + ((next() * 10 + next()) % 12);
      const day = 1 + ((next() * 10 + next()) % 28);
      const seq = `${String(next())}${String(next())}${String(next())}`;
      const first17 = `${region}${String(year)}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${seq}`;
      const id = withCheck(first17);
      const result = validateCitizenId(id, { today: TODAY });
      expect(result, id).toMatchObject({
        ok: true,
        id,
        regionCode: region,
        birthDate: `${String(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        sex: Number(seq[2]) % 2 === 1 ? 'M' : 'F',
      });
    }
  });

  it('accepts 29 February in a leap year, including 2000', () => {
    expect(issueCode(validateCitizenId(withCheck('44190020000229001'), { today: TODAY }))).toBe('ok');
    expect(issueCode(validateCitizenId(withCheck('42132119880229001'), { today: TODAY }))).toBe('ok');
  });

  it('accepts the earliest allowed year and a birth date equal to today', () => {
    expect(issueCode(validateCitizenId(withCheck('42132119000101001'), { today: TODAY }))).toBe('ok');
    expect(issueCode(validateCitizenId(withCheck('42132120220615001'), { today: TODAY }))).toBe('ok');
  });

  it('compares with the local calendar day of `today`, not its time', () => {
    const lateEvening = new Date(2022, 5, 15, 23, 59, 59);
    expect(issueCode(validateCitizenId(withCheck('42132120220615001'), { today: lateEvening }))).toBe('ok');
  });

  it('accepts an explicit `today: undefined` and then uses the clock', () => {
    expect(issueCode(validateCitizenId('11010519491231002X', { today: undefined }))).toBe('ok');
    expect(issueCode(validateCitizenId('11010519491231002X'))).toBe('ok');
  });
});

describe('validateCitizenId: issues', () => {
  it.each(['', '   ', '\u3000'])('reports empty for %j', (raw) => {
    const result = validateCitizenId(raw);
    expect(issueCode(result)).toBe('empty');
    expect(issueMessage(result)).toBe('请输入身份证号');
  });

  it.each([
    ['a letter other than X', '11010519491231002A'],
    ['X not in the last place', '1101051949123100X2'],
    ['two Xs', '1101051949123100XX'],
    ['hyphens', '110105-19491231-002X'],
    ['Chinese text', '身份证11010519491231002X'],
  ])('reports chars for %s', (_label, raw) => {
    const result = validateCitizenId(raw, { today: TODAY });
    expect(issueCode(result)).toBe('chars');
    expect(issueMessage(result)).toContain('只能包含数字');
  });

  it.each([
    ['17 digits', '11010519491231002', 17],
    ['19 digits', '110105194912310021X', 19],
    ['16 digits', '1101051949123100', 16],
    ['a lone X', 'X', 1],
    ['15 characters ending in X', '11010549123100X', 15],
  ])('reports length for %s', (_label, raw, len) => {
    const result = validateCitizenId(raw, { today: TODAY });
    expect(issueCode(result)).toBe('length');
    expect(issueMessage(result)).toBe(`身份证号应为18位，当前为 ${String(len)} 位`);
  });

  it('reports old15 for a 15-digit ID and suggests its 18-digit form', () => {
    const result = validateCitizenId('110105491231002', { today: TODAY });
    expect(issueCode(result)).toBe('old15');
    expect(issueMessage(result)).toContain('升级为18位');
    expect(issueMessage(result)).toContain('11010519491231002X');
  });

  it('reports old15 for full-width and spaced 15-digit input too', () => {
    expect(issueCode(validateCitizenId('１１０１０５ ４９１２３１ ００２', { today: TODAY }))).toBe('old15');
  });

  it('does not suggest an 18-digit form when the 15-digit ID itself is broken', () => {
    const result = validateCitizenId('110105490230002', { today: TODAY }); // 1949-02-30
    expect(issueCode(result)).toBe('old15');
    expect(issueMessage(result)).toContain('升级为18位');
    expect(issueMessage(result)).not.toMatch(/\d{17}[\dX]/);
  });

  it.each([
    ['0', withCheck('01010519491231002')],
    ['9', withCheck('91010519491231002')],
  ])('reports region when the first digit is %s', (_first, id) => {
    const result = validateCitizenId(id, { today: TODAY });
    expect(issueCode(result)).toBe('region');
    expect(issueMessage(result)).toContain('地址码');
  });

  it.each([
    ['30 February', '42132119900230001', '1990-02-30 不存在'],
    ['29 February in a common year', '42132119900229001', '1990-02-29 不存在'],
    ['29 February 1900 (not a leap year)', '42132119000229001', '1900-02-29 不存在'],
    ['31 April', '42132119900431001', '1990-04-31 不存在'],
    ['month 13', '42132119901301001', '1990-13-01 不存在'],
    ['month 00', '42132119900001001', '1990-00-01 不存在'],
    ['day 00', '42132119900100001', '1990-01-00 不存在'],
    ['day 32', '42132119900132001', '1990-01-32 不存在'],
    ['year before 1900', '42132118991231001', '1899 早于1900年'],
    ['year 0000', '42132100000101001', '0 早于1900年'],
    ['tomorrow', '42132120220616001', '2022-06-16 晚于今天'],
    ['far future', '42132129990101001', '2999-01-01 晚于今天'],
  ])('reports birth for %s', (_label, first17, fragment) => {
    // The check digit is right, so only the date can be at fault.
    const result = validateCitizenId(withCheck(first17), { today: TODAY });
    expect(issueCode(result)).toBe('birth');
    expect(issueMessage(result)).toContain(fragment);
  });

  it('rejects a future birth date against the real clock when no `today` is given', () => {
    expect(issueCode(validateCitizenId(withCheck('42132129990101001')))).toBe('birth');
  });

  it('reports checksum with the expected check character', () => {
    const result = validateCitizenId('110105194912310021', { today: TODAY });
    expect(issueCode(result)).toBe('checksum');
    expect(issueMessage(result)).toBe('身份证号校验位错误，应为 X');
    expect(issueMessage(validateCitizenId('42132119900101123X', { today: TODAY }))).toBe('身份证号校验位错误，应为 7');
  });

  it('rejects every single-character substitution', () => {
    const id = '421321199001011237';
    for (let pos = 0; pos < 18; pos++) {
      for (const replacement of '0123456789X') {
        if (replacement === id[pos]) continue;
        const typo = id.slice(0, pos) + replacement + id.slice(pos + 1);
        // A typo may also break the region or date; it must never pass.
        expect(validateCitizenId(typo, { today: TODAY }).ok, typo).toBe(false);
      }
    }
  });

  it('checks in a fixed order: chars and length before region, region before birth, birth before checksum', () => {
    // Bad region, bad date and bad check digit together → region.
    expect(issueCode(validateCitizenId('910105199002300010', { today: TODAY }))).toBe('region');
    // Bad date and bad check digit → birth.
    expect(issueCode(validateCitizenId('421321199002300010', { today: TODAY }))).toBe('birth');
    // Letters in a too-short value → chars.
    expect(issueCode(validateCitizenId('12AB', { today: TODAY }))).toBe('chars');
  });
});

describe('upgradeOld15Id', () => {
  it('inserts 19 and appends the check digit', () => {
    expect(upgradeOld15Id('110105491231002')).toBe('11010519491231002X');
    expect(upgradeOld15Id('421321900101123')).toBe('421321199001011237');
  });

  it('normalizes its input first', () => {
    expect(upgradeOld15Id(' １１０１０５ ４９１２３１００２ ')).toBe('11010519491231002X');
  });

  it('produces IDs that validate', () => {
    expect(validateCitizenId(upgradeOld15Id('421321650302241'), { today: TODAY })).toMatchObject({
      ok: true,
      birthDate: '1965-03-02',
      sex: 'M',
    });
  });

  it.each(['', '11010549123100', '1101054912310021', '11010549123100X', '11010519491231002X'])(
    'throws a RangeError for %j',
    (raw) => {
      expect(() => upgradeOld15Id(raw)).toThrow(RangeError);
    },
  );
});
