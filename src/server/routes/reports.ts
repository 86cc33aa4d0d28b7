/** The monthly report (issue 15, item 3): JSON for the printable page, XLSX to send upward. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { MonthlyQuerySchema, MonthlyReportSchema, StageQuerySchema, StageReportSchema } from '#shared/schemas/report.ts';
import { STAGE_NAMES } from '#shared/domain/stage-summary.ts';
import { audit } from '#server/audit/audit.ts';
import { apiText } from '#server/messages/api.zh-CN.ts';
import { monthlyReport } from '#server/reports/monthly-report.ts';
import { monthlyXlsx, stageXlsx } from '#server/reports/monthly-xlsx.ts';
import { stageReport } from '#server/reports/stage-report.ts';
import { currentUser } from '../plugins/auth.ts';
import { attachment } from './attachment.ts';

const t = apiText.reports;

export const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  const reviewers = app.requireRole('supervisor', 'admin');

  app.get(
    '/reports/monthly',
    {
      preHandler: reviewers,
      schema: {
        tags: ['reports'],
        summary: 'The monthly report of my area or a region in it: per township, households checked, problems by category and code, closed, recovered, referred',
        querystring: MonthlyQuerySchema,
        response: { 200: MonthlyReportSchema, 400: ApiErrorSchema, 403: ApiErrorSchema },
      },
    },
    async (request) => monthlyReport(app.db.db, currentUser(request).areaPrefix, request.query.month, request.query.area),
  );

  app.get(
    '/reports/monthly.xlsx',
    { preHandler: reviewers, schema: { tags: ['reports'], summary: 'The same report as an XLSX workbook (logged)', querystring: MonthlyQuerySchema } },
    async (request, reply) => {
      const report = await monthlyReport(app.db.db, currentUser(request).areaPrefix, request.query.month, request.query.area);
      await audit(app.db.db, request, { action: 'export.report', targetType: 'region', targetId: report.area.code, details: { month: report.month } });
      attachment(reply, `monthly-${report.area.code}-${report.month}.xlsx`, `${t.monthlyFileName(report.area.name, report.month)}.xlsx`);
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await monthlyXlsx(report));
    },
  );

  app.get(
    '/reports/stage',
    {
      preHandler: reviewers,
      schema: {
        tags: ['reports'],
        summary: "A stage summary (1: the mid-year summary due by 10 July, 2: the annual one due by 12 December) of my area or a region in it: the year's cumulative figures to 30 June or 30 November, per township, with coverage and spot checks",
        querystring: StageQuerySchema,
        response: { 200: StageReportSchema, 400: ApiErrorSchema, 403: ApiErrorSchema },
      },
    },
    async (request) => stageReport(app.db.db, currentUser(request).areaPrefix, Number(request.query.year), request.query.stage, request.query.area),
  );

  app.get(
    '/reports/stage.xlsx',
    { preHandler: reviewers, schema: { tags: ['reports'], summary: 'The same stage summary as an XLSX workbook: key figures, then per township (logged)', querystring: StageQuerySchema } },
    async (request, reply) => {
      const report = await stageReport(app.db.db, currentUser(request).areaPrefix, Number(request.query.year), request.query.stage, request.query.area);
      await audit(app.db.db, request, { action: 'export.report', targetType: 'region', targetId: report.area.code, details: { year: report.year, stage: report.stage } });
      attachment(reply, `stage${report.stage}-${report.area.code}-${report.year}.xlsx`, `${t.stageFileName(report.area.name, report.year, STAGE_NAMES[report.stage])}.xlsx`);
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await stageXlsx(report));
    },
  );
};
