import type { LedgerAction } from '#shared/domain/ledger/lifecycle.ts';
import { TipContactSchema, LedgerCountsSchema, LedgerItemDetailSchema, LedgerItemSchema, LedgerPageSchema, LedgerScanSchema, LatestLedgerScanSchema } from '#shared/schemas/ledger.ts';
import { apiRequest } from '../../api/http.ts';
import { parsedBy } from '../../api/parsed-by.ts';

export interface LedgerFilter {
  state: string;
  code: string;
  overdue: boolean;
}

function filterParams(f: LedgerFilter): URLSearchParams {
  const q = new URLSearchParams();
  if (f.state) q.set('state', f.state);
  if (f.code) q.set('code', f.code);
  if (f.overdue) q.set('overdue', '1');
  return q;
}

/** The filter a screen's address carries (`?state=&code=&overdue=1`), so print and back keep it. */
export function filterFromSearch(search: string): LedgerFilter {
  const q = new URLSearchParams(search);
  return { state: q.get('state') ?? '', code: q.get('code') ?? '', overdue: q.get('overdue') === '1' };
}
export function filterToSearch(f: LedgerFilter): string {
  const q = filterParams(f).toString();
  return q ? `?${q}` : '';
}

export function listLedger(f: LedgerFilter, before: number | null, limit = 50) {
  const q = filterParams(f);
  q.set('limit', String(limit));
  if (before !== null) q.set('before', String(before));
  return apiRequest('GET', `/ledger?${q.toString()}`, parsedBy(LedgerPageSchema));
}

/** The ledger of the filter as a file (streamed by the server, logged there). */
export const ledgerExportHref = (f: LedgerFilter, format: 'csv' | 'xlsx') => `/api/exports/ledger.${format}${filterToSearch(f)}`;

export const getLedgerItem = (id: string) => apiRequest('GET', `/ledger/${id}`, parsedBy(LedgerItemDetailSchema));
export const actOnLedgerItem = (id: string, action: LedgerAction) => apiRequest('POST', `/ledger/${id}/actions`, parsedBy(LedgerItemSchema), action);
/** A tip-off's reporter: county supervisors only; the server logs the look. */
export const tipContact = (id: string) => apiRequest('GET', `/ledger/${id}/contact`, parsedBy(TipContactSchema));
export const ledgerCounts = () => apiRequest('GET', '/ledger/counts', parsedBy(LedgerCountsSchema));
/** Starts a background scan of my area (or joins the one under way). */
export const startScan = () => apiRequest('POST', '/ledger/scan', parsedBy(LedgerScanSchema));
export const getScan = (id: string) => apiRequest('GET', `/ledger/scans/${id}`, parsedBy(LedgerScanSchema));
export const latestScan = () => apiRequest('GET', '/ledger/scans/latest', parsedBy(LatestLedgerScanSchema));
