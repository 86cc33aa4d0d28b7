import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod/mini';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { PullQuerySchema, PullResponseSchema, PushRequestSchema, PushResponseSchema } from '#shared/schemas/sync.ts';
import { faultLedger } from '#server/db/fault-ledger-repository.ts';
import { currentUser } from '../plugins/auth.ts';
import { HttpError } from '../plugins/errors.ts';
import { faultAfterCommit, faultBeforePullReply, faultPullPageLimit, faultRefuseSync, faultsEnabled } from '../sync/faults.ts';
import { pull } from '../sync/pull-service.ts';
import { applyPush } from '../sync/push-service.ts';
import { refreshComparisons } from '#server/inspection/inspection-service.ts';
import type { Db } from '#server/db/client.ts';
import type { MutationResult } from '#shared/schemas/sync.ts';
import type { FastifyBaseLogger } from 'fastify';

/**
 * A re-check just stored is compared with the cadre's form at once, so its
 * differences and problems are there when a supervisor looks. The push is
 * already committed: a failure here is logged and made up for by the next
 * look at the round (which refreshes stale comparisons).
 */
async function compareRechecks(db: Db, mutations: readonly unknown[], results: readonly MutationResult[], log: FastifyBaseLogger): Promise<void> {
  const stored = new Set(results.filter((r) => r.status === 'applied' || r.status === 'conflict').map((r) => r.index));
  const households = mutations.flatMap((m, i) => {
    const h = (m as { body?: { householdId?: unknown } } | null)?.body?.householdId;
    return stored.has(i) && typeof h === 'string' ? [h] : [];
  });
  if (households.length === 0) return;
  try {
    await refreshComparisons(db, { householdIds: [...new Set(households)] });
  } catch (err) {
    log.error({ err }, 're-check comparison failed');
  }
}

const DEFAULT_PAGE = 5000;

/** A body already serialized: Fastify sends a string with a JSON content type as it is. */
function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}

/** The bytes of each push request as received (after any Content-Encoding is undone). */
const requestBytes = new WeakMap<FastifyRequest, Buffer>();

export const syncRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/sync/pull',
    {
      preHandler: app.authenticate,
      schema: {
        tags: ['sync'],
        summary: "Changes in the caller's area after the cursor, in pages",
        querystring: PullQuerySchema,
        response: { 200: PullResponseSchema, 400: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      if (faultRefuseSync()) throw new HttpError(503, 'fault', 'refuseSync');
      const deviceId = request.headers['x-device-id'];
      const answer = await pull(app.db.db, currentUser(request), {
        cursor: request.query.cursor,
        limit: faultPullPageLimit(request.query.limit ?? DEFAULT_PAGE),
        columns: request.query.format === 'columns',
        regions: request.query.regions === '1',
        deviceId: typeof deviceId === 'string' ? deviceId : undefined,
      });
      await faultBeforePullReply();
      // A serialized reply goes out as text, past the response serializer (PullResponseSchema still describes it).
      return 'json' in answer ? sendJsonText(reply, answer.json) : answer.value;
    },
  );

  // The push route keeps the request's bytes beside the parsed body: a batch whose
  // text PostgreSQL can store as it is goes to the database as those bytes (push-service.ts).
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    const parseJson = scope.getDefaultJsonParser('error', 'error');
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
      requestBytes.set(request, body);
      void parseJson(request, body.toString('utf8'), done);
    });
    scope.post(
      '/sync/push',
      {
        preHandler: app.authenticate,
        bodyLimit: 16 * 1024 * 1024,
        // Each mutation is checked on its own by the push service (a poison one is rejected alone).
        config: { inputGuardSkip: 'mutations' },
        schema: {
          tags: ['sync'],
          summary: 'Apply a batch of mutations in counter order; each gets its own status',
          body: PushRequestSchema,
          response: { 200: PushResponseSchema, 400: ApiErrorSchema },
        },
        // The answers are built by the push service from typed values: re-validating a batch's
        // hundred answers against the schema on the way out was ~2 % of the ingest CPU. The
        // schema still documents the reply (OpenAPI) and the device parses it.
        serializerCompiler: () => (data) => JSON.stringify(data),
      },
      async (request) => {
        if (faultRefuseSync()) throw new HttpError(503, 'fault', 'refuseSync');
        const user = currentUser(request);
        const results = await applyPush(app.db.db, user, request.body, request.log, requestBytes.get(request));
        await faultAfterCommit();
        if (user.role === 'inspector') await compareRechecks(app.db.db, request.body.mutations, results, request.log);
        return { results };
      },
    );
  });

  // Test-only (YKT_FAULTS=1, never in production): what the server holds for some devices.
  if (faultsEnabled()) {
    app.log.warn('FAULT INJECTION IS ON (YKT_FAULTS=1): test use only');
    app.post(
      '/faults/ledger',
      { preHandler: app.requireRole('admin'), schema: { hide: true, body: z.object({ devices: z.array(z.string()), forms: z.array(z.string()) }) } },
      async (request) => faultLedger(app.db.db, request.body.devices, request.body.forms),
    );
  }
};
