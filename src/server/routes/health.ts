import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HealthSchema } from '#shared/schemas/api.ts';
import { APP_SCHEMA_VERSION } from '#shared/version.ts';

export const healthRoutes: FastifyPluginAsyncZod<{ version: string }> = async (app, opts) => {
  app.get(
    '/health',
    { schema: { tags: ['system'], summary: 'Liveness, database kind and schema version', response: { 200: HealthSchema } } },
    async () => ({
      status: 'ok' as const,
      database: app.db.kind,
      schemaVersion: await app.db.schemaVersion(),
      appSchemaVersion: APP_SCHEMA_VERSION,
      version: opts.version,
    }),
  );
};
