/**
 * The words a roster cell may hold for a fixed set of values, as they are
 * written in real county spreadsheets (compared without spaces, case aside),
 * and the words a reason shows as the ones to use. This is the file format,
 * like the column headers of columns.ts; messages live in
 * src/server/messages.
 */
import type { AccountType } from '#shared/domain/account-number.ts';
import type { PersonStatus, Region, Relation, Sex } from '#shared/schemas/roster.ts';

/** Accepted words per value, and the ones a reason lists. */
export interface Choice<T extends string> {
  words: Readonly<Record<T, readonly string[]>>;
  shown: readonly string[];
}

export const LEVEL: Choice<Region['level']> = {
  words: {
    province: ['省', '省级', '自治区', '直辖市'],
    city: ['市', '地级', '地级市', '市级', '州', '盟'],
    county: ['县', '区', '县级', '县区', '县级市'],
    township: ['乡', '镇', '乡镇', '街道', '乡级', '乡镇级'],
    village: ['村', '社区', '村级', '居委会', '村委会', '村(社区)'],
  },
  shown: ['省', '市', '县', '乡镇', '村'],
};

export const UNIT: Choice<'household' | 'person'> = { words: { household: ['按户', '户', '家庭'], person: ['按人', '人', '个人'] }, shown: ['按户', '按人'] };

export const PERIOD: Choice<'month' | 'quarter' | 'half-year' | 'year' | 'once'> = {
  words: {
    month: ['按月', '月', '每月', '月度'],
    quarter: ['按季', '季', '季度', '按季度', '每季'],
    'half-year': ['按半年', '半年', '每半年'],
    year: ['按年', '年', '每年', '年度'],
    once: ['一次性', '一次'],
  },
  shown: ['按月', '按季', '按半年', '按年', '一次性'],
};

export const BASIS: Choice<'fixed' | 'per-mu' | 'variable'> = {
  words: {
    fixed: ['固定标准', '固定', '定额', '标准'],
    'per-mu': ['按亩', '按面积', '亩'],
    variable: ['据实', '不定', '按实际', '变动', '核定'],
  },
  shown: ['固定标准', '按亩', '据实'],
};

export const SEX: Choice<Sex> = { words: { M: ['男', 'male', '男性'], F: ['女', 'female', '女性'] }, shown: ['男', '女'] };

export const STATUS: Choice<PersonStatus> = {
  words: {
    living: ['正常', '在世', '健在', '在册', '在户'],
    deceased: ['死亡', '已故', '去世', '身故', '已死亡'],
    'moved-out': ['迁出', '已迁出', '外迁', '户口迁出'],
    'not-member': ['非本户成员', '非本户', '不是本户成员', '不是本户'],
  },
  shown: ['正常', '死亡', '迁出', '非本户成员'],
};

/** Relations: the roster's own values are accepted as they are; these are the other spellings. */
export const RELATION: Choice<Relation> = {
  words: {
    户主: ['本人', '户主本人'],
    配偶: ['妻', '妻子', '夫', '丈夫', '爱人', '老伴'],
    子: ['儿子', '长子', '次子', '三子', '四子', '独子', '养子', '继子'],
    女: ['女儿', '长女', '次女', '三女', '四女', '独女', '养女', '继女'],
    父母: ['父亲', '母亲', '父', '母', '公公', '婆婆', '岳父', '岳母'],
    孙子女: ['孙子', '孙女', '外孙', '外孙子', '外孙女', '孙'],
    兄弟姐妹: ['兄', '弟', '姐', '妹', '哥哥', '弟弟', '姐姐', '妹妹', '兄弟', '姐妹'],
    其他: ['儿媳', '女婿', '祖父', '祖母', '外祖父', '外祖母', '侄子', '侄女', '其他亲属', '其它'],
  },
  shown: [],
};
/** What an unrecognised relation is imported as (with a warning). */
export const OTHER_RELATION: Relation = '其他';

export const ACCOUNT_TYPE: Choice<AccountType> = {
  words: {
    card: ['银行卡', '卡', '一卡通', '借记卡', '惠农卡', '一卡通卡'],
    passbook: ['存折', '折', '一折通'],
    sscard: ['社保卡', '社会保障卡', '社保卡金融账户'],
  },
  shown: ['银行卡', '存折', '社保卡'],
};

export const YES_NO: Choice<'yes' | 'no'> = {
  words: {
    yes: ['是', '有', 'y', 'true', '1', '√', '✓'],
    no: ['否', '不是', '无', 'n', 'false', '0', '×', '✗'],
  },
  shown: ['是', '否'],
};

/** Quarters written in words or digits (2020年第一季度). */
export const QUARTER_WORDS: Readonly<Record<string, number>> = { 一: 1, 二: 2, 三: 3, 四: 4, '1': 1, '2': 2, '3': 3, '4': 4 };
/** 上半年: the first half of a year (下半年 the second). */
export const FIRST_HALF = '上';
