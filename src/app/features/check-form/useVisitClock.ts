/**
 * Records the visit while the form is on screen (issue 14, item 6): the
 * first opening with a GPS fix, and active seconds per section, counted only
 * while the page is visible and written every 15 s, on a section change, when
 * the page is hidden and when the form closes.
 */
import { useEffect, useRef } from 'react';
import type { GpsFix } from '#shared/schemas/check-form.ts';
import { addActiveSeconds, markVisitOpened, setOpenFix } from '../../db/visit-store.ts';
import { isoWithOffset } from './datetime.ts';

/** One GPS fix, or null (no permission, no signal, not within the time). Never throws. */
export function currentFix(timeoutMs: number, maximumAgeMs: number): Promise<GpsFix | null> {
  if (!('geolocation' in navigator)) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        resolve({ lat: Math.round(pos.coords.latitude * 1e6) / 1e6, lon: Math.round(pos.coords.longitude * 1e6) / 1e6, accuracyM: Math.round(pos.coords.accuracy), at: isoWithOffset(new Date(pos.timestamp)) });
      },
      () => {
        resolve(null);
      },
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: maximumAgeMs },
    );
  });
}

export function useVisitClock(formId: string, section: string): void {
  useEffect(() => {
    void markVisitOpened(formId, isoWithOffset(new Date()))
      .then(async (first) => {
        if (!first) return;
        const fix = await currentFix(20_000, 60_000);
        if (fix) await setOpenFix(formId, fix);
      })
      .catch(() => undefined);
  }, [formId]);

  const since = useRef<number | null>(null);
  useEffect(() => {
    const visible = () => document.visibilityState === 'visible';
    since.current = visible() ? Date.now() : null;
    const flush = () => {
      if (since.current === null) return;
      const seconds = (Date.now() - since.current) / 1000;
      since.current = visible() ? Date.now() : null;
      void addActiveSeconds(formId, section, seconds).catch(() => undefined);
    };
    const onVisibility = () => {
      if (visible()) since.current ??= Date.now();
      else flush();
    };
    document.addEventListener('visibilitychange', onVisibility);
    const timer = window.setInterval(flush, 15_000);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.clearInterval(timer);
      flush();
    };
  }, [formId, section]);
}
