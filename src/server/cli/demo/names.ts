/**
 * Realistic Chinese names for the demo county: common surnames with their
 * approximate national shares (per mille, rounded from the 2020 census
 * surname ranking), and given-name characters typical of each generation
 * and sex. Given names follow fashions closely enough that 秀英 born in 2010
 * or 梓涵 born in 1940 would look wrong to a cadre at once.
 */
import { WeightedPicker, type Random } from './random.ts';

/** [surname, share per mille] */
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 71], ['李', 70], ['张', 67], ['刘', 54], ['陈', 45], ['杨', 31], ['黄', 22], ['赵', 20],
  ['吴', 20], ['周', 19], ['徐', 15], ['孙', 14], ['马', 13], ['朱', 12], ['胡', 13], ['郭', 12],
  ['何', 11], ['高', 10], ['林', 10], ['罗', 9], ['郑', 8], ['梁', 8], ['谢', 7], ['宋', 6],
  ['唐', 6], ['许', 6], ['韩', 6], ['冯', 5], ['邓', 5], ['曹', 5], ['彭', 5], ['曾', 5],
  ['肖', 5], ['田', 5], ['董', 5], ['袁', 4], ['潘', 4], ['于', 4], ['蒋', 4], ['蔡', 4],
  ['余', 4], ['杜', 4], ['叶', 4], ['程', 4], ['苏', 3], ['魏', 3], ['吕', 3], ['丁', 3],
  ['任', 3], ['沈', 3], ['姚', 3], ['卢', 3], ['姜', 3], ['崔', 3], ['钟', 3], ['谭', 3],
  ['陆', 3], ['汪', 3], ['范', 3], ['金', 3], ['石', 3], ['廖', 3], ['贾', 3], ['夏', 3],
  ['韦', 3], ['付', 3], ['方', 3], ['白', 3], ['邹', 3], ['孟', 3], ['熊', 3], ['秦', 3],
  ['邱', 3], ['江', 3], ['尹', 2], ['薛', 2], ['闫', 2], ['段', 2], ['雷', 2], ['侯', 2],
  ['龙', 2], ['史', 2], ['陶', 2], ['黎', 2], ['贺', 2], ['顾', 2], ['毛', 2], ['郝', 2],
  ['龚', 2], ['邵', 2], ['万', 2], ['钱', 2], ['严', 2], ['覃', 2], ['武', 2], ['戴', 2],
  ['莫', 2], ['孔', 2], ['向', 2], ['汤', 2],
];

const surnamePicker = new WeightedPicker(SURNAMES);

export function pickSurname(rng: Random): string {
  return surnamePicker.pick(rng);
}

type Era = 'pre1960' | '1960s-80s' | '1986-2005' | 'post2005';

/** Characters used in given names, by generation and sex. */
const GIVEN: Readonly<Record<Era, { M: string; F: string }>> = {
  pre1960: {
    M: '德福贵富财明国华建军林山发生才文金有成兴荣汉清忠义保长春海玉水根宝顺家正祥',
    F: '秀英兰珍桂芳凤玉梅花莲翠琴云香菊春华素淑荣芝桃娥霞美爱银巧',
  },
  '1960s-80s': {
    M: '建国伟勇军斌强平东涛波辉刚红卫明华峰林志新忠杰文武小永彬亮兵',
    F: '丽红霞燕敏艳娟玲萍静芳琴英梅华春秀莉丹娜慧冬晓凤琼雪',
  },
  '1986-2005': {
    M: '杰磊鹏浩宇超帅亮博俊鑫晨凯飞阳龙威涛伟强刚健明辉文斌鸿旭',
    F: '婷倩雪琳丹璐佳欣颖晶瑶莹娜雨蕾洁敏慧静怡梦芳丽娟月思',
  },
  post2005: {
    M: '浩宇轩子梓睿博宸泽皓俊铭嘉航晨奕一逸辰烨霖安哲瑞承宁',
    F: '涵欣怡梓萱雨诗语思可若佳婉悦馨琪妍彤一菲雅曦沐心',
  },
};

/** Every given-name character here is one BMP code point, so splitting by code point is exact. */
const chars = (s: string): readonly string[] => Array.from(s);

const POOLS: Readonly<Record<Era, { M: readonly string[]; F: readonly string[] }>> = {
  pre1960: { M: chars(GIVEN.pre1960.M), F: chars(GIVEN.pre1960.F) },
  '1960s-80s': { M: chars(GIVEN['1960s-80s'].M), F: chars(GIVEN['1960s-80s'].F) },
  '1986-2005': { M: chars(GIVEN['1986-2005'].M), F: chars(GIVEN['1986-2005'].F) },
  post2005: { M: chars(GIVEN.post2005.M), F: chars(GIVEN.post2005.F) },
};

function eraOf(birthYear: number): Era {
  if (birthYear < 1960) return 'pre1960';
  if (birthYear < 1986) return '1960s-80s';
  if (birthYear <= 2005) return '1986-2005';
  return 'post2005';
}

/**
 * A given name: one character (common among the old) or two different
 * characters (the norm since the 1980s).
 */
export function pickGivenName(rng: Random, sex: 'M' | 'F', birthYear: number): string {
  const era = eraOf(birthYear);
  const pool = POOLS[era][sex];
  const singleShare = era === 'pre1960' ? 0.35 : era === '1960s-80s' ? 0.3 : 0.15;
  const first = rng.pick(pool);
  if (rng.chance(singleShare)) return first;
  let second = rng.pick(pool);
  // Doubled characters (婷婷, 明明) exist but are rarer than a straight redraw.
  if (second === first && !rng.chance(0.3)) second = rng.pick(pool);
  return first + second;
}
