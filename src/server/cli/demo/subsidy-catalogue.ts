/**
 * The demo county's subsidy item catalogue (补贴项目清单): 25 items of the
 * kinds domain.md §3 lists, with standards close to Hubei's 2020–2021
 * levels. The standards are plausible, not official figures: the demo needs
 * believable amounts, and each county sets its own anyway.
 *
 * Codes are department initials + number (MZ 民政, CL 残联, NY 农业农村,
 * LY 林业, WJ 卫健, TY 退役军人, SL 水利, ZJ 住建, RS 人社).
 */
import type { SubsidyItem } from '#shared/schemas/roster.ts';

export const SUBSIDY_CATALOGUE = [
  // 民政
  {
    code: 'MZ01', name: '农村最低生活保障金', department: '民政', unit: 'household', standardAmountFen: 48000, period: 'month',
    amountBasis: 'fixed', meansTested: true, description: '农村低保家庭按月发放',
  },
  {
    code: 'MZ02', name: '特困人员基本生活费', department: '民政', unit: 'person', standardAmountFen: 62000, period: 'month',
    amountBasis: 'fixed', meansTested: true, description: '分散供养特困人员按月发放',
  },
  {
    code: 'MZ03', name: '特困人员照料护理费', department: '民政', unit: 'person', standardAmountFen: 15000, period: 'month',
    amountBasis: 'fixed', meansTested: true, description: '部分失能特困人员按月发放',
  },
  {
    code: 'MZ04', name: '临时救助金', department: '民政', unit: 'household', standardAmountFen: 100000, period: 'once',
    amountBasis: 'variable', meansTested: true, description: '遭遇突发性、紧迫性困难的家庭，按实际困难核定',
  },
  {
    code: 'MZ05', name: '高龄津贴（80—89周岁）', department: '民政', unit: 'person', standardAmountFen: 5000, period: 'month',
    amountBasis: 'fixed', meansTested: false, description: '年满80周岁的次月起发放',
  },
  {
    code: 'MZ06', name: '高龄津贴（90周岁以上）', department: '民政', unit: 'person', standardAmountFen: 10000, period: 'month',
    amountBasis: 'fixed', meansTested: false, description: '年满90周岁的次月起发放',
  },
  {
    code: 'MZ07', name: '孤儿基本生活费', department: '民政', unit: 'person', standardAmountFen: 120000, period: 'month',
    amountBasis: 'fixed', meansTested: false, description: '散居孤儿按月发放，至年满18周岁',
  },
  {
    code: 'MZ08', name: '事实无人抚养儿童基本生活补贴', department: '民政', unit: 'person', standardAmountFen: 100000, period: 'month',
    amountBasis: 'fixed', meansTested: false, description: '按月发放，至年满18周岁',
  },
  {
    code: 'MZ09', name: '城市最低生活保障金', department: '民政', unit: 'household', standardAmountFen: 58000, period: 'month',
    amountBasis: 'fixed', meansTested: true, description: '城市（社区）低保家庭按月发放',
  },
  // 残联
  {
    code: 'CL01', name: '困难残疾人生活补贴', department: '残联', unit: 'person', standardAmountFen: 7000, period: 'month',
    amountBasis: 'fixed', meansTested: true, description: '低保、特困家庭中的残疾人按月发放',
  },
  {
    code: 'CL02', name: '重度残疾人护理补贴', department: '残联', unit: 'person', standardAmountFen: 8000, period: 'month',
    amountBasis: 'fixed', meansTested: false, description: '一、二级重度残疾人按月发放',
  },
  // 农业农村
  {
    code: 'NY01', name: '耕地地力保护补贴', department: '农业农村', unit: 'household', standardAmountFen: 10500, period: 'year',
    amountBasis: 'per-mu', meansTested: false, description: '按确权承包耕地面积每亩发放',
  },
  {
    code: 'NY02', name: '实际种粮农民一次性补贴', department: '农业农村', unit: 'household', standardAmountFen: 1300, period: 'once',
    amountBasis: 'per-mu', meansTested: false, description: '2021年按实际种粮面积每亩一次性发放',
  },
  {
    code: 'NY03', name: '稻谷补贴', department: '农业农村', unit: 'household', standardAmountFen: 2500, period: 'year',
    amountBasis: 'per-mu', meansTested: false, description: '按稻谷种植面积每亩发放',
  },
  // 林业
  {
    code: 'LY01', name: '生态公益林补偿', department: '林业', unit: 'household', standardAmountFen: 1575, period: 'year',
    amountBasis: 'variable', meansTested: false, description: '按公益林面积每亩15.75元发放（面积以林业台账为准）',
  },
  {
    code: 'LY02', name: '退耕还林补助', department: '林业', unit: 'household', standardAmountFen: 30000, period: 'year',
    amountBasis: 'variable', meansTested: false, description: '按退耕还林面积及验收结果发放',
  },
  // 卫健
  {
    code: 'WJ01', name: '农村部分计划生育家庭奖励扶助金', department: '卫健', unit: 'person', standardAmountFen: 96000, period: 'year',
    amountBasis: 'fixed', meansTested: false, description: '年满60周岁的奖扶对象每人每年960元',
  },
  {
    code: 'WJ02', name: '计划生育家庭特别扶助金', department: '卫健', unit: 'person', standardAmountFen: 45000, period: 'month',
    amountBasis: 'fixed', meansTested: false, description: '独生子女伤残、死亡家庭按月发放',
  },
  // 退役军人
  {
    code: 'TY01', name: '在乡复员军人定期生活补助', department: '退役军人', unit: 'person', standardAmountFen: 60000, period: 'month',
    amountBasis: 'fixed', meansTested: false, description: '优抚对象按月发放',
  },
  {
    code: 'TY02', name: '带病回乡退伍军人生活补助', department: '退役军人', unit: 'person', standardAmountFen: 50000, period: 'month',
    amountBasis: 'fixed', meansTested: false, description: '优抚对象按月发放',
  },
  {
    code: 'TY03', name: '参战参试退役人员生活补助', department: '退役军人', unit: 'person', standardAmountFen: 55000, period: 'month',
    amountBasis: 'fixed', meansTested: false, description: '优抚对象按月发放',
  },
  {
    code: 'TY04', name: '农村籍退役士兵老年生活补助', department: '退役军人', unit: 'person', standardAmountFen: 45000, period: 'quarter',
    amountBasis: 'fixed', meansTested: false, description: '年满60周岁的农村籍退役士兵按季度发放',
  },
  // 水利
  {
    code: 'SL01', name: '大中型水库移民后期扶持资金', department: '水利', unit: 'person', standardAmountFen: 30000, period: 'half-year',
    amountBasis: 'fixed', meansTested: false, description: '登记在册的水库移民每人每年600元，按半年发放',
  },
  // 住建
  {
    code: 'ZJ01', name: '农村危房改造补助', department: '住建', unit: 'household', standardAmountFen: 2000000, period: 'once',
    amountBasis: 'variable', meansTested: true, description: '低保、特困等重点对象危房改造，按改造方式核定',
  },
  // 人社: by far the widest item (everyone from 60), and paid to the social-security card in many villages.
  {
    code: 'RS01', name: '城乡居民基础养老金', department: '人社', unit: 'person', standardAmountFen: 11500, period: 'month',
    amountBasis: 'fixed', meansTested: false, description: '年满60周岁的城乡居民按月发放',
  },
] as const satisfies readonly SubsidyItem[];

export type ItemCode = (typeof SUBSIDY_CATALOGUE)[number]['code'];

/**
 * The month (1–12) in which yearly and one-off items are paid. A real
 * county pays each item in batches at roughly the same time every year.
 */
export const ANNUAL_PAY_MONTH: Readonly<Partial<Record<ItemCode, number>>> = {
  NY01: 6,
  NY02: 7,
  NY03: 9,
  LY01: 11,
  LY02: 12,
  WJ01: 7,
};
