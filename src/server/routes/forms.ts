import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as z from 'zod/mini';
import { recheckOf, visitFlagsOfForm } from '#server/inspection/inspection-service.ts';
import { setAtPath } from '#shared/domain/form-merge.ts';
import { areaCodeRange, isWithinArea } from '#shared/domain/region-code.ts';
import { requestedArea } from '#server/auth/area-scope.ts';
import { findRegion, regionsInArea } from '#server/db/regions-repository.ts';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { accountCheckKey, CheckFormBodySchema, isMaskedNumber } from '#shared/schemas/check-form.ts';
import {
  DeviceStatusSchema,
  FormDetailSchema,
  FormFiltersSchema,
  FormListQuerySchema,
  FormSummarySchema,
  ResolveSchema,
  RevealRequestSchema,
  RevealResponseSchema,
  ReviewActionSchema,
  type RevealRequest,
} from '#shared/schemas/review.ts';
import { householdAccounts, householdPeople } from '#server/db/privacy-repository.ts';
import { recordFinding } from '#server/db/ledger-repository.ts';
import { formProblemEntries } from '#server/ledger/ledger-service.ts';
import { privacyKeys } from '#server/privacy/keys.ts';
import { maskConflict, maskFormBody, unmaskResolution } from '#server/privacy/form-bodies.ts';
import type { Db } from '#server/db/client.ts';
import { inTransaction } from '#server/db/client.ts';
import { findDeviceWithArea, listDevicesInArea, recordWipe, revokeDevice } from '#server/db/devices-repository.ts';
import { revokeDeviceSessions } from '#server/db/sessions-repository.ts';
import { findFormById, findFormForUpdate, formAuthorsInArea, formHistoryWithUsers, listFormsInArea, nextVersion, writeFormVersion, type FormRow } from '#server/db/forms-repository.ts';
import { itemNames } from '#server/db/subsidy-items-repository.ts';
import { currentUser, type AuthUser } from '../plugins/auth.ts';
import { HttpError } from '../plugins/errors.ts';
import { apiText as t } from '#server/messages/api.zh-CN.ts';
import { audit } from '#server/audit/audit.ts';

const IdParams = z.object({ id: z.uuid() });

function assertInArea(user: AuthUser, form: FormRow | undefined): FormRow {
  // Outside the area answers like a missing form: it does not confirm the id exists.
  if (!form || !isWithinArea(form.villageCode, user.areaPrefix)) throw new HttpError(404, 'not_found', t.forms.notFound);
  return form;
}

/** The full number behind one key of a form's household, or null when the household has no such key. */
async function fullNumber(db: Db, form: FormRow, req: RevealRequest): Promise<string | null> {
  const keys = await privacyKeys(db);
  if (req.kind === 'citizen-id') {
    // A member added on the spot: the ID the cadre typed in, which only the form holds.
    const typed = form.body.members.find((m) => m.isNew && m.personId === req.key)?.idNumber;
    if (typed !== undefined) return typed !== null && typed !== '' && !isMaskedNumber(typed) ? typed : null;
    return (await householdPeople(db, keys, form.householdId)).find((p) => p.key === req.key)?.full ?? null;
  }
  const typed = form.body.accounts.find((a) => a.isNew === true && a.accountId === undefined && accountCheckKey(a) === req.key)?.accountNumber;
  if (typed !== undefined) return typed !== '' && !isMaskedNumber(typed) ? typed : null;
  return (await householdAccounts(db, keys, form.householdId)).find((a) => a.key === req.key)?.full ?? null;
}

async function summary(app: Parameters<FastifyPluginAsyncZod>[0], user: AuthUser, id: string) {
  const [row] = await listFormsInArea(app.db.db, areaCodeRange(user.areaPrefix), { id, limit: 1 });
  if (!row) throw new HttpError(404, 'not_found', t.forms.notFound);
  return { ...row, updatedAt: row.updatedAt.toISOString() };
}

