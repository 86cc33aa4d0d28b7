import type { SectionId } from '#shared/domain/check-form-rules.ts';
import * as z from 'zod/mini';
import { DeviceStatusSchema, FormDetailSchema, FormFiltersSchema, FormSummarySchema, RevealResponseSchema } from '#shared/schemas/review.ts';
import { apiRequest, noContent } from '../../api/http.ts';
import { parsedBy } from '../../api/parsed-by.ts';

export type ReviewFilter = 'submitted' | 'returned' | 'accepted' | 'conflicts';

export interface ListQuery {
  tab: ReviewFilter;
  area: string;
  author: string;
  search: string;
}

export const PAGE_SIZE = 50;

/** One page of the list, newest first; `after` is the last row of the page before. */
export function listForms(query: ListQuery, after?: { updatedAt: string; id: string }) {
  const q = new URLSearchParams(query.tab === 'conflicts' ? { conflicts: '1' } : { status: query.tab });
  q.set('limit', String(PAGE_SIZE));
  if (query.area) q.set('area', query.area);
  if (query.author) q.set('author', query.author);
  if (query.search.trim()) q.set('q', query.search.trim());
  if (after) q.set('before', `${after.updatedAt}|${after.id}`);
  return apiRequest('GET', `/forms?${q.toString()}`, parsedBy(z.array(FormSummarySchema)));
}

export const formFilters = () => apiRequest('GET', '/forms/filters', parsedBy(FormFiltersSchema));

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
