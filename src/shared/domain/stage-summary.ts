/**
 * The stage summaries' own words and key figures (阶段性工作总结,
 * 年度工作总结): the document's title and the figures it reports, in the
 * order they are written up. One list, so the screen and the Excel workbook
 * cannot disagree; each formats the values its way (money in fen).
 */
import type { Stage, StageReport } from '../schemas/report.ts';

export const STAGE_NAMES: Record<Stage, string> = { '1': '阶段性工作总结', '2': '年度工作总结' };

export const stageTitle = (area: string, year: number, stage: Stage) => `${area}惠民惠农财政补贴资金“一卡通”专项治理“回头看”${year}年${STAGE_NAMES[stage]}（主要数据）`;

/** A share as a percentage with one decimal, or a dash when there is nothing to divide by. */
export const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${((part / whole) * 100).toFixed(1)}%`);

export interface StageFigure {
  label: string;
  /** Text, a count, or (with `money`) an amount in fen. */
  value: string | number;
  money?: boolean;
}

export function stageFigures(r: StageReport): StageFigure[] {
  const x = r.total;
  const i = r.inspection;
  return [
    { label: '统计期间', value: `${r.from} 至 ${r.through}${r.complete ? '' : '（期间未结束，截至今日）'}；${r.due} 前报送` },
    { label: '已开始核查的村 / 村总数', value: `${r.villages.started} / ${r.villages.villages}` },
    { label: '已入户核查户数 / 在册户数', value: `${x.checkedToDate} / ${x.households}` },
    { label: '户覆盖率', value: percent(x.checkedToDate, x.households) },
    { label: '发现问题（个）', value: x.foundInMonth },
    { label: '其中 A类 / B类 / C类', value: `${x.byCategory.A ?? 0} / ${x.byCategory.B ?? 0} / ${x.byCategory.C ?? 0}` },
    { label: '涉及金额（元）', value: x.amountInvolvedFen, money: true },
    { label: '已整改销号（个）', value: x.closedToDate },
    { label: '销号率', value: percent(x.closedToDate, x.closedToDate + x.openAtEnd) },
    { label: '追回资金（元）', value: x.amountRecoveredFen, money: true },
    { label: '移送纪检监察（个）', value: x.referredInMonth },
    { label: '期末未销号（个）', value: x.openAtEnd },
    { label: '重点抽查批次', value: i.rounds },
    { label: '抽查村数 / 抽查户数', value: `${i.villages} / ${i.sampled}` },
    { label: '已复查户数', value: i.rechecked },
    { label: '复查与村干部核查表不一致（户）', value: i.differing },
    { label: '其中关键项不一致（户）', value: i.t1Differing },
  ];
}
