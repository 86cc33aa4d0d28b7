/** The public disclosure page (公示): no sign-in, for any villager (lazy chunk). */
import type { PeriodKind, SubsidyUnit } from '#shared/schemas/roster.ts';

const PERIOD_LABELS: Record<PeriodKind, string> = { month: '月', quarter: '季', 'half-year': '半年', year: '年', once: '次' };

export const disclosureText = {
  title: '惠民惠农财政补贴资金公示',
  intro: '按村（社区）公示惠民惠农补贴政策清单，以及本村享受补贴的人员、项目和发放金额。为保护个人信息，姓名部分隐去，不公示身份证号和银行账号。',
  township: '乡镇',
  village: '村（社区）',
  chooseTownship: '请选择乡镇',
  chooseVillage: '请选择村（社区）',
  pickFirst: '请先选择乡镇和村（社区）。',
  loading: '正在读取公示内容…',
  loadFailed: (msg: string) => `公示内容读取失败：${msg}`,
  heading: (county: string, township: string, village: string, year: string) => `${county}${township}${village} ${year}年惠民惠农补贴资金发放公示`,
  noPayments: (village: string) => `${village}暂无补贴发放记录。`,
  years: '年度',
  yearTab: (y: string) => `${y}年`,
  policyList: '一、补贴政策清单',
  policyCols: { item: '补贴项目', department: '主管部门', standard: '标准', beneficiaries: '本村享受', amount: '发放金额（元）' },
  standard: (amount: string, unit: SubsidyUnit, period: PeriodKind) => `${amount} 元/${unit === 'household' ? '户' : '人'}·${PERIOD_LABELS[period]}`,
  variable: '按实际核定',
  /** A household item is paid to the household (its head on the roster): counted in households. */
  people: (n: number, unit: SubsidyUnit) => `${n} ${unit === 'household' ? '户' : '人'}`,
  beneficiaries: '二、享受补贴人员名单',
  itemHeading: (name: string, people: string, amount: string) => `${name}（${people}，合计 ${amount}）`,
  cols: { no: '序号', name: '姓名', group: '组别', periods: '发放期间及每期金额', total: '合计（元）' },
  run: (from: string, to: string, periods: number, amount: string) => (from === to ? `${from} ${amount} 元` : `${from} 至 ${to} 共 ${periods} 期，每期 ${amount} 元`),
  total: '合计',
  grandTotal: (amount: string) => `本年度全村发放合计 ${amount}`,
  objection: '对公示内容有异议的，请在公示期内向村委会、乡镇政府或县级主管部门反映，也可以',
  report: '在线举报问题线索',
  generated: (at: string) => `数据截至 ${at}`,
  print: '打印公示',
  signIn: '工作人员登录',
} as const;
