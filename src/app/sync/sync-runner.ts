/**
 * One sync at a time per origin (Web Locks: two tabs never push the same
 * outbox twice). A run uploads attachments, pushes the outbox in order, then
 * pulls until the server has nothing more; for a cadre, it then sends the
 * rectification steps taken here and fetches the village's tasks. Network waits happen outside every
 * Dexie transaction (architecture.md, principle 2).
 */
import { ApiRequestError, NetworkError } from '../api/http.ts';
import { hasPendingOutbox } from '../db/outbox-counts.ts';
import { getDeviceId, loadCachedMe, renewDeviceId } from '../db/session-store.ts';
import { applyPullPage, hasRegionNames, loadPullCursor } from '../db/sync-store.ts';
import { t } from '../i18n/index.ts';
import { requestPersistentStorage } from '../pwa/storage.ts';
import { fetchPullPage } from './sync-client.ts';
import { SYNC_LOCK } from './sync-lock.ts';
import { setSyncStatus } from './sync-status.ts';

export type SyncOutcome = 'done' | 'busy' | 'offline' | 'unauthorized' | 'upgrade-required' | 'failed';

async function pullAll(deviceId: string): Promise<void> {
  setSyncStatus({ phase: 'pulling', received: 0, expected: null });
  let received = 0;
  // Region names come once, with the first page after a download or a handover (they seldom change).
  let next = fetchPullPage(await loadPullCursor(), deviceId, !(await hasRegionNames()));
  for (;;) {
    const page = await next;
    if (page.hasMore) {
      // Ask for the next page while this one is written: the server's time and the
      // device's overlap. If writing fails, the prefetched page is dropped unread and
      // the stored cursor still points at this page.
      next = fetchPullPage(page.cursor, deviceId);
      void next.catch(() => undefined);
    }
    if (page.totals) setSyncStatus({ expected: Object.values(page.totals).reduce((a, b) => a + b, 0) });
    await applyPullPage(page, !page.hasMore);
    received += Object.values(page.changes).reduce((a, rows) => a + rows.length, 0);
    setSyncStatus({ received });
    if (!page.hasMore) return;
  }
}

async function runLocked(): Promise<SyncOutcome> {
  setSyncStatus({ running: true, lastError: null });
  try {
    let deviceId = await getDeviceId();
    if (await hasPendingOutbox()) {
      // The push code (and the form store it settles into) loads only when there is
      // something to send, keeping it off the sign-in and home screens' budget.
      // The service worker precaches the chunk, so this works offline too.
      const { pushOutbox } = await import('./sync-push.ts').catch(() => {
        throw new NetworkError();
      });
      try {
        await pushOutbox(deviceId);
      } catch (err) {
        // The server has this id bound to another user (a phone passed on by an older app
        // version): take a new id and send again; nothing was stored under the old one.
        if (!(err instanceof ApiRequestError) || err.code !== 'device_taken') throw err;
        deviceId = await renewDeviceId();
        await pushOutbox(deviceId);
      }
    }
    await pullAll(deviceId);
    // A cadre's rectification tasks: steps taken here go up, the village's tasks come down.
    // Its own chunk, like the push (precached, so it loads offline too).
    if ((await loadCachedMe())?.role === 'cadre') {
      // The download is done (its bar goes): what follows is the tasks' own short exchange.
      setSyncStatus({ phase: 'tasks' });
      const { syncLedger } = await import('./ledger-sync.ts').catch(() => {
        throw new NetworkError();
      });
      await syncLedger();
    }
    // After a download the browser is likelier to grant persistence (the site is in use, maybe installed).
    void requestPersistentStorage().catch(() => false);
    setSyncStatus({ lastSuccessAt: new Date().toISOString(), upgradeRequired: false });
    return 'done';
  } catch (err) {
    if (err instanceof NetworkError) {
      setSyncStatus({ lastError: t.sync.offline });
      return 'offline';
    }
    if (err instanceof ApiRequestError) {
      if (err.status === 401) return 'unauthorized';
      if (err.status === 426) {
        setSyncStatus({ upgradeRequired: true, lastError: err.message });
        return 'upgrade-required';
      }
      setSyncStatus({ lastError: err.message });
      return 'failed';
    }
    setSyncStatus({ lastError: err instanceof Error ? err.message : String(err) });
    return 'failed';
  } finally {
    setSyncStatus({ running: false, phase: 'idle' });
  }
}

/** Runs a sync unless one is already running in this or another tab. */
export async function syncOnce(): Promise<SyncOutcome> {
  if (!('locks' in navigator)) return runLocked();
  const outcome = await navigator.locks.request(SYNC_LOCK, { ifAvailable: true }, async (lock) => (lock ? runLocked() : ('busy' as const)));
  return outcome;
}
