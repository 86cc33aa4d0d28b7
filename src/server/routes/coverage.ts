/** Coverage at every level, with drill-down and gaps (issue 15, item 1). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { CoverageQuerySchema, CoverageReportSchema } from '#shared/schemas/coverage.ts';
import { coverageReport } from '#server/coverage/coverage-service.ts';
import { currentUser } from '../plugins/auth.ts';

export const coverageRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/coverage',
    {
      preHandler: app.requireRole('supervisor', 'admin'),
      schema: {
        tags: ['coverage'],
        summary: 'Coverage of my area or a region in it: households, persons and items, per township or village, and the villages not reached',
        querystring: CoverageQuerySchema,
        response: { 200: CoverageReportSchema, 400: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema },
      },
    },
    async (request) => {
      const user = currentUser(request);
      return coverageReport(app.db.db, user.areaPrefix, request.query.area ?? user.areaPrefix.padEnd(12, '0'));
    },
  );
};
