import { AuditPageSchema, AuditVerifySchema, type AuditAction } from '#shared/schemas/audit.ts';
import { apiRequest } from '../../api/http.ts';
import { parsedBy } from '../../api/parsed-by.ts';

export interface AuditFilter {
  action: AuditAction | '';
  user: string;
  from: string;
  to: string;
}

export function auditQuery(f: AuditFilter, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (f.action) q.set('action', f.action);
  if (f.user.trim()) q.set('user', f.user.trim());
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function listAudit(f: AuditFilter, before: number | null) {
  return apiRequest('GET', `/admin/audit${auditQuery(f, before === null ? {} : { before: String(before) })}`, parsedBy(AuditPageSchema));
}

export function verifyAudit() {
  return apiRequest('GET', '/admin/audit/verify', parsedBy(AuditVerifySchema));
}

export const auditExportUrl = (f: AuditFilter) => `/api/admin/audit/export.csv${auditQuery(f)}`;
