/** The problem ledger (issue 13): scan findings into it, list, one item, act on it. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as z from 'zod/mini';
import { isWithinArea, parentRegionCode, regionLevel } from '#shared/domain/region-code.ts';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { TipContactSchema, TipReceiptSchema, TipSchema, LedgerActionSchema, LedgerCountsSchema, LedgerItemDetailSchema, LedgerItemSchema, LedgerListQuerySchema, LedgerPageSchema, LedgerScanSchema, LatestLedgerScanSchema, LedgerTasksSchema } from '#shared/schemas/ledger.ts';
import { findTip, findLedgerItem, ledgerCounts, ledgerEvidenceOf, ledgerTasks, ledgerHistory, ledgerSourcesOf, listLedgerItems } from '#server/db/ledger-repository.ts';
import { actionsFor, actOnItem, assertItemInArea, chinaToday, toLedgerItem } from '#server/ledger/ledger-service.ts';
import { apiText as t } from '#server/messages/api.zh-CN.ts';
import { findScan, latestScanOf, toLedgerScan } from '#server/db/scan-repository.ts';
import { currentUser } from '../plugins/auth.ts';
import { HttpError } from '../plugins/errors.ts';
import { receiveTip } from '#server/ledger/tips.ts';
import { audit } from '#server/audit/audit.ts';
import { inTransaction } from '#server/db/client.ts';

const IdParams = z.object({ id: z.uuid() });
/** Tasks one device keeps: a village has a handful; a township's supervisor sees the first ones. */
const MAX_TASKS = 500;

/** A region and every region around it (its township, county, city, province), as 12-digit codes. */
function areaAndAncestors(code: string): string[] {
  const out = [code];
  for (let c = parentRegionCode(code); c !== null; c = parentRegionCode(c)) out.push(c);
  return out;
}
const errors = { 400: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema, 409: ApiErrorSchema };

