import { MonthlyReportSchema } from '#shared/schemas/report.ts';
import { apiRequest } from '../../api/http.ts';
import { parsedBy } from '../../api/parsed-by.ts';

export const getMonthly = (month: string) => apiRequest('GET', `/reports/monthly?month=${month}`, parsedBy(MonthlyReportSchema));
export const monthlyXlsxHref = (month: string) => `/api/reports/monthly.xlsx?month=${month}`;
