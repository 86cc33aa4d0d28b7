/**
 * Recording what people do (audit_log): the acting user and address come
 * from the request, so a route only says what happened. Entries are written
 * in the same transaction as the change they record, at its end
 * (audit-repository.ts).
 */
import type { FastifyRequest } from 'fastify';
import { appendAudit, type AuditWrite } from '#server/db/audit-repository.ts';
import type { Db } from '#server/db/client.ts';

export type AuditEvent = Omit<AuditWrite, 'userId' | 'username' | 'areaCode' | 'ip'> & Partial<Pick<AuditWrite, 'userId' | 'username' | 'areaCode'>>;

/** Records `event` as done by the request's signed-in user (or the one named in the event), from its address. */
export async function audit(db: Db, request: FastifyRequest, event: AuditEvent): Promise<void> {
  const user = request.user;
  await appendAudit(db, {
    ...event,
    userId: event.userId !== undefined ? event.userId : (user?.id ?? null),
    username: event.username !== undefined ? event.username : (user?.username ?? null),
    areaCode: event.areaCode !== undefined ? event.areaCode : (user?.areaCode ?? null),
    ip: request.ip,
  });
}
