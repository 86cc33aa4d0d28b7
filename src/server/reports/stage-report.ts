/**
 * The stage summaries (阶段小结, issue 15, item 3): 阶段性工作总结 due by
 * 10 July and 年度工作总结 due by 12 December, with the year's cumulative
 * figures through the last full month before each is due (StageReportSchema).
 */
import type { Stage, StageReport } from '#shared/schemas/report.ts';
import { chinaToday } from '#server/ledger/ledger-service.ts';
import type { Db } from '#server/db/client.ts';
import { inspectionFigures, villageFigures, type MonthRange } from '#server/db/report-repository.ts';
import { requestedArea } from '#server/auth/area-scope.ts';
import { apiText } from '#server/messages/api.zh-CN.ts';
import { HttpError } from '#server/plugins/errors.ts';
import { townshipReport } from './monthly-report.ts';

const t = apiText.reports;

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The days a stage counts: from 1 January through 30 June or 30 November, cut at today while it runs. */
export function stagePeriod(year: number, stage: Stage, today: string = chinaToday()) {
  const end = stage === '1' ? `${year}-06-30` : `${year}-11-30`;
  const due = stage === '1' ? `${year}-07-10` : `${year}-12-12`;
  const from = `${year}-01-01`;
  const complete = today > end;
  const through = complete ? end : today;
  const toDate = nextDay(through);
  const range: MonthRange = { from: `${from}T00:00:00+08:00`, to: `${toDate}T00:00:00+08:00`, fromDate: from, toDate };
  return { from, through, due, complete, range };
}

export async function stageReport(db: Db, userPrefix: string, year: number, stage: Stage, areaCode?: string): Promise<StageReport> {
  const today = chinaToday();
  if (`${year}-01-01` > today) throw new HttpError(400, 'future_period', t.futureYear, [{ path: 'query.year', message: t.futureYear }]);
  const period = stagePeriod(year, stage, today);
  const prefix = requestedArea(userPrefix, areaCode ?? userPrefix.padEnd(12, '0'));
  const { range, ...days } = period;
  const report = await townshipReport(db, userPrefix, range, areaCode);
  return {
    year,
    stage,
    ...days,
    ...report,
    villages: await villageFigures(db, prefix, range),
    inspection: await inspectionFigures(db, prefix, range),
    generatedAt: new Date().toISOString(),
  };
}