export const ledgerRoutes: FastifyPluginAsyncZod = async (app) => {
  const supervisors = app.requireRole('supervisor', 'admin');
  // A cadre acts on the items of their village (starts the rectification, sends evidence).
  const ledgerUsers = app.requireRole('cadre', 'supervisor', 'admin');

  app.post(
    '/ledger/scan',
    {
      preHandler: supervisors,
      schema: {
        tags: ['ledger'],
        summary: "Scan my area's payment data into the ledger, in the background, township by township (or join the scan of it already under way); poll the scan for progress",
        response: { 202: LedgerScanSchema, ...errors },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const scan = await app.scans.request(user.areaCode, 'manual', { userId: user.id, username: user.username, ip: request.ip });
      return reply.code(202).send(toLedgerScan(scan));
    },
  );

  app.get(
    '/ledger/scans/latest',
    { preHandler: supervisors, schema: { tags: ['ledger'], summary: 'The newest scan of my area or of an area around it, or null', response: { 200: LatestLedgerScanSchema, ...errors } } },
    async (request) => {
      const scan = await latestScanOf(app.db.db, areaAndAncestors(currentUser(request).areaCode));
      return { scan: scan === null ? null : toLedgerScan(scan) };
    },
  );

  app.get(
    '/ledger/scans/:id',
    { preHandler: supervisors, schema: { tags: ['ledger'], summary: 'One scan: its progress and counts', params: IdParams, response: { 200: LedgerScanSchema, ...errors } } },
    async (request) => {
      const user = currentUser(request);
      const scan = await findScan(app.db.db, request.params.id);
      // Visible: scans of the user's area, of an area inside it, or of one around it.
      if (!scan || !(isWithinArea(scan.areaCode, user.areaPrefix) || areaAndAncestors(user.areaCode).includes(scan.areaCode))) {
        throw new HttpError(404, 'not_found', t.ledger.scanNotFound);
      }
      return toLedgerScan(scan);
    },
  );

  app.get(
    '/ledger',
    { preHandler: ledgerUsers, schema: { tags: ['ledger'], summary: 'Ledger items of my area, newest first, filtered and paged', querystring: LedgerListQuerySchema, response: { 200: LedgerPageSchema, ...errors } } },
    async (request) => {
      const user = currentUser(request);
      const q = request.query;
      if (q.area !== undefined && (regionLevel(q.area) === null || !isWithinArea(q.area, user.areaPrefix))) {
        throw new HttpError(400, 'validation', t.ledger.badArea, [{ path: 'querystring.area', message: t.ledger.badArea }]);
      }
      const today = chinaToday();
      const page = await listLedgerItems(app.db.db, user.areaPrefix, q, today);
      return { items: page.rows.map((r) => toLedgerItem(r, today)), next: page.next };
    },
  );

  app.post(
    '/ledger/tips',
    { preHandler: supervisors, schema: { tags: ['ledger'], summary: 'Enter a clue received by phone: a ledger item in found', body: TipSchema, response: { 201: TipReceiptSchema, ...errors } } },
    async (request, reply) => {
      const user = currentUser(request);
      if (!isWithinArea(request.body.areaCode, user.areaPrefix)) throw new HttpError(403, 'outside_area', t.tips.outsideArea, [{ path: 'body.areaCode', message: t.tips.outsideArea }]);
      const receipt = await receiveTip(app.db.db, request.body, 'phone', { userId: user.id, username: user.username });
      return reply.code(201).send({ number: receipt.number });
    },
  );

  app.get(
    '/ledger/:id/contact',
    {
      preHandler: supervisors,
      schema: { tags: ['ledger'], summary: "A tip-off's reporter contact: county-level supervisors only, every look logged", params: IdParams, response: { 200: TipContactSchema, ...errors } },
    },
    async (request, reply) => {
      const user = currentUser(request);
      // Who may, before which item: the answer tells nobody else whether an item exists.
      if (user.role !== 'supervisor' || regionLevel(user.areaCode) !== 'county') throw new HttpError(403, 'county_only', t.tips.countyOnly);
      const row = assertItemInArea(user, await findLedgerItem(app.db.db, request.params.id));
      const tip = await findTip(app.db.db, row.id);
      if (!tip) throw new HttpError(404, 'not_found', t.tips.notTip);
      await inTransaction(app.db.db, (tx) => audit(tx, request, { action: 'tip.contact_view', targetType: 'ledger-item', targetId: row.id, areaCode: row.areaCode, details: { number: row.number } }));
      void reply.header('cache-control', 'no-store');
      return { contactName: tip.contactName, contactPhone: tip.contactPhone, via: tip.via, place: tip.place, receivedAt: tip.receivedAt.toISOString() };
    },
  );

  app.get(
    '/ledger/counts',
    { preHandler: ledgerUsers, schema: { tags: ['ledger'], summary: 'My area’s ledger in numbers: per state, per problem code, overdue, money involved and recovered', response: { 200: LedgerCountsSchema, ...errors } } },
    async (request) => ledgerCounts(app.db.db, currentUser(request).areaPrefix, chinaToday()),
  );

  app.get(
    '/ledger/:id',
    { preHandler: ledgerUsers, schema: { tags: ['ledger'], summary: 'One ledger item: its sources, history and the next steps I may take', params: IdParams, response: { 200: LedgerItemDetailSchema, ...errors } } },
    async (request) => {
      const user = currentUser(request);
      const row = assertItemInArea(user, await findLedgerItem(app.db.db, request.params.id));
      const [sources, history, evidence] = [await ledgerSourcesOf(app.db.db, row.id), await ledgerHistory(app.db.db, row.id), await ledgerEvidenceOf(app.db.db, row.id)];
      return {
        item: toLedgerItem(row, chinaToday()),
        sources: sources.map((s) => ({ kind: s.kind, ref: s.ref, createdAt: s.createdAt.toISOString() })),
        history: history.map((h) => ({ at: h.at.toISOString(), username: h.username, action: h.action, fromState: h.fromState, toState: h.toState, comment: h.comment })),
        evidence: evidence.map((e) => ({ sha256: e.sha256, username: e.username, createdAt: e.createdAt.toISOString() })),
        allowedActions: actionsFor(row, user),
      };
    },
  );

  app.post(
    '/ledger/:id/actions',
    {
      preHandler: ledgerUsers,
      schema: {
        tags: ['ledger'],
        summary: 'Take one step on a ledger item (409: not from its state; 403: not for my role). Idempotency-Key: a device outbox id; the same key again answers without a second step',
        params: IdParams,
        headers: z.object({ 'idempotency-key': z.optional(z.uuid()) }),
        body: LedgerActionSchema,
        response: { 200: LedgerItemSchema, ...errors },
      },
    },
    async (request) =>
      toLedgerItem(await actOnItem(app.db.db, currentUser(request), request.params.id, request.body, request.ip, chinaToday(), request.headers['idempotency-key'] ?? null), chinaToday()),
  );

  app.get(
    '/ledger/tasks',
    {
      preHandler: ledgerUsers,
      schema: {
        tags: ['ledger'],
        summary: "Rectification tasks of my area (assigned, being rectified, evidence sent), with the steps I may take: a cadre's device keeps them for offline work",
        response: { 200: LedgerTasksSchema, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const today = chinaToday();
      const rows = await ledgerTasks(app.db.db, user.areaPrefix, MAX_TASKS);
      return { tasks: rows.map((r) => ({ item: toLedgerItem(r, today), allowedActions: actionsFor(r, user) })) };
    },
  );
};
