import { COLUMN_ENTITIES, decodeColumns } from '#shared/schemas/sync-columns.ts';
import type { PullResponse } from '#shared/schemas/sync.ts';
import { parsePullPage } from '#shared/schemas/wire-guards.ts';
import { apiRequest } from '../api/http.ts';

/**
 * Rows per pull page. Large pages mean fewer round trips over a slow link
 * and fewer IndexedDB commits (each one flushed to disk); 10,000 rows of the
 * column format are ~1.5 MB of JSON in memory, fine on a cheap phone.
 */
const PULL_PAGE_ROWS = 10_000;

/**
 * One pull page in the compact column format, decoded back into rows
 * (sync-columns.ts). `withRegionNames`: also ask for the area's region names.
 */
export async function fetchPullPage(cursor: string | null, deviceId: string, withRegionNames = false): Promise<PullResponse> {
  const q = new URLSearchParams({ format: 'columns', limit: String(PULL_PAGE_ROWS) });
  if (cursor) q.set('cursor', cursor);
  if (withRegionNames) q.set('regions', '1');
  const page = await apiRequest('GET', `/sync/pull?${q.toString()}`, parsePullPage, undefined, { 'x-device-id': deviceId });
  if (page.columns) {
    for (const entity of COLUMN_ENTITIES) {
      const block = page.columns[entity];
      if (block) (page.changes[entity] as unknown[]) = [...page.changes[entity], ...decodeColumns(entity, block)];
    }
    delete page.columns;
  }
  return page;
}
