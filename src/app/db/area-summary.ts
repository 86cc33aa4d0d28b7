/**
 * The home screen's one question about the area: is it on this device, and
 * since when. Its own module: home is in the main bundle, and importing
 * roster-store.ts there would carry the household list's code along.
 */
import { deviceDb } from './device-db.ts';
import { lastDownloadedAt } from './sync-store.ts';

export interface AreaSummary {
  households: number;
  lastDownloadedAt: string | null;
}

/** What the home screen says about the area on this device. */
export async function loadAreaSummary(): Promise<AreaSummary> {
  const [households, downloadedAt] = await Promise.all([deviceDb.households.count(), lastDownloadedAt()]);
  return { households, lastDownloadedAt: downloadedAt };
}