export const formRoutes: FastifyPluginAsyncZod = async (app) => {
  const reviewers = app.requireRole('supervisor', 'admin');

  app.get(
    '/forms',
    {
      preHandler: reviewers,
      schema: {
        tags: ['review'],
        summary: 'Synced forms of my area, newest first: by township or village, state, cadre, head or house number, a page at a time (before = the last row\'s updatedAt|id)',
        querystring: FormListQuerySchema,
        response: { 200: z.array(FormSummarySchema), 400: ApiErrorSchema, 403: ApiErrorSchema },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const q = request.query;
      const prefix = q.area === undefined ? user.areaPrefix : requestedArea(user.areaPrefix, q.area, t.forms.outsideArea);
      const [at, id] = q.before?.split('|') ?? [];
      const rows = await listFormsInArea(app.db.db, areaCodeRange(prefix), {
        reviewStatus: q.status,
        withConflicts: q.conflicts === '1',
        authorId: q.author,
        search: q.q === '' ? undefined : q.q,
        before: at !== undefined && id !== undefined ? { at, id } : undefined,
        limit: q.limit ?? 200,
      });
      return rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() }));
    },
  );

  app.get(
    '/forms/filters',
    { preHandler: reviewers, schema: { tags: ['review'], summary: "The form list's choices: townships and villages of my area, and who wrote its forms", response: { 200: FormFiltersSchema } } },
    async (request) => {
      const user = currentUser(request);
      const regions = (await regionsInArea(app.db.db, user.areaPrefix)).flatMap((r) => (r.level === 'township' || r.level === 'village' ? [{ code: r.code, name: r.name, level: r.level }] : []));
      return { regions, authors: await formAuthorsInArea(app.db.db, areaCodeRange(user.areaPrefix)) };
    },
  );

  app.get(
    '/forms/:id',
    { preHandler: reviewers, schema: { tags: ['review'], summary: 'One form with its conflicts and full history', params: IdParams, response: { 200: FormDetailSchema, 404: ApiErrorSchema } } },
    async (request) => {
      const user = currentUser(request);
      const form = assertInArea(user, await findFormById(app.db.db, request.params.id));
      const history = await formHistoryWithUsers(app.db.db, form.id);
      const codes = [...new Set(form.body.items.map((i) => i.itemCode))];
      const people = await householdPeople(app.db.db, await privacyKeys(app.db.db), form.householdId);
      return {
        form: await summary(app, user, form.id),
        // Masked by default: a full number is asked for, one at a time, with a reason (below).
        body: maskFormBody(form.body),
        conflicts: form.conflicts.map(maskConflict),
        maskedIds: Object.fromEntries(people.map((p) => [p.key, p.masked])),
        history: history.map((h) => ({ ...h, createdAt: h.createdAt.toISOString() })),
        itemNames: await itemNames(app.db.db, codes),
        visitFlags: await visitFlagsOfForm(app.db.db, form),
        recheck: await recheckOf(app.db.db, form),
        places: {
          county: (await findRegion(app.db.db, form.villageCode.slice(0, 6).padEnd(12, '0')))?.name ?? null,
          township: (await findRegion(app.db.db, form.villageCode.slice(0, 9).padEnd(12, '0')))?.name ?? null,
        },
      };
    },
  );

  app.post(
    '/forms/:id/review',
    {
      preHandler: reviewers,
      schema: {
        tags: ['review'],
        summary: 'Return a form to the cadre with a comment, or accept it',
        params: IdParams,
        body: ReviewActionSchema,
        response: { 200: FormSummarySchema, 400: ApiErrorSchema, 404: ApiErrorSchema, 409: ApiErrorSchema },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { action, comment, rev, section } = request.body;
      if (action === 'return' && comment === '') throw new HttpError(400, 'validation', t.forms.returnNeedsComment, [{ path: 'body.comment', message: t.forms.returnCommentField }]);
      await inTransaction(app.db.db, async (tx) => {
        const form = assertInArea(user, await findFormForUpdate(tx, request.params.id));
        if (form.rev !== rev) throw new HttpError(409, 'stale', t.forms.stale(form.rev));
        // Sent back: the cadre's corrected version comes first; accepting the old one would skip it.
        if (action === 'accept' && form.reviewStatus === 'returned') throw new HttpError(409, 'returned', t.forms.returnedNotResubmitted);
        if (action === 'accept' && form.conflicts.length > 0) throw new HttpError(409, 'unresolved_conflicts', t.forms.unresolvedConflicts);
        const change = {
          body: form.body,
          reviewStatus: action === 'return' ? 'returned' : 'accepted',
          reviewComment: comment === '' ? null : comment,
          reviewSection: action === 'return' ? (section ?? null) : null,
        } as const;
        const version = nextVersion(form, change, { userId: user.id, deviceId: null, mutationId: null });
        await writeFormVersion(tx, version, false);
        // Accepted: its problems go on the ledger, in the same transaction (once; a problem already there gains a source).
        let ledger: { created: number; linked: number; known: number } | undefined;
        if (action === 'accept') {
          const counts = { created: 0, linked: 0, known: 0 };
          for (const entry of formProblemEntries(form)) counts[await recordFinding(tx, entry, { userId: user.id, username: user.username })] += 1;
          ledger = counts;
        }
        await audit(tx, request, { action: 'form.review', targetType: 'form', targetId: form.id, areaCode: form.villageCode, details: { review: action, rev: version.rev, householdId: form.householdId, ...(ledger ? { ledger } : {}) } });
      });
      request.log.info({ formId: request.params.id, action, userId: user.id }, 'form reviewed');
      return summary(app, user, request.params.id);
    },
  );

  app.post(
    '/forms/:id/resolve',
    {
      preHandler: reviewers,
      schema: {
        tags: ['review'],
        summary: 'Resolve conflicts: choose the value of each conflicting field',
        params: IdParams,
        body: ResolveSchema,
        response: { 200: FormSummarySchema, 400: ApiErrorSchema, 404: ApiErrorSchema, 409: ApiErrorSchema },
      },
    },
    async (request) => {
      const user = currentUser(request);
      await inTransaction(app.db.db, async (tx) => {
        const form = assertInArea(user, await findFormForUpdate(tx, request.params.id));
        if (form.rev !== request.body.rev) throw new HttpError(409, 'stale', t.forms.stale(form.rev));
        const open = form.conflicts;
        let body = form.body;
        for (const [i, r] of request.body.resolutions.entries()) {
          if (!open.some((c) => c.path === r.path)) throw new HttpError(400, 'validation', t.forms.noSuchConflict(r.path), [{ path: `body.resolutions.${i}.path`, message: t.forms.noSuchConflictField }]);
          try {
            // The reviewer saw typed-in numbers masked; choosing one means the full value on that side.
            const conflict = open.find((c) => c.path === r.path);
            body = setAtPath(body, r.path, conflict ? unmaskResolution(conflict, r.value) : r.value);
          } catch {
            throw new HttpError(400, 'validation', t.forms.cannotWrite(r.path), [{ path: `body.resolutions.${i}.path`, message: t.forms.invalidPath }]);
          }
        }
        const parsed = z.safeParse(CheckFormBodySchema, body);
        if (!parsed.success) {
          throw new HttpError(400, 'validation', t.forms.invalidAfterResolve, parsed.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })));
        }
        const resolved = new Set(request.body.resolutions.map((r) => r.path));
        const change = { body: parsed.data, conflicts: open.filter((c) => !resolved.has(c.path)) };
        const version = nextVersion(form, change, { userId: user.id, deviceId: null, mutationId: null });
        await writeFormVersion(tx, version, false);
        await audit(tx, request, { action: 'form.resolve', targetType: 'form', targetId: form.id, areaCode: form.villageCode, details: { rev: version.rev, paths: [...resolved] } });
      });
      return summary(app, user, request.params.id);
    },
  );

  app.post(
    '/forms/:id/reveal',
    {
      preHandler: reviewers,
      schema: {
        tags: ['review'],
        summary: "One full citizen ID or account number of the form's household, with a reason; logged",
        params: IdParams,
        body: RevealRequestSchema,
        response: { 200: RevealResponseSchema, 400: ApiErrorSchema, 404: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const form = assertInArea(user, await findFormById(app.db.db, request.params.id));
      const number = await fullNumber(app.db.db, form, request.body);
      if (number === null) throw new HttpError(404, 'not_found', t.forms.noSuchNumber, [{ path: 'body.key', message: t.forms.noSuchNumberField }]);
      await inTransaction(app.db.db, (tx) =>
        audit(tx, request, {
          action: 'pii.view',
          targetType: request.body.kind,
          targetId: request.body.key,
          areaCode: form.villageCode,
          details: { formId: form.id, householdId: form.householdId, reason: request.body.reason },
        }),
      );
      // Never cached by a browser or a proxy.
      void reply.header('cache-control', 'no-store');
      return { number };
    },
  );

  app.get(
    '/devices',
    { preHandler: reviewers, schema: { tags: ['review'], summary: 'Devices of my area: user, last sync, unsent count, app version', response: { 200: z.array(DeviceStatusSchema) } } },
    async (request) => {
      const user = currentUser(request);
      const rows = await listDevicesInArea(app.db.db, areaCodeRange(user.areaPrefix));
      return rows.map((d) => ({
        ...d,
        lastPushAt: d.lastPushAt?.toISOString() ?? null,
        lastPullAt: d.lastPullAt?.toISOString() ?? null,
        revokedAt: d.revokedAt?.toISOString() ?? null,
        wipedAt: d.wipedAt?.toISOString() ?? null,
      }));
    },
  );

  app.post(
    '/devices/:id/revoke',
    {
      preHandler: reviewers,
      schema: {
        tags: ['review'],
        summary: 'Revoke a device (a lost phone): its sessions end now; the next time it reaches the server it wipes the area',
        params: z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) }),
        response: { 204: z.null(), 404: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const device = await findDeviceWithArea(app.db.db, request.params.id);
      if (!device || !isWithinArea(device.areaCode, user.areaPrefix)) throw new HttpError(404, 'not_found', t.devices.notFound);
      await inTransaction(app.db.db, async (tx) => {
        const now = new Date();
        await revokeDevice(tx, device.id, user.id, now);
        const ended = await revokeDeviceSessions(tx, device.id, now);
        await audit(tx, request, { action: 'device.revoke', targetType: 'device', targetId: device.id, areaCode: device.areaCode, details: { owner: device.username, sessionsEnded: ended } });
      });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/devices/:id/wiped',
    {
      schema: {
        tags: ['review'],
        summary: 'A revoked device (or one of a disabled user) reports that it wiped the area, and what unsent work went with it; once',
        params: z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) }),
        body: z.object({ lostForms: z.int().check(z.minimum(0), z.maximum(1_000_000)), lostMutations: z.int().check(z.minimum(0), z.maximum(1_000_000)) }),
        response: { 204: z.null(), 404: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      await inTransaction(app.db.db, async (tx) => {
        const owner = await recordWipe(tx, request.params.id, { forms: request.body.lostForms, mutations: request.body.lostMutations }, new Date());
        if (!owner) throw new HttpError(404, 'not_found', t.devices.notFound);
        await audit(tx, request, { action: 'device.wiped', userId: null, username: owner.username, areaCode: owner.areaCode, targetType: 'device', targetId: request.params.id, details: request.body });
      });
      return reply.code(204).send(null);
    },
  );
};
