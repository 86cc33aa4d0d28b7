/** Spot checks (issue 14): draw and publish a round, follow it, give households to inspectors, compare. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as z from 'zod/mini';
import { isWithinArea } from '#shared/domain/region-code.ts';
import { ERROR_RATE_THRESHOLD } from '#shared/domain/inspection/compare.ts';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import {
  AssignSchema,
  ComparisonSchema,
  DrawPreviewSchema,
  DrawRequestSchema,
  InspectorSchema,
  PublishRoundSchema,
  QualitySchema,
  RoundDetailSchema,
  RoundSummarySchema,
  SampleHouseholdSchema,
  VisitQualitySchema,
} from '#shared/schemas/inspection.ts';
import { findComparisons, inspectorsFor, latestForm, listRounds, roundHouseholds, roundProgress, roundsOfHousehold } from '#server/db/inspection-repository.ts';
import { findRegion, regionsInArea } from '#server/db/regions-repository.ts';
import { RegionNameSchema } from '#shared/schemas/sync.ts';
import { itemNames } from '#server/db/subsidy-items-repository.ts';
import { findUsersByIds } from '#server/db/users-repository.ts';
import { assignRound, previewDraw, publishRound, qualityOf, refreshComparisons, roundForUser, toRoundSummary, visitQuality } from '#server/inspection/inspection-service.ts';
import { apiText } from '#server/messages/api.zh-CN.ts';
import { currentUser } from '../plugins/auth.ts';
import { HttpError } from '../plugins/errors.ts';

const t = apiText.inspection;
const IdParams = z.object({ id: z.uuid() });
const errors = { 400: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema, 409: ApiErrorSchema };

export const inspectionRoutes: FastifyPluginAsyncZod = async (app) => {
  const supervisors = app.requireRole('supervisor', 'admin');
  const db = app.db.db;
  const areaName = async (code: string) => (await findRegion(db, code))?.name ?? null;

  app.get(
    '/inspection/inspectors',
    { preHandler: supervisors, schema: { tags: ['inspection'], summary: 'Active inspector accounts of my area (or around it) to give households to', response: { 200: z.array(InspectorSchema), ...errors } } },
    async (request) => inspectorsFor(db, currentUser(request).areaPrefix),
  );

  app.get(
    '/inspection/areas',
    { preHandler: supervisors, schema: { tags: ['inspection'], summary: 'The county and townships of my area a round may cover', response: { 200: z.array(RegionNameSchema), ...errors } } },
    async (request) => (await regionsInArea(db, currentUser(request).areaPrefix)).filter((r) => r.level === 'county' || r.level === 'township'),
  );

  app.post(
    '/inspection/preview',
    { preHandler: supervisors, schema: { tags: ['inspection'], summary: 'What a seed and rule would draw now, per township and village, not stored', body: DrawRequestSchema, response: { 200: DrawPreviewSchema, ...errors } } },
    async (request) => previewDraw(db, currentUser(request), request.body),
  );

  app.post(
    '/inspection/rounds',
    {
      preHandler: supervisors,
      schema: { tags: ['inspection'], summary: 'Publish a round: the draw the preview showed, frozen with its input (409 if the input changed since)', body: PublishRoundSchema, response: { 201: RoundSummarySchema, ...errors } },
    },
    async (request, reply) => {
      const round = await publishRound(db, currentUser(request), request.body, request.ip);
      return reply.code(201).send(toRoundSummary(round, await areaName(round.areaCode)));
    },
  );

  app.get(
    '/inspection/rounds',
    { preHandler: supervisors, schema: { tags: ['inspection'], summary: 'Rounds of my area, or around it, newest first', response: { 200: z.array(RoundSummarySchema), ...errors } } },
    async (request) => {
      const rows = await listRounds(db, currentUser(request).areaPrefix);
      return Promise.all(rows.map(async (r) => toRoundSummary(r, await areaName(r.areaCode))));
    },
  );

  app.get(
    '/inspection/rounds/:id',
    { preHandler: supervisors, schema: { tags: ['inspection'], summary: "A round and its progress per sampled village in my area", params: IdParams, response: { 200: RoundDetailSchema, ...errors } } },
    async (request) => {
      const user = currentUser(request);
      const round = await roundForUser(db, user, request.params.id);
      await refreshComparisons(db, { roundId: round.id });
      return { round: toRoundSummary(round, await areaName(round.areaCode)), villages: await roundProgress(db, round.id, user.areaPrefix) };
    },
  );

  app.get(
    '/inspection/rounds/:id/input',
    {
      preHandler: supervisors,
      schema: { tags: ['inspection'], summary: 'The frozen input, seed and rule of a round: re-run drawSample on them to check the sample', params: IdParams, response: { 200: z.object({ seed: z.string(), rule: z.unknown(), inputHash: z.string(), input: z.unknown() }), ...errors } },
    },
    async (request) => {
      const round = await roundForUser(db, currentUser(request), request.params.id);
      return { seed: round.seed, rule: round.rule, inputHash: round.inputHash, input: round.input };
    },
  );

  app.get(
    '/inspection/rounds/:id/households',
    {
      preHandler: supervisors,
      schema: {
        tags: ['inspection'],
        summary: 'Sampled households of a round in my area (of one village), with who re-checks them and what the comparison found',
        params: IdParams,
        querystring: z.object({ village: z.optional(z.string().check(z.regex(/^\d{12}$/))) }),
        response: { 200: z.array(SampleHouseholdSchema), ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const round = await roundForUser(db, user, request.params.id);
      return roundHouseholds(db, round.id, user.areaPrefix, request.query.village ?? null);
    },
  );

  app.post(
    '/inspection/rounds/:id/assign',
    {
      preHandler: supervisors,
      schema: { tags: ['inspection'], summary: 'Give whole villages or single households of a round to an inspector (null: take them back)', params: IdParams, body: AssignSchema, response: { 200: z.object({ households: z.int() }), ...errors } },
    },
    async (request) => {
      const user = currentUser(request);
      const round = await roundForUser(db, user, request.params.id);
      return { households: await assignRound(db, user, round, request.body, request.ip) };
    },
  );

  app.get(
    '/inspection/rounds/:id/quality',
    {
      preHandler: supervisors,
      schema: { tags: ['inspection'], summary: 'Error rates of a round per cadre, village and township in my area (T1 and T2 fields), flagged above the threshold', params: IdParams, response: { 200: QualitySchema, ...errors } },
    },
    async (request) => {
      const user = currentUser(request);
      const round = await roundForUser(db, user, request.params.id);
      await refreshComparisons(db, { roundId: round.id });
      return { threshold: ERROR_RATE_THRESHOLD, rows: await qualityOf(db, round.id, user.areaPrefix) };
    },
  );

  app.get(
    '/inspection/visit-quality',
    {
      preHandler: supervisors,
      schema: { tags: ['inspection'], summary: "Visit proof per cadre of my area: recorded visits, median minutes per person, forms flagged (too fast, far, same position, impossible travel, burst)", response: { 200: VisitQualitySchema, ...errors } },
    },
    async (request) => visitQuality(db, currentUser(request).areaPrefix),
  );

  app.get(
    '/inspection/households/:householdId/comparison',
    {
      preHandler: app.requireRole('inspector', 'supervisor', 'admin'),
      schema: {
        tags: ['inspection'],
        summary: "A sampled household's cadre form against its re-check, field by field. An inspector sees it only for a household given to them, once their re-check is in (blind re-check)",
        params: z.object({ householdId: z.string().check(z.minLength(1), z.maxLength(64)) }),
        response: { 200: ComparisonSchema, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { householdId } = request.params;
      const rounds = await roundsOfHousehold(db, householdId);
      const visible = rounds.filter((r) => isWithinArea(r.villageCode, user.areaPrefix) && (user.role !== 'inspector' || r.inspectorUserId === user.id));
      if (visible.length === 0) throw new HttpError(404, 'not_found', t.householdNotFound);
      await refreshComparisons(db, { householdIds: [householdId] });
      const roundIds = new Set(visible.map((r) => r.roundId));
      const row = (await findComparisons(db, householdId)).find((c) => roundIds.has(c.roundId));
      const recheck = await latestForm(db, householdId, 'inspection');
      if (!recheck || (user.role === 'inspector' && recheck.authorUserId !== user.id)) throw new HttpError(409, 'not_rechecked', t.notRechecked);
      const cadre = await latestForm(db, householdId, 'cadre');
      if (!row || !cadre) throw new HttpError(409, 'no_cadre_form', t.noCadreForm);
      const body = cadre.body;
      const members = new Map(body.members.map((m) => [m.personId, m.name]));
      const accounts = new Map(body.accounts.flatMap((a) => (a.accountId === undefined ? [] : [[a.accountId, a.accountMasked ?? ''] as const])));
      const items = await itemNames(db, [...new Set(body.items.map((i) => i.itemCode))]);
      const label = (about: string): string => {
        if (about === '') return '';
        const [person, item] = about.split('|');
        if (item !== undefined) return `${members.get(person ?? '') ?? ''} · ${items[item] ?? item}`;
        return members.get(about) ?? accounts.get(about) ?? about;
      };
      const authors = new Map((await findUsersByIds(db, [cadre.authorUserId, recheck.authorUserId])).map((u) => [u.id, u.displayName]));
      const head = body.members.find((m) => m.personId === body.household.headPersonId)?.name ?? null;
      return {
        householdId,
        villageCode: cadre.villageCode,
        headName: head,
        cadre: { formId: cadre.id, rev: cadre.rev, author: authors.get(cadre.authorUserId) ?? null, visitedAt: body.evidence.visitedAt },
        inspection: { formId: recheck.id, rev: recheck.rev, author: authors.get(recheck.authorUserId) ?? null, visitedAt: (recheck.body).evidence.visitedAt },
        byClass: {
          T1: { compared: row.t1Compared, differing: row.t1Differing },
          T2: { compared: row.t2Compared, differing: row.t2Differing },
          T3: { compared: row.t3Compared, differing: row.t3Differing },
        },
        compared: row.compared,
        differing: row.differing,
        fields: row.fields.map((f) => ({ ...f, aboutLabel: label(f.about) })),
      };
    },
  );
};
