import type { SectionId } from '#shared/domain/check-form-rules.ts';
import * as z from 'zod/mini';
import { DeviceStatusSchema, FormDetailSchema, FormSummarySchema, RevealResponseSchema } from '#shared/schemas/review.ts';
import { apiRequest, noContent } from '../../api/http.ts';
import { parsedBy } from '../../api/parsed-by.ts';

export type ReviewFilter = 'submitted' | 'returned' | 'accepted' | 'conflicts';

export function listForms(filter: ReviewFilter) {
  const q = filter === 'conflicts' ? 'conflicts=1' : `status=${filter}`;
  return apiRequest('GET', `/forms?${q}`, parsedBy(z.array(FormSummarySchema)));
}

export function getForm(id: string) {
  return apiRequest('GET', `/forms/${id}`, parsedBy(FormDetailSchema));
}

export function reviewForm(id: string, action: 'return' | 'accept', comment: string, rev: number, section: SectionId | null = null) {
  return apiRequest('POST', `/forms/${id}/review`, parsedBy(FormSummarySchema), { action, comment, rev, section });
}

export function resolveConflict(id: string, rev: number, path: string, value: unknown) {
  return apiRequest('POST', `/forms/${id}/resolve`, parsedBy(FormSummarySchema), { rev, resolutions: [{ path, value }] });
}

/** One full number of a form's household; the server logs who asked and why. */
export function revealNumber(formId: string, kind: 'citizen-id' | 'account', key: string, reason: string) {
  return apiRequest('POST', `/forms/${formId}/reveal`, parsedBy(RevealResponseSchema), { kind, key, reason: reason.trim() });
}

export function revokeDevice(id: string) {
  return apiRequest('POST', `/devices/${encodeURIComponent(id)}/revoke`, noContent);
}

export function listDevices() {
  return apiRequest('GET', '/devices', parsedBy(z.array(DeviceStatusSchema)));
}
