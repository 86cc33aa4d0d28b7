import { MonthlyReportSchema, StageReportSchema, type Stage } from '#shared/schemas/report.ts';
import { apiRequest } from '../../api/http.ts';
import { parsedBy } from '../../api/parsed-by.ts';

export const getMonthly = (month: string) => apiRequest('GET', `/reports/monthly?month=${month}`, parsedBy(MonthlyReportSchema));
export const monthlyXlsxHref = (month: string) => `/api/reports/monthly.xlsx?month=${month}`;
export const getStage = (year: number, stage: Stage) => apiRequest('GET', `/reports/stage?year=${year}&stage=${stage}`, parsedBy(StageReportSchema));
export const stageXlsxHref = (year: number, stage: Stage) => `/api/reports/stage.xlsx?year=${year}&stage=${stage}`;
