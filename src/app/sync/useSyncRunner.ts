import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import { t } from '../i18n/index.ts';
import { backoffDelay } from './backoff.ts';
import type { SyncOutcome } from './sync-runner.ts';
import { getSyncStatus, setSyncStatus, subscribeSyncStatus, type SyncStatus } from './sync-status.ts';

const PERIOD_MS = 5 * 60 * 1000;

/**
 * Triggers: start, `online`, the page becoming visible, a timer, and the
 * returned `syncNow` (the "sync now" button). Failures back off.
 */
export function useSyncRunner(enabled: boolean): { status: SyncStatus; syncNow: () => Promise<SyncOutcome> } {
  const status = useSyncExternalStore(subscribeSyncStatus, getSyncStatus);
  const failures = useRef(0);
  const timer = useRef<number | undefined>(undefined);

  const schedule = useCallback((delay: number, run: () => void) => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(run, delay);
    setSyncStatus({ nextAttemptAt: Date.now() + delay });
  }, []);

  // The timer re-runs the latest syncNow through a ref: a callback cannot name itself before it exists.
  const again = useRef<() => void>(() => undefined);
  const syncNow = useCallback(async (): Promise<SyncOutcome> => {
    // Loaded on first use: the runner and the protocol schemas stay out of the
    // bundle that draws sign-in and home (the field path's 120 KB budget).
    // Before the service worker has cached the chunk, an offline start cannot load it:
    // that is an offline sync (retried with backoff), not an unhandled rejection.
    const runner = await import('./sync-runner.ts').catch(() => null);
    if (!runner) setSyncStatus({ lastError: t.sync.offline });
    const outcome: SyncOutcome = runner ? await runner.syncOnce() : 'offline';
    if (outcome === 'done' || outcome === 'busy') failures.current = 0;
    else if (outcome !== 'unauthorized' && outcome !== 'upgrade-required') failures.current += 1;
    const delay = failures.current === 0 ? PERIOD_MS : backoffDelay(failures.current);
    // 401 waits for a new sign-in and 426 for the app update: no timer until then.
    if (outcome !== 'unauthorized' && outcome !== 'upgrade-required') schedule(delay, () => again.current());
    return outcome;
  }, [schedule]);
  useEffect(() => {
    again.current = () => void syncNow();
  }, [syncNow]);

  useEffect(() => {
    if (!enabled) return;
    void syncNow();
    const onOnline = () => void syncNow();
    const onVisible = () => {
      if (document.visibilityState === 'visible') void syncNow();
    };
    window.addEventListener('online', onOnline);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('online', onOnline);
      document.removeEventListener('visibilitychange', onVisible);
      window.clearTimeout(timer.current);
    };
  }, [enabled, syncNow]);

  return { status, syncNow };
}
