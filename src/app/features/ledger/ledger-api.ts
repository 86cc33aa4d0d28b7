import type { LedgerAction } from '#shared/domain/ledger/lifecycle.ts';
import { TipContactSchema, LedgerCountsSchema, LedgerItemDetailSchema, LedgerItemSchema, LedgerPageSchema, LedgerScanSchema, LatestLedgerScanSchema } from '#shared/schemas/ledger.ts';
import { apiRequest } from '../../api/http.ts';
import { parsedBy } from '../../api/parsed-by.ts';

export interface LedgerFilter {
  state: string;
  code: string;
  overdue: boolean;
}

export function listLedger(f: LedgerFilter, before: number | null) {
  const q = new URLSearchParams({ limit: '50' });
  if (f.state) q.set('state', f.state);
  if (f.code) q.set('code', f.code);
  if (f.overdue) q.set('overdue', '1');
  if (before !== null) q.set('before', String(before));
  return apiRequest('GET', `/ledger?${q.toString()}`, parsedBy(LedgerPageSchema));
}

export const getLedgerItem = (id: string) => apiRequest('GET', `/ledger/${id}`, parsedBy(LedgerItemDetailSchema));
export const actOnLedgerItem = (id: string, action: LedgerAction) => apiRequest('POST', `/ledger/${id}/actions`, parsedBy(LedgerItemSchema), action);
/** A tip-off's reporter: county supervisors only; the server logs the look. */
export const tipContact = (id: string) => apiRequest('GET', `/ledger/${id}/contact`, parsedBy(TipContactSchema));
export const ledgerCounts = () => apiRequest('GET', '/ledger/counts', parsedBy(LedgerCountsSchema));
/** Starts a background scan of my area (or joins the one under way). */
export const startScan = () => apiRequest('POST', '/ledger/scan', parsedBy(LedgerScanSchema));
export const getScan = (id: string) => apiRequest('GET', `/ledger/scans/${id}`, parsedBy(LedgerScanSchema));
export const latestScan = () => apiRequest('GET', '/ledger/scans/latest', parsedBy(LatestLedgerScanSchema));
