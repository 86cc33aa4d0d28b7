/**
 * Problem types of the one-card look-back campaign (domain.md §5). The codes
 * and titles are quoted verbatim from the seed documents: findings, the
 * problem ledger and the monthly report upward all use them, and officials
 * recognise the exact wording.
 */

export type ProblemCategory = 'A' | 'B' | 'C';

export const PROBLEM_CATEGORIES: Readonly<Record<ProblemCategory, string>> = {
  A: '政策落实、资金管理不到位',
  B: '"一卡通"办理、发放和使用不规范',
  C: '违法违规',
};

export const PROBLEM_CODES = [
  { code: 'A1', category: 'A', title: '违规将资金大项拆成小项，多头管理' },
  { code: 'A2', category: 'A', title: '资金发放不及时、不足额，应享受政策未享受' },
  { code: 'A3', category: 'A', title: '超标准超范围发放，应退出未退出、不该享受的违规享受' },
  { code: 'A4', category: 'A', title: '应通过"一卡通"发放而未采用，该直发而进行"二次分配"' },
  { code: 'A5', category: 'A', title: '政策清单未公布，政策宣传和分配结果公示公开不到位，群众不知晓' },
  {
    code: 'A6',
    category: 'A',
    title: '未建立台账、未履行审核审批和监督责任、未及时核实更新补贴对象身份信息、未发放资金未按规定存放',
  },
  { code: 'A7', category: 'A', title: '财政补贴政策不符合实际、漏洞较多、政策效果不明显' },
  { code: 'B1', category: 'B', title: '多部门办理"一卡通"，群众"一人多卡"、使用不便' },
  { code: 'B2', category: 'B', title: '代理银行过多过滥，未按要求选定' },
  { code: 'B3', category: 'B', title: '代理银行违规收费、增加群众负担' },
  { code: 'C1', category: 'C', title: '申报审核及办卡过程中优亲厚友、吃拿卡要、以权谋私' },
  { code: 'C2', category: 'C', title: '用无关人员身份证件办理"一卡通"，虚报冒领' },
  { code: 'C3', category: 'C', title: '贪污侵占、截留挪用补贴资金' },
  { code: 'C4', category: 'C', title: '未经本人同意，私自保管甚至扣押群众"一卡通"' },
] as const satisfies readonly { code: string; category: ProblemCategory; title: string }[];

export type ProblemCode = (typeof PROBLEM_CODES)[number]['code'];

/** The codes alone, in ledger order, e.g. for `z.enum(PROBLEM_CODE_VALUES)`. */
export const PROBLEM_CODE_VALUES = PROBLEM_CODES.map((p) => p.code) as [ProblemCode, ...ProblemCode[]];

const TITLES = new Map<string, string>(PROBLEM_CODES.map((p) => [p.code, p.title]));

export function isProblemCode(value: string): value is ProblemCode {
  return TITLES.has(value);
}

/** The Chinese title of a problem code. */
export function problemTitle(code: ProblemCode): string {
  // Every ProblemCode is a key of TITLES by construction.
  return TITLES.get(code) ?? code;
}

/**
 * Category C findings are handed to the discipline inspection commission
 * (移送纪检监察) rather than closed by the township alone.
 */
export function isDisciplineReferral(code: ProblemCode): boolean {
  return code.startsWith('C');
}
