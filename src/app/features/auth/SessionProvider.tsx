import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Me } from '#shared/schemas/auth.ts';
import { parseMe } from '#shared/schemas/wire-guards.ts';
import { ApiRequestError, apiRequest, NetworkError, noContent, onUnauthorized } from '../../api/http.ts';
import { adoptDevice, canHandOverTo, DeviceHandoverError, deviceIdForSignIn, wipeDevice } from '../../db/device-owner.ts';
import { clearCachedMe, loadCachedMe, saveCachedMe } from '../../db/session-store.ts';
import { requestPersistentStorage } from '../../pwa/storage.ts';
import { whileNotSyncing } from '../../sync/sync-lock.ts';
import { SessionContext, type SessionApi, type SessionState } from './session-context.ts';

/**
 * Who is signed in. The device's copy of the user (Dexie) decides first, so
 * the app opens with the network off; the server's answer to /api/me then
 * confirms it, or sends the user back to sign-in on 401. A network failure
 * keeps the cached user: offline is normal in the field.
 */
/** This tab's session ended under it (kept across a reload, gone with the tab). */
const EXPIRED_KEY = 'ykt:session-expired';
function markExpired(on: boolean): void {
  try {
    if (on) sessionStorage.setItem(EXPIRED_KEY, '1');
    else sessionStorage.removeItem(EXPIRED_KEY);
  } catch {
    // Storage refused (private mode): the message is only lost on a reload.
  }
}
function wasExpired(): boolean {
  try {
    return sessionStorage.getItem(EXPIRED_KEY) === '1';
  } catch {
    return false;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  // Bumped by every sign-in, sign-out and expiry: the start-up check of /me, slow behind a
  // sync, must not bring back a user who signed out meanwhile (nor overwrite one who signed in).
  const epoch = useRef(0);
  const signedOutOnPurpose = useRef(false);

  const expire = useCallback((code: string) => {
    epoch.current += 1;
    if (code === 'device_revoked' || code === 'account_disabled') {
      // A lost phone, or a user who left: the area's data goes from this device, unsent work too
      // (counted for the supervisor's device list).
      void whileNotSyncing(() => wipeDevice())
        .then(async (report) => {
          if (report.deviceId !== null) {
            const lost = { lostForms: report.lostForms, lostMutations: report.lostMutations };
            await apiRequest('POST', `/devices/${encodeURIComponent(report.deviceId)}/wiped`, noContent, lost).catch(() => null);
          }
        })
        .finally(() => setState({ status: 'signed-out', reason: 'wiped' }));
      return;
    }
    // A request sent before a deliberate sign-out, answered 401 after it: nothing expired.
    if (signedOutOnPurpose.current) return;
    markExpired(true);
    void clearCachedMe().then(() => setState({ status: 'signed-out', reason: 'expired' }));
  }, []);

  useEffect(() => onUnauthorized(expire), [expire]);

  useEffect(() => {
    // An object, not a boolean: the cleanup flips it after the closure was created.
    const run = { cancelled: false };
    const started = epoch.current;
    const cancelled = () => run.cancelled || epoch.current !== started;
    void (async () => {
      const cached = await loadCachedMe();
      if (cancelled()) return;
      // Expired in this tab before a reload (a sync met the 401 first): still say why.
      setState(cached ? { status: 'signed-in', me: cached } : { status: 'signed-out', reason: wasExpired() ? 'expired' : 'none' });
      if (!cached) return;
      try {
        const fresh = await apiRequest('GET', '/me', parseMe);
        // The user's area may have changed since: the device keeps only the current one.
        await whileNotSyncing(async () => {
          if (!cancelled()) await adoptDevice(fresh);
        });
        if (cancelled()) return;
        await saveCachedMe(fresh);
        if (!cancelled()) setState({ status: 'signed-in', me: fresh });
      } catch (err) {
        // 401 is handled by the onUnauthorized listener; offline keeps the cached user, and so
        // does a device still holding unsent work of another owner (it stays until that syncs).
        if (!(err instanceof NetworkError) && !(err instanceof ApiRequestError) && !(err instanceof DeviceHandoverError)) throw err;
      }
    })();
    return () => {
      run.cancelled = true;
    };
  }, []);

  const signIn = useCallback<SessionApi['signIn']>(async (body) => {
    epoch.current += 1;
    // Another user's unfinished work on this device: refused before anything is sent.
    const handover = await canHandOverTo(body.username.trim());
    if (!handover.ok) throw new DeviceHandoverError(handover.owner, handover.unfinished);
    const deviceId = await deviceIdForSignIn(body.username.trim());
    const me: Me = await apiRequest('POST', '/auth/sign-in', parseMe, { ...body, deviceId });
    try {
      await whileNotSyncing(() => adoptDevice(me));
    } catch (err) {
      // Refused after all (checked again by user id): leave no session behind.
      await apiRequest('POST', '/auth/sign-out', noContent).catch(() => null);
      throw err;
    }
    await saveCachedMe(me);
    markExpired(false);
    signedOutOnPurpose.current = false;
    setState({ status: 'signed-in', me });
    void requestPersistentStorage();
  }, []);

  const signOut = useCallback<SessionApi['signOut']>(async () => {
    epoch.current += 1;
    signedOutOnPurpose.current = true;
    try {
      await apiRequest('POST', '/auth/sign-out', noContent);
    } catch (err) {
      // Offline sign-out still forgets the user here; the server session expires on its own.
      if (!(err instanceof NetworkError) && !(err instanceof ApiRequestError)) throw err;
    }
    await clearCachedMe();
    markExpired(false);
    setState({ status: 'signed-out', reason: 'none' });
  }, []);

  const refresh = useCallback<SessionApi['refresh']>(async () => {
    const fresh = await apiRequest('GET', '/me', parseMe);
    await saveCachedMe(fresh);
    setState({ status: 'signed-in', me: fresh });
  }, []);

  const api = useMemo(() => ({ state, signIn, signOut, refresh }), [state, signIn, signOut, refresh]);
  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}
