/** The coverage screen (lazy chunk): 市不漏镇、镇不漏村、村不漏户、户不漏人、人不漏项. */
import type { RegionLevel } from '#shared/domain/region-code.ts';

const pct = (covered: number, total: number) => (total === 0 ? '—' : `${Math.floor((covered / total) * 100)}%`);

export const coverageText = {
  title: '核查覆盖',
  back: '首页',
  loading: '正在统计…',
  loadFailed: (why: string) => `统计失败：${why}`,
  pathLabel: '所在层级',
  summary: '完成情况',
  exportWhat: {
    forms: '导出本级核查表（每户一行，号码脱敏）：',
    items: '导出补贴明细（每人每项一行）：',
    coverage: '导出覆盖情况（每村一行，含缺口）：',
  },
  exportXlsx: 'Excel',
  exportCsv: 'CSV',
  /** The links' accessible names: two rows of Excel/CSV links must not read alike. */
  exportLabel: (what: 'forms' | 'items' | 'coverage', format: string) => `${{ forms: '核查表', items: '补贴明细', coverage: '覆盖情况' }[what]} ${format}`,
  villages: '已开始的村',
  households: '已入户核查的户',
  persons: '已确认的人',
  items: '已问到的补贴项目',
  count: (covered: number, total: number) => `${covered} / ${total}（${pct(covered, total)}）`,
  valueText: (covered: number, total: number) => `${covered} / ${total}，${pct(covered, total)}`,
  apart: (notFound: number, refused: number) => `其中未找到 ${notFound} 户，拒绝核查 ${refused} 户（已入户但人和项目未覆盖）`,
  childrenTitle: (level: RegionLevel) => (level === 'village' ? '各村完成情况' : level === 'township' ? '各乡镇完成情况' : '各县（市、区）完成情况'),
  childrenHint: '条形为已入户核查户数占比；点名称查看下一级。',
  childLine: (visited: number, households: number, persons: string, items: string) => `${visited}/${households} 户 · 人 ${persons} · 项 ${items}`,
  pct,
  householdsTitle: '各户情况',
  householdsHint: '未入户的排在前面；点已核查的户查看核查表。',
  headUnknown: '（户主未知）',
  place: (group: string, house: string) => `${group} ${house}号`,
  outcome: { none: '未入户', checked: '已核查', 'not-found': '未找到', refused: '拒绝核查' } as Record<string, string>,
  personsItems: (p: number, pt: number, i: number, it: number) => `人 ${p}/${pt} · 项 ${i}/${it}`,
  by: (name: string) => `核查人 ${name}`,
  zeroTitle: (n: number) => `尚无任何核查表的村（${n} 个）`,
  zeroShow: '展开名单',
  zeroMore: (shown: number, total: number) => `仅列出前 ${shown} 个，共 ${total} 个。`,
  zeroLine: (name: string, households: number) => `${name}（${households} 户）`,
  noZero: '每个村都已开始核查。',
};
