import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod/mini';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { PullQuerySchema, PullResponseSchema, PushRequestSchema, PushResponseSchema, SYNC_ENTITIES, type PullChanges } from '#shared/schemas/sync.ts';
import { COLUMN_ENTITIES, type ColumnEntity } from '#shared/schemas/sync-columns.ts';
import { pullColumnPage, type ColumnPage } from '#server/db/sync-columns-repository.ts';
import {
  areaTotals,
  formKindsFor,
  pullAccounts,
  pullForms,
  pullHouseholds,
  pullItems,
  pullPaymentLines,
  pullPersons,
  type EntityPage,
  type StreamPosition,
} from '#server/db/sync-repository.ts';
import { faultLedger } from '#server/db/fault-ledger-repository.ts';
import { regionsInArea } from '#server/db/regions-repository.ts';
import { touchDevice } from '#server/db/forms-repository.ts';
import { currentUser } from '../plugins/auth.ts';
import { decodeCursor, encodeCursor } from '../sync/cursor.ts';
import { faultAfterCommit, faultBeforePullReply, faultPullPageLimit, faultsEnabled } from '../sync/faults.ts';
import { pinyinInitials } from '../sync/pinyin.ts';
import { applyPush } from '../sync/push-service.ts';

const DEFAULT_PAGE = 5000;

/** The bytes of each push request as received (after any Content-Encoding is undone). */
const requestBytes = new WeakMap<FastifyRequest, Buffer>();

/** Optional roster columns travel as absent, not null, matching the shared types. */
function dropNulls<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (v !== null) out[k] = v;
  return out as T;
}

/** A body already serialized: Fastify sends a string with a JSON content type as it is. */
function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}

const isColumnEntity = (e: string): e is ColumnEntity => (COLUMN_ENTITIES as readonly string[]).includes(e);

/** A persons block gets the pinyin initials of its names (made here: pinyin-pro is not in the database). */
function blockJson(page: ColumnPage): string {
  const c = page.names === null ? page.columnsJson : `${page.columnsJson.slice(0, -1)},"pinyinInitials":${JSON.stringify(page.names.map(pinyinInitials))}}`;
  return `{"n":${page.n},"c":${c}}`;
}

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
      const user = currentUser(request);
      const cursor = decodeCursor(request.query.cursor);
      const limit = faultPullPageLimit(request.query.limit ?? DEFAULT_PAGE);
      const area = user.areaPrefix;
      const db = app.db.db;
      const first = request.query.cursor === undefined || request.query.cursor === '';
      const columnar = request.query.format === 'columns';

      const changes: PullChanges = { item: [], household: [], person: [], account: [], paymentLine: [], form: [] };
      let budget = limit;
      let hasMore = false;
      const readers: Record<(typeof SYNC_ENTITIES)[number], (pos: StreamPosition, n: number) => Promise<EntityPage<Record<string, unknown>>>> = {
        item: (pos, n) => pullItems(db, pos, n),
        household: (pos, n) => pullHouseholds(db, area, pos, n),
        person: (pos, n) => pullPersons(db, area, pos, n),
        account: (pos, n) => pullAccounts(db, area, pos, n),
        paymentLine: (pos, n) => pullPaymentLines(db, area, pos, n),
        // A re-check stays independent of the person re-checked: cadres never receive inspection forms.
        form: (pos, n) => pullForms(db, area, pos, n, formKindsFor(user.role)),
      };
      // format=columns: the roster entities come as JSON text the database built (sync-columns-repository.ts).
      const blocks: string[] = [];
      for (const entity of SYNC_ENTITIES) {
        if (budget === 0) {
          hasMore = true;
          break;
        }
        if (columnar && isColumnEntity(entity)) {
          const block = await pullColumnPage(db, entity, area, cursor[entity], budget);
          cursor[entity] = block.last;
          budget -= block.n;
          if (block.n > 0 && budget === 0) hasMore = true;
          if (block.n > 0) blocks.push(`${JSON.stringify(entity)}:${blockJson(block)}`);
          continue;
        }
        const page = await readers[entity](cursor[entity], budget);
        cursor[entity] = page.last;
        budget -= page.rows.length;
        if (page.rows.length > 0 && budget === 0) hasMore = true;
        (changes[entity] as unknown[]) = page.rows.map((r) => {
          const row = dropNulls(r);
          if (entity === 'person') return { ...row, pinyinInitials: pinyinInitials(String(row.name)) };
          if (entity === 'form') return { ...row, updatedAt: (row.updatedAt as Date).toISOString(), reviewComment: r.reviewComment ?? null };
          return row;
        });
      }
      const deviceId = request.headers['x-device-id'];
      if (typeof deviceId === 'string' && /^[0-9a-f-]{36}$/.test(deviceId)) {
        await touchDevice(db, { id: deviceId, userId: user.id, appVersion: null, pull: true });
      }
      const totals = first ? { totals: await areaTotals(db, area, formKindsFor(user.role)) } : {};
      const regions = request.query.regions === '1' ? await regionsInArea(db, area) : undefined;
      await faultBeforePullReply();
      if (columnar) {
        // Already JSON, so it goes out as text, past the response serializer (PullResponseSchema still describes it).
        const body = `{"changes":${JSON.stringify(changes)},"cursor":${JSON.stringify(encodeCursor(cursor))},"hasMore":${String(hasMore)}${
          'totals' in totals ? `,"totals":${JSON.stringify(totals.totals)}` : ''
        }${regions ? `,"regions":${JSON.stringify(regions)}` : ''},"columns":{${blocks.join(',')}}}`;
        return sendJsonText(reply, body);
      }
      return { changes, cursor: encodeCursor(cursor), hasMore, ...totals, ...(regions ? { regions } : {}) };
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
        const user = currentUser(request);
        const results = await applyPush(app.db.db, user, request.body, request.log, requestBytes.get(request));
        await faultAfterCommit();
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
