/**
 * The audit log for admins: a page of entries with filters, the chain check,
 * and a CSV export (streamed, UTF-8 with BOM for Excel). The check and the
 * export are themselves recorded.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditPageSchema, AuditQuerySchema, AuditVerifySchema, type AuditQuery } from '#shared/schemas/audit.ts';
import { audit } from '#server/audit/audit.ts';
import { auditEntries, listAudit, verifyAudit } from '#server/db/audit-repository.ts';
import { csvLine, UTF8_BOM } from '#server/import/csv-write.ts';
import { apiText as t } from '#server/messages/api.zh-CN.ts';
import { currentUser, type AuthUser } from '../plugins/auth.ts';
import { attachment } from './attachment.ts';

const PAGE = 100;

function filterOf(user: AuthUser, q: AuditQuery) {
  // Entries of no area (a failed sign-in of an unknown name) are for county-wide or wider admins.
  return { areaPrefix: user.areaPrefix, withoutArea: user.areaPrefix.length <= 6, action: q.action, username: q.user, from: q.from, to: q.to };
}

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const requireAdmin = app.requireRole('admin');

  app.get(
    '/admin/audit',
    { preHandler: requireAdmin, schema: { tags: ['audit'], summary: 'Audit log entries of my area, newest first', querystring: AuditQuerySchema, response: { 200: AuditPageSchema } } },
    async (request) => {
      const user = currentUser(request);
      const limit = request.query.limit ?? PAGE;
      const entries = await listAudit(app.db.db, { ...filterOf(user, request.query), before: request.query.before, limit });
      const last = entries[entries.length - 1];
      return { entries, next: entries.length === limit && last ? last.seq : null };
    },
  );

  app.get(
    '/admin/audit/verify',
    { preHandler: requireAdmin, schema: { tags: ['audit'], summary: 'Check the hash chain of the whole log', response: { 200: AuditVerifySchema } } },
    async (request) => {
      const result = await verifyAudit(app.db.db);
      await audit(app.db.db, request, { action: 'audit.verify', details: { ok: result.ok, checked: result.checked, broken: result.broken.length, head: result.head?.hash ?? null } });
      return result;
    },
  );

  app.get(
    '/admin/audit/export.csv',
    { preHandler: requireAdmin, schema: { tags: ['audit'], summary: 'The filtered log as CSV (UTF-8 with BOM), oldest first', querystring: AuditQuerySchema } },
    async (request, reply) => {
      const user = currentUser(request);
      const filter = filterOf(user, request.query);
      await audit(app.db.db, request, { action: 'audit.export', details: { filter: request.query } });
      const db = app.db.db;
      async function* lines() {
        yield UTF8_BOM + csvLine(t.audit.csvHeader);
        for await (const page of auditEntries(db, filter)) {
          let chunk = '';
          for (const e of page) chunk += csvLine([e.seq, e.at, e.username, e.action, e.targetType, e.targetId, e.areaCode, e.ip, JSON.stringify(e.details), e.hash]);
          yield chunk;
        }
      }
      const today = new Date().toISOString().slice(0, 10);
      attachment(reply, `audit-${today}.csv`, t.audit.exportFileName(today));
      return reply.type('text/csv; charset=utf-8').send(Readable.from(lines()));
    },
  );
};
